/**
 * Test signals and the measurements the media tests make on what came back: sines for
 * "who hears which frequency" (Goertzel), seeded band-limited noise for "is this the same
 * waveform" (normalized cross-correlation). Noise rather than a tone for the latter: it is
 * never periodic, so a correlation peak can only mean the same audio at one delay, and two
 * seeds give signals whose correlation stays near zero at every lag.
 */

export const RATE = 8000;

const toInt16 = (x: number) => Math.max(-32768, Math.min(32767, Math.round(x)));

/** A sine at `dbfs` (peak level relative to full scale). */
export function sine(freqHz: number, seconds: number, dbfs = -12): Int16Array {
  const amplitude = 32767 * 10 ** (dbfs / 20);
  const out = new Int16Array(Math.round(seconds * RATE));
  for (let n = 0; n < out.length; n++)
    out[n] = toInt16(amplitude * Math.sin((2 * Math.PI * freqHz * n) / RATE));
  return out;
}

/** A small deterministic generator (xorshift32) so every run sends the same noise. */
function random(seed: number): () => number {
  let state = seed >>> 0 || 0x9e3779b9;
  return () => {
    state ^= state << 13;
    state >>>= 0;
    state ^= state >>> 17;
    state ^= state << 5;
    state >>>= 0;
    return state / 0x100000000 - 0.5;
  };
}

/**
 * Noise in the telephone band (about 300–3400 Hz: one-pole high- and low-pass filters) at
 * an RMS of `dbfs`. Different seeds give uncorrelated signals.
 */
export function bandNoise(seed: number, seconds: number, dbfs = -20): Int16Array {
  const next = random(seed);
  const raw = new Float64Array(Math.round(seconds * RATE));
  const hp = Math.exp((-2 * Math.PI * 300) / RATE);
  const lp = 1 - Math.exp((-2 * Math.PI * 3400) / RATE);
  let prevIn = 0;
  let high = 0;
  let low = 0;
  for (let n = 0; n < raw.length; n++) {
    const x = next();
    high = hp * (high + x - prevIn);
    prevIn = x;
    low += lp * (high - low);
    raw[n] = low;
  }
  let power = 0;
  for (const x of raw) power += x * x;
  const gain = (32767 * 10 ** (dbfs / 20)) / Math.sqrt(power / raw.length || 1);
  return Int16Array.from(raw, (x) => toInt16(x * gain));
}

export function toFloat(samples: Int16Array): Float32Array {
  return Float32Array.from(samples, (s) => s / 32768);
}

/** RMS of samples in -1..1, in dBFS (−Infinity for digital silence). */
export function levelDbfs(samples: Float32Array, from = 0, to = samples.length): number {
  let sum = 0;
  for (let i = from; i < to; i++) sum += (samples[i] as number) ** 2;
  return to > from ? 10 * Math.log10(sum / (to - from)) : -Infinity;
}

/**
 * Power of one frequency in the samples (Goertzel), as the mean square amplitude it
 * carries: a sine of peak A gives about A²/2 whatever the length.
 */
export function tonePower(samples: Float32Array, freqHz: number): number {
  const n = samples.length;
  if (n === 0) return 0;
  const coeff = 2 * Math.cos((2 * Math.PI * freqHz) / RATE);
  let s1 = 0;
  let s2 = 0;
  for (let i = 0; i < n; i++) {
    const s0 = (samples[i] as number) + coeff * s1 - s2;
    s2 = s1;
    s1 = s0;
  }
  const power = s1 * s1 + s2 * s2 - coeff * s1 * s2;
  return (2 * power) / (n * n);
}

export const toDb = (power: number) => 10 * Math.log10(power);

// --- cross-correlation --------------------------------------------------------------------

