import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { MediaError } from '../errors.js';
import { PortAllocator } from './port-allocator.js';

describe('PortAllocator', () => {
  it('hands out even ports only, each leaving port + 1 inside the range', () => {
    const ports = new PortAllocator(10001, 10010);
    assert.equal(ports.capacity, 4);
    const got = [ports.allocate(), ports.allocate(), ports.allocate(), ports.allocate()];
    assert.deepEqual(got, [10002, 10004, 10006, 10008]);
    assert.ok(got.every((p) => p % 2 === 0 && p + 1 <= 10010));
  });

  it('reports exhaustion with a coded error naming the range', () => {
    const ports = new PortAllocator(20000, 20003);
    ports.allocate();
    ports.allocate();
    assert.equal(ports.available, 0);
    assert.throws(
      () => ports.allocate(),
      (err: unknown) =>
        err instanceof MediaError &&
        err.code === 'MEDIA_PORTS_EXHAUSTED' &&
        /20000-20003/.test(err.message) &&
        err.details?.['capacity'] === 2,
    );
  });

  it('reuses freed ports last (FIFO) and frees idempotently', () => {
    const ports = new PortAllocator(30000, 30005);
    const a = ports.allocate();
    assert.equal(ports.free(a), true);
    assert.equal(ports.free(a), false);
    assert.equal(ports.inUse, 0);
    assert.deepEqual([ports.allocate(), ports.allocate(), ports.allocate()], [30002, 30004, 30000]);
  });

  it('ignores ports that are not its own', () => {
    const ports = new PortAllocator(30000, 30005);
    for (const p of [29998, 30001, 30006, 1.5, NaN]) assert.equal(ports.free(p), false);
    assert.equal(ports.available, 3);
  });

  it('rejects ranges without a single RTP/RTCP pair or outside 1-65535', () => {
    for (const [min, max] of [
      [5000, 5000],
      [5001, 5002],
      [0, 10],
      [65534, 65536],
    ] as const) {
      assert.throws(() => new PortAllocator(min, max), { code: 'MEDIA_INVALID_ARGUMENT' });
    }
  });

  it('allocates and frees in constant time over the full port space', () => {
    const ports = new PortAllocator(1024, 65535);
    const taken: number[] = [];
    while (ports.available > 0) taken.push(ports.allocate());
    assert.equal(taken.length, 32256);
    for (const p of taken) assert.equal(ports.free(p), true);
    assert.equal(ports.available, ports.capacity);
  });
});
