import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { answeredCall, audio, bridgeRig, MEDIA_ADDRESS } from '../test-kit.js';

/** 1001 talks to 1002; 1003 will take 1002's place with an INVITE carrying Replaces. */
async function replacing(value?: (callId: string, hotlineTag: string, phoneTag: string) => string) {
  const rig = bridgeRig();
  const newcomer = rig.phone('1003');
  const up = await answeredCall(rig);
  const d = up.calleeDialog;
  // RFC 3891 §3: to-tag is the recipient's (Hotline's) tag, from-tag the other side's.
  const replaces = value
    ? value(d.callId, d.remoteTag, d.localTag)
    : `${d.callId};to-tag=${d.remoteTag};from-tag=${d.localTag}`;
  const call = newcomer.invite('1002', { headers: [{ name: 'Replaces', value: replaces }] });
  await rig.net.settle();
  return { ...up, rig, newcomer, call };
}

describe('An INVITE with Replaces (RFC 3891)', () => {
  test('answers the newcomer, bridges it to the replaced leg’s partner and hangs up the replaced leg', async () => {
    const { rig, call, callerDialog, calleeDialog } = await replacing();
    assert.equal(call.exchange.final?.status, 200, rig.net.trace());
    assert.equal(audio(call.exchange.final!).address, MEDIA_ADDRESS.advertisedAddress);
    assert.deepEqual(
      calleeDialog.requests.map((r) => r.method),
      ['BYE'],
    );
    const caller = rig.legOf('1001');
    const newcomer = rig.legOf('1003');
    assert.equal(rig.media.peerOf(caller.endpoint.id), newcomer.endpoint.id);
    assert.equal(newcomer.callId, caller.callId, 'the newcomer joins the call');
    assert.deepEqual(callerDialog.requests, [], 'the caller’s phone sees nothing');
  });

  test('writes one CDR for the call and gives back both admission slots when it ends', async () => {
    const { rig, call, callerDialog } = await replacing();
    assert.equal(rig.cdrs.records.length, 0);
    callerDialog.bye();
    await rig.net.settle();
    assert.deepEqual(
      call.dialog?.requests.map((r) => r.method),
      ['BYE'],
    );
    const cdr = rig.cdrs.only();
    assert.equal(cdr.callee, '1003');
    assert.equal(cdr.hangupBy, 'caller');
    assert.equal(rig.admission.activeCalls, 0);
    assert.deepEqual(rig.media.open, []);
  });

  test('answers 481 when no dialog matches, and leaves the call alone', async () => {
    const { rig, call, calleeDialog } = await replacing((callId) => `${callId};to-tag=nope;from-tag=none`);
    assert.equal(call.exchange.final?.status, 481);
    assert.deepEqual(calleeDialog.requests, []);
    assert.equal(rig.admission.activeCalls, 1, 'only the original call holds a slot');
    assert.equal(rig.legsOf('1003').length, 0);
  });

  test('answers 486 to early-only naming a dialog that is already up (RFC 3891 §3)', async () => {
    const { rig, call, calleeDialog } = await replacing(
      (callId, to, from) => `${callId};to-tag=${to};from-tag=${from};early-only`,
    );
    assert.equal(call.exchange.final?.status, 486, rig.net.trace());
    assert.deepEqual(calleeDialog.requests, []);
  });

  test('answers 400 to a Replaces it cannot read', async () => {
    const { call } = await replacing(() => ';to-tag=1');
    assert.equal(call.exchange.final?.status, 400);
  });
});
