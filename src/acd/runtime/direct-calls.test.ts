import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { acdRig, flush } from './test-rig.js';

describe('AcdService: calls the ACD did not give', () => {
  it('shows an agent on a call of its own as outbound, offers it nothing, and frees it when the call ends', async () => {
    const r = acdRig({ wrapUpSeconds: 30 });
    r.service.login('1002', undefined, { ready: true });
    const direct = r.directCall('1002');
    assert.equal(r.status('1002')?.activity, 'outbound');
    await r.enter('c1');
    assert.equal(r.service.queueStats(['q'])[0]?.waiting, 1, 'the busy agent is not rung');
    direct.hangup(200, 'remote');
    await flush();
    await flush();
    assert.equal(r.status('1002')?.activity, 'ringing', 'no wrap-up after a call of its own: rung at once');
  });

  it('does not count the ACD’s own calls, nor agents who are not logged in', async () => {
    const r = acdRig({ wrapUpSeconds: 0 });
    r.service.login('1002', undefined, { ready: true });
    await r.enter('c1');
    await r.answer('1002');
    assert.equal(r.status('1002')?.activity, 'onCall', 'a queue call is not an outbound call');
    r.directCall('1003'); // 1003 is not logged in
    assert.deepEqual(r.service.agentStatus(['1003']), []);
  });

  it('counts overlapping calls: the agent is free after the last one', async () => {
    const r = acdRig({});
    r.service.login('1002', undefined, { ready: false });
    const a = r.directCall('1002', 'd1');
    const b = r.directCall('1002', 'd2');
    a.hangup();
    assert.equal(r.status('1002')?.activity, 'outbound');
    b.hangup();
    assert.equal(r.status('1002')?.activity, 'idle');
    assert.equal(r.status('1002')?.presence, 'notReady', 'presence is untouched');
  });
});
