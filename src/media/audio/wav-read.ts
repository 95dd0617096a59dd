/**
 * WAV reader for prompts and music: RIFF/WAVE with PCM (16-bit, or 8-bit unsigned),
 * G.711 µ-law (format 7) or A-law (format 6), also inside WAVE_FORMAT_EXTENSIBLE; mono
 * or stereo; 8–48 kHz. Other chunks (LIST, fact, cue…) are skipped. A file cut short —
 * a recording whose writer crashed — is read up to its last whole sample frame.
 * Failures are values with a stable code and a message a person can act on.
 */
import { ALAW_DECODE, ULAW_DECODE } from '../codec/g711.js';
import {
  WAVE_FORMAT_ALAW,
  WAVE_FORMAT_EXTENSIBLE,
  WAVE_FORMAT_MULAW,
  WAVE_FORMAT_PCM,
} from './wav-format.js';

export type WavErrorCode =
  | 'WAV_NOT_RIFF'
  | 'WAV_NO_FORMAT'
  | 'WAV_NO_DATA'
  | 'WAV_BAD_FORMAT'
  | 'WAV_UNSUPPORTED_ENCODING'
  | 'WAV_UNSUPPORTED_CHANNELS'
  | 'WAV_UNSUPPORTED_RATE';

export interface WavAudio {
  readonly sampleRate: number;
  readonly channels: 1 | 2;
  /** Interleaved samples (L R L R … for stereo). */
  readonly samples: Int16Array;
  /** Sample frames (samples per channel). */
  readonly frames: number;
  /** What the file held before conversion to 16-bit. */
  readonly encoding: 'pcm16' | 'pcm8' | 'pcmu' | 'pcma';
}

export type ParseWavResult =
  | { readonly ok: true; readonly audio: WavAudio }
  | { readonly ok: false; readonly error: WavErrorCode; readonly message: string };

export const MIN_WAV_RATE = 8000;
export const MAX_WAV_RATE = 48000;

interface Format {
  tag: number;
  channels: number;
  sampleRate: number;
  blockAlign: number;
  bits: number;
}

function fail(error: WavErrorCode, message: string): ParseWavResult {
  return { ok: false, error, message };
}

function u16(b: Uint8Array, at: number): number {
  return b[at]! | (b[at + 1]! << 8);
}

function u32(b: Uint8Array, at: number): number {
  return (b[at]! | (b[at + 1]! << 8) | (b[at + 2]! << 16) | (b[at + 3]! << 24)) >>> 0;
}

function id(b: Uint8Array, at: number): string {
  return String.fromCharCode(b[at]!, b[at + 1]!, b[at + 2]!, b[at + 3]!);
}

function readFormat(b: Uint8Array, at: number, size: number): Format | null {
  if (size < 16 || at + 16 > b.length) return null;
  let tag = u16(b, at);
  // WAVE_FORMAT_EXTENSIBLE: the real tag is the first two bytes of the subformat GUID.
  if (tag === WAVE_FORMAT_EXTENSIBLE) {
    if (size < 40 || at + 26 > b.length) return null;
    tag = u16(b, at + 24);
  }
  return {
    tag,
    channels: u16(b, at + 2),
    sampleRate: u32(b, at + 4),
    blockAlign: u16(b, at + 12),
    bits: u16(b, at + 14),
  };
}

function encodingOf(f: Format): WavAudio['encoding'] | { readonly unsupported: string } {
  if (f.tag === WAVE_FORMAT_PCM && f.bits === 16) return 'pcm16';
  if (f.tag === WAVE_FORMAT_PCM && f.bits === 8) return 'pcm8';
  if (f.tag === WAVE_FORMAT_MULAW && f.bits === 8) return 'pcmu';
  if (f.tag === WAVE_FORMAT_ALAW && f.bits === 8) return 'pcma';
  const what = f.tag === WAVE_FORMAT_PCM ? `${f.bits}-bit PCM` : `format tag ${f.tag} (${f.bits}-bit)`;
  return {
    unsupported: `${what} is not supported: use 16-bit PCM, µ-law or A-law (sox in.wav -b 16 out.wav)`,
  };
}

