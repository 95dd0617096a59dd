import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { callRig, RECORDING_DIR } from '../test-kit.js';

/** 1001 dials *45 and hears the introduction and the tone; the recording runs. */
async function recording(maxMs = 30_000) {
  const rig = callRig({ autoFinishPlays: true, recordTestMaxDurationMs: maxMs });
  const call = rig.caller.invite('*45');
  await rig.until(() => rig.media.activeRecordings().length > 0, 'the recording');
  const ep = rig.legOf('1001').endpoint.id;
  return { rig, call, ep };
}

describe('The recording test (*45)', () => {
  test('records the caller alone, in mono, after the introduction and a tone', async () => {
    const { rig, call, ep } = await recording();
    assert.equal(call.exchange.final?.status, 200);
    const plays = rig.media.playsOn(ep).map((p) => p.items);
    assert.match(JSON.stringify(plays[0]), /recording test/);
    assert.deepEqual(plays[1], [{ tone: 'callWaiting', durationMs: 300 }]);
    const [rec] = rig.media.activeRecordings();
    assert.equal(rec?.left, ep);
    assert.equal(rec?.right, null);
    assert.ok(rec?.path.startsWith(RECORDING_DIR), rec?.path);
  });

  test('stops on #, stores the recording and plays it back, then says goodbye and hangs up', async () => {
    const { rig, call, ep } = await recording();
    await rig.net.advance(4000, 1000);
    rig.media.pressDigit(ep, '#');
    await rig.until(() => call.dialog!.requests.length > 0, 'the BYE');
    assert.deepEqual(rig.media.activeRecordings(), []);
    const [row] = rig.recordings.rows;
    assert.ok(row, 'a recording row');
    assert.equal(row.channels, 1);
    assert.deepEqual(row.legs, ['1001']);
    assert.equal(row.durationMs, 4000);
    const plays = rig.media.playsOn(ep).map((p) => p.items);
    assert.deepEqual(plays[2], [{ file: row.path }], 'the recording is played back');
    assert.match(JSON.stringify(plays[3]), /tts\/en\/.*\.wav/, 'then goodbye');
    assert.deepEqual(
      call.dialog?.requests.map((r) => r.method),
      ['BYE'],
    );
    const cdr = rig.cdrs.only();
    assert.equal(cdr.callId, row.callId, 'the CDR and the recording name the same call');
    assert.equal(cdr.data?.recordingId, row.id);
  });

  test('stops recording at the time limit', async () => {
    const { rig, call } = await recording(5000);
    await rig.net.advance(5000, 1000);
    await rig.until(() => call.dialog!.requests.length > 0, 'the BYE');
    assert.equal(rig.recordings.rows[0]?.durationMs, 5000);
    assert.deepEqual(
      call.dialog?.requests.map((r) => r.method),
      ['BYE'],
    );
  });

  test('still stores the recording when the caller hangs up while speaking', async () => {
    const { rig, call } = await recording();
    await rig.net.advance(2000, 1000);
    call.dialog!.bye();
    await rig.until(() => rig.recordings.rows.length > 0, 'the recording row');
    assert.equal(rig.recordings.rows.length, 1);
    assert.equal(rig.cdrs.only().callId, rig.recordings.rows[0]!.callId);
    assert.deepEqual(rig.media.open, []);
  });

  test('hangs up when the recording cannot start', async () => {
    const rig = callRig({ autoFinishPlays: true });
    rig.media.failing.set('startRecording', new Error('disk full'));
    const call = rig.caller.invite('*45');
    await rig.until(() => (call.dialog?.requests.length ?? 0) > 0, 'the BYE');
    assert.deepEqual(
      call.dialog?.requests.map((r) => r.method),
      ['BYE'],
    );
    assert.equal(rig.cdrs.only().reason, 'recording failed');
    assert.equal(rig.recordings.rows.length, 0);
  });
});
