import assert from 'node:assert/strict';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { parseWav } from '../../media/audio/index.js';
import { voicemailRig, type VoicemailRig } from '../testing/voicemail-rig.js';
import { BEEP_HZ } from './voicemail-beep.js';
import { fileStamp, messagePath } from './voicemail.js';

/** 1001 calls *961002 and reaches the recording, past the greeting and the beep. */
async function leaving(rig: VoicemailRig = voicemailRig()) {
  const call = rig.caller.invite('*961002');
  await rig.until(() => rig.media.activeRecordings().length > 0, 'the recording');
  const ep = rig.legOf('1001').endpoint.id;
  return { rig, call, ep };
}

/** Energy of `samples` at `hz` (Goertzel), relative to the total. */
function shareAt(samples: Int16Array, hz: number): number {
  const k = 2 * Math.cos((2 * Math.PI * hz) / 8000);
  let [s1, s2, total] = [0, 0, 0];
  for (const x of samples) {
    const s0 = x + k * s1 - s2;
    s2 = s1;
    s1 = s0;
    total += x * x;
  }
  const power = s1 * s1 + s2 * s2 - k * s1 * s2;
  return (2 * power) / (samples.length * total);
}

describe('Leaving a voicemail message', () => {
  test('answers, speaks the mailbox’s greeting, beeps and records the caller alone into the mailbox folder', async () => {
    const { rig, call, ep } = await leaving();
    assert.equal(call.exchange.final?.status, 200);
    const plays = rig.played(ep);
    assert.match(plays[0]!, /one zero zero two is not available/);
    const beep = join(rig.dir, 'beep.wav');
    assert.equal(plays[1], JSON.stringify([{ file: beep }]));
    const [rec] = rig.media.activeRecordings();
    assert.equal(rec?.left, ep);
    assert.equal(rec?.right, null, 'mono: the caller alone');
    const callId = rig.legOf('1001').callId;
    assert.equal(rec?.path, messagePath(rig.dir, '1002', rig.net.clock.now(), callId));
    assert.ok(rec?.path.startsWith(join(rig.dir, '1002', fileStamp(rig.net.clock.now()))), rec?.path);
  });

  test('generates the beep once: half a second of 1 kHz at 8 kHz', async () => {
    const { rig } = await leaving();
    const parsed = parseWav(readFileSync(join(rig.dir, 'beep.wav')));
    assert.ok(parsed.ok);
    const { sampleRate, channels, samples } = parsed.audio;
    assert.deepEqual([sampleRate, channels], [8000, 1]);
    assert.ok(Math.abs(samples.length / 8 - 520) < 2, `${samples.length / 8} ms`);
    assert.ok(shareAt(samples, BEEP_HZ) > 0.9, 'nearly all its energy at 1 kHz');
    assert.ok(shareAt(samples, 450) < 0.01);
  });

  test('stores the message with its size and SHA-256 on #, says it is saved, hangs up and tells MWI', async () => {
    const { rig, call, ep } = await leaving();
    const startedAt = rig.net.clock.now();
    await rig.net.advance(4000, 1000);
    rig.media.pressDigit(ep, '#');
    await rig.until(() => (call.dialog?.requests.length ?? 0) > 0, 'the BYE');
    const [row] = rig.store.rows;
    const [file] = rig.media.recorded;
    assert.ok(row && file);
    assert.deepEqual(row, {
      id: 1,
      mailbox: '1002',
      callId: rig.cdrs.only().callId,
      caller: '1001',
      receivedAt: startedAt,
      durationMs: 4000,
      path: file.path,
      bytes: file.bytes,
      sha256: file.sha256,
      heard: false,
    });
    assert.match(rig.played(ep).at(-1)!, /Your message has been saved/);
    assert.deepEqual(
      call.dialog?.requests.map((r) => r.method),
      ['BYE'],
    );
    assert.deepEqual(rig.changed, ['1002']);
    assert.equal(rig.cdrs.only().data?.voicemailId, 1);
    assert.equal(rig.recordings.rows.length, 0, 'a message is not a call recording');
  });

  test('keeps the message when the caller hangs up while speaking', async () => {
    const { rig, call } = await leaving();
    await rig.net.advance(2500, 500);
    call.dialog!.bye();
    await rig.until(() => rig.store.rows.length > 0, 'the message row');
    assert.equal(rig.store.rows[0]?.durationMs, 2500);
    assert.deepEqual(rig.changed, ['1002']);
    assert.deepEqual(rig.media.open, []);
    assert.equal(rig.cdrs.only().hangupBy, 'caller');
  });

  test('stops recording at the longest message allowed', async () => {
    const { rig, call } = await leaving(voicemailRig({ maxMessageMs: 5000 }));
    await rig.net.advance(6000, 1000);
    await rig.until(() => (call.dialog?.requests.length ?? 0) > 0, 'the BYE');
    assert.equal(rig.store.rows[0]?.durationMs, 5000);
  });

  test('throws away a message shorter than the minimum: no row, no MWI', async () => {
    const { rig, call, ep } = await leaving(voicemailRig({ minMessageMs: 1000 }));
    await rig.net.advance(500, 100);
    rig.media.pressDigit(ep, '#');
    await rig.until(() => (call.dialog?.requests.length ?? 0) > 0, 'the BYE');
    assert.equal(rig.store.rows.length, 0);
    assert.deepEqual(rig.changed, []);
    assert.match(rig.played(ep).at(-1)!, /Goodbye/);
  });

  test('plays the box’s greeting file instead of the spoken one, and falls back when it is missing', async () => {
    const greeting = join(voicemailRig().dir, 'greeting.wav');
    writeFileSync(greeting, 'RIFF');
    const rig = voicemailRig({
      boxes: [
        { mailbox: '1002', greeting },
        { mailbox: '2000', greeting: `${greeting}.gone` },
      ],
    });
    const { ep } = await leaving(rig);
    assert.equal(rig.played(ep)[0], JSON.stringify([{ file: greeting }]));
    rig.caller.invite('*962000');
    await rig.until(() => rig.media.activeRecordings().length > 1, 'the second recording');
    const second = rig.legsOf('1001')[1]!.endpoint.id;
    assert.match(rig.played(second)[0]!, /two zero zero zero is not available/);
  });

  test('a key during the greeting skips to the beep', async () => {
    const rig = voicemailRig();
    rig.media.autoFinishPlays = false;
    rig.caller.invite('*961002');
    await rig.until(
      () => rig.legsOf('1001').length === 1 && rig.media.playing(rig.legOf('1001').endpoint.id) !== undefined,
    );
    const ep = rig.legOf('1001').endpoint.id;
    rig.media.pressDigit(ep, '1');
    await rig.until(() => rig.played(ep).length === 2, 'the beep');
    assert.match(rig.played(ep)[1]!, /beep\.wav/);
  });

  test('refuses a mailbox that does not exist with 404, and records nothing', async () => {
    const rig = voicemailRig();
    const call = rig.caller.invite('*969999');
    await rig.until(() => call.exchange.final !== undefined, 'the answer');
    assert.equal(call.exchange.final?.status, 404);
    assert.equal(rig.media.ops('startRecording').length, 0);
    assert.equal(existsSync(join(rig.dir, '9999')), false);
    assert.equal(rig.cdrs.only().disposition, 'failed');
  });
});
