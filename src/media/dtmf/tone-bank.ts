/**
 * The cheap half of in-band detection: Goertzel filters at the eight keypad frequencies
 * run over 40-sample quarters (5 ms at 8 kHz), kept for the last four quarters so that
 * every 5 ms the detector sees a 160-sample (20 ms) window without filtering any sample
 * twice.
 *
 * Why quarters: a 160-sample DFT is the sum of its four 40-sample DFTs, each rotated by
 * the phase the bin frequency advances over 40 samples. So one Goertzel pass per sample
 * gives, every 5 ms, 50 Hz resolution (enough for the 8 dB relative-peak rule between
 * rows 73–89 Hz apart) with 5 ms time resolution (for the duration and pause rules).
 * The classic blocks each give one of the two: 205 samples (25.6 ms, 39 Hz bins) resolve
 * the rows but a 40 ms tone may not contain one whole block; 102 samples (12.75 ms, 78 Hz)
 * time tones but pass 770 Hz − 1.5 % into the 697 Hz bin only ~12 dB down. And 40 divides
 * the 160- and 240-sample frames of 20 and 30 ms packets.
 */
import { COL_HZ, ROW_HZ } from './digits.js';

export const SAMPLE_RATE = 8000;
export const QUARTER = 40;
export const WINDOW = 4 * QUARTER;
/** Rows first, then columns: index 0–3 rows, 4–7 columns. */
export const BANK_HZ: readonly number[] = [...ROW_HZ, ...COL_HZ];
const BINS = 8;

export class ToneBank {
  /** Four quarters of samples in a ring: quarter slot s at s·40 … s·40+39. */
  private readonly ring = new Float64Array(WINDOW);
  /** The window in time order, filled on demand by `linearize`. */
  private readonly linear = new Float64Array(WINDOW);
  /** Per slot and bin: Goertzel output, as `re[slot * 8 + k]`. */
  private readonly re = new Float64Array(4 * BINS);
  private readonly im = new Float64Array(4 * BINS);
  /** Sum of squares per slot. */
  readonly energy = new Float64Array(4);
  /** The slot being written; after `endQuarter`, the oldest quarter of the window. */
  private slot = 0;
  /** Samples of the current quarter written so far. */
  private fill = 0;
  /** Consecutive quarters that were loud enough to filter (a window needs 4). */
  loudQuarters = 0;
  /** Window outputs, refreshed by `analyseWindow`. */
  readonly power160 = new Float64Array(BINS);
  readonly power40 = new Float64Array(BINS);
  private readonly coef = new Float64Array(BINS);
  private readonly cosW = new Float64Array(BINS);
  private readonly sinW = new Float64Array(BINS);
  /** e^{−jω·40q} for q = 0…3, per bin: the rotation of the q-th oldest quarter. */
  private readonly rotRe = new Float64Array(4 * BINS);
  private readonly rotIm = new Float64Array(4 * BINS);

  constructor() {
    for (let k = 0; k < BINS; k++) {
      const w = (2 * Math.PI * (BANK_HZ[k] as number)) / SAMPLE_RATE;
      this.coef[k] = 2 * Math.cos(w);
      this.cosW[k] = Math.cos(w);
      this.sinW[k] = Math.sin(w);
      for (let q = 0; q < 4; q++) {
        this.rotRe[q * BINS + k] = Math.cos(w * QUARTER * q);
        this.rotIm[q * BINS + k] = -Math.sin(w * QUARTER * q);
      }
    }
  }

  reset(): void {
    this.loudQuarters = 0;
    this.fill = 0;
    this.slot = 0;
  }

  /**
   * Copies samples from `frame[from…]` into the current quarter until it is full or the
   * frame ends; returns the index of the first sample not taken. `quarterFull` tells which.
   */
  take(frame: Int16Array, from: number): number {
    const ring = this.ring;
    const base = this.slot * QUARTER;
    let fill = this.fill;
    let i = from;
    while (i < frame.length && fill < QUARTER) ring[base + fill++] = frame[i++] as number;
    this.fill = fill;
    return i;
  }

  get quarterFull(): boolean {
    return this.fill === QUARTER;
  }

