import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { holdChange, type HoldSource } from './agent-hold.js';
import { acdRig, flush } from './test-rig.js';

describe('holdChange', () => {
  const none: ReadonlySet<HoldSource> = new Set();

  it('holds the agent when the first holder appears and retrieves when the last goes', () => {
    const phone = holdChange(none, 'phone', true);
    assert.equal(phone.event, 'hold');
    const both = holdChange(phone.held, 'desktop', true);
    assert.equal(both.event, undefined, 'already held');
    const desktopOnly = holdChange(both.held, 'phone', false);
    assert.equal(desktopOnly.event, undefined, 'the desktop still holds');
    const back = holdChange(desktopOnly.held, 'desktop', false);
    assert.equal(back.event, 'retrieve');
    assert.equal(back.held.size, 0);
  });

  it('ignores a retrieve of a caller nobody holds and a second hold by the same holder', () => {
    assert.equal(holdChange(none, 'desktop', false).event, undefined);
    const held = holdChange(none, 'phone', true).held;
    assert.equal(holdChange(held, 'phone', true).event, undefined);
  });
});

describe('AcdService: an agent holding its queue call', () => {
  async function onCall() {
    const r = acdRig({});
    r.service.login('1002', undefined, { ready: true });
    await r.enter('c1');
    await r.answer('1002');
    assert.equal(r.status('1002')?.activity, 'onCall');
    return r;
  }
  const activities = (r: Awaited<ReturnType<typeof onCall>>) =>
    r.events.flatMap((e) => (e.event === 'agentStateChanged' ? [e.status.activity] : []));

  it("shows the agent held while its phone holds the caller, and on the call again after the phone's retrieve", async () => {
    const r = await onCall();
    r.agentLeg('1002').emit('hold', true);
    assert.equal(r.status('1002')?.activity, 'held');
    assert.equal(r.status('1002')?.callId, 'c1');
    r.agentLeg('1002').emit('hold', false);
    assert.equal(r.status('1002')?.activity, 'onCall');
    assert.deepEqual(activities(r).slice(-2), ['held', 'onCall'], 'agentStateChanged for each');
  });

  it('follows the desktop hold (CTI) too, and stays held until both phone and desktop retrieved', async () => {
    const r = await onCall();
    assert.equal(r.service.agentHeld('c1', '1002', true), true);
    assert.equal(r.status('1002')?.activity, 'held');
    r.agentLeg('1002').emit('hold', true);
    assert.equal(r.service.agentHeld('c1', '1002', false), true);
    assert.equal(r.status('1002')?.activity, 'held', 'the phone still holds');
    r.agentLeg('1002').emit('hold', false);
    assert.equal(r.status('1002')?.activity, 'onCall');
  });

  it("ignores a hold of a call that is not the agent's queue call", async () => {
    const r = await onCall();
    assert.equal(r.service.agentHeld('other', '1002', true), false);
    assert.equal(r.service.agentHeld('c1', '1003', true), false);
    assert.equal(r.status('1002')?.activity, 'onCall');
  });

  it('ends a held call in wrap-up like any other, and stops following the phone', async () => {
    const r = await onCall();
    r.agentLeg('1002').emit('hold', true);
    r.callerLeg('c1').hangup(200, 'remote');
    await flush();
    assert.equal(r.status('1002')?.activity, 'idle', 'no wrap-up time in this queue');
    assert.equal(r.agentLeg('1002').listenerCount('hold'), 0);
    assert.equal(r.service.agentHeld('c1', '1002', false), false);
  });
});
