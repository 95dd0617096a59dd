import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { announcedMinutes, estimateWaitSeconds } from '../ewt.js';
import { acdRig, flush, said } from './test-rig.js';

describe('announcedMinutes', () => {
  it('rounds up to whole minutes, and says less than a minute (0) below one', () => {
    assert.equal(announcedMinutes(0), 0);
    assert.equal(announcedMinutes(59.9), 0);
    assert.equal(announcedMinutes(60), 1);
    assert.equal(announcedMinutes(61), 2);
    assert.equal(announcedMinutes(150), 3);
  });
});

describe('AcdService: what a waiting caller hears', () => {
  /** Agent 1002 is ready and busy with c0; c1 and c2 wait behind it for `seconds`. */
  async function waiting(queue: Record<string, unknown>, seconds: number) {
    const r = acdRig({ announce: { everySeconds: 20 }, defaultHandleSeconds: 150, ...queue });
    r.service.login('1002', undefined, { ready: true });
    await r.enter('c0');
    await r.answer('1002');
    await r.enter('c1');
    await r.enter('c2');
    r.clock.advance(seconds * 1000);
    await flush();
    await flush();
    return r;
  }

  it('announces each caller its own position and the wait from the handle time and staffing', async () => {
    const r = await waiting({}, 20);
    // One ready agent, busy: the n-th caller waits n handle times of 150 s.
    const minutes = (position: number) =>
      announcedMinutes(
        estimateWaitSeconds({ position, staffedAgents: 1, idleAgents: 0, handleSeconds: 150 }) ?? NaN,
      );
    assert.deepEqual([minutes(1), minutes(2)], [3, 5]);
    assert.deepEqual(said(r.callerLeg('c1')), [
      'queue-position {"position":1}',
      `estimated-wait {"minutes":${minutes(1)}}`,
    ]);
    assert.deepEqual(said(r.callerLeg('c2')), [
      'queue-position {"position":2}',
      `estimated-wait {"minutes":${minutes(2)}}`,
    ]);
    assert.deepEqual(said(r.callerLeg('c0')), [], 'the caller talking to the agent hears none');
  });

  it('says no estimate when no agent of the queue is ready', async () => {
    const r = await waiting({}, 0);
    r.service.notReady('1002', 'BREAK');
    r.clock.advance(20_000);
    await flush();
    await flush();
    assert.deepEqual(said(r.callerLeg('c2')), ['queue-position {"position":2}']);
  });

  it('leaves out the position or the estimate when the queue says so', async () => {
    const noPosition = await waiting({ announce: { everySeconds: 20, position: false } }, 20);
    assert.deepEqual(said(noPosition.callerLeg('c2')), ['estimated-wait {"minutes":5}']);
    const noEstimate = await waiting({ announce: { everySeconds: 20, estimatedWait: false } }, 20);
    assert.deepEqual(said(noEstimate.callerLeg('c2')), ['queue-position {"position":2}']);
  });

  it('repeats the announcement every everySeconds while the caller waits', async () => {
    const r = await waiting({}, 20);
    for (let i = 0; i < 2; i++) {
      r.clock.advance(20_000);
      await flush();
      await flush();
    }
    assert.equal(said(r.callerLeg('c1')).filter((s) => s.startsWith('queue-position')).length, 3);
  });
});
