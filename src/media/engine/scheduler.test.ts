import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { FrameScheduler, type SchedulerTimers } from './scheduler.js';

/** A manual monotonic clock with one-shot timers, each firing `lateBy` ms after its deadline. */
class ManualTimers implements SchedulerTimers {
  time = 0;
  lateBy = 0;
  private timers: Array<{ at: number; fn: () => void; id: number }> = [];
  private seq = 0;
  armed = 0;

  now(): number {
    return this.time;
  }

  set(fn: () => void, ms: number): unknown {
    const id = ++this.seq;
    this.armed++;
    this.timers.push({ at: this.time + ms + this.lateBy, fn, id });
    return id;
  }

  clear(handle: unknown): void {
    this.timers = this.timers.filter((t) => t.id !== handle);
  }

  /** Advances to `until`, firing due timers in order. */
  run(until: number): void {
    for (;;) {
      this.timers.sort((a, b) => a.at - b.at);
      const next = this.timers[0];
      if (!next || next.at > until) break;
      this.timers.shift();
      this.time = next.at;
      next.fn();
    }
    this.time = until;
  }

  get pending(): number {
    return this.timers.length;
  }
}

describe('FrameScheduler', () => {
  it('ticks every 20 ms on absolute deadlines, so lateness does not add up', () => {
    const timers = new ManualTimers();
    timers.lateBy = 3; // every timer fires 3 ms late
    const at: number[] = [];
    const s = new FrameScheduler(() => at.push(timers.now()), timers);
    s.start();
    timers.run(1000);
    assert.equal(at.length, 49, 'one frame per 20 ms, the last one not yet due');
    assert.deepEqual(at.slice(0, 4), [23, 43, 63, 83], 'each late by 3 ms, never by 6, 9, …');
    assert.equal(s.stats.catchUps, 0);
  });

  it('catches up a few frames after a stall, skips the rest and keeps the frame index on real time', () => {
    const timers = new ManualTimers();
    const frames: number[] = [];
    let stallOnce = true;
    const s = new FrameScheduler(
      (frame) => {
        frames.push(frame);
        if (frame === 2 && stallOnce) {
          stallOnce = false;
          timers.time += 45; // this tick took 45 ms
        }
      },
      timers,
      20,
      3,
    );
    s.start();
    timers.run(200);
    assert.deepEqual(frames.slice(0, 6), [0, 1, 2, 3, 4, 5]);
    assert.equal(s.stats.catchUps, 1, 'frames 3 and 4 ran back to back');
    s.stop();

    const big: number[] = [];
    const t2 = new ManualTimers();
    const s2 = new FrameScheduler(
      (frame) => {
        big.push(frame);
        if (frame === 0) t2.time += 200; // a 200 ms stall: 10 frames due
      },
      t2,
      20,
      3,
    );
    s2.start();
    t2.run(400);
    assert.deepEqual(big.slice(0, 5), [0, 1, 2, 3, 11], 'three caught up, seven skipped');
    assert.equal(s2.stats.skipped, 7);
    s2.stop();
  });

  it('stops from inside a tick and can start again; start and stop are idempotent', () => {
    const timers = new ManualTimers();
    let ticks = 0;
    const s = new FrameScheduler(() => {
      if (++ticks === 3) s.stop();
    }, timers);
    s.start();
    s.start();
    timers.run(500);
    assert.equal(ticks, 3);
    assert.equal(s.running, false);
    assert.equal(timers.pending, 0, 'no timer left behind');
    s.stop();
    s.start();
    timers.run(545);
    assert.equal(ticks, 5);
    s.stop();
    assert.equal(timers.pending, 0);
  });
});
