/**
 * Minimal G.711 µ-law and A-law for tests (ITU-T G.711 segment tables, written from the
 * recommendation's description). Test kit only: the media engine's codec lives elsewhere.
 */
const MU_BIAS = 0x84;
const MU_CLIP = 32635;

export function muLawEncode(sample: number): number {
  let x = Math.max(-32768, Math.min(32767, Math.round(sample)));
  const sign = x < 0 ? 0x80 : 0;
  if (x < 0) x = -x;
  x = Math.min(x, MU_CLIP) + MU_BIAS;
  let exponent = 7;
  while (exponent > 0 && (x & (0x4000 >> (7 - exponent))) === 0) exponent--;
  const mantissa = (x >> (exponent + 3)) & 0x0f;
  return ~(sign | (exponent << 4) | mantissa) & 0xff;
}

export function muLawDecode(byte: number): number {
  const u = ~byte & 0xff;
  const exponent = (u >> 4) & 0x07;
  const x = (((u & 0x0f) << 3) + MU_BIAS) << exponent;
  return u & 0x80 ? MU_BIAS - x : x - MU_BIAS;
}

export function aLawEncode(sample: number): number {
  let x = Math.max(-32768, Math.min(32767, Math.round(sample)));
  let mask = 0xd5;
  if (x < 0) {
    mask = 0x55;
    x = -x - 1;
  }
  x >>= 3;
  if (x < 32) return (x >> 1) ^ mask;
  let seg = 1;
  while (x >= 64 << (seg - 1)) seg++;
  return ((seg << 4) | ((x >> seg) & 0x0f)) ^ mask;
}

export function aLawDecode(byte: number): number {
  const a = byte ^ 0x55;
  const seg = (a & 0x70) >> 4;
  let t = (a & 0x0f) << 4;
  if (seg === 0) t += 8;
  else t = (t + 0x108) << (seg - 1);
  return a & 0x80 ? t : -t;
}

/** Encodes and decodes every sample: what a G.711 hop does to the audio. */
export function g711RoundTrip(samples: Int16Array, law: 'mu' | 'a'): Int16Array {
  const out = new Int16Array(samples.length);
  for (let i = 0; i < samples.length; i++) {
    const s = samples[i] as number;
    out[i] = law === 'mu' ? muLawDecode(muLawEncode(s)) : aLawDecode(aLawEncode(s));
  }
  return out;
}

/** G.711 Table 5/6: the digital milliwatt (1 kHz at 0 dBm0), one period of 8 samples. */
export const ALAW_DIGITAL_MILLIWATT = [0x34, 0x21, 0x21, 0x34, 0xb4, 0xa1, 0xa1, 0xb4];
export const MULAW_DIGITAL_MILLIWATT = [0x1e, 0x0b, 0x0b, 0x1e, 0x9e, 0x8b, 0x8b, 0x9e];
