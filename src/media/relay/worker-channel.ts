import { Worker } from 'node:worker_threads';
import type { Clock, TimerHandle } from '../../platform/clock.js';
import { MediaError } from '../errors.js';
import type {
  Op,
  Params,
  Result,
  WorkerEvent,
  WorkerInit,
  WorkerMessage,
  WorkerRequest,
} from './protocol.js';

interface Pending {
  readonly op: Op;
  readonly resolve: (value: unknown) => void;
  readonly reject: (err: MediaError) => void;
  readonly timer: TimerHandle;
}

export interface ChannelHooks {
  readonly onEvent: (event: WorkerEvent) => void;
  /** Called once if the worker dies without being asked to. */
  readonly onFailed: (error: MediaError) => void;
}

/**
 * Starts the worker. Under tsx the relay runs as .ts and the worker goes through a small
 * .mjs shim that registers tsx in the worker thread; a build runs worker.js directly.
 */
export function spawnMediaWorker(init: WorkerInit): Worker {
  const here = import.meta.url;
  if (new URL(here).pathname.endsWith('.ts')) {
    const entry = new URL('./worker.ts', here).href;
    return new Worker(new URL('./tsx-worker.mjs', here), { workerData: { entry, init } });
  }
  return new Worker(new URL('./worker.js', here), { workerData: { init } });
}

/** The main-thread end of one worker: requests with ids, promises, timeouts, coded errors. */
export class WorkerChannel {
  private readonly pending = new Map<number, Pending>();
  private seq = 0;
  private failure: MediaError | null = null;
  private terminating = false;

  constructor(
    readonly index: number,
    private readonly worker: Worker,
    private readonly clock: Clock,
    private readonly timeoutMs: number,
    private readonly hooks: ChannelHooks,
  ) {
    worker.on('message', (msg: WorkerMessage) => this.onMessage(msg));
    worker.on('error', (err) => this.fail(`worker ${index} crashed: ${err.message}`));
    worker.on('exit', (code) => this.fail(`worker ${index} exited with code ${code}`));
  }

  get failed(): boolean {
    return this.failure !== null;
  }

  request<K extends Op>(op: K, params: Params<K>): Promise<Result<K>> {
    if (this.failure) return Promise.reject(this.failure);
    const reqId = ++this.seq;
    return new Promise<Result<K>>((resolve, reject) => {
      const timer = this.clock.setTimer(this.timeoutMs, () => {
        this.pending.delete(reqId);
        reject(
          new MediaError(
            'MEDIA_WORKER_TIMEOUT',
            `worker ${this.index} did not answer ${op} in ${this.timeoutMs} ms`,
          ),
        );
      });
      this.pending.set(reqId, { op, resolve: resolve as (v: unknown) => void, reject, timer });
      this.worker.postMessage({ reqId, op, params } as WorkerRequest);
    });
  }

  /** Stops the worker thread; pending requests reject with MEDIA_RELAY_CLOSED. */
  async terminate(): Promise<void> {
    this.terminating = true;
    this.rejectAll(new MediaError('MEDIA_RELAY_CLOSED', 'media relay is shut down'));
    await this.worker.terminate();
  }

  private onMessage(msg: WorkerMessage): void {
    if (msg.kind === 'event') {
      this.hooks.onEvent(msg);
      return;
    }
    const p = this.pending.get(msg.reqId);
    if (!p) return; // Timed out already; the rejection was delivered then.
    this.pending.delete(msg.reqId);
    p.timer.cancel();
    if (msg.ok) p.resolve(msg.result);
    else p.reject(new MediaError(msg.error.code, msg.error.message, msg.error.details));
  }

  private fail(message: string): void {
    if (this.terminating || this.failure) return;
    this.failure = new MediaError('MEDIA_WORKER_FAILED', message, { worker: this.index });
    this.rejectAll(this.failure);
    this.hooks.onFailed(this.failure);
  }

  private rejectAll(err: MediaError): void {
    for (const p of this.pending.values()) {
      p.timer.cancel();
      p.reject(err);
    }
    this.pending.clear();
  }
}
