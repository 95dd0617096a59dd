import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { HotlineError } from '../../../platform/errors.js';
import {
  DEFAULT_REGISTRATION_POLICY,
  initialRegistration,
  isRegistered,
  refreshDelayMs,
  retryDelayMs,
  stepRegistration,
  type RegistrationEvent,
  type RegistrationState,
  type StepResult,
} from './registration.js';

const policy = DEFAULT_REGISTRATION_POLICY;
const NOW = 1_000_000;
/** rng 0.5 makes the jitter factor exactly 1. */
const ctx = { now: NOW, rng: () => 0.5, policy };

function run(events: RegistrationEvent[], from: RegistrationState = initialRegistration(policy)): StepResult {
  let result: StepResult = { state: from, effects: [] };
  for (const e of events) result = stepRegistration(result.state, e, ctx);
  return result;
}

describe('trunk registration machine', () => {
  it('sends a first REGISTER without credentials, then answers the challenge with them', () => {
    const first = run([{ type: 'start' }]);
    assert.equal(first.state.phase, 'registering');
    assert.deepEqual(first.effects, [
      { kind: 'clearTimer' },
      { kind: 'send', expires: 300, authorize: false },
    ]);
    const challenged = run([{ type: 'challenge' }], first.state);
    assert.equal(challenged.state.phase, 'challenged');
    assert.deepEqual(challenged.effects, [{ kind: 'send', expires: 300, authorize: true }]);
  });

  it('registers on 200 and schedules the refresh at 85 % of the granted time', () => {
    const r = run([{ type: 'start' }, { type: 'challenge' }, { type: 'ok', granted: 120 }]);
    assert.equal(r.state.phase, 'registered');
    assert.equal(r.state.registeredUntil, NOW + 120_000);
    assert.deepEqual(r.effects, [{ kind: 'timer', event: 'refreshDue', ms: 102_000 }]);
    assert.ok(isRegistered(r.state, NOW + 119_999));
    assert.ok(!isRegistered(r.state, NOW + 120_000));
  });

  it('refreshes with the cached challenge and stays registered through a stale nonce', () => {
    const up = run([{ type: 'start' }, { type: 'ok', granted: 300 }]);
    const refresh = run([{ type: 'refreshDue' }], up.state);
    assert.equal(refresh.state.phase, 'refreshing');
    assert.deepEqual(refresh.effects, [{ kind: 'send', expires: 300, authorize: true }]);
    const stale = run([{ type: 'staleChallenge' }], refresh.state);
    assert.equal(stale.state.phase, 'challenged');
    assert.ok(isRegistered(stale.state, NOW), 'the old binding still holds');
    const again = run([{ type: 'ok', granted: 300 }], stale.state);
    assert.equal(again.state.phase, 'registered');
  });

  it('treats a second challenge to its credentials as a refusal', () => {
    const r = run([{ type: 'start' }, { type: 'challenge' }, { type: 'challenge' }]);
    assert.equal(r.state.phase, 'failed');
    assert.equal(r.state.refusals, 1);
    assert.equal(r.state.lastFailure, 'credentials refused (challenged again)');
  });

  it('backs off 30 s, doubling per failure, up to 10 minutes', () => {
    let state = run([{ type: 'start' }]).state;
    const delays: number[] = [];
    for (let i = 0; i < 7; i++) {
      const failed = stepRegistration(state, { type: 'unreachable' }, ctx);
      const timer = failed.effects.find((e) => e.kind === 'timer');
      delays.push(timer?.kind === 'timer' ? timer.ms : -1);
      state = stepRegistration(failed.state, { type: 'retryDue' }, ctx).state;
    }
    assert.deepEqual(delays, [30_000, 60_000, 120_000, 240_000, 480_000, 600_000, 600_000]);
  });

  it('spreads retries by ±20 % jitter', () => {
    const low = retryDelayMs(1, 0, { rng: () => 0, policy });
    const high = retryDelayMs(1, 0, { rng: () => 0.999999, policy });
    assert.equal(low, 24_000);
    assert.ok(high > 35_999 && high <= 36_000, String(high));
  });

  it('honours Retry-After, capped at the longest backoff', () => {
    const r = run([{ type: 'start' }, { type: 'reject', status: 503, retryAfter: 90 }]);
    assert.equal(r.state.nextAttemptAt, NOW + 90_000);
    const long = run([{ type: 'start' }, { type: 'reject', status: 503, retryAfter: 7200 }]);
    assert.equal(long.state.nextAttemptAt, NOW + 600_000);
  });

  it('gives up for an hour after three refusals in a row', () => {
    let state = run([{ type: 'start' }]).state;
    const delays: number[] = [];
    for (let i = 0; i < 3; i++) {
      const r = stepRegistration(state, { type: 'forbidden' }, ctx);
      delays.push(r.state.nextAttemptAt - NOW);
      state = stepRegistration(r.state, { type: 'retryDue' }, ctx).state;
    }
    assert.deepEqual(delays, [30_000, 60_000, 3_600_000]);
  });

  it('forgets earlier refusals once registered', () => {
    const r = run([
      { type: 'start' },
      { type: 'forbidden' },
      { type: 'retryDue' },
      { type: 'forbidden' },
      { type: 'retryDue' },
      { type: 'ok', granted: 300 },
    ]);
    assert.equal(r.state.refusals, 0);
    assert.equal(r.state.failures, 0);
  });

  it('asks again with Min-Expires after 423, and fails when it does not raise the interval', () => {
    const r = run([{ type: 'start' }, { type: 'tooBrief', minExpires: 900 }]);
    assert.equal(r.state.phase, 'registering');
    assert.deepEqual(r.effects, [{ kind: 'send', expires: 900, authorize: false }]);
    const loop = run([{ type: 'tooBrief', minExpires: 900 }], r.state);
    assert.equal(loop.state.phase, 'failed');
    assert.equal(loop.state.lastFailure, '423');
  });

  it('keeps the old binding when a refresh fails, until it runs out', () => {
    const r = run([
      { type: 'start' },
      { type: 'ok', granted: 300 },
      { type: 'refreshDue' },
      { type: 'unreachable' },
    ]);
    assert.equal(r.state.phase, 'failed');
    assert.ok(isRegistered(r.state, NOW + 1000));
  });

  it('removes the binding on stop with Expires: 0, answering one challenge', () => {
    const up = run([{ type: 'start' }, { type: 'ok', granted: 300 }]);
    const stop = run([{ type: 'stop' }], up.state);
    assert.equal(stop.state.phase, 'unregistering');
    assert.deepEqual(stop.effects, [{ kind: 'clearTimer' }, { kind: 'send', expires: 0, authorize: true }]);
    const challenged = run([{ type: 'challenge' }], stop.state);
    assert.deepEqual(challenged.effects, [{ kind: 'send', expires: 0, authorize: true }]);
    const refused = run([{ type: 'challenge' }], challenged.state);
    assert.equal(refused.state.phase, 'unregistered', 'a second challenge is not answered');
    const ok = run([{ type: 'ok', granted: 0 }], stop.state);
    assert.equal(ok.state.phase, 'unregistered');
    assert.equal(ok.state.registeredUntil, 0);
  });

  it('stops at once when it holds nothing (failed or never started)', () => {
    const failed = run([{ type: 'start' }, { type: 'unreachable' }, { type: 'stop' }]);
    assert.equal(failed.state.phase, 'unregistered');
    assert.deepEqual(failed.effects, [{ kind: 'clearTimer' }]);
    assert.equal(run([{ type: 'stop' }]).state.phase, 'unregistered');
  });

  it('refuses an event that makes no sense in the state, naming both', () => {
    assert.throws(
      () => run([{ type: 'refreshDue' }]),
      (err: unknown) =>
        err instanceof HotlineError &&
        err.code === 'ILLEGAL_TRANSITION' &&
        /"refreshDue" is illegal in state "unregistered"/.test(err.message),
    );
  });

  it('refreshes a short registration before it ends', () => {
    assert.equal(refreshDelayMs(300, policy), 255_000);
    assert.equal(refreshDelayMs(4, policy), 3000);
    assert.equal(refreshDelayMs(1, policy), 500);
  });
});
