import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';
import type { Clock, TimerHandle } from '../../../platform/clock.js';
import type { Logger } from '../../../platform/log.js';
import { TtsError } from '../errors.js';
import { resolveRequest } from '../request.js';
import type { SynthesizedAudio, TtsLang, TtsProvider, TtsRequest } from '../types.js';
import { espeakPitch, espeakWpm } from './engine.js';
import type { SynthMessage, WorkerReply } from './protocol.js';

/**
 * TTS through espeak-ng (WASM) in a worker thread of its own.
 *
 *   synthesize ─► queue ─► one request at a time ─► worker (engine loaded once, lazily)
 *                                 │ timeout: terminate the worker, reject TTS_TIMEOUT;
 *                                 │ the next request starts a fresh one
 *                                 └ idle for idleMs: worker ended, memory (~60 MB) freed
 *
 * The worker keeps synthesis (10–300 ms of synchronous WASM per sentence) off the main
 * thread, where it would stall SIP timers, and makes a timeout enforceable.
 */

export const ESPEAK_DEFAULT_VOICES: Readonly<Record<TtsLang, string>> = {
  // espeak-ng's Mandarin voice (lang/sit/cmn); it reads Han characters and pinyin.
  'zh-CN': 'cmn',
  en: 'en-us',
};

const PACKAGE = '@echogarden/espeak-ng-emscripten';

export interface EspeakProviderOptions {
  /** Voice per language; default ESPEAK_DEFAULT_VOICES. */
  readonly voices?: Partial<Record<TtsLang, string>>;
  /** Longest a single synthesis may take once it reaches the engine; default 10 s. */
  readonly timeoutMs?: number;
  /** Longest loading the engine may take; default 30 s. */
  readonly loadTimeoutMs?: number;
  /** End the worker after this long without requests; default 120 s; 0 keeps it. */
  readonly idleMs?: number;
  readonly clock?: Clock;
  readonly logger?: Logger;
}

interface Job {
  readonly msg: SynthMessage;
  readonly resolve: (audio: SynthesizedAudio) => void;
  readonly reject: (err: TtsError) => void;
  /** Detaches the caller's abort listener. */
  readonly cleanup: () => void;
  settled: boolean;
}

interface Live {
  readonly worker: Worker;
  readonly ready: Promise<void>;
  /** The request the worker is working on, told of replies and of the worker's death. */
  onReply: ((reply: WorkerReply) => void) | null;
  onDeath: ((err: TtsError) => void) | null;
}

export class EspeakProvider implements TtsProvider {
  readonly id: string;
  private readonly voices: Readonly<Record<TtsLang, string>>;
  private readonly timeoutMs: number;
  private readonly loadTimeoutMs: number;
  private readonly idleMs: number;
  private readonly clock: Clock;
  private readonly logger: Logger | undefined;
  private readonly queue: Job[] = [];
  private live: Live | null = null;
  /** The request taken from the queue, until it settles. */
  private running: Job | null = null;
  private idleTimer: TimerHandle | null = null;
  private seq = 0;
  private closing: Promise<void> | null = null;

  constructor(opts: EspeakProviderOptions = {}) {
    this.id = `espeak-ng@${packageVersion()}`;
    this.voices = { ...ESPEAK_DEFAULT_VOICES, ...opts.voices };
    this.timeoutMs = opts.timeoutMs ?? 10_000;
    this.loadTimeoutMs = opts.loadTimeoutMs ?? 30_000;
    this.idleMs = opts.idleMs ?? 120_000;
    this.clock = opts.clock ?? backgroundClock;
    this.logger = opts.logger;
  }

  /** Whether the worker thread (and the ~60 MB engine in it) is alive. */
  get workerRunning(): boolean {
    return this.live !== null;
  }

  voiceFor(lang: TtsLang): string {
    return this.voices[lang];
  }

