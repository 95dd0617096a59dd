/**
 * G.711 A-law and µ-law for the test harness, written from ITU-T G.711 and kept apart from
 * src/media/codec on purpose: the interop tests judge Hotline's audio with a codec that is
 * not Hotline's own, so a shared mistake cannot cancel itself out.
 */

/** Upper bound of each A-law segment, on the 13-bit magnitude (sample >> 3). */
const ALAW_SEGMENT_END = [0x1f, 0x3f, 0x7f, 0xff, 0x1ff, 0x3ff, 0x7ff, 0xfff];

/** One 16-bit linear sample to an A-law byte (even bits inverted, as sent on the wire). */
export function alawEncode(sample: number): number {
  let magnitude = sample >> 3;
  // G.711 A-law: the sign bit is 1 for positive values; 0x55 toggles the even bits.
  let mask = 0xd5;
  if (magnitude < 0) {
    mask = 0x55;
    magnitude = -magnitude - 1;
  }
  let segment = 0;
  while (segment < 8 && magnitude > (ALAW_SEGMENT_END[segment] as number)) segment++;
  if (segment === 8) return 0x7f ^ mask;
  const mantissa = segment < 2 ? (magnitude >> 1) & 0x0f : (magnitude >> segment) & 0x0f;
  return ((segment << 4) | mantissa) ^ mask;
}

/** One A-law byte to a 16-bit linear sample (the middle of its quantization step). */
export function alawDecode(byte: number): number {
  const a = byte ^ 0x55;
  const segment = (a & 0x70) >> 4;
  let value = ((a & 0x0f) << 4) + 8;
  if (segment >= 1) value += 0x100;
  if (segment >= 2) value <<= segment - 1;
  return a & 0x80 ? value : -value;
}

const ULAW_BIAS = 0x84;
const ULAW_CLIP = 32635;

/** One 16-bit linear sample to a µ-law byte. */
export function ulawEncode(sample: number): number {
  const sign = sample < 0 ? 0x80 : 0;
  let magnitude = Math.min(Math.abs(sample), ULAW_CLIP) + ULAW_BIAS;
  let exponent = 7;
  for (let bit = 0x4000; exponent > 0 && (magnitude & bit) === 0; bit >>= 1) exponent--;
  magnitude = (magnitude >> (exponent + 3)) & 0x0f;
  return ~(sign | (exponent << 4) | magnitude) & 0xff;
}

/** One µ-law byte to a 16-bit linear sample. */
export function ulawDecode(byte: number): number {
  const u = ~byte & 0xff;
  const exponent = (u >> 4) & 0x07;
  const value = ((((u & 0x0f) << 3) + ULAW_BIAS) << exponent) - ULAW_BIAS;
  return u & 0x80 ? -value : value;
}

export function encodeAlaw(samples: Int16Array): Buffer {
  const out = Buffer.alloc(samples.length);
  for (let i = 0; i < samples.length; i++) out[i] = alawEncode(samples[i] as number);
  return out;
}

/** Decodes a G.711 payload to samples scaled to -1..1. */
export function decodeG711(payload: Uint8Array, law: 'alaw' | 'ulaw'): Float32Array {
  const out = new Float32Array(payload.length);
  const decode = law === 'alaw' ? alawDecode : ulawDecode;
  for (let i = 0; i < payload.length; i++) out[i] = decode(payload[i] as number) / 32768;
  return out;
}