/** In-place radix-2 FFT of (re, im), length a power of two; `inverse` scales by 1/n. */
function fft(re: Float64Array, im: Float64Array, inverse: boolean): void {
  const n = re.length;
  for (let i = 1, j = 0; i < n; i++) {
    let bit = n >> 1;
    for (; j & bit; bit >>= 1) j ^= bit;
    j ^= bit;
    if (i < j) {
      [re[i], re[j]] = [re[j] as number, re[i] as number];
      [im[i], im[j]] = [im[j] as number, im[i] as number];
    }
  }
  for (let size = 2; size <= n; size <<= 1) {
    const angle = ((inverse ? 2 : -2) * Math.PI) / size;
    const [wr, wi] = [Math.cos(angle), Math.sin(angle)];
    for (let start = 0; start < n; start += size) {
      let [cr, ci] = [1, 0];
      for (let k = 0; k < size / 2; k++) {
        const a = start + k;
        const b = a + size / 2;
        const tr = (re[b] as number) * cr - (im[b] as number) * ci;
        const ti = (re[b] as number) * ci + (im[b] as number) * cr;
        re[b] = (re[a] as number) - tr;
        im[b] = (im[a] as number) - ti;
        re[a] = (re[a] as number) + tr;
        im[a] = (im[a] as number) + ti;
        [cr, ci] = [cr * wr - ci * wi, cr * wi + ci * wr];
      }
    }
  }
  if (!inverse) return;
  for (let i = 0; i < n; i++) {
    re[i] = (re[i] as number) / n;
    im[i] = (im[i] as number) / n;
  }
}

export interface Match {
  /** Where in the reference the window matches best (sample index of its first sample). */
  readonly offset: number;
  /** Normalized cross-correlation there, -1..1 (1: the same waveform up to a gain). */
  readonly peak: number;
}

/**
 * A reference signal prepared once for many searches: where does a short window of
 * received audio occur in it, and how well does it match? Normalized cross-correlation
 * Σ w[n]·r[k+n] / √(Σ w² · Σ r[k+n]²) at every offset k, computed with FFTs.
 */
export class Reference {
  private readonly size: number;
  private readonly specRe: Float64Array;
  private readonly specIm: Float64Array;
  private readonly energy: Float64Array;

  constructor(
    readonly samples: Float32Array,
    readonly windowLength: number,
  ) {
    let size = 1;
    while (size < samples.length + windowLength) size <<= 1;
    this.size = size;
    this.specRe = new Float64Array(size);
    this.specIm = new Float64Array(size);
    this.specRe.set(samples);
    fft(this.specRe, this.specIm, false);
    this.energy = new Float64Array(samples.length + 1);
    for (let i = 0; i < samples.length; i++)
      this.energy[i + 1] = (this.energy[i] as number) + (samples[i] as number) ** 2;
  }

  /** The best match of `window` (at most windowLength samples) at offsets minOffset..maxOffset. */
  find(window: Float32Array, minOffset = 0, maxOffset = Infinity): Match {
    const n = Math.min(window.length, this.windowLength);
    const re = new Float64Array(this.size);
    const im = new Float64Array(this.size);
    re.set(window.subarray(0, n));
    fft(re, im, false);
    // corr[k] = Σ w[n] r[n+k]: R · conj(W), inverse transformed.
    for (let i = 0; i < this.size; i++) {
      const [ar, ai] = [this.specRe[i] as number, this.specIm[i] as number];
      const [br, bi] = [re[i] as number, -(im[i] as number)];
      re[i] = ar * br - ai * bi;
      im[i] = ar * bi + ai * br;
    }
    fft(re, im, true);
    let windowEnergy = 0;
    for (let i = 0; i < n; i++) windowEnergy += (window[i] as number) ** 2;
    let best: Match = { offset: 0, peak: 0 };
    const last = Math.min(this.samples.length - n, maxOffset);
    for (let k = Math.max(0, minOffset); k <= last; k++) {
      const refEnergy = (this.energy[k + n] as number) - (this.energy[k] as number);
      if (refEnergy <= 0 || windowEnergy <= 0) continue;
      const peak = (re[k] as number) / Math.sqrt(refEnergy * windowEnergy);
      if (peak > best.peak) best = { offset: k, peak };
    }
    return best;
  }
}

export interface WindowMatch extends Match {
  /** Start of the window in the received signal, in samples. */
  readonly at: number;
}

/**
 * Cuts `received` into windows of `windowSeconds` and finds each one in `reference`;
 * windows quieter than `minDbfs` (silence before or after the audio) are left out.
 */
export function matchWindows(
  reference: Float32Array,
  received: Float32Array,
  opts: { windowSeconds?: number; minDbfs?: number } = {},
): WindowMatch[] {
  const length = Math.round((opts.windowSeconds ?? 0.5) * RATE);
  const ref = new Reference(reference, length);
  const out: WindowMatch[] = [];
  for (let at = 0; at + length <= received.length; at += length) {
    if (levelDbfs(received, at, at + length) < (opts.minDbfs ?? -45)) continue;
    out.push({ at, ...ref.find(received.subarray(at, at + length)) });
  }
  return out;
}

export function median(values: readonly number[]): number {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2
    ? (sorted[mid] as number)
    : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
}
