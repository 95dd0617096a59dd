/**
 * The precise half of in-band detection, run only for the one row and one column that
 * survived the cheap checks: each tone's frequency and level, and the power at its second
 * harmonic and at the voice-comb positions (tone-rules.ts says why).
 *
 * Frequency (Q.24: accept ±1.5 %, reject beyond ±3.5 %) cannot be judged from bin
 * magnitudes: the tolerance is relative, a DFT bin is absolute — 1.5 % of 1633 Hz and
 * 3.5 % of 697 Hz are both 24 Hz, must get opposite verdicts, and lose the same magnitude.
 * It is measured instead: the phase of a Hann-windowed 120-sample DFT at the nominal
 * frequency advances, between the windows at samples 0 and 40, by 40·ω of the actual tone.
 * A 40-sample step is unambiguous to ±100 Hz (beyond 3.5 % of 1633 Hz), and Hann sidelobes
 * keep the other group's tone (≥ 268 Hz, ≥ 4 bins away) from biasing the phase, so the
 * error is the noise's: σ ≈ 0.5 Hz per window at 20 dB SNR.
 */
import * as toneBank from './tone-bank.js';

// Module-local copies: hot loops must not read import bindings (a getter call each under
// some loaders).
const { BANK_HZ, QUARTER, SAMPLE_RATE, WINDOW } = toneBank;
const SPAN = WINDOW - QUARTER;
const HANN_SUM = SPAN / 2;

export interface ToneMeasure {
  /** Measured frequency minus nominal, Hz. */
  offsetHz: number;
  /** Mean-square power of the tone, corrected for the window's loss at that offset. */
  power: number;
}

export class FineAnalyser {
  private readonly tabRe: Float64Array[] = [];
  private readonly tabIm: Float64Array[] = [];
  private readonly hann160 = new Float64Array(WINDOW);
  private readonly omega = BANK_HZ.map((f) => (2 * Math.PI * f) / SAMPLE_RATE);

  constructor() {
    for (const w of this.omega) {
      const re = new Float64Array(SPAN);
      const im = new Float64Array(SPAN);
      for (let n = 0; n < SPAN; n++) {
        const h = Math.sin((Math.PI * (n + 0.5)) / SPAN) ** 2;
        re[n] = h * Math.cos(w * n);
        im[n] = -h * Math.sin(w * n);
      }
      this.tabRe.push(re);
      this.tabIm.push(im);
    }
    for (let n = 0; n < WINDOW; n++) this.hann160[n] = Math.sin((Math.PI * (n + 0.5)) / WINDOW) ** 2;
  }

  /** Measures bank bin `k` in `x` (the 160-sample window) into `out`. */
  measure(x: Float64Array, k: number, out: ToneMeasure): void {
    const tr = this.tabRe[k] as Float64Array;
    const ti = this.tabIm[k] as Float64Array;
    let ar = 0;
    let ai = 0;
    let br = 0;
    let bi = 0;
    for (let n = 0; n < SPAN; n++) {
      const c = tr[n] as number;
      const s = ti[n] as number;
      const xa = x[n] as number;
      const xb = x[n + QUARTER] as number;
      ar += xa * c;
      ai += xa * s;
      br += xb * c;
      bi += xb * s;
    }
    // arg(B · conj(A)) = 40·ω_actual (mod 2π).
    const pr = br * ar + bi * ai;
    const pi = bi * ar - br * ai;
    let phase = Math.atan2(pi, pr) - QUARTER * (this.omega[k] as number);
    phase -= 2 * Math.PI * Math.round(phase / (2 * Math.PI));
    out.offsetHz = (phase * SAMPLE_RATE) / (2 * Math.PI * QUARTER);
    const raw = ((ar * ar + ai * ai + br * br + bi * bi) / 2) * (2 / (HANN_SUM * HANN_SUM));
    const gain = hannGain((out.offsetHz * SPAN) / SAMPLE_RATE);
    out.power = raw / (gain * gain);
  }

  /**
   * Mean-square power at four frequencies through a 160-sample Hann window, in one pass
   * (four independent Goertzel chains), into `out[0…3]`.
   */
  powersAt(x: Float64Array, f0: number, f1: number, f2: number, f3: number, out: Float64Array): void {
    const h = this.hann160;
    const w = (2 * Math.PI) / SAMPLE_RATE;
    const c0 = 2 * Math.cos(w * f0);
    const c1 = 2 * Math.cos(w * f1);
    const c2 = 2 * Math.cos(w * f2);
    const c3 = 2 * Math.cos(w * f3);
    let a1 = 0,
      a2 = 0,
      b1 = 0,
      b2 = 0,
      d1 = 0,
      d2 = 0,
      e1 = 0,
      e2 = 0;
    for (let n = 0; n < WINDOW; n++) {
      const v = (x[n] as number) * (h[n] as number);
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
    const scale = 2 / ((WINDOW / 2) * (WINDOW / 2));
    out[0] = (a1 * a1 + a2 * a2 - c0 * a1 * a2) * scale;
    out[1] = (b1 * b1 + b2 * b2 - c1 * b1 * b2) * scale;
    out[2] = (d1 * d1 + d2 * d2 - c2 * d1 * d2) * scale;
    out[3] = (e1 * e1 + e2 * e2 - c3 * e1 * e2) * scale;
  }
}

/**
 * Amplitude response of a Hann window `b` bins off the analysed frequency, relative to
 * on-bin: sinc(b) / (1 − b²). Used only inside the frequency tolerance (|b| < 0.7).
 */
export function hannGain(b: number): number {
  const a = Math.min(Math.abs(b), 0.9);
  if (a < 1e-9) return 1;
  return Math.sin(Math.PI * a) / (Math.PI * a) / (1 - a * a);
}
