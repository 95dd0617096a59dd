import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { JitterBuffer, type JitterPullResult } from './jitter-buffer.js';

/** A packet whose samples identify their own timestamp: sample i of ts T is (T + i) mod 30000. */
function packet(ts: number, samples = 160): Int16Array {
  return Int16Array.from({ length: samples }, (_, i) => ((ts + i) >>> 0) % 30000);
}

function expectFrame(out: Int16Array, ts: number): void {
  for (let i = 0; i < 160; i++) assert.equal(out[i], ((ts + i) >>> 0) % 30000, `sample ${i} of frame ${ts}`);
}

interface Arrival {
  readonly ts: number;
  readonly at: number;
  readonly samples?: number;
}

/** Runs a 20 ms tick loop: push what has arrived by each tick, then pull one frame. */
function simulate(
  jb: JitterBuffer,
  arrivals: readonly Arrival[],
  ticks: number,
): { results: JitterPullResult[]; frames: Int16Array[] } {
  const queue = [...arrivals].sort((a, b) => a.at - b.at);
  const results: JitterPullResult[] = [];
  const frames: Int16Array[] = [];
  for (let tick = 0; tick < ticks; tick++) {
    const now = tick * 20;
    while (queue.length > 0 && queue[0]!.at <= now) {
      const a = queue.shift()!;
      jb.push(a.ts, packet(a.ts, a.samples), a.samples ?? 160, a.at);
    }
    const out = new Int16Array(160);
    results.push(jb.pull(out));
    frames.push(out);
  }
  return { results, frames };
}

const onTime = (n: number, start = 0): Arrival[] =>
  Array.from({ length: n }, (_, i) => ({ ts: start + i * 160, at: i * 20 }));

