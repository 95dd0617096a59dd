/**
 * Tone rendering, stateless by sample index: sample n of a tone is a function of n only,
 * so a stream keeps a sample counter and asks for [n, n + 160) each tick; the phase is
 * continuous across frames because it is computed from n, not carried.
 *
 * Per frame, each component's phase at the first sample is computed exactly (reduced
 * modulo one cycle before multiplying by 2π, so hours-long tones stay exact); the
 * samples then follow from the two-term recurrence sin((k+1)ω) = 2cos ω · sin(kω) −
 * sin((k−1)ω), which costs one multiply-add per sample and drifts by < 1e-12 over a
 * frame. Cadence edges get a 2 ms linear ramp to avoid clicks.
 */
import { MediaError } from '../errors.js';
import { dbm0ToSinePeak } from '../audio/level.js';
import type { ToneSpec } from './types.js';

export interface CompiledTone {
  readonly sampleRate: number;
  readonly frequencies: readonly number[];
  readonly peak: number;
  /** Cadence as sample offsets: [onStart, onEnd) per step, within one cycle. */
  readonly onStarts: Int32Array;
  readonly onEnds: Int32Array;
  /** Samples per cadence cycle, 0 for a continuous tone. */
  readonly cycle: number;
  readonly repeat: boolean;
  readonly ramp: number;
}

const RAMP_MS = 2;

/** Validates a tone and precomputes what rendering needs. */
export function compileTone(spec: ToneSpec, sampleRate = 8000): CompiledTone {
  const nyquist = sampleRate / 2;
  if (spec.frequencies.length === 0 || spec.frequencies.some((f) => !(f > 0 && f < nyquist))) {
    throw new MediaError('MEDIA_INVALID_ARGUMENT', `tone frequencies must lie in (0, ${nyquist}) Hz`);
  }
  if (!Number.isFinite(spec.levelDbm0) || spec.levelDbm0 > 3) {
    throw new MediaError('MEDIA_INVALID_ARGUMENT', `tone level ${spec.levelDbm0} dBm0 is not playable`);
  }
  const onStarts = new Int32Array(spec.cadence.length);
  const onEnds = new Int32Array(spec.cadence.length);
  let at = 0;
  spec.cadence.forEach((step, i) => {
    if (!(step.onMs >= 0 && step.offMs >= 0))
      throw new MediaError('MEDIA_INVALID_ARGUMENT', 'negative cadence step');
    onStarts[i] = at;
    at += Math.round((step.onMs * sampleRate) / 1000);
    onEnds[i] = at;
    at += Math.round((step.offMs * sampleRate) / 1000);
  });
  if (spec.cadence.length > 0 && at === 0) throw new MediaError('MEDIA_INVALID_ARGUMENT', 'empty cadence');
  return {
    sampleRate,
    frequencies: [...spec.frequencies],
    peak: dbm0ToSinePeak(spec.levelDbm0),
    onStarts,
    onEnds,
    cycle: at,
    repeat: spec.repeat ?? true,
    ramp: Math.max(1, Math.round((RAMP_MS * sampleRate) / 1000)),
  };
}

/** Gain (0…1) of the cadence at absolute sample `n`. */
export function cadenceGain(tone: CompiledTone, n: number): number {
  if (tone.cycle === 0) return 1;
  if (!tone.repeat && n >= tone.cycle) return 0;
  const pos = n % tone.cycle;
  for (let i = 0; i < tone.onStarts.length; i++) {
    const start = tone.onStarts[i]!;
    const end = tone.onEnds[i]!;
    if (pos < start || pos >= end) continue;
    const edge = Math.min(pos - start + 1, end - pos);
    return edge >= tone.ramp ? 1 : edge / tone.ramp;
  }
  return 0;
}

/** True when the whole range [n, n + length) is silent, so rendering can skip the oscillators. */
function silentRange(tone: CompiledTone, n: number, length: number): boolean {
  if (tone.cycle === 0) return false;
  if (!tone.repeat) return n >= tone.cycle;
  const pos = n % tone.cycle;
  if (pos + length > tone.cycle) return false;
  for (let i = 0; i < tone.onStarts.length; i++) {
    if (pos < tone.onEnds[i]! && pos + length > tone.onStarts[i]!) return false;
  }
  return true;
}

/** True when every sample of [n, n + length) has gain 1 (inside an "on" step, clear of its ramps). */
function steadyRange(tone: CompiledTone, n: number, length: number): boolean {
  if (tone.cycle === 0) return true;
  if (!tone.repeat && n + length > tone.cycle) return false;
  const pos = n % tone.cycle;
  for (let i = 0; i < tone.onStarts.length; i++) {
    if (pos >= tone.onStarts[i]! + tone.ramp - 1 && pos + length <= tone.onEnds[i]! - tone.ramp + 1)
      return true;
  }
  return false;
}

/** Phase (radians, in [0, 2π)) of frequency `f` at sample `n`. */
function phaseAt(f: number, n: number, rate: number): number {
  // Integer frequencies reduce exactly; others through the fractional part of the cycle count.
  const cycles = Number.isInteger(f) ? ((f * n) % rate) / rate : (f * n) / rate - Math.floor((f * n) / rate);
  return 2 * Math.PI * cycles;
}

/**
 * Writes samples [startSample, startSample + length) of the tone into `out` (overwriting).
 * The same arguments always give the same samples.
 */
export function renderTone(
  tone: CompiledTone,
  startSample: number,
  out: Int16Array,
  length = out.length,
): void {
  if (!Number.isSafeInteger(startSample) || startSample < 0 || length > out.length) {
    throw new MediaError('MEDIA_INVALID_ARGUMENT', 'renderTone: bad start sample or length');
  }
  out.fill(0, 0, length);
  if (silentRange(tone, startSample, length)) return;
  // Sum the components into `out` via a float accumulation per component.
  const acc = scratch(length);
  acc.fill(0, 0, length);
  for (const f of tone.frequencies) {
    const w = (2 * Math.PI * f) / tone.sampleRate;
    const c2 = 2 * Math.cos(w);
    const theta = phaseAt(f, startSample, tone.sampleRate);
    let prev = tone.peak * Math.sin(theta - w);
    let cur = tone.peak * Math.sin(theta);
    for (let i = 0; i < length; i++) {
      acc[i] = acc[i]! + cur;
      const next = c2 * cur - prev;
      prev = cur;
      cur = next;
    }
  }
  const steady = steadyRange(tone, startSample, length);
  for (let i = 0; i < length; i++) {
    const g = steady ? 1 : cadenceGain(tone, startSample + i);
    if (g === 0) continue;
    const v = Math.round(acc[i]! * g);
    out[i] = v > 32767 ? 32767 : v < -32768 ? -32768 : v;
  }
}

let scratchBuffer = new Float64Array(160);

/** A per-thread accumulator reused across calls (grown only for longer frames). */
function scratch(length: number): Float64Array {
  if (scratchBuffer.length < length) scratchBuffer = new Float64Array(length);
  return scratchBuffer;
}

/** Renders `durationMs` of a tone from sample 0 (for files and tests; allocates). */
export function renderToneSamples(spec: ToneSpec, durationMs: number, sampleRate = 8000): Int16Array {
  const out = new Int16Array(Math.round((durationMs * sampleRate) / 1000));
  renderTone(compileTone(spec, sampleRate), 0, out);
  return out;
}