  /**
   * Filters the full quarter and advances the ring. A quarter with less energy than
   * `quietBelow` is not filtered: no window containing it can pass (see `loudQuarters`),
   * so silence and speech pauses cost one loop of squares.
   */
  endQuarter(quietBelow: number): void {
    const x = this.ring;
    const base = this.slot * QUARTER;
    let energy = 0;
    for (let n = base; n < base + QUARTER; n++) energy += (x[n] as number) * (x[n] as number);
    this.energy[this.slot] = energy;
    if (energy < quietBelow) {
      this.loudQuarters = 0;
    } else {
      this.loudQuarters++;
      this.filterFour(base, 0);
      this.filterFour(base, 4);
    }
    this.slot = (this.slot + 1) & 3;
    this.fill = 0;
  }

  /** The 160-sample window in time order (a view valid until the next call). */
  linearize(): Float64Array {
    const ring = this.ring;
    const out = this.linear;
    const split = this.slot * QUARTER;
    let j = 0;
    for (let n = split; n < WINDOW; n++) out[j++] = ring[n] as number;
    for (let n = 0; n < split; n++) out[j++] = ring[n] as number;
    return out;
  }

  /**
   * Runs the Goertzel recurrences of bins from…from+3 together over the new quarter:
   * one load per sample, four independent chains.
   */
  private filterFour(base: number, from: number): void {
    const x = this.ring;
    const c0 = this.coef[from] as number;
    const c1 = this.coef[from + 1] as number;
    const c2 = this.coef[from + 2] as number;
    const c3 = this.coef[from + 3] as number;
    let a1 = 0,
      a2 = 0,
      b1 = 0,
      b2 = 0,
      d1 = 0,
      d2 = 0,
      e1 = 0,
      e2 = 0;
    for (let n = base; n < base + QUARTER; n++) {
      const v = x[n] as number;
      const a0 = v + c0 * a1 - a2;
      const b0 = v + c1 * b1 - b2;
      const d0 = v + c2 * d1 - d2;
      const e0 = v + c3 * e1 - e2;
      a2 = a1;
      a1 = a0;
      b2 = b1;
      b1 = b0;
      d2 = d1;
      d1 = d0;
      e2 = e1;
      e1 = e0;
    }
    this.output(from, a1, a2);
    this.output(from + 1, b1, b2);
    this.output(from + 2, d1, d2);
    this.output(from + 3, e1, e2);
  }

  /**
   * Y = s1 − e^{−jω} s2 = e^{jω·39} · DFT. The constant phase is the same in every quarter,
   * so it cancels in the window sum and in phase differences.
   */
  private output(k: number, s1: number, s2: number): void {
    const i = this.slot * BINS + k;
    this.re[i] = s1 - (this.cosW[k] as number) * s2;
    this.im[i] = (this.sinW[k] as number) * s2;
  }

  /**
   * Fills power160 (tone power seen through the 20 ms window) and power40 (mean over the
   * quarters: robust to a few % of frequency error). Both are mean-square powers of the
   * sinusoid: a tone of amplitude A on the bin reads A²/2.
   */
  analyseWindow(): void {
    const n160 = 2 / (WINDOW * WINDOW);
    const n40 = 2 / (QUARTER * QUARTER) / 4;
    for (let k = 0; k < BINS; k++) {
      let sr = 0;
      let si = 0;
      let p40 = 0;
      for (let q = 0; q < 4; q++) {
        const i = ((this.slot + q) & 3) * BINS + k;
        const yr = this.re[i] as number;
        const yi = this.im[i] as number;
        const rr = this.rotRe[q * BINS + k] as number;
        const ri = this.rotIm[q * BINS + k] as number;
        sr += yr * rr - yi * ri;
        si += yr * ri + yi * rr;
        p40 += yr * yr + yi * yi;
      }
      this.power160[k] = (sr * sr + si * si) * n160;
      this.power40[k] = p40 * n40;
    }
  }

  /** Mean-square power of the whole window. */
  totalPower(): number {
    const e = this.energy;
    return ((e[0] as number) + (e[1] as number) + (e[2] as number) + (e[3] as number)) / WINDOW;
  }
}
