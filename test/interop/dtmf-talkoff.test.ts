/**
 * Talk-off: the in-band DTMF detector must not hear digits in speech. Speech is generated
 * here by Debian's espeak-ng (English and Mandarin, several voices, speeds and pitches),
 * converted to 8 kHz mono by sox, and run through the detector at three talker levels and
 * after A-law. The test needs both programs and fails, saying so, without them.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import {
  DtmfDetector,
  DTMF_DIGITS,
  dbm0ToPower,
  type DtmfDigit,
  type InbandDigitEvent,
} from '../../src/media/dtmf/index.js';
import { g711RoundTrip } from '../../src/media/dtmf/testing/g711.js';
import {
  detectAll,
  digitTone,
  mixInto,
  SignalBuilder,
  toInt16,
} from '../../src/media/dtmf/testing/signal.js';
import { ENGLISH, MANDARIN, STYLES, type SpeechStyle } from '../../src/media/dtmf/testing/talkoff-corpus.js';

const RATE = 8000;

interface Clip {
  readonly name: string;
  readonly pcm: Int16Array;
}

function requireTool(tool: string, args: string[]): void {
  try {
    execFileSync(tool, args, { stdio: 'ignore' });
  } catch (err) {
    assert.fail(`${tool} is needed by the talk-off test (Debian packages espeak-ng and sox): ${String(err)}`);
  }
}

/** Speaks `text` with espeak-ng and returns it as 8 kHz 16-bit mono samples. */
function speak(dir: string, name: string, voice: string, text: string, style: SpeechStyle): Int16Array {
  const wav = join(dir, `${name}.wav`);
  const raw = join(dir, `${name}.raw`);
  const prosody = ['-s', String(style.speed), '-p', String(style.pitch)];
  execFileSync('espeak-ng', ['-v', voice + style.variant, ...prosody, '-w', wav, text]);
  // sox warns on stderr when resampling clips a sample: expected, so not shown.
  const to8k = ['-r', String(RATE), '-c', '1', '-b', '16', '-e', 'signed-integer', '-L', '-t', 'raw'];
  execFileSync('sox', [wav, ...to8k, raw], { stdio: ['ignore', 'ignore', 'pipe'] });
  const bytes = readFileSync(raw);
  rmSync(wav);
  rmSync(raw);
  return new Int16Array(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.length));
}

/** Every paragraph of the corpus in every style. */
function generateClips(dir: string): Clip[] {
  const clips: Clip[] = [];
  const languages = [
    ['en', 'en', ENGLISH],
    ['zh', 'cmn', MANDARIN],
  ] as const;
  for (const [lang, voice, texts] of languages) {
    for (const [i, text] of texts.entries()) {
      for (const [j, style] of STYLES.entries()) {
        const name = `${lang}-${i}-${j}`;
        clips.push({ name, pcm: speak(dir, name, voice, text, style) });
      }
    }
  }
  return clips;
}

/** Scales a clip so that its long-term power (pauses included) is `dbm0`; clips at full scale. */
function atLevel(pcm: Int16Array, dbm0: number): Int16Array {
  let sum = 0;
  for (const x of pcm) sum += x * x;
  const gain = Math.sqrt(dbm0ToPower(dbm0) / (sum / pcm.length));
  return toInt16(Float64Array.from(pcm, (x) => x * gain));
}

const seconds = (clips: readonly Clip[]): number => clips.reduce((s, c) => s + c.pcm.length / RATE, 0);

/** Mixes the 16 keys (100 ms at −15 dBm0 per tone, one every 500 ms) into the speech. */
function mixKeys(speech: Int16Array): { pcm: Int16Array; at: number[]; keys: string[] } {
  const x = Float64Array.from(speech);
  const at: number[] = [];
  const keys: string[] = [];
  for (let ms = 250, i = 0; (ms + 150) * 8 < x.length; ms += 500, i++) {
    const digit = DTMF_DIGITS[i % 16] as DtmfDigit;
    mixInto(x, new SignalBuilder().tone(digitTone(digit, { dbm0: -15, ms: 100 })).build(), ms * 8);
    at.push(ms);
    keys.push(digit);
  }
  return { pcm: toInt16(x), at, keys };
}

