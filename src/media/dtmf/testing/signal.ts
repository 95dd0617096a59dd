/**
 * Test signals for the in-band detector: dual tones at exact dBm0 levels, silence, seeded
 * white Gaussian noise, and a driver that feeds a detector 20 ms frames.
 */
import { tonesOf } from '../digits.js';
import { dbm0ToPeak, dbm0ToPower } from '../levels.js';
import type { DtmfDetector } from '../detector.js';
import type { DtmfDigit, InbandDigitEvent } from '../types.js';
export { seededRandom } from '../../../platform/random.js';

export const RATE = 8000;

/** Standard normal samples (Box–Muller) from a uniform source. */
export function gaussian(rand: () => number): () => number {
  return () => Math.sqrt(-2 * Math.log(1 - rand())) * Math.cos(2 * Math.PI * rand());
}

export interface ToneSpec {
  readonly lowHz: number;
  readonly highHz: number;
  /** Level of each tone, dBm0. */
  readonly lowDbm0: number;
  readonly highDbm0: number;
  readonly ms: number;
}

export interface DigitToneOptions {
  /** Level of the low-group tone, dBm0 (default −20). */
  readonly dbm0?: number;
  readonly ms?: number;
  /** Relative frequency error of each tone, e.g. 0.015 for +1.5 %. */
  readonly lowShift?: number;
  readonly highShift?: number;
  /** High-group level minus low-group level, dB (default 0). */
  readonly twistDb?: number;
}

/** The tone pair of a key, optionally detuned and twisted. */
export function digitTone(digit: DtmfDigit, o: DigitToneOptions = {}): ToneSpec {
  const { lowHz, highHz } = tonesOf(digit);
  const dbm0 = o.dbm0 ?? -20;
  return {
    lowHz: lowHz * (1 + (o.lowShift ?? 0)),
    highHz: highHz * (1 + (o.highShift ?? 0)),
    lowDbm0: dbm0,
    highDbm0: dbm0 + (o.twistDb ?? 0),
    ms: o.ms ?? 60,
  };
}

/** Builds a signal piece by piece, in floating point (Int16 units). */
export class SignalBuilder {
  private readonly parts: Float64Array[] = [];
  private phase = 0.3;

  tone(spec: ToneSpec): this {
    const n = Math.round((spec.ms * RATE) / 1000);
    const a = dbm0ToPeak(spec.lowDbm0);
    const b = dbm0ToPeak(spec.highDbm0);
    const out = new Float64Array(n);
    const wl = (2 * Math.PI * spec.lowHz) / RATE;
    const wh = (2 * Math.PI * spec.highHz) / RATE;
    // Vary the starting phases from tone to tone, as a real keypad does.
    this.phase = (this.phase * 7.31 + 1.7) % (2 * Math.PI);
    for (let i = 0; i < n; i++)
      out[i] = a * Math.sin(wl * i + this.phase) + b * Math.sin(wh * i + 2 * this.phase);
    this.parts.push(out);
    return this;
  }

  /** Any sum of sines: `[hz, dbm0]` pairs, for chords, harmonics and single tones. */
  sines(parts: readonly (readonly [number, number])[], ms: number): this {
    const n = Math.round((ms * RATE) / 1000);
    const out = new Float64Array(n);
    for (const [k, [hz, dbm0]] of parts.entries()) {
      const a = dbm0ToPeak(dbm0);
      const w = (2 * Math.PI * hz) / RATE;
      for (let i = 0; i < n; i++) out[i] = (out[i] as number) + a * Math.sin(w * i + k);
    }
    this.parts.push(out);
    return this;
  }

  /** Sines whose frequencies move linearly: `[fromHz, toHz, dbm0]` triples. */
  glide(parts: readonly (readonly [number, number, number])[], ms: number): this {
    const n = Math.round((ms * RATE) / 1000);
    const out = new Float64Array(n);
    for (const [k, [from, to, dbm0]] of parts.entries()) {
      const a = dbm0ToPeak(dbm0);
      let phase = k;
      for (let i = 0; i < n; i++) {
        out[i] = (out[i] as number) + a * Math.sin(phase);
        phase += (2 * Math.PI * (from + ((to - from) * i) / n)) / RATE;
      }
    }
    this.parts.push(out);
    return this;
  }

  silence(ms: number): this {
    this.parts.push(new Float64Array(Math.round((ms * RATE) / 1000)));
    return this;
  }

  samples(x: Float64Array): this {
    this.parts.push(x);
    return this;
  }

  build(): Float64Array {
    const out = new Float64Array(this.parts.reduce((n, p) => n + p.length, 0));
    let at = 0;
    for (const p of this.parts) {
      out.set(p, at);
      at += p.length;
    }
    return out;
  }
}

/** Adds white Gaussian noise of the given mean-square power (Int16 units²), in place. */
export function addNoise(x: Float64Array, power: number, rand: () => number): Float64Array {
  const g = gaussian(rand);
  const sigma = Math.sqrt(power);
  for (let i = 0; i < x.length; i++) x[i] = (x[i] as number) + sigma * g();
  return x;
}

/** Noise power for `snrDb` below a dual tone with both tones at `dbm0`. */
export function noisePowerFor(dbm0: number, snrDb: number): number {
  return (2 * dbm0ToPower(dbm0)) / 10 ** (snrDb / 10);
}

export function toInt16(x: Float64Array): Int16Array {
  const out = new Int16Array(x.length);
  for (let i = 0; i < x.length; i++) out[i] = Math.max(-32768, Math.min(32767, Math.round(x[i] as number)));
  return out;
}

/** Mixes `b` into `a` starting at sample `at`, in place. */
export function mixInto(a: Float64Array, b: Float64Array, at: number): Float64Array {
  for (let i = 0; i < b.length && at + i < a.length; i++)
    a[at + i] = (a[at + i] as number) + (b[i] as number);
  return a;
}

/** Feeds `pcm` in frames (default 20 ms) starting at `t0` ms; returns every press, flushed. */
export function detectAll(detector: DtmfDetector, pcm: Int16Array, frame = 160, t0 = 0): InbandDigitEvent[] {
  const events: InbandDigitEvent[] = [];
  for (let at = 0; at < pcm.length; at += frame) {
    events.push(...detector.process(pcm.subarray(at, at + frame), t0 + (at * 1000) / RATE));
  }
  events.push(...detector.flush());
  return events;
}