describe('JitterBuffer', () => {
  it('buffers for the target delay, then plays packets in order', () => {
    const jb = new JitterBuffer({ targetMs: 60 });
    const { results, frames } = simulate(jb, onTime(20), 15);
    assert.deepEqual(results.slice(0, 3), ['buffering', 'buffering', 'buffering']);
    for (let k = 3; k < 15; k++) {
      assert.equal(results[k], 'ok');
      expectFrame(frames[k]!, (k - 3) * 160);
    }
    assert.equal(jb.stats.accepted, 15, 'one packet pushed per tick');
    assert.equal(jb.bufferedMs, 60, 'each packet waits three ticks between arrival and playout');
    assert.equal(jb.delayMs, 60);
  });

  it('splices 30 ms packets into 20 ms frames', () => {
    const jb = new JitterBuffer({ targetMs: 60 });
    const arrivals = Array.from({ length: 20 }, (_, i) => ({ ts: i * 240, at: i * 30, samples: 240 }));
    const { results, frames } = simulate(jb, arrivals, 25);
    for (let k = 3; k < 25; k++) {
      assert.equal(results[k], 'ok', `tick ${k}`);
      expectFrame(frames[k]!, (k - 3) * 160);
    }
  });

  it('puts reordered packets back in order when they arrive within the delay', () => {
    const jb = new JitterBuffer({ targetMs: 60 });
    const arrivals = onTime(12).map((a) =>
      a.ts === 320 ? { ...a, at: 75 } : a.ts === 480 ? { ...a, at: 41 } : a,
    );
    const { results, frames } = simulate(jb, arrivals, 14);
    for (let k = 3; k < 14; k++) {
      assert.equal(results[k], 'ok');
      expectFrame(frames[k]!, (k - 3) * 160);
    }
  });

  it('conceals a lost packet with a faded copy of the previous frame and counts it', () => {
    const jb = new JitterBuffer({ targetMs: 40 });
    const { results, frames } = simulate(
      jb,
      onTime(10).filter((a) => a.ts !== 800),
      12,
    );
    const lostTick = 2 + 5;
    assert.equal(results[lostTick], 'concealed');
    assert.equal(frames[lostTick]![10], Math.round(frames[lostTick - 1]![10]! * 0.9));
    assert.equal(results[lostTick + 1], 'ok');
    assert.equal(jb.stats.concealed, 1);
  });

  it('fades concealment out to silence when the stream stops, and calls it an underrun', () => {
    const jb = new JitterBuffer({ targetMs: 40, concealFrames: 2 });
    const { results, frames } = simulate(jb, onTime(4), 12);
    assert.deepEqual(results.slice(6, 10), ['underrun', 'underrun', 'underrun', 'underrun']);
    assert.notEqual(frames[6]![100], 0);
    assert.ok(frames.slice(8).every((f) => f.every((s) => s === 0)));
    assert.equal(jb.stats.underruns, 6);
  });

  it('drops a packet that arrives after its frame was played, and a duplicate', () => {
    const jb = new JitterBuffer({ targetMs: 40 });
    simulate(jb, onTime(5), 5); // frames 0…2 played
    assert.equal(jb.push(0, packet(0)), 'late');
    assert.equal(jb.push(640, packet(640)), 'duplicate');
    assert.equal(jb.stats.late, 1);
    assert.equal(jb.stats.duplicates, 1);
  });

  it('in fixed mode keeps its delay when the network delays packets beyond it', () => {
    const jb = new JitterBuffer({ targetMs: 40 });
    const arrivals = onTime(50).map((a) => (a.ts >= 1600 ? { ...a, at: a.at + 100 } : a));
    const { results } = simulate(jb, arrivals, 60);
    assert.ok(results.includes('underrun'));
    assert.ok(jb.stats.late > 0, 'the delayed packets arrive too late for the fixed delay');
    assert.equal(jb.delayMs, 40);
  });

  it('in adaptive mode grows its delay on an underrun and then plays the delayed packets', () => {
    const jb = new JitterBuffer({ targetMs: 40, mode: 'adaptive' });
    const arrivals = onTime(60).map((a) => (a.ts >= 1600 ? { ...a, at: a.at + 100 } : a));
    const { results, frames } = simulate(jb, arrivals, 60);
    assert.equal(jb.stats.late, 0);
    // Held for three ticks until the packet delayed by 100 ms came: 40 + 3 × 20 ms.
    assert.equal(jb.stats.grows, 3);
    assert.equal(jb.delayMs, 100);
    const lastOk = results.lastIndexOf('ok');
    expectFrame(frames[lastOk]!, 160 * (lastOk - 2 - 3));
  });

  it('in adaptive mode shrinks a needlessly large delay when packets come steadily', () => {
    const jb = new JitterBuffer({ targetMs: 200, minMs: 40, mode: 'adaptive' });
    simulate(jb, onTime(500), 500);
    assert.ok(jb.delayMs <= 60, `delay ${jb.delayMs}`);
    assert.ok(jb.stats.shrinks >= 7);
    assert.equal(jb.stats.underruns, 0);
  });

  it('resynchronises on a timestamp jump beyond its capacity', () => {
    const jb = new JitterBuffer({ targetMs: 40 });
    simulate(jb, onTime(5), 5);
    assert.equal(jb.push(1_000_000, packet(1_000_000)), 'resync');
    const out = new Int16Array(160);
    assert.equal(jb.pull(out), 'buffering');
    assert.equal(jb.pull(out), 'buffering');
    assert.equal(jb.pull(out), 'ok');
    expectFrame(out, 1_000_000);
  });

  it('resynchronises after a run of late packets (the source restarted behind us)', () => {
    const jb = new JitterBuffer({ targetMs: 40 });
    simulate(jb, onTime(5, 100_000), 5);
    const results = Array.from({ length: 8 }, (_, i) => jb.push(i * 160, packet(i * 160)));
    assert.deepEqual(results.slice(0, 7), Array(7).fill('late'));
    assert.equal(results[7], 'resync');
  });

  it('plays straight across the 32-bit timestamp wrap', () => {
    const jb = new JitterBuffer({ targetMs: 40 });
    const start = 0x1_0000_0000 - 160 * 5;
    const arrivals = onTime(12).map((a) => ({ ...a, ts: (start + a.ts) >>> 0 }));
    const { results, frames } = simulate(jb, arrivals, 12);
    for (let k = 2; k < 12; k++) {
      assert.equal(results[k], 'ok');
      expectFrame(frames[k]!, (start + (k - 2) * 160) >>> 0);
    }
  });

  it('estimates interarrival jitter from the push times', () => {
    const jb = new JitterBuffer({ targetMs: 60 });
    simulate(
      jb,
      onTime(300).map((a, i) => ({ ...a, at: a.at + (i % 2 ? 4 : 0) })),
      300,
    );
    assert.ok(Math.abs(jb.jitterMs - 4) < 0.2, String(jb.jitterMs));
  });

  it('refuses inconsistent options and too-small output buffers', () => {
    assert.throws(() => new JitterBuffer({ targetMs: 10, minMs: 20 }), { code: 'MEDIA_INVALID_ARGUMENT' });
    assert.throws(() => new JitterBuffer().pull(new Int16Array(80)), { code: 'MEDIA_INVALID_ARGUMENT' });
  });
});
