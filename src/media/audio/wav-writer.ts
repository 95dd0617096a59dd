/**
 * A streaming WAV writer for call recordings (caller left, other party right).
 *
 * Crash safety: the header is written at open with zero sizes, audio is gathered in
 * memory and handed to the sink once per `flushIntervalMs` of audio, and after each
 * chunk the header is rewritten with the sizes written so far. Data goes first and the
 * header second, so the header never claims bytes that are not on disk: a crash leaves
 * a valid file holding everything up to the last flush (readers also accept the
 * placeholder sizes of a file that crashed before its first flush).
 *
 * Appending never waits: `append*` encode into the pending chunk synchronously (no
 * allocation per frame) and queue a write when a chunk is full. Sink failures are kept,
 * reported through `onError` once, and make `close()` reject — never swallowed.
 *
 * `sha256` is the SHA-256 of the data chunk's bytes (the audio, in file order), computed
 * as chunks are written. It is not the hash of the whole file, whose header is rewritten
 * at the end; `wavDataSha256` recomputes it from a file for verification.
 */
import { createHash, type Hash } from 'node:crypto';
import { MediaError } from '../errors.js';
import { linearToAlaw, linearToUlaw } from '../codec/g711.js';
import { bytesPerSample, checkWavSpec, wavHeaderLength, writeWavHeader, type WavSpec } from './wav-format.js';

/** Where a recording goes: a positional writer (a file in production, memory in tests). */
export interface WavSink {
  write(data: Uint8Array, position: number): Promise<void>;
  close(): Promise<void>;
}

export interface WavWriterOptions extends WavSpec {
  /** Audio gathered before each write and header rewrite. Default 1000 ms. */
  readonly flushIntervalMs?: number;
  /** Called once with the first sink failure. */
  readonly onError?: (error: unknown) => void;
}

export interface RecordingSummary {
  /** Bytes of the file, header included. */
  readonly fileBytes: number;
  readonly dataBytes: number;
  /** Sample frames (samples per channel). */
  readonly frames: number;
  readonly durationMs: number;
  /** SHA-256 (hex) of the data chunk bytes. */
  readonly sha256: string;
}

/** The largest data chunk a RIFF header can describe, less the header. */
const MAX_DATA_BYTES = 0xffffffff - 64;

export class StreamingWavWriter {
  private readonly headerLength: number;
  private readonly frameBytes: number;
  private readonly chunkBytes: number;
  private readonly hash: Hash = createHash('sha256');
  private readonly header: Uint8Array;
  private pending: Uint8Array;
  private pendingBytes = 0;
  /** Bytes of audio handed to the sink (or queued for it). */
  private dataBytes = 0;
  private chain: Promise<void> = Promise.resolve();
  private failure: { error: unknown } | null = null;
  private closing: Promise<RecordingSummary> | null = null;

  private constructor(
    private readonly sink: WavSink,
    private readonly options: WavWriterOptions,
  ) {
    checkWavSpec(options);
    this.headerLength = wavHeaderLength(options.encoding);
    this.frameBytes = bytesPerSample(options.encoding) * options.channels;
    const frames = Math.max(1, Math.round(((options.flushIntervalMs ?? 1000) * options.sampleRate) / 1000));
    this.chunkBytes = frames * this.frameBytes;
    this.pending = new Uint8Array(this.chunkBytes);
    this.header = new Uint8Array(this.headerLength);
  }

  /** Writes the placeholder header and returns a writer ready for audio. */
  static async open(sink: WavSink, options: WavWriterOptions): Promise<StreamingWavWriter> {
    const writer = new StreamingWavWriter(sink, options);
    writeWavHeader(writer.header, options, 0);
    await sink.write(writer.header.slice(), 0);
    return writer;
  }

  /** The first sink failure, if any. */
  get error(): unknown {
    return this.failure?.error;
  }

  /** Sample frames appended so far. */
  get frames(): number {
    return (this.dataBytes + this.pendingBytes) / this.frameBytes;
  }

  /** Appends one channel's frame to a mono recording. */
  appendMono(samples: Int16Array, length = samples.length): void {
    this.checkOpen(1);
    if (length > samples.length)
      throw new MediaError('MEDIA_INVALID_ARGUMENT', `appendMono: fewer than ${length} samples`);
    for (let i = 0; i < length; i++) this.put(samples[i]!);
  }

  /** Appends a stereo frame: `left` (the caller) and `right` (the other party), `length` each. */
  appendStereo(left: Int16Array, right: Int16Array, length = Math.min(left.length, right.length)): void {
    this.checkOpen(2);
    if (length > left.length || length > right.length) {
      throw new MediaError('MEDIA_INVALID_ARGUMENT', `appendStereo: channels shorter than ${length}`);
    }
    if (this.options.encoding === 'pcm16') return this.appendStereoPcm16(left, right, length);
    for (let i = 0; i < length; i++) {
      this.put(left[i]!);
      this.put(right[i]!);
    }
  }

