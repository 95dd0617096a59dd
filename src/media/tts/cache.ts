import { createHash } from 'node:crypto';
import { mkdir, readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { Logger } from '../../platform/log.js';
import { nodeFileOps, writeFileAtomic, type AtomicFileOps } from './atomic.js';
import { TtsError } from './errors.js';
import { resolveRequest } from './request.js';
import { resamplePcm16 } from './resample.js';
import type { ResolvedTtsRequest, TtsProvider, TtsRequest } from './types.js';
import { decodeWavPcm16Mono, encodeWavPcm16Mono } from './wav.js';

/**
 * Disk cache in front of a TTS provider.
 *
 *   ${dataDir}/tts/<k0k1>/<key>.wav      key = sha256 of (format, provider id, voice,
 *                                        lang, rate, pitch, text); <k0k1> its first two
 *                                        hex digits, so no directory grows past ~1/256
 *                                        of the entries.
 *
 * Every entry is 8 kHz mono PCM16, the rate of the G.711 media path, so playback never
 * resamples a prompt. A hit reads the file and never calls the provider; concurrent
 * requests for one key share one read or one synthesis.
 */

/** Part of every key: bump when the stored audio changes for the same inputs. */
const CACHE_FORMAT = 'hotline-tts/1 pcm16 mono 8000';

export const TTS_CACHE_SAMPLE_RATE = 8000;

/** `${dataDir}/tts`, where the cache lives under the data directory. */
export function ttsCacheDir(dataDir: string): string {
  return join(dataDir, 'tts');
}

/** The cache key of a resolved request for a given provider: 64 hex digits. */
export function ttsCacheKey(providerId: string, req: ResolvedTtsRequest): string {
  // A JSON array is unambiguous where a joined string would not be ("a|b" + "c" vs "a" + "b|c").
  const material = JSON.stringify([
    CACHE_FORMAT,
    providerId,
    req.voice,
    req.lang,
    req.rate,
    req.pitch,
    req.text,
  ]);
  return createHash('sha256').update(material, 'utf8').digest('hex');
}

export interface TtsCacheOptions {
  /** Usually `ttsCacheDir(dataDir)`; created on first write. */
  readonly dir: string;
  readonly provider: TtsProvider;
  readonly logger?: Logger;
  /** File operations for the atomic write; tests inject failures. */
  readonly fileOps?: AtomicFileOps;
}

export interface CachedSpeech {
  /** 8 kHz mono PCM16. */
  readonly samples: Int16Array;
  readonly sampleRate: typeof TTS_CACHE_SAMPLE_RATE;
  readonly key: string;
  /** Where the entry lives (absent from disk only if writing it failed). */
  readonly path: string;
  /** True when read from disk; false when synthesized for this request (or one it joined). */
  readonly fromCache: boolean;
}

export interface TtsCacheStats {
  hits: number;
  misses: number;
  /** Requests that joined a read or synthesis already under way for the same key. */
  coalesced: number;
  /** Entries synthesized but not stored (disk full, permissions); served from memory once. */
  writeFailures: number;
}

export class TtsCache {
  readonly dir: string;
  readonly stats: TtsCacheStats = { hits: 0, misses: 0, coalesced: 0, writeFailures: 0 };
  private readonly provider: TtsProvider;
  private readonly logger: Logger | undefined;
  private readonly fileOps: AtomicFileOps;
  private readonly inflight = new Map<string, Promise<CachedSpeech>>();

  constructor(opts: TtsCacheOptions) {
    this.dir = opts.dir;
    this.provider = opts.provider;
    this.logger = opts.logger;
    this.fileOps = opts.fileOps ?? nodeFileOps;
  }

  get providerId(): string {
    return this.provider.id;
  }

  /** Fills in the provider's defaults; throws TTS_INVALID_REQUEST. */
  resolve(req: TtsRequest): ResolvedTtsRequest {
    return resolveRequest(req, (lang) => this.provider.voiceFor(lang));
  }

  keyOf(req: TtsRequest): string {
    return ttsCacheKey(this.provider.id, this.resolve(req));
  }

  pathOf(req: TtsRequest): string {
    return this.pathOfKey(this.keyOf(req));
  }

  /**
   * The audio for `req`, from disk or synthesized and stored. `signal` abandons this
   * caller's wait only: a synthesis other callers share, or that is nearly done, still
   * completes and is stored.
   */
  async get(req: TtsRequest, signal?: AbortSignal): Promise<CachedSpeech> {
    const resolved = this.resolve(req);
    throwIfAborted(signal);
    const key = ttsCacheKey(this.provider.id, resolved);
    let job = this.inflight.get(key);
    if (job) {
      this.stats.coalesced++;
    } else {
      job = this.load(key, resolved).finally(() => this.inflight.delete(key));
      this.inflight.set(key, job);
    }
    return signal ? raceAbort(job, signal) : job;
  }

  /** Whether a valid entry for `req` is on disk (does not synthesize). */
  async has(req: TtsRequest): Promise<boolean> {
    const key = this.keyOf(req);
    return (await this.read(key, this.pathOfKey(key))) !== null;
  }

  private pathOfKey(key: string): string {
    return join(this.dir, key.slice(0, 2), `${key}.wav`);
  }

  private async load(key: string, req: ResolvedTtsRequest): Promise<CachedSpeech> {
    const path = this.pathOfKey(key);
    const stored = await this.read(key, path);
    if (stored) {
      this.stats.hits++;
      return { samples: stored, sampleRate: TTS_CACHE_SAMPLE_RATE, key, path, fromCache: true };
    }
    this.stats.misses++;
    const audio = await this.provider.synthesize(req);
    if (audio.samples.length === 0) {
      throw new TtsError('TTS_ENGINE_FAILED', 'the engine produced no audio', { provider: this.provider.id });
    }
    const samples = resamplePcm16(audio.samples, audio.sampleRate, TTS_CACHE_SAMPLE_RATE);
    await this.store(key, path, samples);
    return { samples, sampleRate: TTS_CACHE_SAMPLE_RATE, key, path, fromCache: false };
  }

  /** The stored samples, or null when there is no usable entry (which is then rewritten). */
  private async read(key: string, path: string): Promise<Int16Array | null> {
    let bytes: Buffer;
    try {
      bytes = await readFile(path);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
      throw new TtsError('TTS_CACHE_IO', `cannot read TTS cache entry ${path}`, {
        path,
        cause: (err as Error).message,
      });
    }
    const wav = decodeWavPcm16Mono(bytes);
    if (wav.ok && wav.sampleRate === TTS_CACHE_SAMPLE_RATE && wav.samples.length > 0) return wav.samples;
    const reason = wav.ok ? `unexpected sample rate ${wav.sampleRate} or no samples` : wav.reason;
    this.logger?.warn({ key, path, reason }, 'tts cache entry unusable; synthesizing it again');
    return null;
  }

  private async store(key: string, path: string, samples: Int16Array): Promise<void> {
    try {
      await mkdir(dirname(path), { recursive: true });
      await writeFileAtomic(
        path,
        encodeWavPcm16Mono(samples, TTS_CACHE_SAMPLE_RATE),
        this.fileOps,
        (tmp, e) => this.logger?.warn({ tmp, err: e }, 'tts cache could not remove a temp file'),
      );
    } catch (err) {
      // The caller still gets its audio; the next request for this key tries again.
      this.stats.writeFailures++;
      this.logger?.error({ key, path, err }, 'tts cache write failed');
    }
  }
}

function throwIfAborted(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw new TtsError('TTS_ABORTED', 'the request was aborted');
}

function raceAbort<T>(job: Promise<T>, signal: AbortSignal): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const onAbort = (): void => reject(new TtsError('TTS_ABORTED', 'the request was aborted'));
    if (signal.aborted) return onAbort();
    signal.addEventListener('abort', onAbort, { once: true });
    job.then(
      (v) => {
        signal.removeEventListener('abort', onAbort);
        resolve(v);
      },
      (e: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(e);
      },
    );
  });
}
