/**
 * Streaming 2:1 sample-rate conversion with a half-band FIR, for the 8 kHz engine to meet a
 * 16 kHz codec (G.722): Upsampler2 (8 → 16 kHz) and Downsampler2 (16 → 8 kHz).
 *
 * The low-pass is a Kaiser-windowed sinc cut at a quarter of the 16 kHz rate, 51 taps,
 * 60 dB: flat (±0.01 dB) to about 3.4 kHz, at least 60 dB down from about 4.6 kHz, so the
 * 4–7 kHz half of a wideband signal does not fold into the telephone band. A half-band
 * filter has every other tap zero, so each output costs 26 multiply-adds (or one).
 *
 * Unlike audio/resample.ts, the filter is causal: n samples in give exactly 2n (or n/2)
 * samples out, each way delayed by 25 samples at 16 kHz (1.6 ms), which is what a codec
 * that turns every 20 ms frame into one packet needs. Nothing is allocated after construction.
 */
import { MediaError } from '../errors.js';

/** Taps: 4K + 3, so the centre sits at an odd index and the outermost taps are not zero. */
const TAPS = 51;
const CENTRE = (TAPS - 1) / 2; // 25
/** The non-zero taps away from the centre: those at even indices. */
const SIDE = (TAPS + 1) / 2; // 26
const ATTENUATION_DB = 60;

function besselI0(x: number): number {
  let sum = 1;
  let term = 1;
  const q = (x * x) / 4;
  for (let k = 1; k < 50 && term > sum * 1e-12; k++) {
    term *= q / (k * k);
    sum += term;
  }
  return sum;
}

/**
 * The even-indexed taps h[0], h[2] … h[50], scaled so they sum to exactly 1/2: with the
 * centre tap (exactly 1/2) both polyphase branches then pass DC at unity gain.
 */
function sideTaps(): Float64Array {
  const beta = 0.1102 * (ATTENUATION_DB - 8.7);
  const i0 = besselI0(beta);
  const taps = new Float64Array(SIDE);
  let sum = 0;
  for (let j = 0; j < SIDE; j++) {
    const x = 2 * j - CENTRE; // odd: sin(πx/2) = ±1
    const r = x / CENTRE;
    const window = besselI0(beta * Math.sqrt(Math.max(0, 1 - r * r))) / i0;
    taps[j] = (Math.sin((Math.PI * x) / 2) / (Math.PI * x)) * window;
    sum += taps[j]!;
  }
  for (let j = 0; j < SIDE; j++) taps[j] = (0.5 * taps[j]!) / sum;
  return taps;
}

const SIDE_TAPS = sideTaps();

function clamp16(v: number): number {
  const r = Math.round(v);
  return r > 32767 ? 32767 : r < -32768 ? -32768 : r;
}

function checkSpan(
  what: string,
  input: Int16Array,
  inOffset: number,
  length: number,
  out: Int16Array,
  outOffset: number,
  outLength: number,
): void {
  if (
    !Number.isInteger(length) ||
    length < 0 ||
    !Number.isInteger(inOffset) ||
    inOffset < 0 ||
    !Number.isInteger(outOffset) ||
    outOffset < 0 ||
    inOffset + length > input.length ||
    outOffset + outLength > out.length
  ) {
    throw new MediaError(
      'MEDIA_INVALID_ARGUMENT',
      `${what}: ${length} samples at ${inOffset} → ${outLength} at ${outOffset} do not fit the buffers`,
      { length, inOffset, outOffset },
    );
  }
}

/** History of the last SIDE input samples, kept twice over so that a window never wraps. */
class History {
  readonly x = new Float64Array(2 * SIDE);
  /** Index of the newest sample (also at at + SIDE). */
  at = 0;

  push(v: number): void {
    const at = (this.at = this.at === 0 ? SIDE - 1 : this.at - 1);
    this.x[at] = this.x[at + SIDE] = v;
  }

  /** Σ h[2j] · x(n − j), the newest sample meeting h[0] (the taps are symmetric). */
  filter(): number {
    const x = this.x;
    const at = this.at;
    let a = 0;
    let b = 0;
    for (let j = 0; j < SIDE; j += 2) {
      a += SIDE_TAPS[j]! * x[at + j]!;
      b += SIDE_TAPS[j + 1]! * x[at + j + 1]!;
    }
    return a + b;
  }

  /** x(n − back). */
  ago(back: number): number {
    return this.x[this.at + back]!;
  }

  reset(): void {
    this.x.fill(0);
    this.at = 0;
  }
}

/** 8 → 16 kHz: each input sample gives two outputs. */
export class Upsampler2 {
  private readonly history = new History();

  /** Writes `2 × length` samples from `out[outOffset]`; returns that count. */
  process(input: Int16Array, inOffset: number, length: number, out: Int16Array, outOffset = 0): number {
    checkSpan('Upsampler2.process', input, inOffset, length, out, outOffset, 2 * length);
    const h = this.history;
    for (let i = 0; i < length; i++) {
      h.push(input[inOffset + i]!);
      // Zero-stuffed input: the even phase meets the side taps, the odd phase only the centre.
      out[outOffset + 2 * i] = clamp16(2 * h.filter());
      out[outOffset + 2 * i + 1] = h.ago((CENTRE - 1) / 2);
    }
    return 2 * length;
  }

  reset(): void {
    this.history.reset();
  }
}

/** 16 → 8 kHz: each pair of input samples gives one output. */
export class Downsampler2 {
  /** The first sample of each pair meets the side taps; the second only the centre tap. */
  private readonly first = new History();
  private readonly second = new History();

  /** Reads an even `length`; writes `length / 2` samples from `out[outOffset]` and returns that count. */
  process(input: Int16Array, inOffset: number, length: number, out: Int16Array, outOffset = 0): number {
    const n = length / 2;
    checkSpan('Downsampler2.process', input, inOffset, Number.isInteger(n) ? length : NaN, out, outOffset, n);
    for (let i = 0; i < n; i++) {
      // y(i) = Σ h(2j)·v(2i − 2j) + ½·v(2i − 25): the centre falls on the second sample of
      // the pair 13 back, whose newest one is still the previous pair's. The delay is then
      // 25 samples at 16 kHz, and with the upsampler's 25 a round trip is a whole 25 at 8 kHz.
      this.first.push(input[inOffset + 2 * i]!);
      out[outOffset + i] = clamp16(this.first.filter() + 0.5 * this.second.ago((CENTRE - 1) / 2));
      this.second.push(input[inOffset + 2 * i + 1]!);
    }
    return n;
  }

  reset(): void {
    this.first.reset();
    this.second.reset();
  }
}
