import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { answeredCall, bridgeRig, MUSIC_ON_HOLD } from '../test-kit.js';
import { cancelConsult, completeTransfer, conferenceIn, consult } from './transfer.js';

/** 1001 (the customer) talks to 1002 (the agent), who consults 1003; 1003 answers unless told. */
async function consulting(answer: 'answer' | 'busy' = 'answer') {
  const rig = bridgeRig();
  const target = rig.phone('1003');
  const up = await answeredCall(rig);
  const customer = rig.legOf('1001');
  const agent = rig.legOf('1002');
  const pending = consult(rig.control, agent, '1003');
  await rig.net.settle();
  const incoming = target.lastIncoming();
  if (answer === 'answer') incoming.answer();
  else incoming.respond(486);
  await rig.net.settle();
  const c = await pending;
  return { ...up, rig, target, incoming, customer, agent, c };
}

describe('Consulting a third party through call control', () => {
  test('holds the customer with music and plays ring-back to the agent while the target rings', async () => {
    const rig = bridgeRig();
    const target = rig.phone('1003');
    await answeredCall(rig);
    const customer = rig.legOf('1001').endpoint.id;
    const agent = rig.legOf('1002').endpoint.id;
    void consult(rig.control, rig.legOf('1002'), '1003');
    await rig.net.settle();
    assert.equal(target.incoming.length, 1);
    assert.equal(rig.media.isMuted(customer), true);
    assert.deepEqual(rig.media.playing(customer)?.items, MUSIC_ON_HOLD);
    assert.deepEqual(rig.media.playing(agent)?.items, [{ tone: 'ringback' }]);
    assert.equal(rig.media.peerOf(agent), undefined);
  });

  test('connects the agent to the target once it answers, the customer still on hold', async () => {
    const { rig, c, customer, agent } = await consulting();
    assert.equal(c.answered, true);
    assert.equal(rig.media.peerOf(agent.endpoint.id), c.target.endpoint.id);
    assert.equal(rig.media.playing(agent.endpoint.id), undefined, 'the ring-back stopped');
    assert.equal(rig.media.playing(customer.endpoint.id)?.loop, true);
  });

  test('completeTransfer bridges the customer to the target and hangs up the agent', async () => {
    const { rig, c, customer, callerDialog, calleeDialog, incoming } = await consulting();
    assert.equal(await completeTransfer(rig.control, c), true);
    await rig.net.settle();
    assert.equal(rig.media.peerOf(customer.endpoint.id), c.target.endpoint.id);
    assert.equal(rig.media.isMuted(customer.endpoint.id), false);
    assert.equal(rig.media.playing(customer.endpoint.id), undefined);
    assert.deepEqual(
      calleeDialog.requests.map((r) => r.method),
      ['BYE'],
    );
    callerDialog.bye();
    await rig.net.settle();
    assert.deepEqual(
      incoming.dialog?.requests.map((r) => r.method),
      ['BYE'],
    );
    const cdr = rig.cdrs.only();
    assert.equal(cdr.callee, '1003');
    assert.equal(cdr.hangupBy, 'caller');
    assert.deepEqual(rig.media.open, []);
  });

  test('conferenceIn joins customer, agent and target to one mixer', async () => {
    const { rig, c, customer, agent, callerDialog, calleeDialog, incoming } = await consulting();
    const room = await conferenceIn(rig.control, c);
    await rig.net.settle();
    const mixers = rig.media.mixers();
    assert.deepEqual([...mixers.keys()], [room.mixer]);
    assert.deepEqual(
      [...mixers.get(room.mixer)!.entries()].sort(),
      [customer, agent, c.target].map((l) => [l.endpoint.id, { role: 'full' }]).sort(),
    );
    assert.equal(rig.media.isMuted(customer.endpoint.id), false, 'the customer is back');
    assert.equal(rig.media.playing(customer.endpoint.id), undefined);
    calleeDialog.bye();
    await rig.net.settle();
    assert.equal(rig.media.mixers().get(room.mixer)?.size, 2, 'the others talk on');
    assert.equal(rig.cdrs.records.length, 0);
    callerDialog.bye();
    incoming.dialog!.bye();
    await rig.net.settle();
    assert.equal(rig.media.mixers().size, 0, 'the mixer closed');
    assert.equal(rig.cdrs.records.length, 1);
  });

  test('cancelConsult hangs up the target and bridges the agent back to the customer', async () => {
    const { rig, c, customer, agent, incoming } = await consulting();
    await cancelConsult(rig.control, c);
    await rig.net.settle();
    assert.deepEqual(
      incoming.dialog?.requests.map((r) => r.method),
      ['BYE'],
    );
    assert.equal(rig.media.peerOf(customer.endpoint.id), agent.endpoint.id);
    assert.equal(rig.media.isMuted(customer.endpoint.id), false);
    assert.equal(rig.media.playing(customer.endpoint.id), undefined);
    assert.equal(rig.cdrs.records.length, 0, 'the call goes on');
  });

  test('reports a busy target as not answered; cancelConsult then brings the customer back', async () => {
    const { rig, c, customer, agent } = await consulting('busy');
    assert.equal(c.answered, false);
    assert.equal(c.target.ended?.status, 486);
    assert.equal(rig.media.playing(agent.endpoint.id), undefined, 'the ring-back stopped');
    assert.equal(await completeTransfer(rig.control, c), false);
    await cancelConsult(rig.control, c);
    await rig.net.settle();
    assert.equal(rig.media.peerOf(customer.endpoint.id), agent.endpoint.id);
    assert.equal(rig.cdrs.records.length, 0);
  });
});
