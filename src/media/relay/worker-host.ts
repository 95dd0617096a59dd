import { createSocket, type Socket } from 'node:dgram';
import { isIPv6 } from 'node:net';
import { MediaError } from '../errors.js';
import { RelayEndpoint } from './endpoint.js';
import type {
  CreateParams,
  Op,
  Params,
  Result,
  SocketErrorEvent,
  WorkerInit,
  WorkerRequest,
  WorkerResponse,
} from './protocol.js';
import type { EndpointId } from './types.js';

type Handlers = { [K in Op]: (p: Params<K>) => Promise<Result<K>> | Result<K> };

/**
 * The worker side of the channel, independent of `parentPort` so it can be driven
 * directly: owns the endpoints of one worker and answers requests.
 */
export class WorkerHost {
  private readonly endpoints = new Map<EndpointId, RelayEndpoint>();
  private readonly reportedErrors = new Set<EndpointId>();

  constructor(
    private readonly init: WorkerInit,
    private readonly emit: (event: SocketErrorEvent) => void,
    private readonly now: () => number = Date.now,
  ) {}

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
      ep.disconnect();
      ep.mode = 'echo';
      return null;
    },
    disconnect: (p) => {
      this.get(p.id).disconnect();
      return null;
    },
    stats: (p) => this.get(p.id).stats(),
    detach: async (p) => {
      const ep = this.get(p.id);
      const snapshot = ep.snapshot();
      await this.remove(ep);
      return snapshot;
    },
    close: async (p) => {
      const ep = this.endpoints.get(p.id);
      if (ep) await this.remove(ep);
      return null;
    },
    closeAll: async () => {
      await Promise.all([...this.endpoints.values()].map((ep) => this.remove(ep)));
      return null;
    },
  };

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
    epA.disconnect();
    epB.disconnect();
    epA.peer = epB;
    epB.peer = epA;
    epA.mode = 'relay';
    epB.mode = 'relay';
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
    return null;
  }

  private async remove(ep: RelayEndpoint): Promise<void> {
    this.endpoints.delete(ep.id);
    this.reportedErrors.delete(ep.id);
    await ep.close();
  }

  /** Reports the first socket error of each endpoint; later ones are only counted. */
  private socketError(ep: RelayEndpoint, err: Error): void {
    if (this.reportedErrors.has(ep.id)) return;
    this.reportedErrors.add(ep.id);
    const code = (err as NodeJS.ErrnoException).code ?? 'UNKNOWN';
    this.emit({ kind: 'event', type: 'socket-error', id: ep.id, code, message: err.message });
  }
}

/** Binds one UDP socket; EADDRINUSE is reported with `details.inUse` so the caller tries another port. */
function bindSocket(address: string, port: number): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const socket = createSocket({ type: isIPv6(address) ? 'udp6' : 'udp4' });
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