function decode(data: Uint8Array, encoding: WavAudio['encoding'], count: number): Int16Array {
  const out = new Int16Array(count);
  if (encoding === 'pcm16') {
    for (let i = 0; i < count; i++) out[i] = (u16(data, 2 * i) << 16) >> 16;
  } else if (encoding === 'pcm8') {
    for (let i = 0; i < count; i++) out[i] = (data[i]! - 128) << 8;
  } else {
    const table = encoding === 'pcmu' ? ULAW_DECODE : ALAW_DECODE;
    for (let i = 0; i < count; i++) out[i] = table[data[i]!]!;
  }
  return out;
}

function findChunks(b: Uint8Array): { format: Format | null; fmtSeen: boolean; data: Uint8Array | null } {
  let format: Format | null = null;
  let fmtSeen = false;
  let data: Uint8Array | null = null;
  let at = 12;
  while (at + 8 <= b.length && data === null) {
    const name = id(b, at);
    const size = u32(b, at + 4);
    const body = at + 8;
    if (name === 'fmt ') {
      fmtSeen = true;
      format = readFormat(b, body, size);
    } else if (name === 'data') {
      // A size of 0 or one past the end is what a crashed or streaming writer leaves.
      const end = size === 0 || body + size > b.length ? b.length : body + size;
      data = b.subarray(body, end);
    }
    at = body + size + (size & 1);
  }
  return { format, fmtSeen, data };
}

/** Parses a WAV file held in memory. */
export function parseWav(bytes: Uint8Array): ParseWavResult {
  if (bytes.length < 12 || id(bytes, 0) !== 'RIFF' || id(bytes, 8) !== 'WAVE') {
    return fail('WAV_NOT_RIFF', 'not a RIFF/WAVE file');
  }
  const { format, fmtSeen, data } = findChunks(bytes);
  if (!fmtSeen) return fail('WAV_NO_FORMAT', 'the file has no fmt chunk before its data');
  if (format === null) return fail('WAV_BAD_FORMAT', 'the fmt chunk is too short');
  if (data === null) return fail('WAV_NO_DATA', 'the file has no data chunk');
  const enc = encodingOf(format);
  if (typeof enc !== 'string') return fail('WAV_UNSUPPORTED_ENCODING', enc.unsupported);
  const channels = format.channels;
  if (channels !== 1 && channels !== 2) {
    return fail(
      'WAV_UNSUPPORTED_CHANNELS',
      `${format.channels} channels: only mono and stereo are supported`,
    );
  }
  if (format.sampleRate < MIN_WAV_RATE || format.sampleRate > MAX_WAV_RATE) {
    return fail(
      'WAV_UNSUPPORTED_RATE',
      `${format.sampleRate} Hz is outside ${MIN_WAV_RATE}–${MAX_WAV_RATE} Hz`,
    );
  }
  const width = enc === 'pcm16' ? 2 : 1;
  if (format.blockAlign !== width * format.channels) {
    return fail(
      'WAV_BAD_FORMAT',
      `block align ${format.blockAlign} does not match ${format.channels} × ${width} bytes`,
    );
  }
  const frames = Math.floor(data.length / format.blockAlign);
  const samples = decode(data, enc, frames * format.channels);
  return { ok: true, audio: { sampleRate: format.sampleRate, channels, samples, frames, encoding: enc } };
}

/** Averages stereo to mono (a new array); mono input is returned as is. */
export function toMono(samples: Int16Array, channels: number): Int16Array {
  if (channels === 1) return samples;
  const frames = Math.floor(samples.length / channels);
  const out = new Int16Array(frames);
  for (let i = 0; i < frames; i++) {
    let sum = 0;
    for (let c = 0; c < channels; c++) sum += samples[i * channels + c]!;
    out[i] = Math.round(sum / channels);
  }
  return out;
}

/** One channel of interleaved samples (a new array). */
export function channelOf(samples: Int16Array, channels: number, channel: number): Int16Array {
  const frames = Math.floor(samples.length / channels);
  const out = new Int16Array(frames);
  for (let i = 0; i < frames; i++) out[i] = samples[i * channels + channel]!;
  return out;
}
