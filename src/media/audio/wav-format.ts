/**
 * WAVE (RIFF) headers as Hotline writes them: PCM16, or G.711 µ-law/A-law with the
 * 18-byte format chunk and the `fact` chunk that non-PCM formats carry.
 */
import { MediaError } from '../errors.js';
import { encodeAlaw, encodeUlaw } from '../codec/g711.js';

export type WavEncoding = 'pcm16' | 'pcmu' | 'pcma';

export interface WavSpec {
  readonly encoding: WavEncoding;
  readonly sampleRate: number;
  readonly channels: number;
}

/** WAVE format tags (RFC 2361). */
export const WAVE_FORMAT_PCM = 1;
export const WAVE_FORMAT_IEEE_FLOAT = 3;
export const WAVE_FORMAT_ALAW = 6;
export const WAVE_FORMAT_MULAW = 7;
export const WAVE_FORMAT_EXTENSIBLE = 0xfffe;

export function bytesPerSample(encoding: WavEncoding): number {
  return encoding === 'pcm16' ? 2 : 1;
}

/** 44 bytes for PCM16; 58 for G.711 (18-byte fmt chunk plus a fact chunk). */
export function wavHeaderLength(encoding: WavEncoding): number {
  return encoding === 'pcm16' ? 44 : 58;
}

function ascii(out: Uint8Array, at: number, text: string): void {
  for (let i = 0; i < text.length; i++) out[at + i] = text.charCodeAt(i);
}

function u32le(out: Uint8Array, at: number, v: number): void {
  out[at] = v & 0xff;
  out[at + 1] = (v >>> 8) & 0xff;
  out[at + 2] = (v >>> 16) & 0xff;
  out[at + 3] = (v >>> 24) & 0xff;
}

function u16le(out: Uint8Array, at: number, v: number): void {
  out[at] = v & 0xff;
  out[at + 1] = (v >>> 8) & 0xff;
}

export function checkWavSpec(spec: WavSpec): void {
  const { sampleRate, channels, encoding } = spec;
  if (!Number.isInteger(sampleRate) || sampleRate < 1000 || sampleRate > 192000) {
    throw new MediaError('MEDIA_INVALID_ARGUMENT', `WAV sample rate ${sampleRate} is not supported`);
  }
  if (channels !== 1 && channels !== 2) {
    throw new MediaError('MEDIA_INVALID_ARGUMENT', `WAV with ${channels} channels is not supported`);
  }
  if (encoding !== 'pcm16' && encoding !== 'pcmu' && encoding !== 'pcma') {
    throw new MediaError('MEDIA_INVALID_ARGUMENT', `WAV encoding ${String(encoding)} is not supported`);
  }
}

/** Writes the header for `dataBytes` of audio into `out` at 0; returns its length. */
export function writeWavHeader(out: Uint8Array, spec: WavSpec, dataBytes: number): number {
  checkWavSpec(spec);
  const headerLength = wavHeaderLength(spec.encoding);
  if (out.length < headerLength)
    throw new MediaError('MEDIA_INVALID_ARGUMENT', 'WAV header buffer too small');
  const width = bytesPerSample(spec.encoding);
  const blockAlign = width * spec.channels;
  const pcm = spec.encoding === 'pcm16';
  ascii(out, 0, 'RIFF');
  u32le(out, 4, Math.min(0xffffffff, headerLength - 8 + dataBytes + (dataBytes & 1)));
  ascii(out, 8, 'WAVE');
  ascii(out, 12, 'fmt ');
  u32le(out, 16, pcm ? 16 : 18);
  u16le(out, 20, pcm ? WAVE_FORMAT_PCM : spec.encoding === 'pcmu' ? WAVE_FORMAT_MULAW : WAVE_FORMAT_ALAW);
  u16le(out, 22, spec.channels);
  u32le(out, 24, spec.sampleRate);
  u32le(out, 28, spec.sampleRate * blockAlign);
  u16le(out, 32, blockAlign);
  u16le(out, 34, 8 * width);
  let at = 36;
  if (!pcm) {
    u16le(out, 36, 0); // cbSize
    ascii(out, 38, 'fact');
    u32le(out, 42, 4);
    u32le(out, 46, Math.floor(dataBytes / blockAlign)); // sample frames
    at = 50;
  }
  ascii(out, at, 'data');
  u32le(out, at + 4, Math.min(0xffffffff, dataBytes));
  return headerLength;
}

/**
 * Encodes interleaved samples (`spec.channels` per frame) as a complete WAV file.
 * An odd-length data chunk gets its RIFF pad byte.
 */
export function encodeWav(spec: WavSpec, samples: Int16Array): Uint8Array {
  checkWavSpec(spec);
  const dataBytes = samples.length * bytesPerSample(spec.encoding);
  const headerLength = wavHeaderLength(spec.encoding);
  const out = new Uint8Array(headerLength + dataBytes + (dataBytes & 1));
  writeWavHeader(out, spec, dataBytes);
  const data = out.subarray(headerLength, headerLength + dataBytes);
  if (spec.encoding === 'pcmu') encodeUlaw(samples, data);
  else if (spec.encoding === 'pcma') encodeAlaw(samples, data);
  else writePcm16le(samples, data, 0);
  return out;
}

/** Writes samples as little-endian 16-bit at `offset`; returns the bytes written. */
export function writePcm16le(
  samples: Int16Array,
  out: Uint8Array,
  offset: number,
  length = samples.length,
): number {
  for (let i = 0, at = offset; i < length; i++, at += 2) {
    const s = samples[i]!;
    out[at] = s & 0xff;
    out[at + 1] = (s >> 8) & 0xff;
  }
  return 2 * length;
}
