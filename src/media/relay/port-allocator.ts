import { MediaError } from '../errors.js';

/**
 * Even RTP ports over [portMin, portMax], each with the odd port above it reserved for
 * RTCP (RFC 3550 §11). allocate() and free() are O(1).
 *
 * Free ports form a FIFO ring rather than a stack: a port just released goes to the back,
 * so late packets of an ended call are unlikely to reach the next call on the same port.
 */
export class PortAllocator {
  readonly capacity: number;
  private readonly first: number;
  private readonly ring: Uint16Array;
  private readonly used: Uint8Array;
  private head = 0;
  private count: number;

  constructor(
    readonly portMin: number,
    readonly portMax: number,
  ) {
    const valid = (p: number) => Number.isInteger(p) && p >= 1 && p <= 65535;
    if (!valid(portMin) || !valid(portMax)) {
      throw new MediaError(
        'MEDIA_INVALID_ARGUMENT',
        `port range ${portMin}-${portMax} is not within 1-65535`,
      );
    }
    this.first = portMin + (portMin & 1);
    this.capacity = portMax > this.first ? Math.floor((portMax - this.first - 1) / 2) + 1 : 0;
    if (this.capacity === 0) {
      throw new MediaError(
        'MEDIA_INVALID_ARGUMENT',
        `port range ${portMin}-${portMax} holds no RTP/RTCP pair`,
      );
    }
    this.ring = new Uint16Array(this.capacity);
    this.used = new Uint8Array(this.capacity);
    for (let i = 0; i < this.capacity; i++) this.ring[i] = this.first + 2 * i;
    this.count = this.capacity;
  }

  /** Number of RTP ports free. */
  get available(): number {
    return this.count;
  }

  get inUse(): number {
    return this.capacity - this.count;
  }

  /** An even RTP port; port + 1 is reserved with it. Throws MEDIA_PORTS_EXHAUSTED when none is left. */
  allocate(): number {
    if (this.count === 0) {
      throw new MediaError(
        'MEDIA_PORTS_EXHAUSTED',
        `all ${this.capacity} RTP ports of ${this.portMin}-${this.portMax} are in use`,
        { portMin: this.portMin, portMax: this.portMax, capacity: this.capacity },
      );
    }
    const port = this.ring[this.head]!;
    this.head = (this.head + 1) % this.capacity;
    this.count--;
    this.used[(port - this.first) >> 1] = 1;
    return port;
  }

  /** Returns a port to the pool. Idempotent: false if it was not allocated (or not ours). */
  free(port: number): boolean {
    if (!this.isAllocated(port)) return false;
    this.used[(port - this.first) >> 1] = 0;
    this.ring[(this.head + this.count) % this.capacity] = port;
    this.count++;
    return true;
  }

  isAllocated(port: number): boolean {
    const offset = port - this.first;
    if (!Number.isInteger(port) || offset < 0 || (offset & 1) !== 0) return false;
    return this.used[offset >> 1] === 1;
  }
}
