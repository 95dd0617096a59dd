/**
 * Call recording with real phones: an extension-to-extension call recorded in stereo
 * (caller left, callee right), and the record test service (*45) that records the caller
 * and plays it back. Each party "says" seeded band-limited noise, so each channel and each
 * playback can be matched to the one party it must contain by cross-correlation.
 */
import { before, after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import type { StoredRecording } from '../../src/report/recording.js';
import { cdrWhere, dialling, mediaPort, pcapOf, registerPhone } from './harness/calls.js';
import { capturePackets } from './harness/capture.js';
import { rtpPackets, timelineAudio } from './harness/pcap.js';
import { freePort } from './harness/ports.js';
import { startTestServer, type TestServer } from './harness/server.js';
import { bandNoise, matchWindows, median, RATE, toFloat, type WindowMatch } from './harness/signals.js';
import { runSipp } from './harness/sipp.js';
import { inspectWav, type WavLayout } from './harness/wav.js';

/** The call's recordings once their rows are in (written after the file is closed). */
async function recordingsOf(t: TestServer, callId: string, count = 1): Promise<StoredRecording[]> {
  for (let i = 0; i < 50; i++) {
    const rows = await t.server.store.recordings.listByCall(callId);
    if (rows.length >= count) return rows;
    await new Promise((r) => setTimeout(r, 100));
  }
  return t.server.store.recordings.listByCall(callId);
}

/** The file is there, whole (header sizes filled in), and is the file the row describes. */
function assertFileMatchesRow(row: StoredRecording, channels: 1 | 2): WavLayout {
  assert.ok(existsSync(row.path), `the recording file ${row.path} exists`);
  const bytes = readFileSync(row.path);
  assert.equal(
    createHash('sha256').update(bytes).digest('hex'),
    row.sha256,
    'sha256 of the file is the row’s',
  );
  assert.equal(bytes.length, row.bytes, 'size in the row');
  const wav = inspectWav(row.path);
  assert.equal(wav.formatTag, 1, 'PCM');
  assert.equal(wav.bitsPerSample, 16);
  assert.equal(wav.sampleRate, 8000);
  assert.equal(wav.channelCount, channels);
  assert.equal(wav.byteRate, 8000 * 2 * channels);
  assert.equal(wav.riffSize, wav.fileBytes - 8, 'RIFF size finalized');
  assert.equal(wav.dataSize, wav.dataBytesPresent, 'data size finalized and all the data there');
  const seconds = wav.dataSize / (2 * channels * RATE);
  assert.ok(
    Math.abs(seconds * 1000 - row.durationMs) < 100,
    `durationMs ${row.durationMs} vs ${seconds} s of audio`,
  );
  return wav;
}

const peaks = (m: readonly WindowMatch[]) => median(m.map((x) => x.peak));

describe('call recording', () => {
  let t: TestServer;
  before(async () => {
    t = await startTestServer({
      config: { tts: { language: 'en', rate: 1.5 }, calls: { recordTestMaxDuration: 3 } },
    });
  });
  after(async () => t.stop());

  it('records an extension call in stereo: the caller on the left, the callee on the right', async (ctx) => {
    const since = Date.now();
    const [caller, callee] = [bandNoise(1001, 6), bandNoise(1002, 6)];
    const calleePort = await freePort();
    await registerPhone(t, '1002', calleePort);
    const answering = runSipp({
      scenario: 'answer-play.xml',
      server: t.sipPort,
      localPort: calleePort,
      mediaPort: await mediaPort(),
      files: { 'audio.pcap': pcapOf(callee, 0x1002) },
    });
    const run = await runSipp({
      scenario: 'call-play.xml',
      server: t.sipPort,
      localPort: await freePort(),
      mediaPort: await mediaPort(),
      fields: [`${dialling('1001', '1002')};4000`],
      files: { 'audio.pcap': pcapOf(caller, 0x1001) },
    }).done;
    const answered = await answering.done;
    assert.equal(run.code, 0, run.errors || run.stdout);
    assert.equal(answered.code, 0, answered.errors || answered.stdout);

    const cdr = await cdrWhere(t, since, (c) => c.caller === '1001' && c.callee === '1002');
    assert.equal(cdr.disposition, 'answered');
    const rows = await recordingsOf(t, cdr.callId);
    ctx.diagnostic(`recordings of call ${cdr.callId}: ${JSON.stringify(rows)}`);
    assert.equal(rows.length, 1, 'one recording for the call');
    const row = rows[0] as StoredRecording;
    assert.equal(row.channels, 2);
    assert.deepEqual(row.legs, ['1001', '1002'], 'left then right');
    assert.ok(row.durationMs > 3000 && row.durationMs < 6000, `${row.durationMs} ms for a 4 s call`);
    const wav = assertFileMatchesRow(row, 2);

    const [left, right] = wav.channels as [Float32Array, Float32Array];
    const leftIsCaller = matchWindows(toFloat(caller), left);
    const leftIsCallee = matchWindows(toFloat(callee), left);
    const rightIsCallee = matchWindows(toFloat(callee), right);
    const rightIsCaller = matchWindows(toFloat(caller), right);
    ctx.diagnostic(
      `left: caller ${peaks(leftIsCaller).toFixed(3)} / callee ${peaks(leftIsCallee).toFixed(3)} over ` +
        `${leftIsCaller.length} audible windows; right: callee ${peaks(rightIsCallee).toFixed(3)} / ` +
        `caller ${peaks(rightIsCaller).toFixed(3)} over ${rightIsCallee.length}`,
    );
    // Half-second windows: at least 2 s of each party must be in its channel.
    assert.ok(leftIsCaller.length >= 4 && rightIsCallee.length >= 4, 'both channels hold audio');
    assert.ok(peaks(leftIsCaller) > 0.7, 'the left channel is the caller');
    assert.ok(peaks(leftIsCallee) < 0.3, 'the callee is not on the left');
    assert.ok(peaks(rightIsCallee) > 0.7, 'the right channel is the callee');
    assert.ok(peaks(rightIsCaller) < 0.3, 'the caller is not on the right');
  });

  it('records the caller on *45 for the configured time and plays the recording back', async (ctx) => {
    const since = Date.now();
    const voice = bandNoise(45, 25);
    const media = await mediaPort();
    const capture = await capturePackets(`port ${media}`);
    const run = await runSipp({
      scenario: 'call-play-until-bye.xml',
      server: t.sipPort,
      localPort: await freePort(),
      mediaPort: media,
      fields: [dialling('1001', '*45')],
      files: { 'audio.pcap': pcapOf(voice, 0x4545) },
      timeoutSeconds: 50,
    }).done;
    const packets = rtpPackets(await capture.stop());
    assert.equal(
      run.code,
      0,
      `Hotline hangs up once the recording is played back: ${run.errors || run.stdout}`,
    );

    const cdr = await cdrWhere(t, since, (c) => c.caller === '1001' && c.callee === '*45');
    ctx.diagnostic(`CDR: ${JSON.stringify(cdr)}`);
    assert.equal(cdr.disposition, 'answered');
    assert.equal(cdr.hangupBy, 'system');
    const rows = await recordingsOf(t, cdr.callId);
    assert.equal(rows.length, 1, `one recording for the call: ${JSON.stringify(rows)}`);
    const row = rows[0] as StoredRecording;
    assert.equal(cdr.data?.recordingId, row.id, 'the CDR names the recording');
    assert.equal(row.channels, 1);
    assert.deepEqual(row.legs, ['1001']);
    assert.ok(
      Math.abs(row.durationMs - 3000) < 400,
      `recorded for calls.recordTestMaxDuration (${row.durationMs} ms)`,
    );
    const wav = assertFileMatchesRow(row, 1);
    const recorded = matchWindows(toFloat(voice), wav.channels[0] as Float32Array);
    ctx.diagnostic(
      `recording vs what sipp sent: ${peaks(recorded).toFixed(3)} over ${recorded.length} windows`,
    );
    assert.ok(recorded.length >= 4 && peaks(recorded) > 0.7, 'the file holds the caller’s audio');

    // Both directions on one clock: where in what sipp sent does each heard window occur?
    const sent = packets.filter((p) => p.srcPort === media);
    const heard = packets.filter((p) => p.dstPort === media);
    assert.ok(sent.length > 0 && heard.length > 0, `${sent.length} packets sent, ${heard.length} received`);
    const t0 = (sent[0] as (typeof sent)[number]).time;
    const span = Math.max(...packets.map((p) => p.time)) - t0 + 1;
    const matches = matchWindows(timelineAudio(sent, t0, span), timelineAudio(heard, t0, span)).filter(
      (m) => m.peak > 0.7,
    );
    const delays = matches.map((m) => (m.at - m.offset) / RATE);
    ctx.diagnostic(
      `${heard.length} packets heard; windows matching the caller's audio: ${matches.length}, ` +
        `heard ${delays.map((d) => d.toFixed(2)).join(', ')} s after it was sent`,
    );
    assert.ok(matches.length >= 4, 'at least 2 s of the playback is the caller’s own audio');
    // Played back after the recording ended, not echoed live: later by the recording's length.
    assert.ok(
      delays.every((d) => d >= 2.5),
      'heard only after the 3 s recording phase',
    );
    assert.ok(Math.max(...delays) - Math.min(...delays) < 0.2, 'one continuous playback of the recording');
  });
});
