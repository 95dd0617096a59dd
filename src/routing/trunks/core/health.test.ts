import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { INITIAL_HEALTH, stepHealth, type HealthState, type PingResult } from './health.js';

const answered = (status = 200): PingResult => ({ answered: true, status });
const missed: PingResult = { answered: false };

function feed(results: PingResult[], downAfter = 2): { phases: string[]; state: HealthState } {
  let state = INITIAL_HEALTH;
  const phases: string[] = [];
  results.forEach((r, i) => {
    state = stepHealth(state, r, downAfter, 1000 * (i + 1)).state;
    phases.push(state.phase);
  });
  return { phases, state };
}

describe('trunk health from OPTIONS', () => {
  it('is up after any answer, even an error status', () => {
    assert.deepEqual(feed([answered(404)]).phases, ['up']);
    assert.deepEqual(feed([answered(503)]).state.lastStatus, 503);
  });

  it('goes down only after downAfter misses in a row', () => {
    assert.deepEqual(feed([answered(), missed, missed, missed]).phases, ['up', 'up', 'down', 'down']);
    assert.deepEqual(feed([answered(), missed, answered(), missed]).phases, ['up', 'up', 'up', 'up']);
    assert.deepEqual(feed([missed, missed, missed], 3).phases, ['unknown', 'unknown', 'down']);
  });

  it('comes back up on the first answer and forgets the misses', () => {
    const { phases, state } = feed([missed, missed, answered(200)]);
    assert.deepEqual(phases, ['unknown', 'down', 'up']);
    assert.equal(state.misses, 0);
    assert.equal(state.lastReplyAt, 3000);
  });

  it('says when the phase changed, for the log', () => {
    const up = stepHealth(INITIAL_HEALTH, answered(), 2, 1);
    assert.equal(up.changed, true);
    assert.equal(stepHealth(up.state, answered(), 2, 2).changed, false);
    assert.equal(stepHealth(up.state, missed, 2, 2).changed, false);
  });
});
