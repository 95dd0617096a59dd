/**
 * The cache's file format: canonical RIFF/WAVE, PCM16 mono (44-byte header). It is written by the media module's WAV encoder (src/media/audio). The reader
 * accepts only that shape — it reads files this module wrote — but walks the chunks and
 * checks every length, so a truncated or foreign file is reported, never misread.
 */
import { encodeWav } from '../audio/index.js';

export function encodeWavPcm16Mono(samples: Int16Array, sampleRate: number): Buffer {
  const bytes = encodeWav({ encoding: 'pcm16', sampleRate, channels: 1 }, samples);
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

export type DecodeWavResult =
  | { readonly ok: true; readonly samples: Int16Array; readonly sampleRate: number }
  | { readonly ok: false; readonly reason: string };

export function decodeWavPcm16Mono(buf: Uint8Array): DecodeWavResult {
  const b = Buffer.from(buf.buffer, buf.byteOffset, buf.byteLength);
  if (b.length < 12 || b.toString('ascii', 0, 4) !== 'RIFF' || b.toString('ascii', 8, 12) !== 'WAVE') {
    return { ok: false, reason: 'not a RIFF/WAVE file' };
  }
  if (b.readUInt32LE(4) + 8 !== b.length) return { ok: false, reason: 'RIFF size does not match file size' };
  let sampleRate = 0;
  let pos = 12;
  while (pos + 8 <= b.length) {
    const id = b.toString('ascii', pos, pos + 4);
    const size = b.readUInt32LE(pos + 4);
    const body = pos + 8;
    if (body + size > b.length) return { ok: false, reason: `chunk ${JSON.stringify(id)} overruns the file` };
    if (id === 'fmt ') {
      if (size < 16) return { ok: false, reason: 'fmt chunk too short' };
      const format = b.readUInt16LE(body);
      const channels = b.readUInt16LE(body + 2);
      const bits = b.readUInt16LE(body + 14);
      if (format !== 1 || channels !== 1 || bits !== 16) {
        return { ok: false, reason: `not PCM16 mono (format ${format}, ${channels} ch, ${bits} bit)` };
      }
      sampleRate = b.readUInt32LE(body + 4);
    } else if (id === 'data') {
      if (sampleRate === 0) return { ok: false, reason: 'data chunk before fmt chunk' };
      if (size % 2 !== 0) return { ok: false, reason: 'odd data length' };
      const samples = new Int16Array(size / 2);
      for (let i = 0; i < samples.length; i++) samples[i] = b.readInt16LE(body + i * 2);
      return { ok: true, samples, sampleRate };
    }
    pos = body + size + (size % 2); // chunks are word-aligned
  }
  return { ok: false, reason: 'no data chunk' };
}
