import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { after, before, describe, it, type TestContext } from 'node:test';
import { startBaresip, type Baresip } from './harness/baresip.js';
import { cdrWhere } from './harness/calls.js';
import { EXTENSIONS, startTestServer, type TestServer } from './harness/server.js';
import { readWav } from './harness/wav.js';

/**
 * baresip with its g722 module alone (Debian's, built on spandsp) and a 1 kHz sine for a
 * microphone (ausine). It can only talk to Hotline in G.722, so every call here is G.722
 * end to end on the phone's side:
 *
 *   *43  echo: Hotline answers G.722 and returns the packets as they come (no decoding), so
 *        this proves the negotiation and the 8 kHz RTP clock of a 16 kHz codec.
 *   *45  record test: Hotline decodes the phone's G.722 (our decoder) into the recording,
 *        then plays the file back encoded by our encoder, which baresip's spandsp decodes.
 */

const [ext1001] = EXTENSIONS;
const TONE_HZ = 1000;
const RECORD_SECONDS = 3;

/** Peak amplitude (full scale 1) of the `hz` component of x[from, to), by projection. */
function toneAmplitude(x: Float32Array, hz: number, rate: number, from = 0, to = x.length): number {
  const w = (2 * Math.PI * hz) / rate;
  let s = 0;
  let c = 0;
  for (let i = from; i < to; i++) {
    s += x[i]! * Math.sin(w * i);
    c += x[i]! * Math.cos(w * i);
  }
  return (2 * Math.hypot(s, c)) / Math.max(1, to - from);
}

/** Root mean square of x[from, to). */
function rmsOf(x: Float32Array, from = 0, to = x.length): number {
  let sum = 0;
  for (let i = from; i < to; i++) sum += x[i]! ** 2;
  return Math.sqrt(sum / Math.max(1, to - from));
}

const dB = (ratio: number) => 20 * Math.log10(ratio);

interface ToneWindow {
  /** Peak amplitude of the tone in the window. */
  readonly amplitude: number;
  /** The tone's power over everything else in the window, in dB. */
  readonly snrDb: number;
}

/**
 * The 100 ms windows of `x` that hold the tone steadily: where it carries at least 99 % of
 * the power (a sine of peak A has power A²/2). Windows where the tone starts or stops, or
 * where a prompt plays, are left out.
 */
function steadyTone(x: Float32Array, rate: number): ToneWindow[] {
  const size = rate / 10;
  const out: ToneWindow[] = [];
  for (let from = 0; from + size <= x.length; from += size) {
    const amplitude = toneAmplitude(x, TONE_HZ, rate, from, from + size);
    const tone = amplitude ** 2 / 2;
    const rest = Math.max(1e-12, rmsOf(x, from, from + size) ** 2 - tone);
    if (tone > 0.99 * (tone + rest)) out.push({ amplitude, snrDb: 10 * Math.log10(tone / rest) });
  }
  return out;
}

/** Describes windows for a diagnostic: their span, level range and median SNR. */
function describe100ms(windows: readonly ToneWindow[]): string {
  const levels = windows.map((w) => dB(w.amplitude));
  const snrs = windows.map((w) => w.snrDb).sort((a, b) => a - b);
  return (
    `${(windows.length / 10).toFixed(1)} s at ${Math.min(...levels).toFixed(2)}…${Math.max(...levels).toFixed(2)} dBFS, ` +
    `median SNR ${(snrs[Math.floor(snrs.length / 2)] ?? NaN).toFixed(1)} dB`
  );
}

/** Every steady window within `toleranceDb` of `reference`. */
function assertLevel(
  windows: readonly ToneWindow[],
  reference: number,
  toleranceDb: number,
  what: string,
): void {
  for (const w of windows) {
    const off = dB(w.amplitude / reference);
    assert.ok(Math.abs(off) < toleranceDb, `${what}: a window ${off.toFixed(2)} dB from the level sent`);
  }
}

/** The SDP baresip received in the 200 OK to its INVITE (from its own SIP trace). */
function answerSdp(phone: Baresip): string {
  const log = phone.log();
  const at = log.search(/^SIP\/2\.0 200 OK\r?$[\s\S]*?^CSeq: \d+ INVITE/m);
  assert.ok(at >= 0, 'baresip logged the 200 OK to its INVITE');
  const message = log.slice(at, log.indexOf('\n\n', log.indexOf('m=audio', at)) + 1);
  assert.match(message, /m=audio/, 'the 200 OK carries an SDP answer');
  return message;
}

function startG722Phone(t: TestServer): Promise<Baresip> {
  return startBaresip({
    server: t.sipPort,
    user: ext1001.number,
    password: ext1001.password,
    codecs: ['g722'],
    audioSource: { sineHz: TONE_HZ },
  });
}