  synthesize(req: TtsRequest, signal?: AbortSignal): Promise<SynthesizedAudio> {
    if (this.closing) return Promise.reject(new TtsError('TTS_CLOSED', 'the espeak provider is closed'));
    let msg: SynthMessage;
    try {
      const r = resolveRequest(req, (lang) => this.voiceFor(lang));
      const [wpm, pitch] = [espeakWpm(r.rate), espeakPitch(r.pitch)];
      msg = { type: 'synth', id: ++this.seq, text: r.text, voice: r.voice, wpm, pitch };
    } catch (err) {
      return Promise.reject(err);
    }
    if (signal?.aborted) return Promise.reject(aborted());
    return new Promise<SynthesizedAudio>((resolve, reject) => {
      const onAbort = (): void => {
        // A queued job just leaves the queue; a running one finishes in the worker unheard.
        const i = this.queue.indexOf(job);
        if (i >= 0) this.queue.splice(i, 1);
        settle(job, aborted());
      };
      const job: Job = {
        msg,
        resolve,
        reject,
        settled: false,
        cleanup: () => signal?.removeEventListener('abort', onAbort),
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      this.queue.push(job);
      void this.pump();
    });
  }

  /** Ends the worker and rejects every pending request with TTS_CLOSED. Idempotent. */
  close(): Promise<void> {
    this.closing ??= (async () => {
      this.idleTimer?.cancel();
      const closed = new TtsError('TTS_CLOSED', 'the espeak provider was closed');
      for (const job of this.queue.splice(0)) settle(job, closed);
      if (this.running) settle(this.running, closed);
      await this.stopWorker();
    })();
    return this.closing;
  }

  private async pump(): Promise<void> {
    if (this.running || this.closing) return;
    const job = this.queue.shift();
    if (!job) return;
    this.running = job;
    this.idleTimer?.cancel();
    this.idleTimer = null;
    try {
      const live = this.ensureWorker();
      // Only a request in progress keeps the process alive; an idle worker does not.
      live.worker.ref();
      await live.ready;
      if (!job.settled) settle(job, await this.exchange(live, job.msg));
    } catch (err) {
      settle(job, err instanceof TtsError ? err : new TtsError('TTS_ENGINE_FAILED', String(err)));
    } finally {
      this.running = null;
      if (this.queue.length > 0) {
        void this.pump();
      } else {
        this.live?.worker.unref();
        this.armIdle();
      }
    }
  }

  private exchange(live: Live, msg: SynthMessage): Promise<SynthesizedAudio> {
    return new Promise<SynthesizedAudio>((resolve, reject) => {
      const timer = this.clock.setTimer(this.timeoutMs, () => {
        finish();
        this.logger?.warn({ timeoutMs: this.timeoutMs, chars: msg.text.length }, 'espeak timed out');
        void this.stopWorker();
        reject(new TtsError('TTS_TIMEOUT', `espeak-ng took longer than ${this.timeoutMs} ms`));
      });
      const finish = (): void => {
        timer.cancel();
        live.onReply = null;
        live.onDeath = null;
      };
      live.onDeath = (err) => (finish(), reject(err));
      live.onReply = (reply) => {
        if (reply.type === 'done' && reply.id === msg.id) {
          finish();
          resolve({ samples: reply.samples, sampleRate: reply.sampleRate });
        } else if (reply.type === 'failed' && reply.id === msg.id) {
          finish();
          reject(new TtsError(reply.code, reply.message, { voice: msg.voice }));
        }
      };
      live.worker.postMessage(msg);
    });
  }

  private ensureWorker(): Live {
    if (this.live) return this.live;
    const worker = spawnEspeakWorker();
    let markReady!: () => void;
    let failLoad!: (err: TtsError) => void;
    const ready = new Promise<void>((res, rej) => ((markReady = res), (failLoad = rej)));
    const loadTimer = this.clock.setTimer(this.loadTimeoutMs, () => {
      failLoad(new TtsError('TTS_TIMEOUT', `espeak-ng did not load within ${this.loadTimeoutMs} ms`));
      void this.stopWorker();
    });
    const live: Live = { worker, ready, onReply: null, onDeath: null };
    ready.then(
      () => loadTimer.cancel(),
      () => loadTimer.cancel(),
    );
    worker.on('message', (reply: WorkerReply) => {
      if (reply.type === 'ready') {
        this.logger?.info({ loadMs: reply.loadMs, sampleRate: reply.sampleRate }, 'espeak-ng loaded');
        markReady();
      } else if (reply.type === 'load-failed') {
        failLoad(new TtsError('TTS_ENGINE_FAILED', `espeak-ng failed to load: ${reply.message}`));
      } else {
        live.onReply?.(reply);
      }
    });
    const died = (why: string): void => {
      // stopWorker() forgets the worker before ending it; anything else is unexpected.
      if (this.live === live) {
        this.live = null;
        this.logger?.warn({ why }, 'espeak worker ended unexpectedly');
      }
      const err = new TtsError('TTS_ENGINE_FAILED', `espeak worker ${why}`);
      failLoad(err);
      live.onDeath?.(err);
    };
    worker.on('error', (err) => {
      this.logger?.error({ err }, 'espeak worker crashed');
      died(`crashed: ${err.message}`);
    });
    worker.on('exit', (code) => died(`exited with code ${code}`));
    this.live = live;
    return live;
  }

  private armIdle(): void {
    if (this.idleMs <= 0 || !this.live || this.closing) return;
    this.idleTimer = this.clock.setTimer(this.idleMs, () => {
      this.idleTimer = null;
      if (!this.running && this.queue.length === 0) void this.stopWorker();
    });
  }

  private async stopWorker(): Promise<void> {
    const live = this.live;
    if (!live) return;
    this.live = null;
    await live.worker.terminate();
  }
}

/**
 * System time with unref'd timers: the idle timer must not hold a finished program open for
 * two minutes. While a request runs, the referenced worker keeps the process alive.
 */
const backgroundClock: Clock = {
  now: () => Date.now(),
  setTimer(ms, fn) {
    const t = setTimeout(fn, ms);
    t.unref();
    return { cancel: () => clearTimeout(t) };
  },
};

function settle(job: Job, outcome: SynthesizedAudio | TtsError): void {
  if (job.settled) return;
  job.settled = true;
  job.cleanup();
  if (outcome instanceof TtsError) job.reject(outcome);
  else job.resolve(outcome);
}

function aborted(): TtsError {
  return new TtsError('TTS_ABORTED', 'the request was aborted');
}

/**
 * Under tsx the worker entry is TypeScript, which a Node 20 worker cannot load by itself:
 * a one-line module registers tsx in the worker first. A build runs worker.js directly.
 */
function spawnEspeakWorker(): Worker {
  const here = import.meta.url;
  if (!here.endsWith('.ts')) return new Worker(new URL('./worker.js', here));
  const entry = new URL('./worker.ts', here).href;
  const tsx = import.meta.resolve('tsx/esm/api');
  const boot = `import { register } from ${JSON.stringify(tsx)}; register(); await import(${JSON.stringify(entry)});`;
  return new Worker(new URL(`data:text/javascript,${encodeURIComponent(boot)}`));
}

/** The engine package's version, part of the provider id and so of every cache key. */
function packageVersion(): string {
  const require = createRequire(import.meta.url);
  try {
    const pkg = JSON.parse(readFileSync(require.resolve(`${PACKAGE}/package.json`), 'utf8')) as {
      version?: unknown;
    };
    if (typeof pkg.version === 'string') return pkg.version;
  } catch (err) {
    throw new TtsError('TTS_ENGINE_FAILED', `${PACKAGE} is not installed`, { cause: (err as Error).message });
  }
  throw new TtsError('TTS_ENGINE_FAILED', `${PACKAGE} has no version in its package.json`);
}
