import { readFileSync } from 'node:fs';

/** A 16-bit PCM WAV file, its first channel as samples scaled to -1..1. */
export interface Pcm {
  readonly sampleRate: number;
  readonly channels: number;
  readonly samples: Float32Array;
}

const WAVE_FORMAT_PCM = 1;
const WAVE_FORMAT_EXTENSIBLE = 0xfffe;

/**
 * Reads a RIFF/WAVE file of 16-bit PCM (what baresip's sndfile module and sox write). Every
 * chunk length is checked against the file; a data chunk whose header was never finalized
 * (size 0 or past the end, as when a writer is killed) is read up to the end of the file.
 */
export function readWav(file: string): Pcm {
  const buf = readFileSync(file);
  const fail = (why: string): never => {
    throw new Error(`${file}: ${why}`);
  };
  if (buf.length < 12 || buf.toString('ascii', 0, 4) !== 'RIFF' || buf.toString('ascii', 8, 12) !== 'WAVE') {
    fail('not a RIFF/WAVE file');
  }
  let format: { tag: number; channels: number; rate: number; bits: number; align: number } | undefined;
  let offset = 12;
  while (offset + 8 <= buf.length) {
    const id = buf.toString('ascii', offset, offset + 4);
    const size = buf.readUInt32LE(offset + 4);
    const body = offset + 8;
    if (id === 'fmt ') {
      if (size < 16 || body + size > buf.length) fail(`fmt chunk of ${size} bytes does not fit`);
      format = {
        tag: buf.readUInt16LE(body),
        channels: buf.readUInt16LE(body + 2),
        rate: buf.readUInt32LE(body + 4),
        align: buf.readUInt16LE(body + 12),
        bits: buf.readUInt16LE(body + 14),
      };
      // WAVE_FORMAT_EXTENSIBLE keeps the real format tag at the start of its SubFormat GUID.
      if (format.tag === WAVE_FORMAT_EXTENSIBLE && size >= 40) format.tag = buf.readUInt16LE(body + 24);
    } else if (id === 'data') {
      if (!format) return fail('data chunk before fmt chunk');
      if (format.tag !== WAVE_FORMAT_PCM || format.bits !== 16) {
        fail(`unsupported format tag ${format.tag} with ${format.bits} bits (want 16-bit PCM)`);
      }
      if (format.channels < 1 || format.align !== 2 * format.channels) {
        fail(`bad block alignment ${format.align} for ${format.channels} channels`);
      }
      const end = size === 0 || body + size > buf.length ? buf.length : body + size;
      const frames = Math.floor((end - body) / format.align);
      const samples = new Float32Array(frames);
      for (let i = 0; i < frames; i++) samples[i] = buf.readInt16LE(body + i * format.align) / 32768;
      return { sampleRate: format.rate, channels: format.channels, samples };
    }
    // RIFF chunks are padded to an even length.
    offset = body + size + (size % 2);
  }
  return fail('no data chunk');
}

/** Root mean square of the samples (0 for none); full-scale sine ≈ 0.707. */
export function rms(samples: Float32Array): number {
  if (samples.length === 0) return 0;
  let sum = 0;
  for (const s of samples) sum += s * s;
  return Math.sqrt(sum / samples.length);
}

/** The same level in dB relative to full scale (-Infinity for digital silence). */
export function dbfs(level: number): number {
  return 20 * Math.log10(level);
}

export interface Correlation {
  /**
   * How many samples `received` lags behind `sent` at the best match; negative when it
   * starts further into the signal (its first frames were lost).
   */
  readonly lag: number;
  /** Normalized cross-correlation at that lag, -1..1 (1: same waveform up to a gain). */
  readonly peak: number;
}

/**
 * Finds the shift at which `received` best matches `sent`: for each lag in -maxLag..maxLag,
 * the normalized cross-correlation Σ s[n]·r[n+lag] / √(Σ s[n]² · Σ r[n+lag]²) over the
 * samples the two share. Lags whose overlap holds less than `minOverlap` samples are
 * skipped, so a chance match of a few samples at either end cannot win.
 */
