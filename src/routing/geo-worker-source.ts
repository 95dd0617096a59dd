/**
 * workerGeoSource: the number facts tables in a worker thread (geo-worker.ts), which decodes
 * them once when it starts and then answers each lookup message from memory. The main
 * thread never decodes anything; a lookup costs it one message each way.
 *
 *   main                                   worker
 *   preload()/first lookup ── spawn ──────▶ loadGeoTables()       (~0.5 s)
 *                          ◀── ready(info) | failed(code, message)
 *   describe(e164)         ── {id, e164} ─▶ describeNational()    (µs)
 *                          ◀── {id, region, carrier}
 */
import { Worker } from 'node:worker_threads';
import type { Logger } from '../platform/log.js';
import { RoutingError, type RoutingErrorCode } from './errors.js';
import type { GeoDataFiles, GeoDataInfo } from './geo-data.js';
import type { GeoSource } from './geo-source.js';
import { NO_ANSWER, type GeoAnswer } from './geo-tables.js';

/** Messages between the source and geo-worker.ts. */
export interface GeoRequest {
  readonly id: number;
  readonly e164: string;
}
export type GeoReply =
  | { readonly type: 'ready'; readonly info: GeoDataInfo }
  | { readonly type: 'failed'; readonly code: RoutingErrorCode; readonly message: string }
  | ({ readonly type: 'answer'; readonly id: number } & GeoAnswer);

/** The worker's `workerData`. */
export interface GeoWorkerData {
  /** The table files; absent: the installed package's. */
  readonly files?: GeoDataFiles;
}

export interface WorkerGeoSourceOptions {
  /** The table files; default the installed package's (packageGeoDataFiles). */
  readonly files?: GeoDataFiles;
  /** Starts the worker; default geo-worker.ts (or .js in a build). For tests. */
  readonly spawn?: (data: GeoWorkerData) => Worker;
  readonly log?: Logger;
}

/**
 * Under tsx the worker entry is TypeScript, which a Node 20 worker cannot load by itself:
 * a one-line module registers tsx in the worker first. A build runs geo-worker.js directly.
 */
function spawnGeoWorker(workerData: GeoWorkerData): Worker {
  const here = import.meta.url;
  if (!here.endsWith('.ts')) return new Worker(new URL('./geo-worker.js', here), { workerData });
  const entry = new URL('./geo-worker.ts', here).href;
  const tsx = import.meta.resolve('tsx/esm/api');
  const boot = `import { register } from ${JSON.stringify(tsx)}; register(); await import(${JSON.stringify(entry)});`;
  return new Worker(new URL(`data:text/javascript,${encodeURIComponent(boot)}`), { workerData });
}

interface Pending {
  readonly resolve: (answer: GeoAnswer) => void;
  readonly reject: (err: Error) => void;
}

interface Running {
  readonly worker: Worker;
  /** Settles when the worker has loaded its tables (or failed to). */
  readonly ready: Promise<GeoDataInfo>;
}

/**
 * The tables in a worker thread, started by `preload()` or the first lookup. An idle worker
 * does not keep the process alive. Lookups sent before the tables are loaded wait for them.
 * When the data cannot be loaded, preload rejects with ROUTING_GEO_DATA, the worker is
 * stopped and every lookup answers nulls (not retried). When the worker crashes, the
 * lookups in flight reject with ROUTING_GEO_FAILED and the next one starts a fresh worker.
 */
export function workerGeoSource(opts: WorkerGeoSourceOptions | (() => Worker) = {}): GeoSource {
  const { spawn = spawnGeoWorker, log, files } = typeof opts === 'function' ? { spawn: opts } : opts;
  const data: GeoWorkerData = files !== undefined ? { files } : {};
  let running: Running | undefined;
  let dataError: RoutingError | undefined;
  let nextId = 1;
  const pending = new Map<number, Pending>();

  const failAll = (message: string) => {
    for (const p of pending.values()) p.reject(new RoutingError('ROUTING_GEO_FAILED', message));
    pending.clear();
  };

  const start = (): Running => {
    const w = spawn(data);
    let settle: { resolve: (info: GeoDataInfo) => void; reject: (err: Error) => void } | undefined;
    const ready = new Promise<GeoDataInfo>((resolve, reject) => (settle = { resolve, reject }));
    ready.catch(() => undefined); // a rejection reaches whoever awaits preload(), if anyone
    const stopped = (message: string) => {
      if (running?.worker === w) running = undefined;
      settle?.reject(new RoutingError('ROUTING_GEO_FAILED', message));
      failAll(message);
    };
    w.on('message', (reply: GeoReply) => {
      if (reply.type === 'ready') {
        log?.info({ ...reply.info }, 'number facts data loaded in its worker');
        if (pending.size === 0) w.unref();
        settle?.resolve(reply.info);
        return;
      }
      if (reply.type === 'failed') {
        dataError = new RoutingError(reply.code, reply.message);
        log?.error(
          { err: dataError },
          'number facts data could not be loaded; numbers get no region or carrier',
        );
        settle?.reject(dataError);
        if (running?.worker === w) running = undefined;
        for (const p of pending.values()) p.resolve(NO_ANSWER);
        pending.clear();
        void w.terminate();
        return;
      }
      const p = pending.get(reply.id);
      if (p === undefined) return;
      pending.delete(reply.id);
      if (pending.size === 0) w.unref();
      p.resolve({ region: reply.region, carrier: reply.carrier });
    });
    w.on('error', (err) => stopped(`number facts worker failed: ${err.message}`));
    w.on('exit', (code) => stopped(`number facts worker exited with code ${code}`));
    return { worker: w, ready };
  };

  return {
    describe(e164) {
      if (dataError !== undefined) return Promise.resolve(NO_ANSWER);
      running ??= start();
      const w = running.worker;
      const id = nextId++;
      return new Promise<GeoAnswer>((resolve, reject) => {
        pending.set(id, { resolve, reject });
        w.ref(); // while a lookup is in flight, so the answer is awaited
        w.postMessage({ id, e164 } satisfies GeoRequest);
      });
    },
    async preload() {
      if (dataError !== undefined) throw dataError;
      running ??= start();
      const { worker, ready } = running;
      worker.ref(); // keep the process alive until the tables are loaded
      try {
        return await ready;
      } finally {
        if (pending.size === 0) worker.unref();
      }
    },
    async close() {
      const r = running;
      running = undefined;
      if (r !== undefined) await r.worker.terminate();
      failAll('number facts source closed');
    },
  };
}
