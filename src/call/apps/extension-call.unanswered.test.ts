import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { bridgeRig } from '../test-kit.js';

/** The caller dials and the callee rings. */
async function ringing(rig: ReturnType<typeof bridgeRig>) {
  const call = rig.caller.invite('1002');
  await rig.net.settle();
  const incoming = rig.callee.lastIncoming();
  incoming.ring();
  await rig.net.settle();
  return { call, incoming };
}

describe('An extension call ending before an answer', () => {
  test('turns a CANCEL from the caller into a CANCEL to the callee and a 487 to the caller', async () => {
    const rig = bridgeRig();
    const { call, incoming } = await ringing(rig);
    call.cancel();
    await rig.net.settle();
    assert.ok(incoming.cancelled, rig.net.trace());
    assert.equal(rig.net.last('pbx', '1002', 'CANCEL').callId, incoming.invite.callId);
    assert.equal(call.exchange.final?.status, 487);
    assert.deepEqual(
      rig.net.between('pbx', '1001').filter((l) => l !== '100 INVITE'),
      ['180 INVITE', '200 CANCEL', '487 INVITE'],
    );
    const cdr = rig.cdrs.only();
    assert.equal(cdr.disposition, 'cancelled');
    assert.equal(cdr.hangupBy, 'caller');
    assert.equal(cdr.sipCause, 487);
  });

  test('passes a 486 from the callee on to the caller and records the call as busy', async () => {
    const rig = bridgeRig();
    const { call, incoming } = await ringing(rig);
    incoming.respond(486);
    await rig.net.settle();
    assert.equal(call.exchange.final?.status, 486);
    assert.ok(rig.net.between('pbx', '1002').includes('ACK'), 'the 486 is ACKed hop by hop');
    const cdr = rig.cdrs.only();
    assert.equal(cdr.disposition, 'busy');
    assert.equal(cdr.sipCause, 486);
    assert.equal(cdr.answeredAt, undefined);
  });

  test('gives up after the no-answer timeout: CANCEL to the callee, 480 to the caller', async () => {
    const rig = bridgeRig({ ringTimeoutMs: 20_000 });
    const { call, incoming } = await ringing(rig);
    await rig.net.advance(19_900);
    assert.equal(call.exchange.final?.status, undefined, 'still ringing just before the timeout');
    await rig.net.advance(100);
    assert.ok(incoming.cancelled, rig.net.trace());
    assert.equal(call.exchange.final?.status, 480);
    const cdr = rig.cdrs.only();
    assert.equal(cdr.disposition, 'no-answer');
    assert.equal(cdr.hangupBy, 'system');
    assert.equal(cdr.endedAt - cdr.startedAt, 20_000);
  });

  test('answers 480 when the callee never responds at all (timer B)', async () => {
    const rig = bridgeRig({ ringTimeoutMs: 60_000 });
    rig.net.drop((w) => w.from === '1002');
    const call = rig.caller.invite('1002');
    await rig.net.settle();
    await rig.net.advance(31_900, 500);
    assert.equal(call.exchange.final?.status, undefined, 'Hotline waits for timer B (64*T1)');
    await rig.net.advance(100);
    assert.equal(call.exchange.final?.status, 480, rig.net.trace());
    assert.equal(rig.cdrs.only().disposition, 'no-answer');
  });

  test('ends a ringing call when the caller sends BYE in the early dialog (RFC 3261 §15.1.2)', async () => {
    const rig = bridgeRig();
    const { call, incoming } = await ringing(rig);
    const invite = call.exchange.request;
    const toTag = call.exchange.responses.find((r) => r.status === 180)?.to.params.tag ?? undefined;
    const bye = rig.caller.send(
      rig.caller.request('BYE', {
        to: '1002',
        callId: invite.callId,
        fromTag: invite.from.params.tag!,
        toTag,
        cseq: 2,
      }),
    );
    await rig.net.settle();
    assert.equal(bye.final?.status, 200);
    assert.equal(call.exchange.final?.status, 487, rig.net.trace());
    assert.ok(incoming.cancelled, 'the callee stops ringing');
    assert.equal(rig.cdrs.only().disposition, 'cancelled');
    assert.equal(rig.cdrs.only().hangupBy, 'caller');
  });

  test('closes both endpoints and releases the admission slot once, however the call ends', async () => {
    for (const end of ['cancel', 'busy', 'timeout'] as const) {
      const rig = bridgeRig({ ringTimeoutMs: 10_000 });
      const { call, incoming } = await ringing(rig);
      if (end === 'cancel') call.cancel();
      if (end === 'busy') incoming.respond(486);
      await rig.net.advance(end === 'timeout' ? 10_000 : 100);
      await rig.net.advance(40_000, 1000);
      assert.deepEqual(rig.media.open, [], end);
      assert.equal(rig.endedCalls, 1, end);
      assert.equal(rig.admission.activeCalls, 0, end);
      assert.equal(rig.pbx.ua.dialogCount, 0, end);
      assert.equal(rig.pbx.transactions.stats().total, 0, end);
    }
  });

  test('closes the endpoints of a call cancelled while they were being created', async () => {
    const rig = bridgeRig();
    let openMedia = () => {};
    rig.media.gate = new Promise((resolve) => (openMedia = resolve));
    const call = rig.caller.invite('1002');
    await rig.net.settle();
    await rig.net.advance(200); // Hotline's 100 Trying lets the caller CANCEL (§9.1)
    call.cancel();
    await rig.net.settle();
    assert.equal(call.exchange.final?.status, 487);
    openMedia();
    await rig.net.settle();
    assert.equal(rig.media.created.length, 1, 'the caller’s endpoint was created after all');
    assert.deepEqual(rig.media.open, [], 'and closed');
    assert.equal(rig.callee.incoming.length, 0, 'nobody is rung for a cancelled call');
    assert.equal(rig.endedCalls, 1);
    const cdr = rig.cdrs.only();
    assert.equal(cdr.disposition, 'cancelled');
    assert.equal(cdr.hangupBy, 'caller');
  });

  test('ends a call cancelled while its SDP was being applied, and rings nobody', async () => {
    const rig = bridgeRig();
    const release = rig.media.hold('setRemote');
    const call = rig.caller.invite('1002');
    await rig.net.settle();
    await rig.net.advance(200);
    call.cancel();
    await rig.net.settle();
    assert.equal(call.exchange.final?.status, 487, rig.net.trace());
    release();
    await rig.net.settle();
    assert.deepEqual(rig.media.open, []);
    assert.equal(rig.callee.incoming.length, 0);
    assert.equal(rig.cdrs.only().disposition, 'cancelled');
    assert.equal(rig.endedCalls, 1);
  });
});
