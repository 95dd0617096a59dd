import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { FakeClock } from '../../platform/clock.js';
import { WriteBatcher } from './batcher.js';

function harness(opts: {
  maxBatch?: number;
  maxInFlight?: number;
  failWhen?: (items: readonly number[]) => boolean;
}) {
  const clock = new FakeClock();
  const writes: number[][] = [];
  const release: (() => void)[] = [];
  const batcher = new WriteBatcher<number>(
    async (items) => {
      writes.push([...items]);
      await new Promise<void>((resolve) => release.push(resolve));
      if (opts.failWhen?.(items)) throw new Error(`write of ${items.join(',')} failed`);
    },
    {
      maxBatch: opts.maxBatch ?? 100,
      maxDelayMs: 5,
      maxInFlight: opts.maxInFlight ?? 1,
      closedError: () => new Error('closed'),
      timers: clock,
    },
  );
  const settle = async (): Promise<void> => {
    for (let i = 0; i < 10; i++) {
      release.splice(0).forEach((r) => r());
      await new Promise((r) => setImmediate(r));
    }
  };
  return { clock, writes, batcher, settle };
}

describe('WriteBatcher', () => {
  it('gathers items added within the delay into one write', async () => {
    const h = harness({});
    const done = [1, 2, 3].map((n) => h.batcher.add(n));
    assert.equal(h.writes.length, 0, 'nothing is written before the delay');
    h.clock.advance(5);
    await h.settle();
    await Promise.all(done);
    assert.deepEqual(h.writes, [[1, 2, 3]]);
  });

  it('writes at once when a batch is full, without waiting for the delay', async () => {
    const h = harness({ maxBatch: 2 });
    const done = [1, 2, 3].map((n) => h.batcher.add(n));
    assert.deepEqual(h.writes, [[1, 2]]);
    await h.settle();
    assert.deepEqual(h.writes, [[1, 2], [3]], 'the rest goes as soon as the slot frees');
    await Promise.all(done);
  });

  it('resolves an add only after the write holding it finished', async () => {
    const h = harness({});
    let resolved = false;
    const p = h.batcher.add(1).then(() => (resolved = true));
    h.clock.advance(5);
    await new Promise((r) => setImmediate(r));
    assert.equal(resolved, false);
    await h.settle();
    await p;
    assert.equal(resolved, true);
  });

  it('queues while every slot is busy and sends the queue as one batch afterwards', async () => {
    const h = harness({});
    const first = h.batcher.add(1);
    h.clock.advance(5);
    const later = [2, 3, 4].map((n) => h.batcher.add(n));
    h.clock.advance(5);
    assert.deepEqual(h.writes, [[1]]);
    await h.settle();
    await Promise.all([first, ...later]);
    assert.deepEqual(h.writes, [[1], [2, 3, 4]]);
  });

  it('a failing batch is retried row by row so only the bad item rejects', async () => {
    const h = harness({ failWhen: (items) => items.includes(13) });
    const results = Promise.allSettled([12, 13, 14].map((n) => h.batcher.add(n)));
    h.clock.advance(5);
    await h.settle();
    assert.deepEqual(
      (await results).map((r) => r.status),
      ['fulfilled', 'rejected', 'fulfilled'],
    );
    assert.deepEqual(h.writes, [[12, 13, 14], [12], [13], [14]]);
  });

  it('close writes what was accepted, then rejects new items', async () => {
    const h = harness({});
    const accepted = h.batcher.add(1);
    const closing = h.batcher.close();
    assert.deepEqual(h.writes, [[1]], 'close does not wait for the delay');
    await h.settle();
    await closing;
    await accepted;
    await assert.rejects(h.batcher.add(2), /closed/);
  });
});
