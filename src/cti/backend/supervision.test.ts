import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { isCtiError } from '../errors.js';
import {
  agentCaller,
  clickToDial,
  ctiRig,
  req,
  settling,
  supervisorCaller,
  type CtiRig,
} from './test-rig.js';

/** 1001 talks to 1002 (click-to-dial); the supervisor at 1003 joins in `type`, answering at once. */
async function supervised(type: 'monitor' | 'whisper' | 'barge') {
  const t = ctiRig();
  const callId = await clickToDial(t);
  const pending =
    type === 'monitor'
      ? t.backend.monitor(req('monitor', { callId }), supervisorCaller('1003'))
      : type === 'whisper'
        ? t.backend.whisper(req('whisper', { callId }), supervisorCaller('1003'))
        : t.backend.barge(req('barge', { callId }), supervisorCaller('1003'));
  await t.rig.until(() => t.supervisorPhone.incoming.length === 1, 'the supervisor ringing');
  t.supervisorPhone.lastIncoming().answer();
  await settling(t, pending);
  await t.rig.net.settle();
  return { t, callId };
}

function roles(t: CtiRig): Map<string, unknown> {
  const mixers = [...t.rig.media.mixers().values()];
  assert.equal(mixers.length, 1, 'one mixer');
  const members = mixers[0]!;
  const byParty = new Map<string, unknown>();
  for (const number of ['1001', '1002', '1003']) {
    const leg = t.rig.legsOf(number)[0];
    if (leg) byParty.set(number, members.get(leg.endpoint.id));
  }
  return byParty;
}

describe('Supervisor operations on a live call', () => {
  test('monitor mixes both parties and adds the supervisor as a listener', async () => {
    const { t, callId } = await supervised('monitor');
    assert.deepEqual(
      roles(t),
      new Map([
        ['1001', { role: 'full' }],
        ['1002', { role: 'full' }],
        ['1003', { role: 'listen' }],
      ]),
    );
    assert.deepEqual(
      await t.backend.callAgents(callId),
      ['1001', '1002'],
      'the supervisor is not an agent on it',
    );
  });

  test('whisper is heard by the agent only', async () => {
    const { t } = await supervised('whisper');
    const agentEndpoint = t.rig.legOf('1001').endpoint.id;
    assert.deepEqual(roles(t).get('1003'), { role: 'whisper', whisperTo: agentEndpoint });
  });

  test('barge after monitor changes the role without ringing the supervisor again', async () => {
    const { t, callId } = await supervised('monitor');
    await t.backend.barge(req('barge', { callId }), supervisorCaller('1003'));
    assert.equal(t.supervisorPhone.incoming.length, 1);
    assert.deepEqual(roles(t).get('1003'), { role: 'full' });
  });

  test('when the supervisor hangs up, the two parties are bridged again', async () => {
    const { t } = await supervised('monitor');
    t.supervisorPhone.lastIncoming().dialog!.bye();
    await t.rig.until(
      () => t.rig.media.peerOf(t.rig.legOf('1001').endpoint.id) === t.rig.legOf('1002').endpoint.id,
      'the bridge again',
    );
    assert.equal(t.rig.media.mixers().size, 0);
  });

  test('when a party hangs up during monitoring, everyone is released', async () => {
    const { t, callId } = await supervised('monitor');
    t.rig.callee.lastIncoming().dialog!.bye();
    await t.rig.until(() => t.rig.control.get(callId) === undefined, 'the call to end');
    assert.equal([...t.rig.control.legs()].length, 0);
    assert.equal(t.rig.cdrs.only().hangupBy, 'callee');
  });

  test('forceRelease hangs the call up and tells the agents it was a supervisor', async () => {
    const t = ctiRig();
    const callId = await clickToDial(t);
    await t.backend.forceRelease(req('forceRelease', { callId }), supervisorCaller('1003'));
    await t.rig.until(() => t.rig.control.get(callId) === undefined, 'the call to end');
    const ended = t.events.map((e) => e.event).filter((e) => e.event === 'callEnded');
    assert.deepEqual(
      ended.map((e) => e.event === 'callEnded' && [e.agent, e.by, e.cause]),
      [
        ['1001', 'supervisor', 'forceReleased'],
        ['1002', 'supervisor', 'forceReleased'],
      ],
    );
  });

  test('intercept connects the supervisor to the other party and releases the agent', async () => {
    const t = ctiRig();
    const callId = await clickToDial(t);
    const pending = t.backend.intercept(req('intercept', { callId }), supervisorCaller('1003'));
    await t.rig.until(() => t.supervisorPhone.incoming.length === 1);
    t.supervisorPhone.lastIncoming().answer();
    await settling(t, pending);
    await t.rig.net.settle();
    assert.equal(t.rig.legsOf('1001').length, 0, 'the agent is released');
    assert.equal(t.rig.media.peerOf(t.rig.legOf('1002').endpoint.id), t.rig.legOf('1003').endpoint.id);
  });

  test('a second supervisor on the same call is refused with CONFLICT', async () => {
    const { t, callId } = await supervised('monitor');
    await assert.rejects(
      t.backend.monitor(req('monitor', { callId }), supervisorCaller('1002')),
      (err: unknown) => isCtiError(err, 'CONFLICT'),
    );
  });
});

