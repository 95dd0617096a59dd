import { isIP } from 'node:net';
import { systemClock } from '../../platform/clock.js';
import { silentLogger, type Logger } from '../../platform/log.js';
import { MediaError } from '../errors.js';
import { PortAllocator } from './port-allocator.js';
import type { SocketErrorEvent } from './protocol.js';
import type {
  CreateEndpointOptions,
  EndpointId,
  EndpointInfo,
  EndpointStats,
  RelayOptions,
  RemoteAddress,
} from './types.js';
import { spawnMediaWorker, WorkerChannel } from './worker-channel.js';

interface Entry {
  readonly id: EndpointId;
  readonly port: number;
  readonly address: string;
  readonly bindAddress: string;
  readonly latchAnySource: boolean;
  channel: WorkerChannel;
  /** Set while connect() moves the endpoint to another worker; other calls wait for it. */
  moving: Promise<void> | null;
}

/** Ports tried when another process holds the one we picked (EADDRINUSE). */
const MAX_BIND_ATTEMPTS = 8;

/**
 * RTP relay for media anchoring. The main thread only decides (ports, placement, ids);
 * worker threads own the sockets and move the packets — the main thread never touches
 * one. One owner per resource: the relay owns its workers and ports, close() is
 * idempotent, and after shutdown() every call rejects with MEDIA_RELAY_CLOSED.
 *
 *   phone A ──RTP──▶ [A.port]  worker  [B.port] ──RTP──▶ phone B
 *   phone A ◀──RTP── [A.port]          [B.port] ◀──RTP── phone B
 */
export class MediaRelay {
  private readonly ports: PortAllocator;
  private readonly channels: WorkerChannel[] = [];
  private readonly load: number[] = [];
  private readonly endpoints = new Map<EndpointId, Entry>();
  private readonly log: Logger;
  private readonly latchAnySource: boolean;
  private seq = 0;
  private closed = false;
  private shuttingDown: Promise<void> | null = null;

  /** Starts the workers and waits until each answers. */
  static async start(opts: RelayOptions): Promise<MediaRelay> {
    const relay = new MediaRelay(opts);
    try {
      await Promise.all(relay.channels.map((c) => c.request('ping', null)));
    } catch (err) {
      await relay.shutdown();
      throw err;
    }
    return relay;
  }

  constructor(private readonly opts: RelayOptions) {
    this.ports = new PortAllocator(opts.portMin, opts.portMax);
    this.log = opts.logger ?? silentLogger();
    this.latchAnySource = opts.latchAnySource ?? true;
    const count = opts.workers ?? 1;
    if (!Number.isInteger(count) || count < 1 || count > 64) {
      throw new MediaError('MEDIA_INVALID_ARGUMENT', `workers must be an integer in 1..64, got ${count}`);
    }
    for (let index = 0; index < count; index++) this.spawn(index);
  }

  private spawn(index: number): void {
    const init = {
      index,
      latchAnySource: this.latchAnySource,
      relatchAfterMs: this.opts.relatchAfterMs ?? 2000,
    };
    const channel = new WorkerChannel(
      index,
      spawnMediaWorker(init),
      this.opts.clock ?? systemClock,
      this.opts.requestTimeoutMs ?? 5000,
      {
        onEvent: (e) => this.onWorkerEvent(e),
        onFailed: (error) => this.onWorkerFailed(channel, error),
      },
    );
    this.channels.push(channel);
    this.load.push(0);
  }

  /** Number of open endpoints. */
  get size(): number {
    return this.endpoints.size;
  }

  /** Free RTP ports (each with its RTCP port). */
  get portsAvailable(): number {
    return this.ports.available;
  }

