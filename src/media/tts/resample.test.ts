import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { resamplePcm16 } from './resample.js';

function tone(hz: number, rate: number, seconds: number, amplitude = 10_000): Int16Array {
  const out = new Int16Array(Math.round(rate * seconds));
  for (let i = 0; i < out.length; i++)
    out[i] = Math.round(amplitude * Math.sin((2 * Math.PI * hz * i) / rate));
  return out;
}

/** RMS over the middle of the signal, away from the filter's edge transients. */
function midRms(x: Int16Array): number {
  const from = Math.floor(x.length * 0.2);
  const to = Math.floor(x.length * 0.8);
  let sum = 0;
  for (let i = from; i < to; i++) sum += x[i]! * x[i]!;
  return Math.sqrt(sum / (to - from));
}

/** Amplitude of `hz` in `x` (Goertzel-style correlation over the middle part). */
function amplitudeAt(x: Int16Array, rate: number, hz: number): number {
  const from = Math.floor(x.length * 0.2);
  const to = Math.floor(x.length * 0.8);
  let re = 0;
  let im = 0;
  for (let i = from; i < to; i++) {
    re += x[i]! * Math.cos((2 * Math.PI * hz * i) / rate);
    im += x[i]! * Math.sin((2 * Math.PI * hz * i) / rate);
  }
  return (2 * Math.hypot(re, im)) / (to - from);
}

const db = (ratio: number): number => 20 * Math.log10(ratio);

describe('resamplePcm16', () => {
  it('keeps the duration: 22 050 Hz to 8 kHz gives ceil(n × 8000 / 22050) samples', () => {
    assert.equal(resamplePcm16(new Int16Array(22_050), 22_050, 8000).length, 8000);
    assert.equal(resamplePcm16(new Int16Array(1000), 22_050, 8000).length, 363);
    assert.equal(resamplePcm16(new Int16Array(160), 8000, 48_000).length, 960);
    assert.equal(resamplePcm16(new Int16Array(0), 22_050, 8000).length, 0);
  });

  it('passes a 1 kHz tone through 22 050 → 8000 within 0.1 dB and at the right frequency', () => {
    const out = resamplePcm16(tone(1000, 22_050, 1), 22_050, 8000);
    const a = amplitudeAt(out, 8000, 1000);
    assert.ok(Math.abs(db(a / 10_000)) < 0.1, `gain ${db(a / 10_000).toFixed(3)} dB`);
    assert.ok(amplitudeAt(out, 8000, 1100) < 100, 'energy stays at 1 kHz');
  });

  it('is flat to 3400 Hz, the top of the telephone band, and rejects 4200 Hz and up by 75 dB', () => {
    for (const hz of [300, 1000, 3000, 3400]) {
      const gain = db(midRms(resamplePcm16(tone(hz, 22_050, 0.5), 22_050, 8000)) / 7071);
      assert.ok(Math.abs(gain) < 0.1, `${hz} Hz: ${gain.toFixed(2)} dB`);
    }
    for (const hz of [4200, 4600, 6000, 9000]) {
      const gain = db(Math.max(midRms(resamplePcm16(tone(hz, 22_050, 0.5), 22_050, 8000)), 1e-3) / 7071);
      assert.ok(gain < -75, `${hz} Hz: ${gain.toFixed(1)} dB`);
    }
  });

  it('rejects a 5 kHz tone (which would alias to 3 kHz) by more than 60 dB', () => {
    const out = resamplePcm16(tone(5000, 22_050, 1), 22_050, 8000);
    const alias = amplitudeAt(out, 8000, 3000);
    assert.ok(db(Math.max(alias, 1e-3) / 10_000) < -60, `alias at ${db(alias / 10_000).toFixed(1)} dB`);
    assert.ok(db(midRms(out) / 7071) < -60);
  });

  it('keeps a constant level constant (unit DC gain in every phase)', () => {
    const out = resamplePcm16(new Int16Array(4410).fill(1000), 44_100, 8000);
    for (let i = 100; i < out.length - 100; i++)
      assert.ok(Math.abs(out[i]! - 1000) <= 1, `sample ${i}: ${out[i]}`);
  });

  it('upsamples 8 kHz to 16 kHz without imaging: a 1 kHz tone stays 1 kHz', () => {
    const out = resamplePcm16(tone(1000, 8000, 0.5), 8000, 16_000);
    assert.ok(Math.abs(db(amplitudeAt(out, 16_000, 1000) / 10_000)) < 0.1);
    assert.ok(db(amplitudeAt(out, 16_000, 7000) / 10_000) < -60, 'no image at 8000 − 1000 Hz');
  });

  it('handles awkward rate pairs (quantised phases) and clamps instead of wrapping', () => {
    const out = resamplePcm16(tone(440, 44_100, 0.2, 32_767), 44_100, 8001);
    assert.equal(out.length, Math.ceil((8820 * 8001) / 44_100));
    assert.ok(Math.abs(db(amplitudeAt(out, 8001, 440) / 32_767)) < 0.2);
  });

  it('returns a copy when the rates are equal, and refuses nonsense rates', () => {
    const x = tone(100, 8000, 0.01);
    const y = resamplePcm16(x, 8000, 8000);
    assert.deepEqual(y, x);
    assert.notEqual(y, x);
    assert.throws(() => resamplePcm16(x, 0, 8000), RangeError);
    assert.throws(() => resamplePcm16(x, 8000.5, 8000), RangeError);
  });
});
