import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { BoundedLru } from './lru.js';

describe('BoundedLru', () => {
  it('evicts the least recently written entry when over capacity', () => {
    const evicted: string[] = [];
    const lru = new BoundedLru<string, number>(2, (k) => evicted.push(k));
    lru.set('a', 1);
    lru.set('b', 2);
    lru.set('a', 3); // "a" is now the most recent
    lru.set('c', 4);
    assert.deepEqual(evicted, ['b']);
    assert.equal(lru.get('a'), 3);
    assert.equal(lru.has('b'), false);
    assert.equal(lru.size, 2);
  });

  it('deletes selected entries and keeps its order consistent afterwards', () => {
    const lru = new BoundedLru<string, number>(3);
    for (const [k, v] of [
      ['a', 1],
      ['b', 2],
      ['c', 3],
    ] as const)
      lru.set(k, v);
    assert.equal(
      lru.deleteWhere((v) => v !== 2),
      2,
    );
    lru.set('d', 4);
    lru.set('e', 5);
    lru.set('f', 6);
    assert.equal(lru.has('b'), false);
    assert.equal(lru.size, 3);
  });

  it('holds exactly its capacity through a long flood of new keys', () => {
    let evictions = 0;
    const lru = new BoundedLru<number, number>(1_000, () => evictions++);
    for (let i = 0; i < 200_000; i++) lru.set(i, i);
    assert.equal(lru.size, 1_000);
    assert.equal(evictions, 199_000);
    assert.equal(lru.get(199_999), 199_999);
    assert.equal(lru.has(198_999), false);
  });
});
