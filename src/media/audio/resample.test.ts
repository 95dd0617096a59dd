import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Resampler, resample } from './resample.js';

function tone(rate: number, hz: number, seconds: number, amplitude = 10000): Int16Array {
  return Int16Array.from({ length: Math.round(rate * seconds) }, (_, i) =>
    Math.round(amplitude * Math.sin((2 * Math.PI * hz * i) / rate)),
  );
}

/** A logarithmic sweep from f0 to f1 over `seconds`. */
function sweep(rate: number, f0: number, f1: number, seconds: number, amplitude = 10000): Int16Array {
  const n = Math.round(rate * seconds);
  const k = Math.log(f1 / f0);
  return Int16Array.from({ length: n }, (_, i) => {
    const t = i / rate;
    const phase = ((2 * Math.PI * f0 * seconds) / k) * (Math.exp((k * t) / seconds) - 1);
    return Math.round(amplitude * Math.sin(phase));
  });
}

/** RMS over the middle of a signal, away from the edges of the filter. */
function rmsMiddle(x: Int16Array, margin = 0.1): number {
  const from = Math.floor(x.length * margin);
  const to = Math.ceil(x.length * (1 - margin));
  let sum = 0;
  for (let i = from; i < to; i++) sum += x[i]! * x[i]!;
  return Math.sqrt(sum / (to - from));
}

/** Magnitude of one frequency (Goertzel), normalised to a sine's amplitude. */
function amplitudeAt(x: Int16Array, rate: number, hz: number): number {
  const w = (2 * Math.PI * hz) / rate;
  let s1 = 0;
  let s2 = 0;
  for (const v of x) {
    const s = v + 2 * Math.cos(w) * s1 - s2;
    s2 = s1;
    s1 = s;
  }
  return (2 * Math.sqrt(s1 * s1 + s2 * s2 - 2 * Math.cos(w) * s1 * s2)) / x.length;
}

const db = (ratio: number): number => 20 * Math.log10(ratio);

describe('Resampler', () => {
  it('reduces the ratio: 48k→8k is 1/6, 44.1k→8k is 80/441', () => {
    assert.deepEqual([new Resampler(48000, 8000).up, new Resampler(48000, 8000).down], [1, 6]);
    const r = new Resampler(44100, 8000);
    assert.deepEqual([r.up, r.down], [80, 441]);
  });

  it('keeps a 100–3300 Hz sweep at 48 kHz within 0.2 dB when converting to 8 kHz', () => {
    const input = sweep(48000, 100, 3300, 2);
    const output = resample(input, 48000, 8000);
    assert.equal(output.length, input.length / 6);
    assert.ok(Math.abs(db(rmsMiddle(output) / rmsMiddle(input))) < 0.2);
  });

  it('suppresses tones that would alias into the telephone band by more than 40 dB', () => {
    for (const hz of [4700, 5000, 6000, 7900, 9000, 12000, 15500, 21000]) {
      const input = tone(48000, hz, 0.5);
      const output = resample(input, 48000, 8000);
      const suppression = db(rmsMiddle(output) / rmsMiddle(input));
      assert.ok(suppression < -40, `${hz} Hz leaks at ${suppression.toFixed(1)} dB`);
    }
  });

  it('converts 44.1 kHz to 8 kHz with the same passband and stopband', () => {
    const pass = resample(tone(44100, 1000, 0.5), 44100, 8000);
    assert.ok(Math.abs(db(amplitudeAt(pass.subarray(400, 3600), 8000, 1000) / 10000)) < 0.1);
    const stop = resample(tone(44100, 6000, 0.5), 44100, 8000);
    assert.ok(db(rmsMiddle(stop) / 7071) < -40);
  });

  it('upsamples 8 kHz to 16 kHz keeping the tone and suppressing its image', () => {
    const out = resample(tone(8000, 1000, 0.5), 8000, 16000);
    const mid = out.subarray(800, 7200);
    assert.ok(Math.abs(db(amplitudeAt(mid, 16000, 1000) / 10000)) < 0.1);
    assert.ok(db(amplitudeAt(mid, 16000, 7000) / 10000) < -40, 'the image at 8000 − 1000 Hz');
  });

  it('is aligned in time: a one-shot conversion keeps a tone in phase', () => {
    const out = resample(tone(48000, 500, 0.2), 48000, 8000);
    const ref = tone(8000, 500, 0.2);
    for (let i = 200; i < 1400; i += 37) assert.ok(Math.abs(out[i]! - ref[i]!) < 60, `sample ${i}`);
  });

  it('gives the same samples streamed in 20 ms chunks as in one go', () => {
    const input = sweep(48000, 200, 3000, 0.5);
    const whole = resample(input, 48000, 8000);
    const r = new Resampler(48000, 8000);
    const out = new Int16Array(r.maxOutputFor(960));
    const streamed: number[] = [];
    for (let at = 0; at < input.length; at += 960) {
      const n = r.process(input.subarray(at, at + 960), out);
      streamed.push(...out.subarray(0, n));
    }
    const n = r.flush(out);
    streamed.push(...out.subarray(0, n));
    assert.deepEqual(Int16Array.from(streamed), whole);
  });

  it('produces exactly 160 samples per 20 ms of 48 kHz input once primed', () => {
    const r = new Resampler(48000, 8000);
    const out = new Int16Array(r.maxOutputFor(960));
    const counts = Array.from({ length: 5 }, () => r.process(new Int16Array(960), out));
    assert.ok(
      counts.slice(1).every((c) => c === 160),
      String(counts),
    );
    // The centred filter looks 72 input samples (12 outputs, 1.5 ms) ahead.
    assert.equal(counts[0], 160 - 12);
  });

  it('refuses rates that are not positive integers', () => {
    assert.throws(() => new Resampler(0, 8000), { code: 'MEDIA_INVALID_ARGUMENT' });
    assert.throws(() => new Resampler(44100.5, 8000), { code: 'MEDIA_INVALID_ARGUMENT' });
  });
});