  /**
   * The common case of every recorded call (stereo PCM16), written frame by frame in one
   * tight loop per chunk rather than a call per sample: the media workers run it for every
   * recorded call on every tick.
   */
  private appendStereoPcm16(left: Int16Array, right: Int16Array, length: number): void {
    let i = 0;
    while (i < length) {
      const room = Math.min(
        (this.chunkBytes - this.pendingBytes) >> 2,
        Math.floor((MAX_DATA_BYTES - this.dataBytes - this.pendingBytes) / 4),
      );
      const n = Math.min(room, length - i);
      if (n <= 0) return; // RIFF is full: stop, keep the file valid
      const p = this.pending;
      let o = this.pendingBytes;
      for (const end = i + n; i < end; i++) {
        const l = left[i]!;
        const r = right[i]!;
        p[o] = l & 0xff;
        p[o + 1] = (l >> 8) & 0xff;
        p[o + 2] = r & 0xff;
        p[o + 3] = (r >> 8) & 0xff;
        o += 4;
      }
      this.pendingBytes = o;
      if (this.pendingBytes === this.chunkBytes) this.queueChunk();
    }
  }

  /** Appends interleaved samples (whole frames). */
  appendInterleaved(samples: Int16Array, length = samples.length): void {
    this.checkOpen(this.options.channels);
    if (length > samples.length || length % this.options.channels !== 0) {
      throw new MediaError(
        'MEDIA_INVALID_ARGUMENT',
        'appendInterleaved: a partial sample frame or too few samples',
      );
    }
    for (let i = 0; i < length; i++) this.put(samples[i]!);
  }

  private checkOpen(channels: number): void {
    if (this.closing) throw new MediaError('MEDIA_INVALID_ARGUMENT', 'the recording is closed');
    if (channels !== this.options.channels) {
      throw new MediaError('MEDIA_INVALID_ARGUMENT', `the recording has ${this.options.channels} channel(s)`);
    }
  }

  private put(sample: number): void {
    if (this.dataBytes + this.pendingBytes + 2 > MAX_DATA_BYTES) return; // RIFF is full: stop, keep the file valid
    const p = this.pending;
    switch (this.options.encoding) {
      case 'pcm16':
        p[this.pendingBytes++] = sample & 0xff;
        p[this.pendingBytes++] = (sample >> 8) & 0xff;
        break;
      case 'pcmu':
        p[this.pendingBytes++] = linearToUlaw(sample);
        break;
      case 'pcma':
        p[this.pendingBytes++] = linearToAlaw(sample);
    }
    if (this.pendingBytes === this.chunkBytes) this.queueChunk();
  }

  /** Hands the pending audio to the sink, then rewrites the header with the new sizes. */
  private queueChunk(): void {
    if (this.pendingBytes === 0) return;
    const chunk = this.pending.subarray(0, this.pendingBytes);
    const position = this.headerLength + this.dataBytes;
    this.hash.update(chunk);
    this.dataBytes += this.pendingBytes;
    this.pending = new Uint8Array(this.chunkBytes); // once per interval: the sink owns `chunk` now
    this.pendingBytes = 0;
    const header = new Uint8Array(this.headerLength);
    writeWavHeader(header, this.options, this.dataBytes);
    this.chain = this.chain
      .then(() => (this.failure ? undefined : this.sink.write(chunk, position)))
      .then(() => (this.failure ? undefined : this.sink.write(header, 0)))
      .catch((error: unknown) => this.fail(error));
  }

  private fail(error: unknown): void {
    if (this.failure) return;
    this.failure = { error };
    this.options.onError?.(error);
  }

  /** Writes what is pending now (e.g. before pausing) and waits for the sink. */
  async flush(): Promise<void> {
    this.queueChunk();
    await this.chain;
    if (this.failure) throw this.failure.error;
  }

  /**
   * Writes the rest, finalises the header, closes the sink and reports the recording.
   * Idempotent: later calls return the same promise. Rejects with the first sink failure.
   */
  close(): Promise<RecordingSummary> {
    this.closing ??= this.finish();
    return this.closing;
  }

  private async finish(): Promise<RecordingSummary> {
    const odd = this.dataBytes + this.pendingBytes;
    this.queueChunk();
    if (odd & 1) {
      // RIFF pads an odd-sized chunk; the pad byte is not audio and not hashed.
      const position = this.headerLength + this.dataBytes;
      this.chain = this.chain
        .then(() => (this.failure ? undefined : this.sink.write(new Uint8Array(1), position)))
        .catch((error: unknown) => this.fail(error));
    }
    await this.chain;
    try {
      await this.sink.close();
    } catch (error) {
      this.fail(error);
    }
    if (this.failure) throw this.failure.error;
    const frames = this.dataBytes / this.frameBytes;
    return {
      fileBytes: this.headerLength + this.dataBytes + (this.dataBytes & 1),
      dataBytes: this.dataBytes,
      frames,
      durationMs: (frames * 1000) / this.options.sampleRate,
      sha256: this.hash.digest('hex'),
    };
  }
}

/** SHA-256 (hex) of the data chunk of a WAV file, to check a recording against its row. */
export function wavDataSha256(file: Uint8Array): string | undefined {
  let at = 12;
  while (at + 8 <= file.length) {
    const name = String.fromCharCode(file[at]!, file[at + 1]!, file[at + 2]!, file[at + 3]!);
    const size = (file[at + 4]! | (file[at + 5]! << 8) | (file[at + 6]! << 16) | (file[at + 7]! << 24)) >>> 0;
    if (name === 'data') {
      return createHash('sha256')
        .update(file.subarray(at + 8, Math.min(file.length, at + 8 + size)))
        .digest('hex');
    }
    at += 8 + size + (size & 1);
  }
  return undefined;
}
