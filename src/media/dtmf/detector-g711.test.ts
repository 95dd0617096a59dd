/**
 * DTMF that crossed a G.711 hop: the generated tones are encoded to µ-law or A-law and
 * decoded again (test-kit codec) before detection, as the media engine will see them.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DtmfDetector } from './detector.js';
import { DTMF_DIGITS } from './digits.js';
import { g711RoundTrip } from './testing/g711.js';
import {
  addNoise,
  detectAll,
  digitTone,
  noisePowerFor,
  seededRandom,
  SignalBuilder,
  toInt16,
} from './testing/signal.js';

function keypad(dbm0: number, seed: number, shift = 0): Int16Array {
  const b = new SignalBuilder().silence(100);
  for (const d of DTMF_DIGITS)
    b.tone(digitTone(d, { dbm0, ms: 50, lowShift: shift, highShift: -shift })).silence(50);
  return toInt16(addNoise(b.silence(100).build(), noisePowerFor(dbm0, 20), seededRandom(seed)));
}

describe('DtmfDetector after G.711', () => {
  for (const law of ['mu', 'a'] as const) {
    const name = law === 'mu' ? 'µ-law' : 'A-law';

    it(`detects all 16 keys once at −10 … −25 dBm0 with 20 dB SNR after ${name}`, () => {
      for (const dbm0 of [-10, -15, -20, -25]) {
        const events = detectAll(new DtmfDetector(), g711RoundTrip(keypad(dbm0, 500 - dbm0), law));
        assert.equal(events.map((e) => e.digit).join(''), DTMF_DIGITS.join(''), `${dbm0} dBm0`);
      }
    });

    it(`detects keys 1.5 % off at −25 dBm0 after ${name}`, () => {
      for (const shift of [0.015, -0.015]) {
        const events = detectAll(new DtmfDetector(), g711RoundTrip(keypad(-25, 7, shift), law));
        assert.equal(events.map((e) => e.digit).join(''), DTMF_DIGITS.join(''), `${shift}`);
      }
    });
  }
});
