import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { answeredCall, audio, bridgeRig, MEDIA_ADDRESS } from './test-kit.js';

describe('BridgeCall relaying requests inside the call', () => {
  test('carries a hold (a=sendonly) from the caller to the callee with the relay address', async () => {
    const rig = bridgeRig();
    const { callerDialog, calleeDialog } = await answeredCall(rig);
    callerDialog.send('INVITE', rig.caller.offer('sendonly'));
    await rig.net.settle();
    const reinvite = calleeDialog.requests.find((r) => r.method === 'INVITE');
    assert.ok(reinvite, rig.net.trace());
    const offer = audio(reinvite);
    assert.equal(offer.direction, 'sendonly', 'the direction is not touched');
    assert.equal(offer.address, MEDIA_ADDRESS.advertisedAddress);
    assert.equal(offer.port, rig.media.created[1]!.port);
  });

  test('brings the callee’s answer to a hold back to the caller with the relay address', async () => {
    const rig = bridgeRig();
    const { callerDialog, calleeDialog } = await answeredCall(rig);
    const hold = callerDialog.send('INVITE', rig.caller.offer('sendonly'));
    await rig.net.settle();
    assert.equal(hold.final?.status, 200, rig.net.trace());
    const answer = audio(hold.final!);
    assert.equal(answer.direction, 'recvonly');
    assert.equal(answer.address, MEDIA_ADDRESS.advertisedAddress);
    assert.equal(answer.port, rig.media.created[0]!.port);
    assert.equal(calleeDialog.acks.length, 2, 'Hotline ACKs the callee’s 200 to the re-INVITE');
    assert.equal(rig.cdrs.records.length, 0, 'the call stays up');
  });

  test('carries a re-INVITE from the callee to the caller the same way', async () => {
    const rig = bridgeRig();
    const { callerDialog, calleeDialog } = await answeredCall(rig);
    const hold = calleeDialog.send('INVITE', rig.callee.offer('inactive'));
    await rig.net.settle();
    const reinvite = callerDialog.requests.find((r) => r.method === 'INVITE');
    assert.ok(reinvite, rig.net.trace());
    assert.equal(audio(reinvite).direction, 'inactive');
    assert.equal(audio(reinvite).port, rig.media.created[0]!.port);
    assert.equal(hold.final?.status, 200);
    assert.equal(audio(hold.final!).port, rig.media.created[1]!.port);
  });

  test('follows the caller to a new media address offered in a re-INVITE', async () => {
    const rig = bridgeRig();
    const { callerDialog } = await answeredCall(rig);
    const moved = rig.caller.offer().toString().replaceAll('192.0.2.10', '192.0.2.99');
    callerDialog.send('INVITE', Buffer.from(moved));
    await rig.net.settle();
    const a = rig.media.created[0]!.id;
    assert.equal(rig.media.remotes(a).at(-1)?.address, '192.0.2.99');
  });

  test('passes the callee’s refusal of a re-INVITE back to the caller and keeps the call', async () => {
    const rig = bridgeRig();
    const { callerDialog, calleeDialog } = await answeredCall(rig);
    calleeDialog.answer = () => ({ status: 488 });
    const reinvite = callerDialog.send('INVITE', rig.caller.offer('sendonly'));
    await rig.net.settle();
    assert.equal(reinvite.final?.status, 488);
    assert.equal(rig.cdrs.records.length, 0);
  });

  test('relays an INFO and its 200', async () => {
    const rig = bridgeRig();
    const { callerDialog, calleeDialog } = await answeredCall(rig);
    const info = callerDialog.send('INFO');
    await rig.net.settle();
    assert.deepEqual(
      calleeDialog.requests.map((r) => r.method),
      ['INFO'],
    );
    assert.equal(info.final?.status, 200);
  });

  test('refuses a re-INVITE with an unreadable SDP with 488 without bothering the other side', async () => {
    const rig = bridgeRig();
    const { callerDialog, calleeDialog } = await answeredCall(rig);
    const bad = callerDialog.send('INVITE', Buffer.from('this is not SDP'));
    await rig.net.settle();
    assert.equal(bad.final?.status, 488);
    assert.deepEqual(calleeDialog.requests, []);
  });

  test('answers 491 to a re-INVITE from the callee while the caller’s is still pending (glare)', async () => {
    const rig = bridgeRig();
    const { callerDialog, calleeDialog } = await answeredCall(rig);
    // The callee refuses Hotline's re-INVITE with 491, but the 491 is lost, so Hotline's
    // stays pending; meanwhile the callee sends its own, which crosses it on the same dialog.
    calleeDialog.answer = () => ({ status: 491 });
    rig.net.drop((w) => w.from === '1002' && w.label === '491 INVITE');
    const fromCaller = callerDialog.send('INVITE', rig.caller.offer('sendonly'));
    await rig.net.settle();
    const fromCallee = calleeDialog.send('INVITE', rig.callee.offer('sendonly'));
    await rig.net.settle();
    assert.equal(fromCallee.final?.status, 491, rig.net.trace());
    assert.deepEqual(callerDialog.requests, [], 'the caller never sees the crossing offer');
    assert.equal(fromCaller.final?.status, undefined, 'the caller’s re-INVITE still waits for the callee');
  });

  test('answers 500 with Retry-After to a second re-INVITE from a phone whose first is still pending', async () => {
    const rig = bridgeRig();
    const { callerDialog } = await answeredCall(rig);
    // Hotline's re-INVITE toward the callee gets no answer (lost), so the caller's first
    // offer is still being carried when it sends another (RFC 3261 §14.2).
    rig.net.drop((w) => w.from === '1002' && w.label === '200 INVITE');
    const first = callerDialog.send('INVITE', rig.caller.offer('sendonly'));
    await rig.net.settle();
    const second = callerDialog.send('INVITE', rig.caller.offer('inactive'));
    await rig.net.settle();
    assert.equal(second.final?.status, 500, rig.net.trace());
    assert.match(second.final?.headers.find((h) => h.name === 'Retry-After')?.value ?? '', /^\d+$/);
    assert.equal(first.final?.status, undefined, 'the first offer still waits for the callee');
  });
});
