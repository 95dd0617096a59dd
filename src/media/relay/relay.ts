import { systemClock } from '../../platform/clock.js';
import { silentLogger, type Logger } from '../../platform/log.js';
import type { EngineLoad } from '../engine/engine.js';
import { MediaError } from '../errors.js';
import { checkBindAddresses, checkDtmf, checkFormat, checkPlay, checkRemote } from './checks.js';
import type {
  JoinOptions,
  MediaControl,
  MediaEventListener,
  MixerId,
  PlayOptions,
  RecordingOptions,
  RecordingResult,
  StreamFormat,
  StreamQuality,
} from './control.js';
import { MixerBook } from './mixer-book.js';
import type { Entry, Placement } from './placement.js';
import { PortAllocator } from './port-allocator.js';
import { RecordingBook } from './recording-book.js';
import type { Op, Params, Result, WorkerEvent } from './protocol.js';
import type {
  CreateEndpointOptions,
  EndpointId,
  EndpointInfo,
  EndpointStats,
  RelayOptions,
  RemoteAddress,
} from './types.js';
import { spawnMediaWorker, WorkerChannel } from './worker-channel.js';

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
 *
 * Beyond relaying it is the media engine's front (MediaControl, control.ts): formats,
 * playback, DTMF, mixers, recordings and quality, each applied by the worker that owns
 * the endpoint, and the workers' events handed to the endpoint's listener. Endpoints
 * that interact are kept in one worker by moving one, carrying its format, mute and
 * playback; an endpoint that records or is in a mixer does not move (MEDIA_BUSY).
 */
export class MediaRelay implements MediaControl {
  private readonly ports: PortAllocator;
  private readonly channels: WorkerChannel[] = [];
  private readonly load: number[] = [];
  private readonly endpoints = new Map<EndpointId, Entry>();
  private readonly log: Logger;
  private readonly latchAnySource: boolean;
  private readonly listeners = new Map<EndpointId, MediaEventListener>();
  private readonly mixerBook: MixerBook;
  private readonly recordingBook: RecordingBook;
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
    const placement: Placement = {
      ready: (id) => this.ready(id),
      get: (id) => this.endpoints.get(id),
      colocate: (anchor, mover, keepBridges) => this.colocate(anchor, mover, keepBridges),
      move: (e, to) => this.move(e, to, false),
      assertOpen: () => this.assertOpen(),
    };
    this.mixerBook = new MixerBook(placement);
    this.recordingBook = new RecordingBook(placement);
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
      rtpTimeoutMs: nonNegative('rtpTimeoutMs', this.opts.rtpTimeoutMs ?? 0),
      rtcpIntervalMs: nonNegative('rtcpIntervalMs', this.opts.rtcpIntervalMs ?? 5000) || 5000,
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
        mixer: null,
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

  /**
   * Relays A↔B: what A receives goes out of B's socket to B's remote, and back. Both
   * leave any mixer first. Configured with different codecs, the engine transcodes.
   */
  async connect(idA: EndpointId, idB: EndpointId): Promise<void> {
    if (idA === idB) throw new MediaError('MEDIA_INVALID_ARGUMENT', `cannot connect ${idA} to itself`);
    const a = await this.ready(idA);
    const b = await this.ready(idB);
    await this.mixerBook.leaveAny(a);
    await this.mixerBook.leaveAny(b);
    await this.colocate(a, b, false);
    await a.channel.request('connect', { a: idA, b: idB });
  }

  /** Sends every packet received back to its source (echo test). */
  async echo(id: EndpointId): Promise<void> {
    const e = await this.ready(id);
    await this.mixerBook.leaveAny(e);
    await e.channel.request('echo', { id });
  }

  /** Stops relaying or echoing (a connected peer goes idle as well) and leaves a mixer. */
  async disconnect(id: EndpointId): Promise<void> {
    const e = await this.ready(id);
    await this.mixerBook.leaveAny(e);
    await e.channel.request('disconnect', { id });
  }

  // ------------------------------------------------------------------ MediaControl

  async configure(id: EndpointId, format: StreamFormat): Promise<void> {
    await this.ask(id, 'configure', { id, format: checkFormat(format) });
  }

  listen(id: EndpointId, listener: MediaEventListener | null): void {
    if (listener === null) {
      this.listeners.delete(id);
      return;
    }
    if (!this.endpoints.has(id)) throw new MediaError('MEDIA_UNKNOWN_ENDPOINT', `no media endpoint ${id}`);
    this.listeners.set(id, listener);
  }

  async play(id: EndpointId, options: PlayOptions): Promise<void> {
    await this.ask(id, 'play', { id, options: checkPlay(options) });
  }

  async stopPlay(id: EndpointId): Promise<void> {
    await this.ask(id, 'stopPlay', { id });
  }

