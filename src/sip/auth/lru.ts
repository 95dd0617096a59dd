/**
 * A size-bounded map that evicts its least recently written entry: a Map for lookup plus a
 * doubly linked list for order. Evicting through `map.keys().next()` instead would be
 * O(deleted entries) in V8, which a flood of addresses turns into seconds.
 */
interface Node<K, V> {
  readonly key: K;
  value: V;
  prev: Node<K, V> | undefined;
  next: Node<K, V> | undefined;
}

export class BoundedLru<K, V> {
  private readonly map = new Map<K, Node<K, V>>();
  /** Least recently written. */
  private head: Node<K, V> | undefined;
  /** Most recently written. */
  private tail: Node<K, V> | undefined;

  constructor(
    readonly capacity: number,
    private readonly onEvict?: (key: K, value: V) => void,
  ) {
    if (!Number.isInteger(capacity) || capacity < 1)
      throw new RangeError('capacity must be a positive integer');
  }

  get size(): number {
    return this.map.size;
  }

  /** Reads without changing the order. */
  get(key: K): V | undefined {
    return this.map.get(key)?.value;
  }

  has(key: K): boolean {
    return this.map.has(key);
  }

  /** Inserts or replaces, making the entry the most recent; evicts the oldest when over capacity. */
  set(key: K, value: V): void {
    const existing = this.map.get(key);
    if (existing !== undefined) {
      existing.value = value;
      this.unlink(existing);
      this.append(existing);
      return;
    }
    const node: Node<K, V> = { key, value, prev: undefined, next: undefined };
    this.map.set(key, node);
    this.append(node);
    while (this.map.size > this.capacity && this.head !== undefined) {
      const oldest = this.head;
      this.delete(oldest.key);
      this.onEvict?.(oldest.key, oldest.value);
    }
  }

  delete(key: K): boolean {
    const node = this.map.get(key);
    if (node === undefined) return false;
    this.map.delete(key);
    this.unlink(node);
    return true;
  }

  /** Deletes every entry the predicate selects; returns how many. */
  deleteWhere(predicate: (value: V, key: K) => boolean): number {
    let removed = 0;
    for (let node = this.head; node !== undefined;) {
      const next = node.next;
      if (predicate(node.value, node.key)) removed += Number(this.delete(node.key));
      node = next;
    }
    return removed;
  }

  private append(node: Node<K, V>): void {
    node.prev = this.tail;
    node.next = undefined;
    if (this.tail !== undefined) this.tail.next = node;
    else this.head = node;
    this.tail = node;
  }

  private unlink(node: Node<K, V>): void {
    if (node.prev !== undefined) node.prev.next = node.next;
    else this.head = node.next;
    if (node.next !== undefined) node.next.prev = node.prev;
    else this.tail = node.prev;
    node.prev = undefined;
    node.next = undefined;
  }
}