describe('Consult, transfer and conference from the desktop', () => {
  /** 1001 talks to 1002 and consults 1003, who answers. */
  async function consulting() {
    const t = ctiRig();
    const callId = await clickToDial(t);
    const { consultCallId } = await t.backend.consult(
      req('consult', { callId, target: { type: 'agent', agent: '1003' } }),
      agentCaller('1001'),
    );
    await t.rig.until(() => t.supervisorPhone.incoming.length === 1, '1003 ringing');
    t.supervisorPhone.lastIncoming().answer();
    await t.rig.until(
      () => t.rig.media.peerOf(t.rig.legOf('1001').endpoint.id) === t.rig.legOf('1003').endpoint.id,
    );
    return { t, callId, consultCallId };
  }

  test('consult holds the other party and connects the agent to the consulted one', async () => {
    const { t, consultCallId, callId } = await consulting();
    assert.notEqual(consultCallId, callId);
    assert.equal(t.rig.media.isMuted(t.rig.legOf('1002').endpoint.id), true);
    assert.deepEqual(await t.backend.callAgents(consultCallId), ['1001']);
  });

  test('complete transfer bridges the held party with the consulted one and releases the agent', async () => {
    const { t, callId, consultCallId } = await consulting();
    await t.backend.transfer(
      req('transfer', { callId, mode: 'complete', consultCallId }),
      agentCaller('1001'),
    );
    await t.rig.net.settle();
    assert.equal(t.rig.legsOf('1001').length, 0);
    assert.equal(t.rig.media.peerOf(t.rig.legOf('1002').endpoint.id), t.rig.legOf('1003').endpoint.id);
    assert.equal(t.rig.legOf('1003').callId, callId, 'the consulted leg joined the call');
    // The emptied consult call ends without closing the media of the leg it gave away.
    assert.equal(t.rig.media.closed.has(t.rig.legOf('1003').endpoint.id), false);
    assert.ok(t.eventsOf('1001').includes('callTransferred'));
  });

  test('hanging up the consult call goes back to the held party', async () => {
    const { t, consultCallId } = await consulting();
    await t.backend.hangup(req('hangup', { callId: consultCallId }), agentCaller('1001'));
    await t.rig.net.settle();
    assert.equal(t.rig.legsOf('1003').length, 0);
    assert.equal(t.rig.media.peerOf(t.rig.legOf('1001').endpoint.id), t.rig.legOf('1002').endpoint.id);
    assert.equal(t.rig.media.isMuted(t.rig.legOf('1002').endpoint.id), false);
  });

  test('conference puts the three in one mixer', async () => {
    const { t, callId, consultCallId } = await consulting();
    await t.backend.conference(req('conference', { callId, consultCallId }), agentCaller('1001'));
    assert.deepEqual(
      roles(t),
      new Map([
        ['1001', { role: 'full' }],
        ['1002', { role: 'full' }],
        ['1003', { role: 'full' }],
      ]),
    );
  });

  test('blind transfer releases the agent and connects the other party to the target', async () => {
    const t = ctiRig();
    const callId = await clickToDial(t);
    await t.backend.transfer(
      req('transfer', { callId, mode: 'blind', target: { type: 'agent', agent: '1003' } }),
      agentCaller('1001'),
    );
    await t.rig.until(() => t.supervisorPhone.incoming.length === 1, '1003 ringing');
    assert.equal(t.rig.legsOf('1001').length, 0, 'the agent is released at once');
    t.supervisorPhone.lastIncoming().answer();
    await t.rig.until(
      () => t.rig.media.peerOf(t.rig.legOf('1002').endpoint.id) === t.rig.legOf('1003').endpoint.id,
    );
  });
});