  async setMuted(id: EndpointId, muted: boolean): Promise<void> {
    await this.ask(id, 'setMuted', { id, muted: muted === true });
  }

  async sendDtmf(id: EndpointId, digits: string, durationMs = 100): Promise<void> {
    await this.ask(id, 'sendDtmf', { id, ...checkDtmf(digits, durationMs) });
  }

  async setInbandDtmf(id: EndpointId, on: boolean): Promise<void> {
    await this.ask(id, 'setInbandDtmf', { id, on: on === true });
  }

  // ------------------------------------------------------------------ mixers, recordings

  createMixer(): Promise<MixerId> {
    return this.mixerBook.create();
  }

  join(mixer: MixerId, id: EndpointId, options: JoinOptions): Promise<void> {
    return this.mixerBook.join(mixer, id, options);
  }

  leave(mixer: MixerId, id: EndpointId): Promise<void> {
    return this.mixerBook.leave(mixer, id);
  }

  closeMixer(mixer: MixerId): Promise<void> {
    return this.mixerBook.close(mixer);
  }

  startRecording(options: RecordingOptions): Promise<void> {
    return this.recordingBook.start(options);
  }

  pauseRecording(recId: string, paused: boolean): Promise<void> {
    return this.recordingBook.pause(recId, paused);
  }

  stopRecording(recId: string): Promise<RecordingResult> {
    return this.recordingBook.stop(recId);
  }

  quality(id: EndpointId): Promise<StreamQuality> {
    return this.ask(id, 'quality', { id });
  }

  /** Diagnostics: per healthy worker, its streams, mixers, recordings and time spent in ticks. */
  engineLoad(): Promise<EngineLoad[]> {
    this.assertOpen();
    return Promise.all(this.channels.filter((c) => !c.failed).map((c) => c.request('load', null)));
  }

  stats(id: EndpointId): Promise<EndpointStats> {
    return this.ask(id, 'stats', { id });
  }

  /** Closes the sockets and frees the ports. Idempotent; unknown ids resolve. */
  async close(id: EndpointId): Promise<void> {
    const e = this.endpoints.get(id);
    if (!e) return;
    this.endpoints.delete(id);
    this.mixerBook.forget(e);
    if (e.moving) await e.moving.catch(() => undefined);
    try {
      if (!e.channel.failed) await e.channel.request('close', { id });
    } finally {
      this.load[e.channel.index]!--;
      this.ports.free(e.port);
      // After the close: the worker's last events (a playback ended `stopped`) still arrive.
      this.listeners.delete(id);
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

  /** Sends `op` to the worker that owns endpoint `id`, once no move is in progress. */
  private async ask<K extends Op>(id: EndpointId, op: K, params: Params<K>): Promise<Result<K>> {
    const e = await this.ready(id);
    return e.channel.request(op, params);
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
   * Puts `mover` in `anchor`'s worker, or the other way round when `mover` may not move
   * (it records, or is in a mixer). `keepBridges`: neither may leave a two-party bridge.
   */
  private async colocate(anchor: Entry, mover: Entry, keepBridges: boolean): Promise<void> {
    if (anchor.channel === mover.channel) return;
    try {
      await this.move(mover, anchor.channel, keepBridges);
    } catch (err) {
      if (!(err instanceof MediaError) || err.code !== 'MEDIA_BUSY') throw err;
      await this.move(anchor, mover.channel, keepBridges);
    }
  }

  /**
   * Re-binds an endpoint's ports in another worker so two peers share one thread, with its
   * format, mute and playback. Packets arriving during the few milliseconds between close
   * and bind are lost. The worker refuses (MEDIA_BUSY) before closing anything when the
   * endpoint records or is in a mixer, or, with `keepBridge`, is connected.
   */
  private move(e: Entry, to: WorkerChannel, keepBridge: boolean): Promise<void> {
    const from = e.channel;
    const moving = (async () => {
      const snapshot = await from.request('detach', { id: e.id, keepBridge });
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

  private onWorkerEvent(e: WorkerEvent): void {
    if (e.type === 'socket-error') {
      this.log.warn({ endpoint: e.id, code: e.code }, `media socket error: ${e.message}`);
      return;
    }
    const listener = this.listeners.get(e.target);
    if (!listener) return;
    try {
      listener(e.event);
    } catch (err) {
      // A listener's bug must not break the relay or the other listeners.
      this.log.error({ err, endpoint: e.target, event: e.event.type }, 'media event listener threw');
    }
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

function nonNegative(name: string, value: number): number {
  if (!Number.isFinite(value) || value < 0) {
    throw new MediaError('MEDIA_INVALID_ARGUMENT', `${name} must be a number ≥ 0, got ${value}`);
  }
  return value;
}
