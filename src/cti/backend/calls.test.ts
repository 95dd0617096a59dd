import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { MUSIC_ON_HOLD } from '../../call/test-kit.js';
import { isCtiError } from '../errors.js';
import { agentCaller, clickToDial, ctiRig, req } from './test-rig.js';

describe('CTI call operations on real call control', () => {
  test('makeCall rings the agent first, then the number, and bridges the two', async () => {
    const t = ctiRig();
    const { rig, backend } = t;
    const { callId } = await backend.makeCall(req('makeCall', { number: '1002' }), agentCaller('1001'));
    await rig.net.settle();
    assert.equal(rig.caller.incoming.length, 1, "the agent's phone rings");
    assert.equal(rig.callee.incoming.length, 0, 'the number waits for the agent');
    rig.caller.lastIncoming().answer();
    await rig.until(() => rig.callee.incoming.length === 1, '1002 ringing');
    rig.callee.lastIncoming().answer();
    await rig.until(() => rig.media.peerOf(rig.legOf('1001').endpoint.id) === rig.legOf('1002').endpoint.id);
    assert.deepEqual(await backend.callAgents(callId), ['1001', '1002']);
    assert.deepEqual(t.eventsOf('1001'), ['callAnswered']);
    await backend.hangup(req('hangup', { callId }), agentCaller('1001'));
    await rig.until(() => rig.cdrs.records.length === 1, 'the CDR');
    const cdr = rig.cdrs.only();
    assert.equal(cdr.caller, '1001');
    assert.equal(cdr.callee, '1002');
    assert.equal(cdr.disposition, 'answered');
    assert.equal(cdr.data?.['clickToDial'], '1001');
  });

  test('makeCall refuses an agent whose phone is not registered', async () => {
    const t = ctiRig();
    await assert.rejects(
      t.backend.makeCall(req('makeCall', { number: '1001' }), agentCaller('1003x')),
      (err: unknown) => isCtiError(err, 'INVALID_STATE') && /no registered device/.test(err.message),
    );
  });

  test('makeCall hangs up the agent when the number is busy, and the CDR says busy', async () => {
    const t = ctiRig();
    const { rig, backend } = t;
    await backend.makeCall(req('makeCall', { number: '1002' }), agentCaller('1001'));
    await rig.until(() => rig.caller.incoming.length === 1);
    rig.caller.lastIncoming().answer();
    await rig.until(() => rig.callee.incoming.length === 1);
    rig.callee.lastIncoming().respond(486);
    await rig.until(() => rig.cdrs.records.length === 1, 'the CDR');
    assert.equal(rig.cdrs.only().disposition, 'busy');
    const ended = t.events.find((e) => e.event.event === 'callEnded')?.event;
    assert.equal(ended?.event === 'callEnded' && ended.cause, 'busy');
  });

  test('hold puts the other party on music and silence; retrieve brings it back; events follow', async () => {
    const t = ctiRig();
    const callId = await clickToDial(t);
    const other = t.rig.legOf('1002').endpoint.id;
    await t.backend.hold(req('hold', { callId }), agentCaller('1001'));
    assert.equal(t.rig.media.isMuted(other), true);
    assert.deepEqual(t.rig.media.playing(other)?.items, MUSIC_ON_HOLD);
    await assert.rejects(t.backend.hold(req('hold', { callId }), agentCaller('1001')), (err: unknown) =>
      isCtiError(err, 'INVALID_STATE'),
    );
    await t.backend.retrieve(req('retrieve', { callId }), agentCaller('1001'));
    assert.equal(t.rig.media.isMuted(other), false);
    assert.equal(t.rig.media.playing(other), undefined);
    assert.deepEqual(t.eventsOf('1001'), ['callAnswered', 'callHeld', 'callRetrieved']);
  });

  test('hangup releases the agent and ends the call with callEnded by the agent', async () => {
    const t = ctiRig();
    const callId = await clickToDial(t);
    t.rig.net.clock.advance(5_000);
    await t.backend.hangup(req('hangup', { callId }), agentCaller('1002'));
    await t.rig.until(() => t.rig.control.get(callId) === undefined, 'the call to end');
    const ends = t.events.filter((e) => e.event.event === 'callEnded').map((e) => e.event);
    const byAgent = ends.find((e) => e.event === 'callEnded' && e.agent === '1002');
    assert.ok(byAgent?.event === 'callEnded');
    assert.equal(byAgent.by, 'agent');
    assert.equal(byAgent.talkMs, 5_000);
    assert.equal(await t.backend.callAgents(callId), undefined, 'an ended call is no longer found');
  });

  test('setAssociatedData merges into the call and answers with the data now', async () => {
    const t = ctiRig();
    const callId = await clickToDial(t);
    const result = await t.backend.setAssociatedData(
      req('setAssociatedData', { callId, data: { orderId: 'A-42', clickToDial: null } }),
      agentCaller('1001'),
    );
    assert.equal(result.data['orderId'], 'A-42');
    assert.equal('clickToDial' in result.data, false);
    assert.equal(t.rig.control.get(callId)?.data['orderId'], 'A-42');
  });

  test('sendDtmf sends the digits to the other party', async () => {
    const t = ctiRig();
    const callId = await clickToDial(t);
    await t.backend.sendDtmf(req('sendDtmf', { callId, digits: '12#' }), agentCaller('1001'));
    const sent = t.rig.media.ops('sendDtmf').at(-1);
    assert.equal(sent?.id, t.rig.legOf('1002').endpoint.id);
    assert.equal(sent?.digits, '12#');
  });

  test('answer is refused with a reason: SIP phones are answered at the phone', async () => {
    const t = ctiRig();
    const { rig, backend } = t;
    const { callId } = await backend.makeCall(req('makeCall', { number: '1002' }), agentCaller('1001'));
    await rig.net.settle();
    await assert.rejects(
      backend.answer(req('answer', { callId }), agentCaller('1001')),
      (err: unknown) => isCtiError(err, 'INVALID_STATE') && /answer on the phone/.test(err.message),
    );
  });

  test('agent-state requests fail with UNAVAILABLE when no ACD is connected', async () => {
    const t = ctiRig();
    await assert.rejects(
      t.backend.ready(req('ready', {}), agentCaller('1001')),
      (err: unknown) => isCtiError(err, 'UNAVAILABLE') && /no ACD/.test(err.message),
    );
    assert.deepEqual(await t.backend.queueStats(['sales']), []);
  });

  test('agent-state requests reach the ACD port when there is one', async () => {
    const seen: string[] = [];
    const t = ctiRig({
      agents: {
        login: () => Promise.reject(new Error('unused')),
        logout: () => Promise.reject(new Error('unused')),
        ready: (_r, c) => {
          seen.push(`ready ${c.agent ?? ''}`);
          return Promise.resolve({
            agent: c.agent ?? '',
            presence: 'ready',
            activity: 'idle',
            queues: [],
            since: 1,
          });
        },
        notReady: () => Promise.reject(new Error('unused')),
        wrapUpDone: () => Promise.reject(new Error('unused')),
        stats: () => Promise.reject(new Error('unused')),
        setCallPriority: () => Promise.reject(new Error('unused')),
        moveCall: () => Promise.reject(new Error('unused')),
        pickup: () => Promise.reject(new Error('unused')),
        forceLogout: () => Promise.reject(new Error('unused')),
        forceReady: () => Promise.reject(new Error('unused')),
        forceNotReady: () => Promise.reject(new Error('unused')),
        queueStats: () => Promise.resolve([]),
        agentStatus: () => Promise.resolve([]),
      },
    });
    const status = await t.backend.ready(req('ready', {}), agentCaller('1001'));
    assert.equal(status.presence, 'ready');
    assert.deepEqual(seen, ['ready 1001']);
  });

  test('transferToQueue is UNAVAILABLE without an ACD, and the call stays as it was', async () => {
    const t = ctiRig();
    const callId = await clickToDial(t);
    await assert.rejects(
      t.backend.transferToQueue(req('transferToQueue', { callId, queue: 'sales' }), agentCaller('1001')),
      (err: unknown) => isCtiError(err, 'UNAVAILABLE'),
    );
    assert.equal(t.rig.media.peerOf(t.rig.legOf('1001').endpoint.id), t.rig.legOf('1002').endpoint.id);
  });
});
