/**
 * The ITU-T Q.24-style acceptance rules of the in-band detector, one behaviour per test.
 * Every signal carries white Gaussian noise 20 dB below the tone pair (seeded).
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DtmfDetector } from './detector.js';
import { DTMF_DIGITS } from './digits.js';
import {
  addNoise,
  detectAll,
  digitTone,
  noisePowerFor,
  seededRandom,
  SignalBuilder,
  toInt16,
  type DigitToneOptions,
} from './testing/signal.js';
import type { DtmfDigit } from './types.js';

const rand = seededRandom(2024);

/** Detects a signal built by `build` after 60 ms of lead-in, with noise 20 dB under `dbm0`. */
function detect(build: (b: SignalBuilder) => void, dbm0 = -20): string {
  const b = new SignalBuilder().silence(60);
  build(b);
  const x = addNoise(b.silence(100).build(), noisePowerFor(dbm0, 20), rand);
  return detectAll(new DtmfDetector(), toInt16(x))
    .map((e) => e.digit)
    .join('');
}

function key(digit: DtmfDigit, o: DigitToneOptions): string {
  return detect((b) => b.tone(digitTone(digit, o)), o.dbm0 ?? -20);
}

const SHIFTS = (s: number): [number, number][] => [
  [s, s],
  [-s, -s],
  [s, 0],
  [0, s],
  [-s, 0],
  [0, -s],
  [s, -s],
  [-s, s],
];

describe('DtmfDetector: frequency tolerance', () => {
  it('detects every key with its tones 1.5 % off, either way, one or both groups, at −10 and −25 dBm0', () => {
    for (const dbm0 of [-10, -25]) {
      for (const [lowShift, highShift] of SHIFTS(0.015)) {
        for (const d of DTMF_DIGITS)
          assert.equal(key(d, { dbm0, lowShift, highShift }), d, `${d} ${lowShift} ${highShift}`);
      }
    }
  });

  it('rejects every key with a tone 3.5 % off, either way, one or both groups, at −10 and −25 dBm0', () => {
    for (const dbm0 of [-10, -25]) {
      for (const [lowShift, highShift] of SHIFTS(0.035)) {
        for (const d of DTMF_DIGITS)
          assert.equal(key(d, { dbm0, lowShift, highShift }), '', `${d} ${lowShift} ${highShift}`);
      }
    }
  });
});

describe('DtmfDetector: level and twist', () => {
  it('accepts tones from −28 dBm0 up to 0 dBm0 and rejects them at −34 dBm0', () => {
    for (const d of DTMF_DIGITS) {
      assert.equal(key(d, { dbm0: -28 }), d);
      assert.equal(key(d, { dbm0: 0 }), d);
      assert.equal(key(d, { dbm0: -34 }), '');
    }
  });

  it('accepts the high group up to 8 dB weaker (normal twist) or 4 dB stronger (reverse twist)', () => {
    for (const d of DTMF_DIGITS) {
      assert.equal(key(d, { dbm0: -12, twistDb: -7.5 }), d, `${d} normal`);
      assert.equal(key(d, { dbm0: -16, twistDb: 3.5 }), d, `${d} reverse`);
    }
  });

  it('rejects twist beyond the limits: high group 9 or 10 dB weaker, or 5 or 6 dB stronger', () => {
    for (const d of DTMF_DIGITS) {
      for (const twistDb of [-9, -10, 5, 6])
        assert.equal(key(d, { dbm0: -12, twistDb }), '', `${d} ${twistDb}`);
    }
  });
});

