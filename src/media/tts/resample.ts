/**
 * Sample-rate conversion for prompts: a linear-phase FIR (Blackman-windowed sinc) applied
 * as a polyphase filter. It runs once per cache entry, off the media path, so it favours
 * quality over speed (about 4 ms per second of audio). With the defaults, 22 050 → 8000 Hz
 * is flat (±0.05 dB) to 3400 Hz, the top of the telephone band, and everything from
 * 4200 Hz up — which would fold back into the band — is down by more than 75 dB.
 */

export interface ResampleOptions {
  /** Zero crossings of the sinc on each side of the centre; default 32. */
  readonly zeroCrossings?: number;
  /** Cut-off (−6 dB) as a fraction of the lower of the two Nyquist frequencies; default 0.94. */
  readonly passband?: number;
}

/** Beyond this many phases (awkward rate pairs) the fractional position is quantised. */
const MAX_PHASES = 4096;

/**
 * Converts mono PCM16 from `fromRate` to `toRate`. The output covers the same duration:
 * ceil(n × toRate / fromRate) samples. Samples beyond either end of the input count as 0.
 */
export function resamplePcm16(
  input: Int16Array,
  fromRate: number,
  toRate: number,
  opts: ResampleOptions = {},
): Int16Array {
  checkRate(fromRate);
  checkRate(toRate);
  if (fromRate === toRate) return input.slice();
  const g = gcd(fromRate, toRate);
  const up = toRate / g;
  const down = fromRate / g;
  const phases = Math.min(up, MAX_PHASES);
  const bank = designBank(fromRate, toRate, phases, opts);
  const half = bank.taps / 2;
  const out = new Int16Array(Math.ceil((input.length * up) / down));
  for (let j = 0; j < out.length; j++) {
    // Output j sits at input position j·down/up = base + frac.
    let base = Math.floor((j * down) / up);
    let phase = Math.round((((j * down) % up) / up) * phases);
    if (phase === phases) {
      phase = 0;
      base += 1;
    }
    const coeffs = bank.coeffs;
    const offset = phase * bank.taps;
    const first = base - half + 1;
    let acc = 0;
    const kStart = Math.max(0, -first);
    const kEnd = Math.min(bank.taps, input.length - first);
    for (let k = kStart; k < kEnd; k++) acc += coeffs[offset + k]! * input[first + k]!;
    out[j] = acc >= 32767 ? 32767 : acc <= -32768 ? -32768 : Math.round(acc);
  }
  return out;
}

interface FilterBank {
  /** Taps per phase (even). */
  readonly taps: number;
  /** phases × taps coefficients; phase p is the filter for fractional delay p / phases. */
  readonly coeffs: Float64Array;
}

function designBank(fromRate: number, toRate: number, phases: number, opts: ResampleOptions): FilterBank {
  const zeroCrossings = opts.zeroCrossings ?? 32;
  const passband = opts.passband ?? 0.94;
  if (!(zeroCrossings >= 2 && zeroCrossings <= 64)) throw new RangeError('zeroCrossings must be 2…64');
  if (!(passband > 0 && passband <= 1)) throw new RangeError('passband must be in (0, 1]');
  // Cut-off in cycles per input sample.
  const fc = 0.5 * Math.min(1, toRate / fromRate) * passband;
  const halfWidth = zeroCrossings / (2 * fc);
  const half = Math.ceil(halfWidth);
  const taps = 2 * half;
  const coeffs = new Float64Array(phases * taps);
  for (let p = 0; p < phases; p++) {
    const frac = p / phases;
    let sum = 0;
    for (let k = 0; k < taps; k++) {
      // Tap k multiplies input[base - half + 1 + k]; its distance from the output instant:
      const d = k - half + 1 - frac;
      const h = 2 * fc * sinc(2 * fc * d) * blackman(d / halfWidth);
      coeffs[p * taps + k] = h;
      sum += h;
    }
    // Unit gain at DC for every phase, so a constant input stays constant (no phase ripple).
    for (let k = 0; k < taps; k++) coeffs[p * taps + k]! /= sum;
  }
  return { taps, coeffs };
}

function sinc(x: number): number {
  if (x === 0) return 1;
  const px = Math.PI * x;
  return Math.sin(px) / px;
}

/** Blackman window centred on 0, zero outside [-1, 1]. */
function blackman(x: number): number {
  if (x <= -1 || x >= 1) return 0;
  return 0.42 + 0.5 * Math.cos(Math.PI * x) + 0.08 * Math.cos(2 * Math.PI * x);
}

function gcd(a: number, b: number): number {
  while (b !== 0) [a, b] = [b, a % b];
  return a;
}

function checkRate(rate: number): void {
  if (!Number.isInteger(rate) || rate < 1000 || rate > 192_000) {
    throw new RangeError(`sample rate ${rate} must be an integer in 1000…192000`);
  }
}
