/**
 * A call recording: what `left` receives from its phone on the left channel, what `right`
 * receives on the right (or `left` alone, mono), PCM16 at 8 kHz, one frame per tick.
 *
 * Streamed through StreamingWavWriter, so a crash leaves a playable file up to the last
 * flush (one second). While paused nothing is written, not even silence: a card number
 * read out during the pause is not in the file, and the file is shorter by the pause.
 * The first disk failure is reported once (onFailed) and stops the writing; finish()
 * then rejects with MEDIA_RECORDING_FAILED.
 */
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { openWavFileSink } from '../audio/wav-file-sink.js';
import { StreamingWavWriter, type WavSink } from '../audio/wav-writer.js';
import { MediaError } from '../errors.js';
import type { RecordingOptions, RecordingResult } from '../relay/control.js';
import type { MixInput } from './mixer.js';
import { RATE } from './types.js';

export interface RecorderDeps {
  readonly openSink?: (path: string) => Promise<WavSink>;
  readonly now: () => number;
  readonly onFailed: (error: string) => void;
}

export class Recorder {
  paused = false;
  private failure: string | null = null;
  private finishing: Promise<RecordingResult> | null = null;

  private constructor(
    readonly options: RecordingOptions,
    private left: MixInput | null,
    private right: MixInput | null,
    private readonly writer: StreamingWavWriter,
    private readonly startedAt: number,
    private readonly deps: RecorderDeps,
  ) {}

  /** Creates the file (never overwriting one) and writes its header. */
  static async open(
    options: RecordingOptions,
    left: MixInput,
    right: MixInput | null,
    deps: RecorderDeps,
  ): Promise<Recorder> {
    const startedAt = deps.now();
    let writer: StreamingWavWriter;
    let recorder: Recorder | null = null;
    try {
      const sink = await (deps.openSink ?? openWavFileSink)(options.path);
      writer = await StreamingWavWriter.open(sink, {
        encoding: 'pcm16',
        sampleRate: RATE,
        channels: right === null ? 1 : 2,
        onError: (err) => recorder?.fail(err),
      });
    } catch (err) {
      throw new MediaError('MEDIA_RECORDING_FAILED', `cannot record to ${options.path}: ${describe(err)}`, {
        recId: options.recId,
        path: options.path,
      });
    }
    recorder = new Recorder(options, left, right, writer, startedAt, deps);
    return recorder;
  }

  get recId(): string {
    return this.options.recId;
  }

  get finished(): boolean {
    return this.finishing !== null;
  }

  /** Appends this tick's frames (nothing while paused, failed or finished). */
  write(): void {
    if (this.paused || this.failure !== null || this.left === null) return;
    if (this.right === null) this.writer.appendMono(this.left.heard);
    else this.writer.appendStereo(this.left.heard, this.right.heard);
  }

  /** True when `id` is one of the recorded sides. */
  involves(id: string): boolean {
    return this.left?.id === id || this.right?.id === id;
  }

  /** Completes the file (header final, closed), reads it back for its hash. Idempotent. */
  finish(): Promise<RecordingResult> {
    this.left = null;
    this.right = null;
    this.finishing ??= this.complete();
    return this.finishing;
  }

  private async complete(): Promise<RecordingResult> {
    const { recId, path } = this.options;
    try {
      const summary = await this.writer.close();
      if (this.failure !== null) throw new Error(this.failure);
      const endedAt = this.deps.now();
      return {
        recId,
        path,
        channels: this.options.right === null ? 1 : 2,
        startedAt: this.startedAt,
        endedAt,
        durationMs: summary.durationMs,
        bytes: summary.fileBytes,
        sha256: await sha256File(path),
      };
    } catch (err) {
      this.fail(err);
      throw new MediaError(
        'MEDIA_RECORDING_FAILED',
        `recording ${recId} to ${path} failed: ${this.failure}`,
        {
          recId,
          path,
        },
      );
    }
  }

  private fail(err: unknown): void {
    if (this.failure !== null) return;
    this.failure = describe(err);
    this.deps.onFailed(`recording ${this.options.recId} to ${this.options.path}: ${this.failure}`);
  }
}

function describe(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

function sha256File(path: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const hash = createHash('sha256');
    createReadStream(path)
      .on('data', (chunk) => hash.update(chunk))
      .on('error', reject)
      .on('end', () => resolve(hash.digest('hex')));
  });
}