describe('DtmfDetector: timing', () => {
  const ALIGN = Array.from({ length: 40 }, (_, i) => i * 0.125);
  const SOME: DtmfDigit[] = ['1', '5', '9', '*', '0', 'D'];

  it('rejects tones shorter than 23 ms (15, 20, 22 ms) at every alignment to the 5 ms hop', () => {
    for (const ms of [15, 20, 22]) {
      for (const lead of ALIGN) {
        for (const d of SOME)
          assert.equal(
            detect((b) => b.silence(lead).tone(digitTone(d, { ms }))),
            '',
            `${d} ${ms} ms +${lead}`,
          );
      }
    }
  });

  it('accepts 40 ms tones at every alignment to the 5 ms hop', () => {
    for (const lead of ALIGN) {
      for (const d of SOME)
        assert.equal(
          detect((b) => b.silence(lead).tone(digitTone(d, { ms: 40 }))),
          d,
          `${d} +${lead}`,
        );
    }
  });

  it('reports two presses of one key separated by a 40 ms pause', () => {
    for (const lead of ALIGN.slice(0, 10)) {
      for (const d of SOME) {
        const got = detect((b) =>
          b
            .silence(lead)
            .tone(digitTone(d, { ms: 45 }))
            .silence(40)
            .tone(digitTone(d, { ms: 45 })),
        );
        assert.equal(got, d + d, `${d} +${lead}`);
      }
    }
  });

  it('bridges a 10 ms interruption within one press', () => {
    for (const lead of ALIGN.slice(0, 10)) {
      for (const d of SOME) {
        const got = detect((b) =>
          b
            .silence(lead)
            .tone(digitTone(d, { ms: 60 }))
            .silence(10)
            .tone(digitTone(d, { ms: 60 })),
        );
        assert.equal(got, d, `${d} +${lead}`);
      }
    }
  });

  it('reports a change of key without a pause as two presses', () => {
    assert.equal(
      detect((b) => b.tone(digitTone('4', { ms: 80 })).tone(digitTone('8', { ms: 80 }))),
      '48',
    );
  });
});

describe('DtmfDetector: what is not a digit', () => {
  it('rejects single tones: a row or column alone, 1000 Hz, dial tone 350+440 Hz, China 450 Hz', () => {
    for (const parts of [
      [[697, -10]],
      [[1633, -10]],
      [[1000, -5]],
      [
        [350, -13],
        [440, -13],
      ],
      [[450, -10]],
    ] as const) {
      assert.equal(
        detect((b) => b.sines(parts, 1000), -10),
        '',
        JSON.stringify(parts),
      );
    }
  });

  it('rejects a chord of two rows and one column (relative-peak rule)', () => {
    const chord = [
      [697, -15],
      [770, -20],
      [1209, -15],
    ] as const;
    assert.equal(
      detect((b) => b.sines(chord, 200), -15),
      '',
    );
    assert.equal(
      detect((b) => b.sines([...chord.slice(0, 1), [770, -30], chord[2]], 200), -15),
      '1',
      'a weak third tone',
    );
  });

  it('rejects a key whose tones carry second harmonics 6 dB down, as voiced speech does (talk-off)', () => {
    const withHarmonics = (low: number, high: number, h: number) =>
      [
        [low, -15],
        [high, -15],
        [2 * low, -15 - h],
        [2 * high, -15 - h],
      ] as const;
    for (const [d, low, high] of [
      ['1', 697, 1209],
      ['5', 770, 1336],
      ['#', 941, 1477],
      ['D', 941, 1633],
    ] as const) {
      assert.equal(
        detect((b) => b.sines(withHarmonics(low, high, 6), 100), -15),
        '',
        d,
      );
      assert.equal(
        detect((b) => b.sines(withHarmonics(low, high, 20), 100), -15),
        d,
        `${d} with −20 dB harmonics`,
      );
    }
  });

  it('rejects a key whose tones are two harmonics of one voice, by the comb of harmonics around them', () => {
    // f0 = 238.5 Hz: harmonics 4 and 5 land within 1.5 % of 941 and 1209 Hz (the * key).
    const f0 = 238.5;
    const pair = [
      [4 * f0, -15],
      [5 * f0, -15],
    ] as const;
    assert.equal(
      detect((b) => b.sines(pair, 120), -15),
      '*',
      'the pair alone is a valid *',
    );
    const voice = [...pair, [3 * f0, -26], [6 * f0, -26]] as const;
    assert.equal(
      detect((b) => b.sines(voice, 120), -15),
      '',
      'with harmonics 3 and 6 only 11 dB down',
    );
  });

  it('rejects a pair whose frequencies glide during the press, as a voice does, and accepts it steady', () => {
    const glide = (from: number, to: number) =>
      detect((b) =>
        b.glide(
          [
            [852 * (1 + from), 852 * (1 + to), -15],
            [1336 * (1 + from), 1336 * (1 + to), -15],
          ],
          150,
        ),
      );
    assert.equal(glide(0.012, 0.012), '8');
    assert.equal(glide(0.015, -0.015), '', 'sliding 3 % in 150 ms');
    assert.equal(glide(-0.015, 0.015), '');
  });
});
