/**
 * ITU-T G.722 at 64 kbit/s: 16 kHz 16-bit PCM ↔ one octet per pair of samples.
 *
 *   encoder: x ─▶ transmit QMF ─┬─ xL (0–4 kHz, 8 kHz) ─▶ ADPCM, 6 bits (QUANTL) ─┐
 *                               └─ xH (4–8 kHz, 8 kHz) ─▶ ADPCM, 2 bits (QUANTH) ─┴─▶ IH·64 + IL
 *   decoder: the same two ADPCM decoders (6-bit INVQBL low band), then the receive QMF.
 *
 * Each band's ADPCM feeds back only what the decoder also knows (the low band's top
 * 4 bits, INVQAL), so the two sides adapt identically (g722-band.ts).
 *
 * Scaling: 16-bit samples in and out. The transmit QMF's taps sum to 2^13 and its sums are
 * shifted by 14, so xL and xH are half the input, inside the 15-bit range the ADPCM works in
 * (the decoder limits each band to ±16384); the receive QMF gives the gain back (>> 11).
 * This is the 16-bit convention of spandsp's G.722, the codec baresip links: our octets and
 * samples equal its own bit for bit, except where the receive QMF's output passes 16 bits,
 * which ours saturates and spandsp's wraps around (test/interop/g722-spandsp.test.ts).
 *
 * One encoder or decoder per stream direction: both keep state from frame to frame, and
 * allocate nothing after construction.
 */
import { MediaError } from '../errors.js';
import { G722Band, sat16 } from './g722-band.js';
import {
  H_LEVEL,
  IH2,
  IHN,
  IHP,
  ILN,
  ILP,
  NBH_MAX,
  NBL_MAX,
  Q6,
  QM2,
  QM4,
  QM6,
  QMF,
  RL42,
  WH,
  WL,
} from './g722-tables.js';

/** Taps of each QMF; the delay lines are kept twice over so a window never wraps. */
const TAPS = 24;
const HALF = TAPS / 2;

function lowBand(): G722Band {
  return new G722Band(32, 8, NBL_MAX);
}

function highBand(): G722Band {
  return new G722Band(8, 10, NBH_MAX);
}

/** Throws MEDIA_INVALID_ARGUMENT unless [offset, offset + length) and the output span fit their buffers. */
function checkSpans(
  what: string,
  input: { offset: number; length: number; capacity: number },
  output: { offset: number; length: number; capacity: number },
): void {
  const fits = (s: { offset: number; length: number; capacity: number }) =>
    Number.isInteger(s.offset) &&
    Number.isInteger(s.length) &&
    s.offset >= 0 &&
    s.length >= 0 &&
    s.offset + s.length <= s.capacity;
  if (!fits(input) || !fits(output)) {
    throw new MediaError(
      'MEDIA_INVALID_ARGUMENT',
      `${what}: ${input.length} in at ${input.offset} (of ${input.capacity}) → ` +
        `${output.length} out at ${output.offset} (of ${output.capacity}) do not fit`,
      { input, output },
    );
  }
}

export class G722Encoder {
  private readonly low = lowBand();
  private readonly high = highBand();
  /** Input history, newest at `at` (and again at `at + 24`). */
  private readonly x = new Int32Array(2 * TAPS);
  private at = 0;

  reset(): void {
    this.low.reset();
    this.high.reset();
    this.x.fill(0);
    this.at = 0;
  }

  /**
   * Encodes `length` samples (an even number; default: the rest of `pcm`) of 16 kHz PCM from
   * `pcm[offset]` into `length / 2` octets from `out[outOffset]`; returns the octets written.
   */
  encode(pcm: Int16Array, out: Uint8Array, offset = 0, length = pcm.length - offset, outOffset = 0): number {
    if (length % 2 !== 0) {
      throw new MediaError(
        'MEDIA_INVALID_ARGUMENT',
        `G722Encoder.encode: ${length} samples are not whole pairs (G.722 codes two samples per octet)`,
        { length },
      );
    }
    const octets = length / 2;
    checkSpans(
      'G722Encoder.encode',
      { offset, length, capacity: pcm.length },
      { offset: outOffset, length: octets, capacity: out.length },
    );
    for (let k = 0; k < octets; k++) {
      const j = offset + 2 * k;
      out[outOffset + k] = this.encodePair(pcm[j]!, pcm[j + 1]!);
    }
    return octets;
  }

  /** One octet from two successive samples (`older`, then `newer`). */
  private encodePair(older: number, newer: number): number {
    // Transmit QMF: xA over the even taps from the newest sample back, xB over the odd ones.
    const x = this.x;
    const at = (this.at = this.at === 0 ? TAPS - 2 : this.at - 2);
    x[at] = x[at + TAPS] = newer;
    x[at + 1] = x[at + 1 + TAPS] = older;
    let xa = 0;
    let xb = 0;
    for (let i = 0; i < TAPS; i += 2) {
      xa += QMF[i]! * x[at + i]!;
      xb += QMF[i + 1]! * x[at + i + 1]!;
    }
    return (this.encodeHigh((xa - xb) >> 14) << 6) | this.encodeLow((xa + xb) >> 14);
  }

