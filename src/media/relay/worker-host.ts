import { createSocket, type Socket } from 'node:dgram';
import { isIPv6 } from 'node:net';
import { MediaEngine } from '../engine/engine.js';
import { systemEngineClock, type EngineClock } from '../engine/types.js';
import type { DtmfDigit } from '../dtmf/types.js';
import { MediaError } from '../errors.js';
import { RelayEndpoint } from './endpoint.js';
import type {
  CreateParams,
  Op,
  Params,
  Result,
  WorkerEvent,
  WorkerInit,
  WorkerRequest,
  WorkerResponse,
} from './protocol.js';
import type { EndpointId } from './types.js';

type Handlers = { [K in Op]: (p: Params<K>) => Promise<Result<K>> | Result<K> };

/**
 * The worker side of the channel, independent of `parentPort` so it can be driven
 * directly: owns the endpoints of one worker and answers requests. The media engine of
 * the worker (src/media/engine) does the processing; this class only routes to it.
 */
export class WorkerHost {
  private readonly endpoints = new Map<EndpointId, RelayEndpoint>();
  private readonly reportedErrors = new Set<EndpointId>();
  readonly engine: MediaEngine;

  constructor(
    private readonly init: WorkerInit,
    private readonly emit: (event: WorkerEvent) => void,
    private readonly now: () => number = Date.now,
    clock: EngineClock = systemEngineClock,
  ) {
    this.engine = new MediaEngine(
      { rtpTimeoutMs: init.rtpTimeoutMs, rtcpIntervalMs: init.rtcpIntervalMs },
      (target, event) => this.emit({ kind: 'event', type: 'media', target, event }),
      clock,
    );
  }

  async handle(req: WorkerRequest): Promise<WorkerResponse> {
    try {
      const handler = this.handlers[req.op] as (p: typeof req.params) => unknown;
      const result = await handler(req.params);
      return { kind: 'response', reqId: req.reqId, ok: true, result: result ?? null };
    } catch (err) {
      const error =
        err instanceof MediaError
          ? { code: err.code, message: err.message, ...(err.details ? { details: err.details } : {}) }
          : { code: 'MEDIA_WORKER_FAILED' as const, message: `worker ${req.op}: ${String(err)}` };
      return { kind: 'response', reqId: req.reqId, ok: false, error };
    }
  }

  private readonly handlers: Handlers = {
    ping: () => ({ endpoints: this.endpoints.size }),
    create: (p) => this.create(p),
    setRemote: (p) => {
      this.get(p.id).setRemote(p.remote);
      return null;
    },
    connect: (p) => this.connect(p.a, p.b),
    echo: (p) => {
      const ep = this.get(p.id);
      this.leaveMixer(ep);
      ep.disconnect();
      ep.mode = 'echo';
      this.engine.relink();
      return null;
    },
    disconnect: (p) => {
      const ep = this.get(p.id);
      this.leaveMixer(ep);
      ep.disconnect();
      this.engine.relink();
      return null;
    },
    stats: (p) => this.get(p.id).stats(),
    detach: async (p) => {
      const ep = this.get(p.id);
      // Refuses (MEDIA_BUSY) before anything is closed, so a refused move leaves it working.
      if (p.keepBridge === true && ep.mode === 'relay') {
        throw new MediaError('MEDIA_BUSY', `endpoint ${ep.id} is connected and cannot move`, { id: ep.id });
      }
      const engine = this.engine.snapshot(ep);
      const snapshot = { ...ep.snapshot(), engine };
      await this.remove(ep, false);
      return snapshot;
    },
    close: async (p) => {
      const ep = this.endpoints.get(p.id);
      if (ep) await this.remove(ep, true);
      return null;
    },
    closeAll: async () => {
      await Promise.all([...this.endpoints.values()].map((ep) => this.remove(ep, true)));
      return null;
    },
    configure: (p) => {
      this.engine.configure(this.get(p.id), p.format);
      return null;
    },
    play: (p) => {
      this.engine.play(this.get(p.id), p.options);
      return null;
    },
    stopPlay: (p) => {
      this.engine.stopPlay(this.get(p.id));
      return null;
    },
    setMuted: (p) => {
      this.get(p.id).muted = p.muted;
      return null;
    },
    sendDtmf: (p) => {
      this.engine.sendDtmf(this.get(p.id), [...p.digits] as DtmfDigit[], p.durationMs);
      return null;
    },
    setInbandDtmf: (p) => {
      this.engine.setInband(this.get(p.id), p.on);
      return null;
    },
    join: (p) => {
      const ep = this.get(p.id);
      this.engine.join(p.mixer, ep, p.options);
      return null;
    },
    leave: (p) => {
      const ep = this.endpoints.get(p.id);
      if (ep) this.engine.leave(p.mixer, ep);
      return null;
    },
    closeMixer: (p) => {
      this.engine.closeMixer(p.mixer, (id) => this.endpoints.get(id));
      return null;
    },
    startRecording: async (p) => {
      const { left, right } = p.options;
      await this.engine.startRecording(p.options, this.get(left), right === null ? null : this.get(right));
      return null;
    },
    pauseRecording: (p) => {
      this.engine.pauseRecording(p.recId, p.paused);
      return null;
    },
    stopRecording: (p) => this.engine.stopRecording(p.recId),
    quality: (p) => this.engine.quality(this.get(p.id)),
    load: () => this.engine.load(),
  };

