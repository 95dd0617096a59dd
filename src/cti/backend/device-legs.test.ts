/**
 * Desktop and supervisor requests reach an agent whose leg the ACD connected on another
 * device than a desk phone: a persistent connection (its leg in a call of its own, never hung
 * up by a request) and a mobile (its leg's party is the mobile number).
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { MUSIC_ON_HOLD } from '../../call/test-kit.js';
import { deviceRig, peerOf, type DeviceRig } from './device-rig.js';
import { agentCaller, clickToDial, ctiRig, req, settling, supervisorCaller } from './test-rig.js';
import type { AgentPort } from './types.js';

const desk = agentCaller('1001');

/** 1001 consults 1003, who answers. */
async function consulting(r: DeviceRig): Promise<string> {
  const { consultCallId } = await r.t.backend.consult(
    req('consult', { callId: r.call.id, target: { type: 'agent', agent: '1003' } }),
    desk,
  );
  await r.t.rig.until(() => r.t.supervisorPhone.incoming.length === 1, '1003 ringing');
  r.t.supervisorPhone.lastIncoming().answer();
  await r.t.rig.until(() => peerOf(r, r.agentLeg) === r.t.rig.legOf('1003').endpoint.id, 'agent with 1003');
  return consultCallId;
}

/** The supervisor at 1003 starts `pending` and answers its phone. */
async function supervisorJoins<T>(r: DeviceRig, pending: Promise<T>): Promise<T> {
  await r.t.rig.until(() => r.t.supervisorPhone.incoming.length === 1, 'the supervisor ringing');
  r.t.supervisorPhone.lastIncoming().answer();
  const result = await settling(r.t, pending);
  await r.t.rig.net.settle();
  return result;
}

describe('an agent on a persistent connection, from the desktop', () => {
  test('the call is the agent’s; hold plays music to the customer, retrieve brings the agent back', async () => {
    const r = await deviceRig('persistent');
    const callId = r.call.id;
    assert.deepEqual(await r.t.backend.callAgents(callId), ['1001']);
    const customer = r.customer.endpoint.id;
    await r.t.backend.hold(req('hold', { callId }), desk);
    assert.equal(r.t.rig.media.isMuted(customer), true);
    assert.deepEqual(r.t.rig.media.playing(customer)?.items, MUSIC_ON_HOLD);
    await r.t.backend.retrieve(req('retrieve', { callId }), desk);
    assert.equal(r.t.rig.media.isMuted(customer), false);
    assert.equal(r.t.rig.media.playing(customer), undefined);
    assert.equal(peerOf(r, r.customer), r.agentLeg.endpoint.id);
    assert.deepEqual(r.told, ['1001 held true', '1001 held false']);
    assert.deepEqual(r.t.eventsOf('1001'), ['callHeld', 'callRetrieved']);
  });

  test('hangup releases the customer and keeps the connection; the ACD hears it was the agent', async () => {
    const r = await deviceRig('persistent');
    await r.t.backend.hangup(req('hangup', { callId: r.call.id }), desk);
    await r.t.rig.until(() => r.customer.isEnded, 'the customer released');
    assert.equal(r.agentLeg.isEnded, false, 'the connection stays up');
    assert.deepEqual(r.told, ['queue call released by agent (1001)', 'connection left the call']);
  });

  test('a blind transfer hands the customer to 1003 and leaves the connection up, idle', async () => {
    const r = await deviceRig('persistent');
    await r.t.backend.transfer(
      req('transfer', { callId: r.call.id, mode: 'blind', target: { type: 'agent', agent: '1003' } }),
      desk,
    );
    await r.t.rig.until(() => r.t.supervisorPhone.incoming.length === 1, '1003 ringing');
    r.t.supervisorPhone.lastIncoming().answer();
    await r.t.rig.until(
      () => peerOf(r, r.customer) === r.t.rig.legOf('1003').endpoint.id,
      'customer with 1003',
    );
    assert.equal(r.agentLeg.isEnded, false);
    assert.equal(peerOf(r, r.agentLeg), undefined, 'the connection is out of the call');
    assert.deepEqual(r.told, ['queue call to 1003 by agent (1001)', 'connection left the call']);
  });

  test('after a cancelled consultation the connection still outlives the customer', async () => {
    const r = await deviceRig('persistent');
    const consultCallId = await consulting(r);
    await r.t.backend.hangup(req('hangup', { callId: consultCallId }), desk);
    await r.t.rig.until(() => peerOf(r, r.customer) === r.agentLeg.endpoint.id, 'back with the customer');
    r.customer.hangup(200);
    await r.t.rig.net.settle();
    assert.equal(r.agentLeg.isEnded, false, 'the consultation did not lift the connection’s protection');
  });

  test('completing a transfer after a consultation connects the customer and 1003 and keeps the connection', async () => {
    const r = await deviceRig('persistent');
    const consultCallId = await consulting(r);
    await r.t.backend.transfer(req('transfer', { callId: r.call.id, mode: 'complete', consultCallId }), desk);
    await r.t.rig.net.settle();
    assert.equal(peerOf(r, r.customer), r.t.rig.legOf('1003').endpoint.id);
    assert.equal(r.agentLeg.isEnded, false);
    assert.deepEqual(r.told, ['queue call to 1003 by agent (1001)', 'connection left the call']);
  });

  test('in a conference the connection leaves on the desktop’s hangup and the others go on', async () => {
    const r = await deviceRig('persistent');
    const consultCallId = await consulting(r);
    await r.t.backend.conference(req('conference', { callId: r.call.id, consultCallId }), desk);
    await r.t.backend.hangup(req('hangup', { callId: r.call.id }), desk);
    await r.t.rig.net.settle();
    const room = [...r.t.rig.media.mixers().values()][0]!;
    assert.deepEqual(
      [r.customer, r.t.rig.legOf('1003'), r.agentLeg].map((l) => room.has(l.endpoint.id)),
      [true, true, false],
    );
    assert.equal(r.agentLeg.isEnded, false);
    assert.equal(r.customer.isEnded, false);
  });

  test('in a conference the customer leaving ends the agent’s part: 1003 alone is released', async () => {
    const r = await deviceRig('persistent');
    const consultCallId = await consulting(r);
    await r.t.backend.conference(req('conference', { callId: r.call.id, consultCallId }), desk);
    r.customer.hangup(200);
    await r.t.rig.until(() => r.t.rig.legsOf('1003').length === 0, '1003 released');
    assert.equal(r.agentLeg.isEnded, false);
    assert.equal(r.t.rig.media.mixers().size, 0);
  });
});

