import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { acdRig, flush, said } from './test-rig.js';

const CALLER = '13800000001';
const events = (rows: readonly { event: string }[]) => rows.map((r) => r.event);

/** A caller waiting in `q` (nobody ready) who pressed the callback key 5. */
async function calledBackLater(queue: Record<string, unknown> = {}) {
  const r = acdRig({ callback: { key: '5', attempts: 2, retrySeconds: 60 }, ...queue });
  r.service.login('1002', undefined, { ready: false });
  await r.enter('c1', CALLER);
  r.callerLeg('c1').emit('dtmf', '5');
  await flush();
  await flush();
  return r;
}

describe('AcdService: queue callback', () => {
  it('confirms the number, lets the caller go, and keeps the place without an ABANDON', async () => {
    const r = await calledBackLater();
    const caller = r.callerLeg('c1');
    assert.deepEqual(said(caller).at(-1), `callback-confirm {"keys":"${CALLER}"}`);
    assert.equal(caller.isEnded, true, 'hung up after the confirmation');
    assert.equal(r.service.queueStats(['q'])[0]?.waiting, 1);
    assert.deepEqual(events(r.rows), ['AGENTLOGIN', 'ADDMEMBER', 'ENTERQUEUE']);
  });

  it('rings the agent first, then dials the caller, and connects them when the caller answers', async () => {
    const r = await calledBackLater();
    r.service.ready('1002');
    await r.answer('1002');
    assert.equal(r.status('1002')?.activity, 'onCall', 'the agent hears ring-back meanwhile');
    const back = r.agentLeg(CALLER);
    assert.ok(back, 'the caller is dialled once the agent answered');
    back.answer();
    await flush();
    await flush();
    assert.deepEqual(events(r.rows).slice(-2), ['UNPAUSE', 'CONNECT']);
    assert.ok(r.events.some((e) => e.event === 'callAnswered' && e.agent === '1002'));
    back.hangup(200, 'remote');
    await flush();
    assert.equal(events(r.rows).at(-1), 'COMPLETECALLER');
    assert.equal(r.service.queueStats(['q'])[0]?.waiting, 0);
  });

  it('tries again after retrySeconds when the caller does not answer, then gives up with ABANDON', async () => {
    const r = await calledBackLater({ wrapUpSeconds: 0 });
    r.service.ready('1002');
    await r.answer('1002');
    r.agentLeg(CALLER).hangup(486, 'remote'); // busy
    await flush();
    assert.equal(r.agentLeg('1002').isEnded, true, 'the agent is released');
    assert.ok(r.events.some((e) => e.event === 'callEnded' && e.cause === 'callbackFailed'));
    assert.equal(r.status('1002')?.activity, 'idle');
    assert.ok(!events(r.rows).includes('ABANDON'), 'one more try to come');

    r.clock.advance(60_000);
    await flush();
    await r.answer('1002'); // offered again: the second and last try
    r.agentLeg(CALLER).hangup(480, 'remote');
    await flush();
    assert.equal(events(r.rows).at(-1), 'ABANDON');
    r.clock.advance(600_000);
    await flush();
    assert.equal(r.service.queueStats(['q'])[0]?.waiting, 0, 'given up');
  });

  it('ignores the key for a caller with no number to call back', async () => {
    const r = acdRig({ callback: { key: '5' } });
    r.service.login('1002', undefined, { ready: false });
    await r.enter('c1', 'anonymous');
    r.callerLeg('c1').emit('dtmf', '5');
    await flush();
    assert.equal(r.callerLeg('c1').isEnded, false, 'still waiting on the line');
    assert.ok(!said(r.callerLeg('c1')).some((s) => s.startsWith('callback-confirm')));
  });
});