  /** Binds an RTP/RTCP socket pair on the next free even port. */
  async createEndpoint(opts: CreateEndpointOptions): Promise<EndpointInfo> {
    this.assertOpen();
    const address = checkBindAddresses(opts);
    const channel = this.place(opts.near);
    const latchAnySource = opts.latchAnySource ?? this.latchAnySource;
    for (let attempt = 1; ; attempt++) {
      const port = this.ports.allocate();
      const id = `rtp-${++this.seq}`;
      try {
        await channel.request('create', { id, port, bindAddress: opts.bindAddress, latchAnySource });
      } catch (err) {
        this.ports.free(port);
        if (err instanceof MediaError && err.code === 'MEDIA_WORKER_TIMEOUT') this.closeQuietly(channel, id);
        if (!isPortInUse(err) || attempt >= MAX_BIND_ATTEMPTS) throw err;
        this.log.warn({ port, attempt }, 'media port taken by another process, trying the next one');
        continue;
      }
      const entry: Entry = {
        id,
        port,
        address,
        bindAddress: opts.bindAddress,
        latchAnySource,
        channel,
        moving: null,
      };
      this.endpoints.set(id, entry);
      this.load[channel.index]!++;
      if (this.closed) {
        // Shut down while binding: the workers are stopping, which closes the sockets anyway.
        await this.close(id).catch((err: unknown) => this.log.debug({ err, id }, 'late media close'));
        throw closedError();
      }
      return { id, port, rtcpPort: port + 1, address };
    }
  }

  /** The peer's media address from its SDP. Clears the latch if the address changed. */
  async setRemote(id: EndpointId, remote: RemoteAddress): Promise<void> {
    checkRemote(remote);
    const e = await this.ready(id);
    await e.channel.request('setRemote', { id, remote });
  }

  /** Relays A↔B: what A receives goes out of B's socket to B's remote, and back. */
  async connect(idA: EndpointId, idB: EndpointId): Promise<void> {
    if (idA === idB) throw new MediaError('MEDIA_INVALID_ARGUMENT', `cannot connect ${idA} to itself`);
    const a = await this.ready(idA);
    const b = await this.ready(idB);
    if (a.channel !== b.channel) await this.move(b, a.channel);
    await a.channel.request('connect', { a: idA, b: idB });
  }

  /** Sends every packet received back to its source (echo test). */
  async echo(id: EndpointId): Promise<void> {
    const e = await this.ready(id);
    await e.channel.request('echo', { id });
  }

  /** Stops relaying or echoing; a connected peer goes idle as well. */
  async disconnect(id: EndpointId): Promise<void> {
    const e = await this.ready(id);
    await e.channel.request('disconnect', { id });
  }

  async stats(id: EndpointId): Promise<EndpointStats> {
    const e = await this.ready(id);
    return e.channel.request('stats', { id });
  }

  /** Closes the sockets and frees the ports. Idempotent; unknown ids resolve. */
  async close(id: EndpointId): Promise<void> {
    const e = this.endpoints.get(id);
    if (!e) return;
    this.endpoints.delete(id);
    if (e.moving) await e.moving.catch(() => undefined);
    try {
      if (!e.channel.failed) await e.channel.request('close', { id });
    } finally {
      this.load[e.channel.index]!--;
      this.ports.free(e.port);
    }
  }

  async closeAll(): Promise<void> {
    const results = await Promise.allSettled([...this.endpoints.keys()].map((id) => this.close(id)));
    const failed = results.find((r) => r.status === 'rejected');
    if (failed) throw failed.reason;
  }

  /** Closes every endpoint and stops the workers. Idempotent. */
  shutdown(): Promise<void> {
    this.shuttingDown ??= this.doShutdown();
    return this.shuttingDown;
  }

  private async doShutdown(): Promise<void> {
    this.closed = true;
    await this.closeAll().catch((err: unknown) =>
      this.log.error({ err }, 'media endpoints did not all close'),
    );
    await Promise.all(this.channels.map((c) => c.terminate()));
  }

  private assertOpen(): void {
    if (this.closed) throw closedError();
  }

  private async ready(id: EndpointId): Promise<Entry> {
    this.assertOpen();
    for (;;) {
      const e = this.endpoints.get(id);
      if (!e) throw new MediaError('MEDIA_UNKNOWN_ENDPOINT', `no media endpoint ${id}`);
      if (!e.moving) return e;
      await e.moving.catch(() => undefined);
    }
  }

