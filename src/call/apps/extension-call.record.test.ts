import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { answeredCall, bridgeRig, FAKE_QUALITY, RECORDING_DIR } from '../test-kit.js';

describe('An extension call’s records', () => {
  test('carries the caller’s stream quality (MOS, loss, jitter, round trip) in its CDR', async () => {
    const rig = bridgeRig();
    const { callerDialog } = await answeredCall(rig);
    callerDialog.bye();
    await rig.net.settle();
    assert.deepEqual(rig.cdrs.only().quality, {
      mos: FAKE_QUALITY.mos,
      lossPercent: FAKE_QUALITY.lossPercent,
      jitterMs: FAKE_QUALITY.jitterMs,
      rttMs: FAKE_QUALITY.rttMs,
    });
    const caller = rig.media.created[0]!.id;
    assert.ok(
      rig.media.ops('quality').some((c) => c.id === caller),
      'measured on the caller’s endpoint',
    );
  });

  test('has no quality in the CDR when the engine measured nothing', async () => {
    const rig = bridgeRig();
    rig.media.qualityReport = { ...FAKE_QUALITY, packetsReceived: 0, mos: null };
    const { callerDialog } = await answeredCall(rig);
    callerDialog.bye();
    await rig.net.settle();
    assert.equal(rig.cdrs.only().quality, undefined);
  });

  test('records both parties in stereo when recording is on, and stores one row under the CDR’s call id', async () => {
    const rig = bridgeRig({ recording: true });
    const { callerDialog } = await answeredCall(rig);
    await rig.until(() => rig.media.activeRecordings().length === 1, 'the recording');
    const [a, b] = rig.media.created;
    const [rec] = rig.media.activeRecordings();
    assert.equal(rec?.left, a!.id, 'the caller on the left');
    assert.equal(rec?.right, b!.id, 'the callee on the right');
    assert.ok(rec?.path.startsWith(RECORDING_DIR));
    await rig.net.advance(3000, 1000);
    callerDialog.bye();
    await rig.until(() => rig.recordings.rows.length === 1, 'the recording row');
    const [row] = rig.recordings.rows;
    const cdr = rig.cdrs.only();
    assert.equal(row?.callId, cdr.callId);
    assert.deepEqual(row?.legs, ['1001', '1002']);
    assert.equal(row?.channels, 2);
    assert.equal(row?.path, rec?.path);
    assert.equal(row?.durationMs, 3000);
  });

  test('does not record early media, only the answered call', async () => {
    const rig = bridgeRig({ recording: true });
    const call = rig.caller.invite('1002');
    await rig.net.settle();
    const incoming = rig.callee.lastIncoming();
    incoming.ring(183, rig.callee.answerTo(incoming.invite.body));
    await rig.net.settle();
    assert.equal(rig.media.ops('startRecording').length, 0);
    incoming.answer();
    await rig.until(() => rig.media.activeRecordings().length === 1, 'the recording');
    assert.equal(call.exchange.final?.status, 200);
    assert.equal(rig.media.ops('startRecording').length, 1);
  });

  test('records nothing when recording is off', async () => {
    const rig = bridgeRig();
    const { callerDialog } = await answeredCall(rig);
    callerDialog.bye();
    await rig.net.settle();
    assert.equal(rig.media.ops('startRecording').length, 0);
    assert.equal(rig.recordings.rows.length, 0);
  });
});