/** Dials `number` and waits until the call is up; returns the SIP Call-ID. */
async function dial(t: TestServer, phone: Baresip, number: string): Promise<string> {
  const since = phone.mark();
  await phone.command('dial', `sip:${number}@127.0.0.1:${t.sipPort}`);
  const established = await phone.waitFor('CALL_ESTABLISHED', { since, timeoutMs: 10_000 });
  assert.ok(established.id);
  return established.id;
}

describe('Interop with baresip speaking only G.722', () => {
  let t: TestServer;
  before(async () => {
    t = await startTestServer({ config: { calls: { recordTestMaxDuration: RECORD_SECONDS } } });
  });
  after(async () => t.stop());

  it('calls *43: Hotline answers G722/8000 and the phone hears its 1 kHz sine come back', async (ctx: TestContext) => {
    const phone = await startG722Phone(t);
    try {
      await phone.registered();
      const since = phone.mark();
      await dial(t, phone, '*43');
      await new Promise((r) => setTimeout(r, 3000));
      await phone.command('hangup');
      await phone.waitFor('CALL_CLOSED', { since, timeoutMs: 5000 });

      const sdp = answerSdp(phone);
      assert.match(sdp, /^m=audio \d+ RTP\/AVP 9( 101)?\r?$/m, 'G.722 (payload type 9) chosen');
      assert.match(sdp, /^a=rtpmap:9 G722\/8000\r?$/m, 'with the 8000 clock rate of RFC 3551');

      const files = phone.recordings();
      const [sent, heard] = [readWav(files.sent), readWav(files.received)];
      assert.equal(heard.sampleRate, 16000, 'baresip decoded 16 kHz G.722');
      const sentLevel = toneAmplitude(sent.samples, TONE_HZ, sent.sampleRate);
      const echo = steadyTone(heard.samples, heard.sampleRate);
      ctx.diagnostic(`sent ${TONE_HZ} Hz at ${dB(sentLevel).toFixed(2)} dBFS; heard ${describe100ms(echo)}`);
      assert.ok(echo.length >= 20, 'the tone comes back for most of the 3 s');
      assertLevel(echo, sentLevel, 0.5, 'the echo');
    } finally {
      await phone.stop();
    }
  });

  it('calls *45: Hotline records the G.722 caller and plays it back in G.722, tone and level kept', async (ctx) => {
    const phone = await startG722Phone(t);
    try {
      await phone.registered();
      const since = phone.mark();
      const started = Date.now();
      const callId = await dial(t, phone, '*45');
      // Intro prompt, beep, RECORD_SECONDS of recording, the playback, goodbye, then Hotline hangs up.
      await phone.waitFor('CALL_CLOSED', { since, timeoutMs: 60_000 });
      assert.match(answerSdp(phone), /^a=rtpmap:9 G722\/8000\r?$/m);

      const cdr = await cdrWhere(t, started, (c) => c.data?.['sipCallId'] === callId);
      const recordingId = cdr.data?.['recordingId'];
      assert.notEqual(recordingId, undefined, `the CDR names the recording: ${JSON.stringify(cdr.data)}`);
      const row = (await t.server.store.recordings.listByCall(cdr.callId)).find((r) => r.id === recordingId);
      assert.ok(row && existsSync(row.path), 'the recording file exists');

      const sent = readWav(phone.recordings().sent);
      const sentLevel = toneAmplitude(sent.samples, TONE_HZ, sent.sampleRate);
      // What our decoder made of the phone's G.722: the file Hotline recorded (8 kHz).
      const recorded = steadyTone(readWav(row.path).samples, 8000);
      // What the phone's decoder made of our G.722: the playback it heard.
      const heard = readWav(phone.recordings().received);
      const playback = steadyTone(heard.samples, heard.sampleRate);
      ctx.diagnostic(
        `sent ${dB(sentLevel).toFixed(2)} dBFS; recorded ${describe100ms(recorded)}; ` +
          `played back ${describe100ms(playback)}`,
      );
      // From its first window on: the decoder follows the phone even before the recording starts.
      assert.ok(
        recorded.length >= 10 * RECORD_SECONDS - 2,
        'the recording holds the caller’s tone throughout',
      );
      assertLevel(recorded, sentLevel, 0.5, 'the recording');
      assert.ok(playback.length >= 10 * RECORD_SECONDS - 3, 'the phone hears all of it played back');
      assertLevel(playback, sentLevel, 0.5, 'the playback');
      for (const [what, windows] of [
        ['recorded', recorded],
        ['played back', playback],
      ] as const) {
        assert.ok(
          windows.every((w) => w.snrDb > 30),
          `${what}: clean (SNR above 30 dB), after G.722 and the 8 kHz engine`,
        );
      }
    } finally {
      await phone.stop();
    }
  });
});
