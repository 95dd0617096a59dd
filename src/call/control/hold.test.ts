import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { answeredCall, bridgeRig, MUSIC_ON_HOLD } from '../test-kit.js';

/** An answered 1001 → 1002 call and the endpoints of its two legs. */
async function upCall() {
  const rig = bridgeRig();
  const up = await answeredCall(rig);
  const caller = rig.legOf('1001');
  const callee = rig.legOf('1002');
  return { rig, ...up, caller, callee, a: caller.endpoint.id, b: callee.endpoint.id };
}

describe('Hold from the phone', () => {
  test('plays looped music on hold to the partner, and stops it when the phone resumes', async () => {
    const { rig, callerDialog, b } = await upCall();
    callerDialog.send('INVITE', rig.caller.offer('sendonly'));
    await rig.net.settle();
    assert.deepEqual(rig.media.playing(b), {
      playId: rig.media.playsOn(b)[0]!.playId,
      items: MUSIC_ON_HOLD,
      loop: true,
    });
    callerDialog.send('INVITE', rig.caller.offer('sendrecv'));
    await rig.net.settle();
    assert.equal(rig.media.playing(b), undefined, rig.net.trace());
    assert.equal(rig.media.ops('stopPlay').at(-1)?.id, b);
    assert.equal(rig.media.peerOf(b), rig.media.created[0]!.id, 'the two are still connected');
  });

  test('starts the music once, however often the phone repeats its hold', async () => {
    const { rig, callerDialog, b } = await upCall();
    callerDialog.send('INVITE', rig.caller.offer('sendonly'));
    await rig.net.settle();
    callerDialog.send('INVITE', rig.caller.offer('inactive'));
    await rig.net.settle();
    assert.equal(rig.media.playsOn(b).length, 1);
  });

  test('does not hang up a phone that went silent because it holds', async () => {
    const { rig, callerDialog, a } = await upCall();
    callerDialog.send('INVITE', rig.caller.offer('sendonly'));
    await rig.net.settle();
    rig.media.rtpTimeout(a);
    await rig.net.settle();
    assert.equal(rig.cdrs.records.length, 0);
    assert.deepEqual(callerDialog.requests, []);
  });

  test('hangs up both phones when an active phone’s RTP stops', async () => {
    const { rig, callerDialog, calleeDialog, a } = await upCall();
    rig.media.rtpTimeout(a);
    await rig.net.settle();
    assert.deepEqual(
      callerDialog.requests.map((r) => r.method),
      ['BYE'],
    );
    assert.deepEqual(
      calleeDialog.requests.map((r) => r.method),
      ['BYE'],
    );
    const cdr = rig.cdrs.only();
    assert.equal(cdr.hangupBy, 'system');
    assert.equal(cdr.reason, 'RTP timeout');
  });
});

describe('Hold by call control', () => {
  test('mutes the held party and plays it music; retrieve stops the music and unmutes it', async () => {
    const { rig, callee, b } = await upCall();
    await rig.control.hold(callee);
    await rig.net.settle();
    assert.equal(rig.media.isMuted(b), true, 'nobody hears the held party');
    assert.deepEqual(rig.media.playing(b)?.items, MUSIC_ON_HOLD);
    assert.equal(rig.media.playing(b)?.loop, true);
    await rig.control.retrieve(callee);
    await rig.net.settle();
    assert.equal(rig.media.isMuted(b), false);
    assert.equal(rig.media.playing(b), undefined);
  });

  test('sends no re-INVITE to either phone', async () => {
    const { rig, callerDialog, calleeDialog, callee } = await upCall();
    await rig.control.hold(callee);
    await rig.control.retrieve(callee);
    await rig.net.settle();
    assert.deepEqual(callerDialog.requests, []);
    assert.deepEqual(calleeDialog.requests, []);
  });

  test('keeps the music of a party held by call control when the other phone resumes from its own hold', async () => {
    const { rig, calleeDialog, caller, a } = await upCall();
    await rig.control.hold(caller);
    await rig.net.settle();
    calleeDialog.send('INVITE', rig.callee.offer('sendonly'));
    await rig.net.settle();
    calleeDialog.send('INVITE', rig.callee.offer('sendrecv'));
    await rig.net.settle();
    assert.deepEqual(rig.media.playing(a)?.items, MUSIC_ON_HOLD, 'still on hold');
    assert.equal(rig.media.isMuted(a), true);
  });

  test('keeps the music going on retrieve while the partner’s phone still holds', async () => {
    const { rig, calleeDialog, caller, a } = await upCall();
    await rig.control.hold(caller);
    calleeDialog.send('INVITE', rig.callee.offer('sendonly'));
    await rig.net.settle();
    await rig.control.retrieve(caller);
    await rig.net.settle();
    assert.equal(rig.media.isMuted(a), false);
    assert.deepEqual(rig.media.playing(a)?.items, MUSIC_ON_HOLD);
    calleeDialog.send('INVITE', rig.callee.offer('sendrecv'));
    await rig.net.settle();
    assert.equal(rig.media.playing(a), undefined);
  });
});