  private leaveMixer(ep: RelayEndpoint): void {
    this.engine.leaveMixer(ep);
  }

  private get(id: EndpointId): RelayEndpoint {
    const ep = this.endpoints.get(id);
    if (!ep) throw new MediaError('MEDIA_UNKNOWN_ENDPOINT', `no endpoint ${id} in worker ${this.init.index}`);
    return ep;
  }

  private connect(a: EndpointId, b: EndpointId): null {
    const epA = this.get(a);
    const epB = this.get(b);
    if (epA === epB) throw new MediaError('MEDIA_INVALID_ARGUMENT', `cannot connect ${a} to itself`);
    // Connecting replaces whatever either side did before; former peers go idle.
    this.leaveMixer(epA);
    this.leaveMixer(epB);
    epA.disconnect();
    epB.disconnect();
    epA.peer = epB;
    epB.peer = epA;
    epA.mode = 'relay';
    epB.mode = 'relay';
    this.engine.relink();
    return null;
  }

  private async create(p: CreateParams): Promise<null> {
    if (this.endpoints.has(p.id)) throw new MediaError('MEDIA_INVALID_ARGUMENT', `endpoint ${p.id} exists`);
    const rtp = await bindSocket(p.bindAddress, p.port);
    let rtcp: Socket;
    try {
      rtcp = await bindSocket(p.bindAddress, p.port + 1);
    } catch (err) {
      rtp.close();
      throw err;
    }
    const policy = { anySource: p.latchAnySource, relatchAfterMs: this.init.relatchAfterMs };
    const ep = new RelayEndpoint(p.id, rtp, rtcp, policy, this.now, (e, err) => this.socketError(e, err));
    if (p.snapshot) ep.restore(p.snapshot);
    this.endpoints.set(p.id, ep);
    if (p.snapshot?.engine) this.engine.restore(ep, p.snapshot.engine);
    return null;
  }

  /** `closing`: a playback in progress ends `stopped`; a move (detach) says nothing. */
  private async remove(ep: RelayEndpoint, closing: boolean): Promise<void> {
    this.endpoints.delete(ep.id);
    this.reportedErrors.delete(ep.id);
    ep.disconnect();
    // A recording this endpoint was part of is complete on disk before close() answers.
    const files = this.engine.remove(ep, closing);
    await Promise.all([ep.close(), files]);
  }

  /** Reports the first socket error of each endpoint; later ones are only counted. */
  private socketError(ep: RelayEndpoint, err: Error): void {
    if (this.reportedErrors.has(ep.id)) return;
    this.reportedErrors.add(ep.id);
    const code = (err as NodeJS.ErrnoException).code ?? 'UNKNOWN';
    this.emit({ kind: 'event', type: 'socket-error', id: ep.id, code, message: err.message });
  }
}

/**
 * dgram resolves every destination with dns.lookup, which answers even an IP literal on
 * the next tick, so each send would be deferred — a buffer reused before then (the
 * engine's packet ring) would go out with later contents. Every address the relay sends
 * to is an IP literal (checked at setRemote, or a latched source), so it "resolves" to
 * itself at once: the datagram is handed to the kernel inside send(), one tick saved.
 */
function ipLiteral(
  address: string,
  _options: unknown,
  callback: (err: NodeJS.ErrnoException | null, address: string, family: number) => void,
): void {
  callback(null, address, isIPv6(address) ? 6 : 4);
}

/** Binds one UDP socket; EADDRINUSE is reported with `details.inUse` so the caller tries another port. */
export function bindSocket(address: string, port: number): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const socket = createSocket({ type: isIPv6(address) ? 'udp6' : 'udp4', lookup: ipLiteral });
    const onError = (err: NodeJS.ErrnoException): void => {
      socket.close();
      const inUse = err.code === 'EADDRINUSE' || err.code === 'EACCES';
      reject(
        new MediaError('MEDIA_BIND_FAILED', `cannot bind ${address}:${port}: ${err.message}`, {
          address,
          port,
          inUse,
          errno: err.code,
        }),
      );
    };
    socket.once('error', onError);
    socket.bind({ address, port, exclusive: true }, () => {
      socket.off('error', onError);
      resolve(socket);
    });
  });
}
