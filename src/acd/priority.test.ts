import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { AcdError } from './errors.js';
import { agedPriority, basePriority, checkPriority, effectivePriority } from './priority.js';

const aging = { perMinute: 2, max: 90, afterSeconds: 60 };

describe('priority', () => {
  it('raises a VIP to the queue VIP priority but never lowers a higher one', () => {
    assert.equal(basePriority(30, true, 90), 90);
    assert.equal(basePriority(95, true, 90), 95);
    assert.equal(basePriority(30, false, 90), 30);
  });

  it('ages by perMinute after the grace period, up to max', () => {
    assert.equal(agedPriority(50, 60_000, aging), 50);
    assert.equal(agedPriority(50, 6 * 60_000, aging), 60);
    assert.equal(agedPriority(50, 600 * 60_000, aging), 90);
    // A base above max is not pulled down.
    assert.equal(agedPriority(95, 600 * 60_000, aging), 95);
  });

  it("uses a supervisor's override as it is, without aging", () => {
    assert.equal(effectivePriority({ base: 10, override: 77 }, 0, 3_600_000, aging), 77);
    assert.equal(effectivePriority({ base: 10, override: undefined }, 0, 11 * 60_000, aging), 30);
  });

  it('refuses priorities outside 0–100 with a coded error', () => {
    assert.throws(
      () => checkPriority(101),
      (e: unknown) => e instanceof AcdError && e.code === 'ACD_INVALID',
    );
    assert.throws(() => checkPriority(Number.NaN), AcdError);
    assert.equal(checkPriority(0), 0);
  });
});
