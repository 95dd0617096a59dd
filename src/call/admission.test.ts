import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { FakeClock } from '../platform/clock.js';
import { Admission } from './admission.js';

function admitted(admission: Admission, n: number): string[] {
  return Array.from({ length: n }, () => {
    const v = admission.tryAdmit();
    return v.admit ? 'admit' : v.why;
  });
}

describe('Admission', () => {
  test('refuses with too-many-calls once maxCalls calls are in progress', () => {
    const admission = new Admission({ maxCalls: 3, maxCallsPerSecond: 100 }, new FakeClock());
    assert.deepEqual(admitted(admission, 4), ['admit', 'admit', 'admit', 'too-many-calls']);
    assert.equal(admission.activeCalls, 3);
  });

  test('refuses with call-rate beyond the calls allowed per second', () => {
    const admission = new Admission({ maxCalls: 100, maxCallsPerSecond: 2 }, new FakeClock());
    assert.deepEqual(admitted(admission, 3), ['admit', 'admit', 'call-rate']);
    assert.equal(admission.activeCalls, 2, 'a refused call is not counted');
  });

  test('refills the rate continuously over time', () => {
    const clock = new FakeClock();
    const admission = new Admission({ maxCalls: 100, maxCallsPerSecond: 2 }, clock);
    admitted(admission, 2);
    clock.advance(400);
    assert.deepEqual(admitted(admission, 1), ['call-rate'], '0.8 of a call after 400 ms');
    clock.advance(100);
    assert.deepEqual(admitted(admission, 2), ['admit', 'call-rate'], 'one call after 500 ms');
    clock.advance(10_000);
    assert.deepEqual(admitted(admission, 3), ['admit', 'admit', 'call-rate'], 'the burst is one second');
  });

  test('frees a slot when a call is released', () => {
    const admission = new Admission({ maxCalls: 1, maxCallsPerSecond: 100 }, new FakeClock());
    assert.deepEqual(admitted(admission, 2), ['admit', 'too-many-calls']);
    admission.release();
    assert.equal(admission.activeCalls, 0);
    assert.deepEqual(admitted(admission, 1), ['admit']);
  });

  test('spends no rate token on a call refused for too many calls', () => {
    const admission = new Admission({ maxCalls: 1, maxCallsPerSecond: 2 }, new FakeClock());
    assert.deepEqual(admitted(admission, 3), ['admit', 'too-many-calls', 'too-many-calls']);
    admission.release();
    assert.deepEqual(admitted(admission, 1), ['admit'], 'the second token is still there');
  });

  test('never counts below zero calls when released too often', () => {
    const admission = new Admission({ maxCalls: 1, maxCallsPerSecond: 100 }, new FakeClock());
    admission.release();
    assert.equal(admission.activeCalls, 0);
    assert.deepEqual(admitted(admission, 2), ['admit', 'too-many-calls']);
  });

  test('applies new limits to the next call', () => {
    const admission = new Admission({ maxCalls: 1, maxCallsPerSecond: 100 }, new FakeClock());
    admitted(admission, 1);
    admission.setLimits({ maxCalls: 2, maxCallsPerSecond: 100 });
    assert.deepEqual(admitted(admission, 2), ['admit', 'too-many-calls']);
  });
});