describe('a supervisor on a persistent agent’s call', () => {
  test('monitor mixes the connection in; the customer leaving releases the supervisor, not the connection', async () => {
    const r = await deviceRig('persistent');
    await supervisorJoins(
      r,
      r.t.backend.monitor(req('monitor', { callId: r.call.id }), supervisorCaller('1003')),
    );
    const room = [...r.t.rig.media.mixers().values()][0]!;
    assert.deepEqual(room.get(r.agentLeg.endpoint.id), { role: 'full' });
    assert.deepEqual(room.get(r.t.rig.legOf('1003').endpoint.id), { role: 'listen' });
    r.customer.hangup(200);
    await r.t.rig.until(() => r.t.rig.legsOf('1003').length === 0, 'the supervisor released');
    assert.equal(r.agentLeg.isEnded, false);
  });

  test('intercept hands the call to the supervisor (TRANSFER) and keeps the connection', async () => {
    const r = await deviceRig('persistent');
    await supervisorJoins(
      r,
      r.t.backend.intercept(req('intercept', { callId: r.call.id }), supervisorCaller('1003')),
    );
    assert.equal(peerOf(r, r.customer), r.t.rig.legOf('1003').endpoint.id);
    assert.equal(r.agentLeg.isEnded, false);
    assert.deepEqual(r.told, ['queue call to 1003 by supervisor (1001)', 'connection left the call']);
  });

  test('forceRelease ends the call for the customer, keeps the connection, and says it was the supervisor', async () => {
    const r = await deviceRig('persistent');
    await r.t.backend.forceRelease(req('forceRelease', { callId: r.call.id }), supervisorCaller('1003'));
    await r.t.rig.until(() => r.customer.isEnded, 'the customer released');
    assert.equal(r.agentLeg.isEnded, false);
    assert.deepEqual(r.told, ['queue call released by supervisor (1001)', 'connection left the call']);
  });
});

describe('an agent on its mobile', () => {
  test('the call is the agent’s though the leg’s party is the mobile; hold and hangup reach it', async () => {
    const r = await deviceRig('mobile');
    const callId = r.call.id;
    assert.deepEqual(await r.t.backend.callAgents(callId), ['1001']);
    await r.t.backend.hold(req('hold', { callId }), desk);
    assert.equal(r.t.rig.media.isMuted(r.customer.endpoint.id), true);
    await r.t.backend.retrieve(req('retrieve', { callId }), desk);
    assert.equal(r.t.rig.media.isMuted(r.customer.endpoint.id), false);
    await r.t.backend.hangup(req('hangup', { callId }), desk);
    await r.t.rig.until(() => r.agentLeg.isEnded && r.customer.isEnded, 'the call ended');
    assert.deepEqual(r.told, ['1001 held true', '1001 held false', 'queue call released by agent (1001)']);
  });
});

describe('call events of the legs the ACD reports itself', () => {
  /** 1001 calls 1002 (click-to-dial); the ACD claims 1002's leg as offered (`connected`: and connected). */
  async function claimed(connected: boolean) {
    let leg: unknown;
    const agents = {
      agentLeg: (_callId: string, agent: string) => (agent === '1002' ? leg : undefined),
      reportsLeg: (l: unknown) => connected && l === leg,
    } as unknown as AgentPort;
    const t = ctiRig({ agents });
    t.rig.control.onLegAttached((_call, l) => {
      if (l.party.number === '1002') leg = l;
    });
    const callId = await clickToDial(t);
    t.rig.callee.lastIncoming().dialog!.bye();
    await t.rig.until(() => t.rig.control.get(callId) === undefined, 'the call to end');
    return t;
  }

  test('a leg the ACD connected gets neither callAnswered nor callEnded from its leg: the ACD sends its own', async () => {
    const t = await claimed(true);
    assert.deepEqual(t.eventsOf('1002'), []);
    assert.deepEqual(t.eventsOf('1001'), ['callAnswered', 'callEnded'], 'the other agent’s still come');
  });

  test('a leg the ACD offered but never connected still gets its callEnded', async () => {
    const t = await claimed(false);
    assert.deepEqual(t.eventsOf('1002'), ['callEnded']);
  });
});
