/**
 * Prompts and music decoded once per worker: a WAV file becomes 8 kHz mono PCM (parseWav,
 * toMono, resample) and is kept, keyed by path, modification time and size — so a prompt
 * re-recorded under the same name is read again — with a least-recently-used bound on the
 * samples held (default 64 MB, about 70 minutes of audio).
 *
 * `open()` answers at once with a handle whose status changes when the file is loaded; the
 * player plays silence meanwhile, so the 20 ms tick never waits on the disk. Two players
 * asking for the same file while it loads share one read. Failures are not cached (a
 * missing prompt may be installed a moment later) and name the file.
 */
import { readFile, stat } from 'node:fs/promises';
import { parseWav, toMono } from '../audio/wav-read.js';
import { resample } from '../audio/resample.js';

export interface AudioHandle {
  readonly path: string;
  status: 'loading' | 'ready' | 'failed';
  /** 8 kHz mono samples once ready. */
  samples: Int16Array | null;
  /** Why it failed, naming the file. */
  error: string | null;
}

/** File access (injected for tests). */
export interface AudioFiles {
  stat(path: string): Promise<{ readonly mtimeMs: number; readonly size: number }>;
  read(path: string): Promise<Uint8Array>;
}

const nodeFiles: AudioFiles = { stat: (p) => stat(p), read: (p) => readFile(p) };

export const DEFAULT_CACHE_BYTES = 64 * 1024 * 1024;
const RATE = 8000;

export class AudioCache {
  /** Insertion order is recency order: a hit moves its entry to the end. */
  private readonly entries = new Map<string, Int16Array>();
  private readonly loading = new Map<string, Promise<Int16Array>>();
  private held = 0;

  constructor(
    private readonly maxBytes = DEFAULT_CACHE_BYTES,
    private readonly files: AudioFiles = nodeFiles,
  ) {}

  /** Bytes of samples held. */
  get bytes(): number {
    return this.held;
  }

  get size(): number {
    return this.entries.size;
  }

  /** A handle that becomes ready (or failed) when the file is decoded. */
  open(path: string): AudioHandle {
    const handle: AudioHandle = { path, status: 'loading', samples: null, error: null };
    this.load(path).then(
      (samples) => {
        handle.samples = samples;
        handle.status = 'ready';
      },
      (err: unknown) => {
        handle.error = err instanceof Error ? err.message : String(err);
        handle.status = 'failed';
      },
    );
    return handle;
  }

  /** The decoded samples of `path`; rejects with an Error naming the file. */
  async load(path: string): Promise<Int16Array> {
    let info: { mtimeMs: number; size: number };
    try {
      info = await this.files.stat(path);
    } catch (err) {
      throw new Error(`cannot read ${path}: ${describe(err)}`);
    }
    const key = `${path}\0${info.mtimeMs}\0${info.size}`;
    const hit = this.entries.get(key);
    if (hit) {
      this.entries.delete(key);
      this.entries.set(key, hit);
      return hit;
    }
    let pending = this.loading.get(key);
    if (!pending) {
      pending = this.decode(path).finally(() => this.loading.delete(key));
      this.loading.set(key, pending);
      void pending.then(
        (samples) => this.insert(key, samples),
        () => undefined, // the caller that awaits `pending` gets the failure
      );
    }
    return pending;
  }

  private async decode(path: string): Promise<Int16Array> {
    let bytes: Uint8Array;
    try {
      bytes = await this.files.read(path);
    } catch (err) {
      throw new Error(`cannot read ${path}: ${describe(err)}`);
    }
    const parsed = parseWav(bytes);
    if (!parsed.ok) throw new Error(`cannot play ${path}: ${parsed.message} (${parsed.error})`);
    const { audio } = parsed;
    const mono = toMono(audio.samples, audio.channels);
    return audio.sampleRate === RATE ? mono : resample(mono, audio.sampleRate, RATE);
  }

  private insert(key: string, samples: Int16Array): void {
    if (this.entries.has(key)) return;
    this.entries.set(key, samples);
    this.held += samples.byteLength;
    for (const [k, v] of this.entries) {
      if (this.held <= this.maxBytes || k === key) break;
      this.entries.delete(k);
      this.held -= v.byteLength;
    }
  }
}

function describe(err: unknown): string {
  const code = (err as NodeJS.ErrnoException).code;
  const message = err instanceof Error ? err.message : String(err);
  return code === 'ENOENT' ? 'no such file' : message;
}
