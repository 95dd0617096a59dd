import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { answeredCall, audio, bridgeRig, MEDIA_ADDRESS, MUSIC_ON_HOLD } from '../test-kit.js';

/*
 * Each leg answers its own phone's re-INVITEs from its own endpoint: the phone at the other
 * end of the bridge never gets a re-INVITE. A phone that holds makes its partner hear music.
 */
describe('A leg answering re-INVITEs itself', () => {
  test('answers a hold (a=sendonly) from the caller with recvonly from the caller-facing endpoint', async () => {
    const rig = bridgeRig();
    const { callerDialog, calleeDialog } = await answeredCall(rig);
    const hold = callerDialog.send('INVITE', rig.caller.offer('sendonly'));
    await rig.net.settle();
    assert.equal(hold.final?.status, 200, rig.net.trace());
    const answer = audio(hold.final!);
    assert.equal(answer.direction, 'recvonly');
    assert.equal(answer.address, MEDIA_ADDRESS.advertisedAddress);
    assert.equal(answer.port, rig.media.created[0]!.port);
    assert.deepEqual(calleeDialog.requests, [], 'the callee gets no re-INVITE');
    assert.equal(rig.cdrs.records.length, 0, 'the call stays up');
  });

  test('plays looped music on hold to the callee while the caller holds', async () => {
    const rig = bridgeRig();
    const { callerDialog } = await answeredCall(rig);
    callerDialog.send('INVITE', rig.caller.offer('sendonly'));
    await rig.net.settle();
    const playing = rig.media.playing(rig.media.created[1]!.id);
    assert.deepEqual(playing?.items, MUSIC_ON_HOLD);
    assert.equal(playing?.loop, true);
    assert.equal(rig.media.playing(rig.media.created[0]!.id), undefined, 'the holder hears nothing');
  });

  test('answers a hold (a=inactive) from the callee itself and plays music to the caller', async () => {
    const rig = bridgeRig();
    const { callerDialog, calleeDialog } = await answeredCall(rig);
    const hold = calleeDialog.send('INVITE', rig.callee.offer('inactive'));
    await rig.net.settle();
    assert.equal(hold.final?.status, 200);
    assert.equal(audio(hold.final!).direction, 'inactive');
    assert.equal(audio(hold.final!).port, rig.media.created[1]!.port);
    assert.deepEqual(callerDialog.requests, [], 'the caller gets no re-INVITE');
    assert.equal(rig.media.playing(rig.media.created[0]!.id)?.loop, true);
  });

  test('configures the endpoint with the direction the hold negotiated', async () => {
    const rig = bridgeRig();
    const { callerDialog } = await answeredCall(rig);
    callerDialog.send('INVITE', rig.caller.offer('sendonly'));
    await rig.net.settle();
    const a = rig.media.created[0]!.id;
    assert.equal(rig.media.ops('configure').findLast((c) => c.id === a)?.format.direction, 'recvonly');
  });

  test('follows the caller to a new media address offered in a re-INVITE', async () => {
    const rig = bridgeRig();
    const { callerDialog } = await answeredCall(rig);
    const moved = rig.caller.offer().toString().replaceAll('192.0.2.10', '192.0.2.99');
    callerDialog.send('INVITE', Buffer.from(moved));
    await rig.net.settle();
    const a = rig.media.created[0]!.id;
    assert.equal(rig.media.remotes(a).at(-1)?.address, '192.0.2.99');
    assert.equal(rig.media.playing(rig.media.created[1]!.id), undefined, 'no hold, no music');
  });

  test('answers a re-INVITE without SDP with its current description', async () => {
    const rig = bridgeRig();
    const { call, callerDialog } = await answeredCall(rig);
    const refresh = callerDialog.send('INVITE');
    await rig.net.settle();
    assert.equal(refresh.final?.status, 200, rig.net.trace());
    assert.deepEqual(audio(refresh.final!), audio(call.exchange.final!));
  });

  test('answers an INFO itself, without bothering the callee', async () => {
    const rig = bridgeRig();
    const { callerDialog, calleeDialog } = await answeredCall(rig);
    const info = callerDialog.send('INFO');
    await rig.net.settle();
    assert.equal(info.final?.status, 200);
    assert.deepEqual(calleeDialog.requests, []);
  });

  test('refuses a re-INVITE with an unreadable SDP with 488 without bothering the other side', async () => {
    const rig = bridgeRig();
    const { callerDialog, calleeDialog } = await answeredCall(rig);
    const bad = callerDialog.send('INVITE', Buffer.from('this is not SDP'));
    await rig.net.settle();
    assert.equal(bad.final?.status, 488);
    assert.deepEqual(calleeDialog.requests, []);
  });

  test('refuses a re-INVITE offering no codec Hotline has with 488, and keeps the call', async () => {
    const rig = bridgeRig();
    const { callerDialog } = await answeredCall(rig);
    const bad = callerDialog.send('INVITE', rig.caller.offer('sendrecv', [18]));
    await rig.net.settle();
    assert.equal(bad.final?.status, 488, rig.net.trace());
    assert.equal(rig.cdrs.records.length, 0);
  });

  test('answers 500 with Retry-After to a second re-INVITE while the first is still being applied', async () => {
    const rig = bridgeRig();
    const { callerDialog } = await answeredCall(rig);
    // RFC 3261 §14.2: the endpoint is slow to take the first offer.
    const release = rig.media.hold('configure');
    const first = callerDialog.send('INVITE', rig.caller.offer('sendonly'));
    await rig.net.settle();
    const second = callerDialog.send('INVITE', rig.caller.offer('inactive'));
    await rig.net.settle();
    assert.equal(second.final?.status, 500, rig.net.trace());
    assert.match(second.final?.headers.find((h) => h.name === 'Retry-After')?.value ?? '', /^\d+$/);
    assert.equal(first.final?.status, undefined, 'the first offer is still being applied');
    release();
    await rig.net.settle();
    assert.equal(first.final?.status, 200);
    assert.equal(audio(first.final!).direction, 'recvonly');
  });
});
