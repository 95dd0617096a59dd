/**
 * One G.722 sub-band's adaptive state: the scale factor (LOGSCL/SCALEL, LOGSCH/SCALEH) and
 * the adaptive predictor with two poles and six zeros (block 4: RECONS, PARREC, UPPOL1,
 * UPPOL2, UPZERO, DELAYA, FILTEP, FILTEZ, PREDIC). The encoder and the decoder run the same
 * updates from the same quantized difference, which keeps their predictions in step.
 *
 * Fixed point as the standard writes it: signals are 16-bit integers, predictor
 * coefficients are scaled by 2^14, and the leak factors by 2^15 (32512 = 127/128,
 * 32640 = 255/256). Every product fits in 32 bits, so plain JS arithmetic with `>>` is exact.
 */
import { ILB } from './g722-tables.js';

/** Saturation to 16 bits, the "limit" of the standard's block descriptions. */
export function sat16(x: number): number {
  return x > 32767 ? 32767 : x < -32768 ? -32768 : x;
}

export class G722Band {
  /** Predicted signal SL/SH for the next sample. */
  s = 0;
  /** Linear scale factor DETL/DETH. */
  det: number;
  /** Log scale factor NBL/NBH. */
  private nb = 0;
  /** Output of the zero section (FILTEZ). */
  private sz = 0;
  /** Reconstructed signal one and two samples back (RLT1, RLT2). */
  private r1 = 0;
  private r2 = 0;
  /** Partially reconstructed signal one and two samples back (PLT1, PLT2). */
  private p1 = 0;
  private p2 = 0;
  /** Pole coefficients AL1, AL2. */
  private a1 = 0;
  private a2 = 0;
  /** Zero coefficients BL1…BL6 and the quantized differences DLT1…DLT6 they weigh (index 0 newest). */
  private readonly b = new Int32Array(6);
  private readonly d = new Int32Array(6);

  /**
   * @param minDet the scale factor at NB = 0: 32 for the low band, 8 for the high band.
   * @param shiftBias 8 (SCALEL) or 10 (SCALEH): where NB's integer part puts the mantissa.
   * @param nbMax the upper bound of NB (18432 low, 22528 high).
   */
  constructor(
    private readonly minDet: number,
    private readonly shiftBias: number,
    private readonly nbMax: number,
  ) {
    this.det = minDet;
  }

  reset(): void {
    this.s = this.sz = this.nb = 0;
    this.r1 = this.r2 = this.p1 = this.p2 = this.a1 = this.a2 = 0;
    this.b.fill(0);
    this.d.fill(0);
    this.det = this.minDet;
  }

  /** LOGSCL/LOGSCH then SCALEL/SCALEH: the scale factor for the next sample, from this code's step. */
  adaptScale(step: number): void {
    let nb = ((this.nb * 32512) >> 15) + step;
    if (nb < 0) nb = 0;
    else if (nb > this.nbMax) nb = this.nbMax;
    this.nb = nb;
    const shift = this.shiftBias - (nb >> 11);
    const mantissa = ILB[(nb >> 6) & 31]!;
    this.det = (shift >= 0 ? mantissa >> shift : mantissa << -shift) << 2;
  }

  /** Block 4 for one sample: adapts the predictor to the quantized difference `dq` and predicts the next sample. */
  adaptPredictor(dq: number): void {
    const r = sat16(this.s + dq); // RECONS
    const p = sat16(dq + this.sz); // PARREC
    // Signs as the standard takes them: zero counts as positive.
    const neg0 = p < 0;
    const neg1 = this.p1 < 0;
    const neg2 = this.p2 < 0;
    const same1 = neg0 === neg1;
    // UPPOL2: a2 ← (1 − 2^-7) a2 + 2^-7 (sgn p·p2 − 4 a1 · sgn p·p1), within ±0.75.
    const four = sat16(this.a1 * 4);
    let a2 = (sat16(same1 ? -four : four) >> 7) + (neg0 === neg2 ? 128 : -128);
    a2 += (this.a2 * 32512) >> 15;
    if (a2 > 12288) a2 = 12288;
    else if (a2 < -12288) a2 = -12288;
    // UPPOL1: a1 ← (1 − 2^-8) a1 + 3·2^-8 sgn p·p1, within ±(1 − 2^-4 − a2).
    let a1 = (same1 ? 192 : -192) + ((this.a1 * 32640) >> 15);
    const bound = 15360 - a2;
    if (a1 > bound) a1 = bound;
    else if (a1 < -bound) a1 = -bound;
    this.sz = this.adaptZeros(dq);
    this.r2 = this.r1;
    this.r1 = r;
    this.p2 = this.p1;
    this.p1 = p;
    this.a1 = a1;
    this.a2 = a2;
    // FILTEP and PREDIC.
    const sp = sat16(((a1 * sat16(r + r)) >> 15) + ((a2 * sat16(this.r2 + this.r2)) >> 15));
    this.s = sat16(sp + this.sz);
  }

  /**
   * UPZERO: bi ← (1 − 2^-8) bi + 2^-7 sgn dq·dqi (no step when dq = 0); DELAYA shifts dq in;
   * FILTEZ: the zero section's output with the new coefficients and differences. Unrolled:
   * this runs twice per octet in both directions, and the loop form cost a quarter more.
   */
  private adaptZeros(dq: number): number {
    const b = this.b;
    const d = this.d;
    const step = dq === 0 ? 0 : 128;
    const up = dq < 0 ? -step : step;
    const d0 = d[0]!;
    const d1 = d[1]!;
    const d2 = d[2]!;
    const d3 = d[3]!;
    const d4 = d[4]!;
    const d5 = d[5]!;
    const b0 = (d0 < 0 ? -up : up) + ((b[0]! * 32640) >> 15);
    const b1 = (d1 < 0 ? -up : up) + ((b[1]! * 32640) >> 15);
    const b2 = (d2 < 0 ? -up : up) + ((b[2]! * 32640) >> 15);
    const b3 = (d3 < 0 ? -up : up) + ((b[3]! * 32640) >> 15);
    const b4 = (d4 < 0 ? -up : up) + ((b[4]! * 32640) >> 15);
    const b5 = (d5 < 0 ? -up : up) + ((b[5]! * 32640) >> 15);
    b[0] = b0;
    b[1] = b1;
    b[2] = b2;
    b[3] = b3;
    b[4] = b4;
    b[5] = b5;
    d[0] = dq;
    d[1] = d0;
    d[2] = d1;
    d[3] = d2;
    d[4] = d3;
    d[5] = d4;
    const sz =
      ((b0 * sat16(dq + dq)) >> 15) +
      ((b1 * sat16(d0 + d0)) >> 15) +
      ((b2 * sat16(d1 + d1)) >> 15) +
      ((b3 * sat16(d2 + d2)) >> 15) +
      ((b4 * sat16(d3 + d3)) >> 15) +
      ((b5 * sat16(d4 + d4)) >> 15);
    return sat16(sz);
  }
}