  private encodeLow(xl: number): number {
    const band = this.low;
    const el = sat16(xl - band.s); // SUBTRA
    // QUANTL: the interval m of |el| (one's complement for negatives): the first level the
    // magnitude stays below, 30 when above them all. The levels only rise, so a binary search
    // finds the interval the standard's scan from level 1 finds.
    const wd = el >= 0 ? el : -(el + 1);
    const det = band.det;
    let m = 1;
    let hi = 30;
    while (m < hi) {
      const mid = (m + hi) >> 1;
      if (wd < (Q6[mid]! * det) >> 12) hi = mid;
      else m = mid + 1;
    }
    const code = el < 0 ? ILN[m]! : ILP[m]!;
    const top = code >> 2;
    const dq = (band.det * QM4[top]!) >> 15; // INVQAL
    band.adaptScale(WL[RL42[top]!]!);
    band.adaptPredictor(dq);
    return code;
  }

  private encodeHigh(xh: number): number {
    const band = this.high;
    const eh = sat16(xh - band.s);
    const wd = eh >= 0 ? eh : -(eh + 1);
    const m = wd >= (H_LEVEL * band.det) >> 12 ? 2 : 1; // QUANTH
    const code = eh < 0 ? IHN[m]! : IHP[m]!;
    const dq = (band.det * QM2[code]!) >> 15; // INVQAH
    band.adaptScale(WH[IH2[code]!]!);
    band.adaptPredictor(dq);
    return code;
  }
}

export class G722Decoder {
  private readonly low = lowBand();
  private readonly high = highBand();
  /** Histories of xd = rL − rH and xs = rL + rH, newest at `at` (and again at `at + 12`). */
  private readonly xd = new Int32Array(TAPS);
  private readonly xs = new Int32Array(TAPS);
  private at = 0;

  reset(): void {
    this.low.reset();
    this.high.reset();
    this.xd.fill(0);
    this.xs.fill(0);
    this.at = 0;
  }

  /**
   * Decodes `length` octets (default: the rest of `bytes`) from `bytes[offset]` into
   * `2 × length` samples of 16 kHz PCM from `out[outOffset]`; returns the samples written.
   */
  decode(
    bytes: Uint8Array,
    out: Int16Array,
    offset = 0,
    length = bytes.length - offset,
    outOffset = 0,
  ): number {
    checkSpans(
      'G722Decoder.decode',
      { offset, length, capacity: bytes.length },
      { offset: outOffset, length: 2 * length, capacity: out.length },
    );
    for (let k = 0; k < length; k++) this.decodeOctet(bytes[offset + k]!, out, outOffset + 2 * k);
    return 2 * length;
  }

  private decodeOctet(octet: number, out: Int16Array, o: number): void {
    const rl = this.decodeLow(octet & 0x3f);
    const rh = this.decodeHigh(octet >> 6);
    // Receive QMF: the even output from xd over the even taps, the odd one from xs over the odd taps.
    const at = (this.at = this.at === 0 ? HALF - 1 : this.at - 1);
    const xd = this.xd;
    const xs = this.xs;
    xd[at] = xd[at + HALF] = rl - rh;
    xs[at] = xs[at + HALF] = rl + rh;
    let even = 0;
    let odd = 0;
    for (let i = 0; i < HALF; i++) {
      even += QMF[2 * i]! * xd[at + i]!;
      odd += QMF[2 * i + 1]! * xs[at + i]!;
    }
    out[o] = sat16(even >> 11);
    out[o + 1] = sat16(odd >> 11);
  }

  private decodeLow(code: number): number {
    const band = this.low;
    // INVQBL (64 kbit/s: all six bits) for the output, INVQAL (top four) for the adaptation.
    let rl = band.s + ((band.det * QM6[code]!) >> 15);
    if (rl > 16383) rl = 16383;
    else if (rl < -16384) rl = -16384;
    const top = code >> 2;
    const dq = (band.det * QM4[top]!) >> 15;
    band.adaptScale(WL[RL42[top]!]!);
    band.adaptPredictor(dq);
    return rl;
  }

  private decodeHigh(code: number): number {
    const band = this.high;
    const dq = (band.det * QM2[code]!) >> 15;
    let rh = band.s + dq;
    if (rh > 16383) rh = 16383;
    else if (rh < -16384) rh = -16384;
    band.adaptScale(WH[IH2[code]!]!);
    band.adaptPredictor(dq);
    return rh;
  }
}
