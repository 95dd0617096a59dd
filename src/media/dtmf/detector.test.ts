import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DtmfDetector } from './detector.js';
import { DTMF_DIGITS } from './digits.js';
import { DBM0_SINE_PEAK, dbm0ToPower, powerToDbm0 } from './levels.js';
import { ALAW_DIGITAL_MILLIWATT, aLawDecode } from './testing/g711.js';
import {
  addNoise,
  detectAll,
  digitTone,
  noisePowerFor,
  seededRandom,
  SignalBuilder,
  toInt16,
} from './testing/signal.js';

const LEVELS = [-10, -15, -20, -25];

/** All 16 keys, 50 ms on / 50 ms off, both tones at `dbm0`, white noise at 20 dB SNR. */
function keypadRun(dbm0: number, seed: number): Int16Array {
  const b = new SignalBuilder().silence(100);
  for (const d of DTMF_DIGITS) b.tone(digitTone(d, { dbm0, ms: 50 })).silence(50);
  return toInt16(addNoise(b.silence(100).build(), noisePowerFor(dbm0, 20), seededRandom(seed)));
}

describe('DtmfDetector: levels and noise', () => {
  for (const dbm0 of LEVELS) {
    it(`detects each of the 16 keys exactly once at ${dbm0} dBm0 per tone, 50 ms on / 50 ms off, 20 dB SNR`, () => {
      for (const seed of [1, 2, 3]) {
        const det = new DtmfDetector();
        const events = detectAll(det, keypadRun(dbm0, seed + 100 * dbm0));
        assert.equal(events.map((e) => e.digit).join(''), DTMF_DIGITS.join(''), `seed ${seed}`);
        for (const [i, e] of events.entries()) {
          assert.ok(Math.abs(e.durationMs - 50) <= 6, `duration ${e.durationMs}`);
          assert.ok(Math.abs(e.timeMs - (100 + i * 100)) <= 6, `start ${e.timeMs}`);
          // Two tones at L dBm0 carry L + 3 dBm0 together.
          assert.ok(Math.abs(e.volume - (-dbm0 - 3)) <= 1, `volume ${e.volume}`);
        }
      }
    });
  }

  it('defines 0 dBm0 as a sine 3.14 dB below full scale, which the A-law digital milliwatt confirms', () => {
    assert.ok(Math.abs(DBM0_SINE_PEAK - 22827.06) < 0.01);
    assert.ok(Math.abs(powerToDbm0((32768 * 32768) / 2) - 3.14) < 1e-9);
    const dmw = ALAW_DIGITAL_MILLIWATT.map(aLawDecode);
    const power = dmw.reduce((a, x) => a + x * x, 0) / dmw.length;
    assert.ok(Math.abs(powerToDbm0(power)) < 0.01, `digital milliwatt reads ${powerToDbm0(power)} dBm0`);
    assert.ok(Math.abs((dbm0ToPower(-10) * 10) / dbm0ToPower(0) - 1) < 1e-12);
  });

  it('finds nothing in 20 s of white noise at −20 dBm0 or in silence', () => {
    const noise = toInt16(addNoise(new Float64Array(160_000), dbm0ToPower(-20), seededRandom(9)));
    assert.deepEqual(detectAll(new DtmfDetector(), noise), []);
    assert.deepEqual(detectAll(new DtmfDetector(), new Int16Array(16_000)), []);
  });
});

describe('DtmfDetector: streaming', () => {
  const pcm = keypadRun(-15, 77);
  const expected = detectAll(new DtmfDetector(), pcm);

  it('gives the same presses whatever the frame size (80, 160, 240 samples, or 7)', () => {
    for (const frame of [80, 240, 7, 1000]) {
      assert.deepEqual(detectAll(new DtmfDetector(), pcm, frame), expected, `frame ${frame}`);
    }
  });

  it('times presses on the clock of the frames it is given', () => {
    const shifted = detectAll(new DtmfDetector(), pcm, 160, 1_000_000);
    assert.deepEqual(
      shifted.map((e) => e.timeMs - 1_000_000),
      expected.map((e) => e.timeMs),
    );
  });

  it('reports a key held for 2 s once, with its duration, when it is released', () => {
    const det = new DtmfDetector();
    const pcm2 = toInt16(
      new SignalBuilder()
        .silence(40)
        .tone(digitTone('#', { ms: 2000 }))
        .silence(100)
        .build(),
    );
    const reported: [number, string, number][] = [];
    for (let at = 0; at < pcm2.length; at += 160) {
      for (const e of det.process(pcm2.subarray(at, at + 160), at / 8))
        reported.push([at / 8, e.digit, e.durationMs]);
    }
    assert.equal(reported.length, 1);
    const [frameMs, digit, durationMs] = reported[0] as [number, string, number];
    assert.equal(digit, '#');
    assert.ok(Math.abs(durationMs - 2000) <= 6, `duration ${durationMs}`);
    // The release is known once 40 ms of windows have missed: in the frame starting 40–60 ms after the tone.
    assert.ok(frameMs >= 2060 && frameMs <= 2100, `reported in the frame at ${frameMs} ms`);
  });

  it('flush drops a press that is still too short, and reset forgets everything', () => {
    const det = new DtmfDetector();
    det.process(toInt16(new SignalBuilder().tone(digitTone('1', { ms: 25 })).build()), 0);
    assert.deepEqual(det.flush(), []);
    det.process(toInt16(new SignalBuilder().tone(digitTone('1', { ms: 100 })).build()), 0);
    det.reset();
    assert.deepEqual(det.flush(), []);
  });

  it('counts why windows were rejected', () => {
    const det = new DtmfDetector();
    detectAll(det, keypadRun(-20, 5));
    const s = det.stats;
    const rejected = s.quiet + s.peak + s.ratio + s.unsteady + s.frequency + s.level + s.twist + s.harmonic;
    assert.equal(s.windows, s.hits + rejected);
    assert.ok(s.hits >= 16 * 7, `${s.hits} hits`);
  });

  it('refuses out-of-range options with DTMF_INVALID_ARGUMENT', () => {
    for (const bad of [
      { minHits: 0 },
      { frequencyTolerance: 0.2 },
      { minToneRatio: 1.5 },
      { minToneDbm0: 3 },
    ]) {
      assert.throws(() => new DtmfDetector(bad), { code: 'DTMF_INVALID_ARGUMENT' });
    }
  });
});