/** Each event matched to the key sent at that time, or reported as wrong. */
function score(
  events: readonly InbandDigitEvent[],
  at: number[],
  keys: string[],
): { found: number; wrong: string[] } {
  const hit = new Set<number>();
  const wrong: string[] = [];
  for (const e of events) {
    const i = at.findIndex((ms) => e.timeMs >= ms - 10 && e.timeMs <= ms + 100);
    if (i < 0 || keys[i] !== e.digit) wrong.push(`${e.digit} @${e.timeMs}`);
    else hit.add(i);
  }
  return { found: hit.size, wrong };
}

/** Six clips from `from`, scaled to `dbm0`, with the keys mixed in: what the detector found. */
function keysInSpeech(
  clips: readonly Clip[],
  from: number,
  dbm0: number,
): { found: number; sent: number; wrong: string[] } {
  const speech = atLevel(Int16Array.from(clips.slice(from, from + 6).flatMap((c) => [...c.pcm])), dbm0);
  const { pcm, at, keys } = mixKeys(speech);
  return { ...score(detectAll(new DtmfDetector(), pcm), at, keys), sent: keys.length };
}

const VARIANTS: readonly (readonly [string, (pcm: Int16Array) => Int16Array])[] = [
  ['−28 dBm0', (p) => atLevel(p, -28)],
  ['−18 dBm0', (p) => atLevel(p, -18)],
  ['−10 dBm0', (p) => atLevel(p, -10)],
  ['−18 dBm0 A-law', (p) => g711RoundTrip(atLevel(p, -18), 'a')],
];

describe('DTMF talk-off against espeak-ng speech', () => {
  let clips: Clip[] = [];
  let dir = '';

  before(() => {
    requireTool('espeak-ng', ['--version']);
    requireTool('sox', ['--version']);
    dir = mkdtempSync(join(tmpdir(), 'hotline-talkoff-'));
    clips = generateClips(dir);
  });

  after(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('reports no digit in over 3 minutes of English and Mandarin speech at −28, −18 and −10 dBm0 and after A-law', (t) => {
    const total = seconds(clips);
    assert.ok(total >= 180, `only ${total.toFixed(0)} s of speech generated`);
    const falses: string[] = [];
    const verdicts: Record<string, number> = {};
    for (const [label, prepare] of VARIANTS) {
      for (const clip of clips) {
        const det = new DtmfDetector();
        for (const e of detectAll(det, prepare(clip.pcm)))
          falses.push(`${clip.name} at ${label}: ${e.digit} @${e.timeMs} ms`);
        for (const [k, v] of Object.entries(det.stats)) verdicts[k] = (verdicts[k] ?? 0) + v;
      }
    }
    const zh = seconds(clips.filter((c) => c.name.startsWith('zh')));
    t.diagnostic(
      `${clips.length} clips, ${(total / 60).toFixed(1)} min of speech (${(zh / 60).toFixed(1)} min Mandarin), ` +
        `run ${VARIANTS.length} ways = ${((total * VARIANTS.length) / 60).toFixed(1)} min; false digits: ${falses.length}`,
    );
    t.diagnostic(`window verdicts: ${JSON.stringify(verdicts)}`);
    assert.deepEqual(falses, []);
  });

  it('finds every key mixed at −15 dBm0 per tone into speech at −30 dBm0', (t) => {
    const r = keysInSpeech(clips, 0, -30);
    t.diagnostic(`speech at −30 dBm0: ${r.found} of ${r.sent} keys found, ${r.wrong.length} wrong`);
    assert.deepEqual(r.wrong, []);
    assert.equal(r.found, r.sent);
  });

  it('finds at least 95 % of keys mixed into speech at a nominal −25 dBm0, and never a wrong one', (t) => {
    const r = keysInSpeech(clips, 6, -25);
    t.diagnostic(`speech at −25 dBm0: ${r.found} of ${r.sent} keys found, ${r.wrong.length} wrong`);
    assert.deepEqual(r.wrong, []);
    assert.ok(r.found >= 0.95 * r.sent, `${r.found} of ${r.sent}`);
  });

  it('finds most keys under speech as loud as each tone (talk-down), and never a wrong one', (t) => {
    const r = keysInSpeech(clips, 12, -15);
    t.diagnostic(`speech at −15 dBm0: ${r.found} of ${r.sent} keys found, ${r.wrong.length} wrong`);
    assert.deepEqual(r.wrong, []);
    assert.ok(r.found >= 0.6 * r.sent, `${r.found} of ${r.sent}`);
  });
});
