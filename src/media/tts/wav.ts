/**
 * The cache's file format: canonical RIFF/WAVE, PCM16 mono (44-byte header). The reader
 * accepts only that shape — it reads files this module wrote — but walks the chunks and
 * checks every length, so a truncated or foreign file is reported, never misread.
 */

const HEADER_BYTES = 44;

export function encodeWavPcm16Mono(samples: Int16Array, sampleRate: number): Buffer {
  const dataBytes = samples.length * 2;
  const buf = Buffer.alloc(HEADER_BYTES + dataBytes);
  buf.write('RIFF', 0, 'ascii');
  buf.writeUInt32LE(36 + dataBytes, 4);
  buf.write('WAVE', 8, 'ascii');
  buf.write('fmt ', 12, 'ascii');
  buf.writeUInt32LE(16, 16);
  buf.writeUInt16LE(1, 20); // WAVE_FORMAT_PCM
  buf.writeUInt16LE(1, 22); // channels
  buf.writeUInt32LE(sampleRate, 24);
  buf.writeUInt32LE(sampleRate * 2, 28); // byte rate
  buf.writeUInt16LE(2, 32); // block align
  buf.writeUInt16LE(16, 34); // bits per sample
  buf.write('data', 36, 'ascii');
  buf.writeUInt32LE(dataBytes, 40);
  for (let i = 0; i < samples.length; i++) buf.writeInt16LE(samples[i]!, HEADER_BYTES + i * 2);
  return buf;
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
