/**
 * G.711 for the DTMF tests: what a G.711 hop does to the audio, through the media engine's
 * own codec (src/media/codec), plus the standard's digital milliwatt sequence.
 */
import { alawToLinear, linearToAlaw, linearToUlaw, ulawToLinear } from '../../codec/index.js';

/** Encodes and decodes every sample: what a G.711 hop does to the audio. */
export function g711RoundTrip(samples: Int16Array, law: 'mu' | 'a'): Int16Array {
  const out = new Int16Array(samples.length);
  for (let i = 0; i < samples.length; i++) {
    const s = Math.max(-32768, Math.min(32767, Math.round(samples[i] as number)));
    out[i] = law === 'mu' ? ulawToLinear(linearToUlaw(s)) : alawToLinear(linearToAlaw(s));
  }
  return out;
}

export const aLawDecode = alawToLinear;

/** G.711 Table 5/6: the digital milliwatt (1 kHz at 0 dBm0), one period of 8 samples. */
export const ALAW_DIGITAL_MILLIWATT = [0x34, 0x21, 0x21, 0x34, 0xb4, 0xa1, 0xa1, 0xb4];
export const MULAW_DIGITAL_MILLIWATT = [0x1e, 0x0b, 0x0b, 0x1e, 0x9e, 0x8b, 0x8b, 0x9e];