  /** `near`'s worker, else the healthy worker with the fewest endpoints. */
  private place(near: EndpointId | undefined): WorkerChannel {
    if (near !== undefined) {
      const e = this.endpoints.get(near);
      if (!e) throw new MediaError('MEDIA_UNKNOWN_ENDPOINT', `no media endpoint ${near} to place near`);
      return e.channel;
    }
    let best: WorkerChannel | undefined;
    for (const c of this.channels) {
      if (!c.failed && (best === undefined || this.load[c.index]! < this.load[best.index]!)) best = c;
    }
    if (!best) throw new MediaError('MEDIA_WORKER_FAILED', 'every media worker has failed');
    return best;
  }

  /**
   * Re-binds an endpoint's ports in another worker so two peers share one thread. Packets
   * arriving during the few milliseconds between close and bind are lost.
   */
  private move(e: Entry, to: WorkerChannel): Promise<void> {
    const from = e.channel;
    const moving = (async () => {
      const snapshot = await from.request('detach', { id: e.id });
      this.load[from.index]!--;
      this.load[to.index]!++;
      e.channel = to;
      const params = { id: e.id, port: e.port, bindAddress: e.bindAddress, latchAnySource: e.latchAnySource };
      try {
        await to.request('create', { ...params, snapshot });
      } catch (err) {
        // Unless close() took it meanwhile (it then frees the port itself), the endpoint is gone.
        if (this.endpoints.get(e.id) === e) {
          this.endpoints.delete(e.id);
          this.load[to.index]!--;
          this.ports.free(e.port);
        }
        throw err;
      }
    })();
    e.moving = moving;
    return moving.finally(() => {
      e.moving = null;
    });
  }

  private closeQuietly(channel: WorkerChannel, id: EndpointId): void {
    channel
      .request('close', { id })
      .catch((err: unknown) => this.log.warn({ err, id }, 'media close failed'));
  }

  private onWorkerEvent(e: SocketErrorEvent): void {
    this.log.warn({ endpoint: e.id, code: e.code }, `media socket error: ${e.message}`);
  }

  private onWorkerFailed(channel: WorkerChannel, error: MediaError): void {
    const endpoints = [...this.endpoints.values()].filter((e) => e.channel === channel).map((e) => e.id);
    this.log.error({ worker: channel.index, endpoints: endpoints.length, err: error }, 'media worker failed');
    this.opts.onWorkerFailed?.({ worker: channel.index, endpoints, error });
  }
}

function closedError(): MediaError {
  return new MediaError('MEDIA_RELAY_CLOSED', 'media relay is shut down');
}

function isPortInUse(err: unknown): boolean {
  return err instanceof MediaError && err.code === 'MEDIA_BIND_FAILED' && err.details?.['inUse'] === true;
}

function checkBindAddresses(opts: CreateEndpointOptions): string {
  if (isIP(opts.bindAddress) === 0) {
    throw new MediaError('MEDIA_INVALID_ARGUMENT', `bindAddress "${opts.bindAddress}" is not an IP address`);
  }
  const advertised = opts.advertisedAddress ?? opts.bindAddress;
  if (isIP(advertised) === 0 || advertised === '0.0.0.0' || advertised === '::') {
    throw new MediaError('MEDIA_INVALID_ARGUMENT', `cannot advertise "${advertised}"; set advertisedAddress`);
  }
  return advertised;
}

function checkRemote(r: RemoteAddress): void {
  const portOk = (p: unknown) => Number.isInteger(p) && (p as number) >= 1 && (p as number) <= 65535;
  const ipOk = (a: unknown) => typeof a === 'string' && isIP(a) !== 0;
  const ok =
    ipOk(r.address) &&
    portOk(r.port) &&
    (r.rtcpAddress === undefined || ipOk(r.rtcpAddress)) &&
    (r.rtcpPort === undefined || portOk(r.rtcpPort));
  if (!ok) {
    throw new MediaError('MEDIA_INVALID_ARGUMENT', `bad remote media address ${r.address}:${r.port}`);
  }
}
