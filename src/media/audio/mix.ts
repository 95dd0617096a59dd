/**
 * Mixing and gain on 16-bit frames, saturating instead of wrapping. Callers own every
 * buffer; nothing allocates.
 *
 * Conference pattern (N parties, each hears everyone but itself): accumulate all
 * frames once into an Int32Array with `accumulate`, then give each party
 * `mixMinus(acc, own, out)` — N + N passes instead of N × (N − 1).
 */
import { MediaError } from '../errors.js';
import { dbToGain } from './level.js';

function saturate(v: number): number {
  return v > 32767 ? 32767 : v < -32768 ? -32768 : v;
}

/** Throws unless `buffer` holds `length` samples (no rest parameters: nothing allocates). */
function checkLength(what: string, length: number, buffer: ArrayLike<number>): void {
  if (!Number.isInteger(length) || length < 0 || buffer.length < length) {
    throw new MediaError('MEDIA_INVALID_ARGUMENT', `${what}: a buffer is shorter than ${length} samples`);
  }
}

/** out = saturate(Σ inputs), sample by sample. `out` may be one of the inputs. */
export function mixFrames(inputs: readonly Int16Array[], out: Int16Array, length = out.length): void {
  checkLength('mixFrames', length, out);
  for (let k = 0; k < inputs.length; k++) checkLength('mixFrames', length, inputs[k]!);
  const count = inputs.length;
  if (count === 0) {
    out.fill(0, 0, length);
    return;
  }
  const a = inputs[0]!;
  if (count === 1) {
    if (a !== out) for (let i = 0; i < length; i++) out[i] = a[i]!;
    return;
  }
  const b = inputs[1]!;
  if (count === 2) {
    for (let i = 0; i < length; i++) out[i] = saturate(a[i]! + b[i]!);
    return;
  }
  const c = inputs[2]!;
  if (count === 3) {
    for (let i = 0; i < length; i++) out[i] = saturate(a[i]! + b[i]! + c[i]!);
    return;
  }
  for (let i = 0; i < length; i++) {
    let sum = 0;
    for (let k = 0; k < count; k++) sum += inputs[k]![i]!;
    out[i] = saturate(sum);
  }
}

/** acc += frame (no saturation: Int32 holds 65536 full-scale parties). */
export function accumulate(acc: Int32Array, frame: Int16Array, length = acc.length): void {
  checkLength('accumulate', length, acc);
  checkLength('accumulate', length, frame);
  for (let i = 0; i < length; i++) acc[i] = acc[i]! + frame[i]!;
}

/** out = saturate(acc − own): what one conference party hears. */
export function mixMinus(acc: Int32Array, own: Int16Array, out: Int16Array, length = out.length): void {
  checkLength('mixMinus', length, acc);
  checkLength('mixMinus', length, own);
  checkLength('mixMinus', length, out);
  for (let i = 0; i < length; i++) out[i] = saturate(acc[i]! - own[i]!);
}

/** out = saturate(acc). */
export function saturateInto(acc: Int32Array, out: Int16Array, length = out.length): void {
  checkLength('saturateInto', length, acc);
  checkLength('saturateInto', length, out);
  for (let i = 0; i < length; i++) out[i] = saturate(acc[i]!);
}

/** out = saturate(round(frame × gain)). In place is allowed. */
export function applyGain(
  frame: Int16Array,
  gain: number,
  out: Int16Array = frame,
  length = frame.length,
): void {
  checkLength('applyGain', length, frame);
  checkLength('applyGain', length, out);
  if (gain === 1) {
    if (out !== frame) for (let i = 0; i < length; i++) out[i] = frame[i]!;
    return;
  }
  for (let i = 0; i < length; i++) out[i] = saturate(Math.round(frame[i]! * gain));
}

/** `applyGain` with the gain in dB (−6 halves the amplitude, approximately). */
export function applyGainDb(
  frame: Int16Array,
  db: number,
  out: Int16Array = frame,
  length = frame.length,
): void {
  applyGain(frame, dbToGain(db), out, length);
}