export function bestLag(
  sent: Float32Array,
  received: Float32Array,
  maxLag: number,
  minOverlap = 4000,
): Correlation {
  let best: Correlation = { lag: 0, peak: 0 };
  for (let lag = -maxLag; lag <= maxLag; lag++) {
    const from = Math.max(0, -lag);
    const to = Math.min(sent.length, received.length - lag);
    if (to - from < minOverlap) continue;
    let dot = 0;
    let es = 0;
    let er = 0;
    for (let i = from; i < to; i++) {
      const s = sent[i] as number;
      const r = received[i + lag] as number;
      dot += s * r;
      es += s * s;
      er += r * r;
    }
    const peak = es > 0 && er > 0 ? dot / Math.sqrt(es * er) : 0;
    if (peak > best.peak) best = { lag, peak };
  }
  return best;
}

/** A WAV file as written, every channel apart, with the header fields a test checks. */
export interface WavLayout {
  readonly fileBytes: number;
  /** The RIFF chunk's size field (a complete file: fileBytes − 8). */
  readonly riffSize: number;
  readonly formatTag: number;
  readonly channelCount: number;
  readonly sampleRate: number;
  readonly byteRate: number;
  readonly bitsPerSample: number;
  /** The data chunk's size field, and how many bytes really follow it in the file. */
  readonly dataSize: number;
  readonly dataBytesPresent: number;
  /** One array per channel (16-bit PCM scaled to -1..1); empty for other formats. */
  readonly channels: readonly Float32Array[];
}

/**
 * Reads a RIFF/WAVE file without repairing anything, so a test can tell a finished file
 * (sizes filled in when the recorder closed it) from one that was never finalized.
 */
export function inspectWav(file: string): WavLayout {
  const buf = readFileSync(file);
  if (buf.length < 12 || buf.toString('ascii', 0, 4) !== 'RIFF' || buf.toString('ascii', 8, 12) !== 'WAVE') {
    throw new Error(`${file}: not a RIFF/WAVE file`);
  }
  let fmt: { tag: number; channels: number; rate: number; byteRate: number; bits: number } | undefined;
  for (let offset = 12; offset + 8 <= buf.length;) {
    const id = buf.toString('ascii', offset, offset + 4);
    const size = buf.readUInt32LE(offset + 4);
    const body = offset + 8;
    if (id === 'fmt ' && size >= 16 && body + 16 <= buf.length) {
      fmt = {
        tag: buf.readUInt16LE(body),
        channels: buf.readUInt16LE(body + 2),
        rate: buf.readUInt32LE(body + 4),
        byteRate: buf.readUInt32LE(body + 8),
        bits: buf.readUInt16LE(body + 14),
      };
    } else if (id === 'data') {
      if (!fmt) throw new Error(`${file}: data chunk before fmt chunk`);
      const present = Math.min(size, buf.length - body);
      const channels: Float32Array[] = [];
      if (fmt.tag === WAVE_FORMAT_PCM && fmt.bits === 16 && fmt.channels > 0) {
        const frames = Math.floor(present / (2 * fmt.channels));
        for (let c = 0; c < fmt.channels; c++) {
          const samples = new Float32Array(frames);
          for (let i = 0; i < frames; i++)
            samples[i] = buf.readInt16LE(body + 2 * (i * fmt.channels + c)) / 32768;
          channels.push(samples);
        }
      }
      return {
        fileBytes: buf.length,
        riffSize: buf.readUInt32LE(4),
        formatTag: fmt.tag,
        channelCount: fmt.channels,
        sampleRate: fmt.rate,
        byteRate: fmt.byteRate,
        bitsPerSample: fmt.bits,
        dataSize: size,
        dataBytesPresent: present,
        channels,
      };
    }
    offset = body + size + (size % 2);
  }
  throw new Error(`${file}: no data chunk`);
}
