/**
 * The fake media engine of the call-layer test kit: it records every call, keeps the state a
 * test asserts on (who is connected to whom, what plays where, mixers, recordings), and lets
 * the test speak for the engine (a key pressed, a playback finished).
 */
import type {
  CreateEndpointOptions,
  EndpointId,
  EndpointInfo,
  EndpointStats,
  JoinOptions,
  MediaEventListener,
  MixerId,
  PlayOptions,
  RecordingOptions,
  RecordingResult,
  RemoteAddress,
  StreamFormat,
  StreamQuality,
} from '../../media/index.js';
import type { MediaEngine } from '../control/types.js';

/** One member per op, so that `ops('close')` narrows (a union of ops would not). */
type OnEndpoint<O extends string> = O extends string ? { readonly op: O; readonly id: string } : never;
type OnMixer<O extends string> = O extends string ? { readonly op: O; readonly mixer: MixerId } : never;

export type MediaCall =
  | { readonly op: 'createEndpoint'; readonly opts: CreateEndpointOptions }
  | { readonly op: 'setRemote'; readonly id: string; readonly remote: RemoteAddress }
  | { readonly op: 'connect'; readonly id: string; readonly other: string }
  | OnEndpoint<'echo' | 'disconnect' | 'close' | 'stopPlay'>
  | { readonly op: 'configure'; readonly id: string; readonly format: StreamFormat }
  | { readonly op: 'play'; readonly id: string; readonly play: PlayOptions }
  | { readonly op: 'setMuted'; readonly id: string; readonly muted: boolean }
  | { readonly op: 'sendDtmf'; readonly id: string; readonly digits: string }
  | { readonly op: 'setInbandDtmf'; readonly id: string; readonly on: boolean }
  | OnMixer<'createMixer' | 'closeMixer'>
  | { readonly op: 'join'; readonly mixer: MixerId; readonly id: string; readonly options: JoinOptions }
  | { readonly op: 'leave'; readonly mixer: MixerId; readonly id: string }
  | { readonly op: 'startRecording'; readonly options: RecordingOptions }
  | { readonly op: 'pauseRecording'; readonly recId: string; readonly paused: boolean }
  | { readonly op: 'stopRecording'; readonly recId: string }
  | { readonly op: 'quality'; readonly id: string };

export type MediaOp = MediaCall['op'];
export type DigitSource = 'rfc4733' | 'inband';
type PlayEnd = 'finished' | 'stopped' | 'interrupted' | 'failed';

/** What the fake reports for every endpoint unless a test sets `qualityReport`. */
export const FAKE_QUALITY: StreamQuality = {
  packetsReceived: 1500,
  packetsLost: 3,
  lossPercent: 0.2,
  jitterMs: 4,
  rttMs: 38,
  mos: 4.31,
};

interface ActiveRecording {
  readonly options: RecordingOptions;
  readonly startedAt: number;
  pausedAt: number | null;
  pausedMs: number;
}

/** A MediaEngine that records every call and hands out endpoints with made-up ports. */
export class FakeMedia implements MediaEngine {
  readonly calls: MediaCall[] = [];
  readonly created: EndpointInfo[] = [];
  readonly closed = new Set<string>();
  /** When set, every call waits for this before answering. */
  gate: Promise<void> | undefined;
  /** When set, createEndpoint rejects with it. */
  failCreate: Error | undefined;
  /** Operations that reject with the given error. */
  readonly failing = new Map<MediaOp, Error>();
  /** Reports 'finished' for every non-looped playback on the next macrotask. */
  autoFinishPlays = false;
  qualityReport: StreamQuality = FAKE_QUALITY;
  /** Recordings stopped, in order. */
  readonly recorded: RecordingResult[] = [];
  private readonly listeners = new Map<EndpointId, MediaEventListener>();
  private readonly peers = new Map<EndpointId, EndpointId>();
  private readonly plays = new Map<EndpointId, PlayOptions>();
  private readonly mixerMembers = new Map<MixerId, Map<EndpointId, JoinOptions>>();
  private readonly recordings = new Map<string, ActiveRecording>();
  private readonly muted = new Set<EndpointId>();
  private readonly held = new Map<MediaOp, Promise<void>>();
  private mixerSeq = 0;

  /** `now` dates recordings; pass the test's FakeClock. */
  constructor(private readonly now: () => number = Date.now) {}

  /** Calls of `op` wait from now until the returned function is called. */
  hold(op: MediaOp): () => void {
    let release = () => {};
    this.held.set(op, new Promise<void>((resolve) => (release = resolve)));
    return () => {
      this.held.delete(op);
      release();
    };
  }

  private async enter(call: MediaCall): Promise<void> {
    this.calls.push(call);
    await this.gate;
    await this.held.get(call.op);
    const err = this.failing.get(call.op);
    if (err) throw err;
  }

  // --- relaying ------------------------------------------------------------------------

  async createEndpoint(opts: CreateEndpointOptions): Promise<EndpointInfo> {
    await this.enter({ op: 'createEndpoint', opts });
    if (this.failCreate) throw this.failCreate;
    const port = 40000 + 2 * this.created.length;
    const info = {
      id: `ep${this.created.length + 1}`,
      port,
      rtcpPort: port + 1,
      address: opts.advertisedAddress ?? opts.bindAddress,
    };
    this.created.push(info);
    return info;
  }
  async setRemote(id: string, remote: RemoteAddress): Promise<void> {
    await this.enter({ op: 'setRemote', id, remote });
  }
  async connect(id: string, other: string): Promise<void> {
    await this.enter({ op: 'connect', id, other });
    this.unpair(id);
    this.unpair(other);
    this.leaveMixers(id);
    this.leaveMixers(other);
    this.peers.set(id, other);
    this.peers.set(other, id);
  }
  async disconnect(id: string): Promise<void> {
    await this.enter({ op: 'disconnect', id });
    this.unpair(id);
    this.leaveMixers(id);
  }
  async echo(id: string): Promise<void> {
    await this.enter({ op: 'echo', id });
  }
  async close(id: string): Promise<void> {
    this.calls.push({ op: 'close', id });
    this.closed.add(id);
    this.unpair(id);
    this.leaveMixers(id);
    this.plays.delete(id);
    this.listeners.delete(id);
  }
  /** The call layer never reads stats. */
  async stats(): Promise<EndpointStats> {
    throw new Error('FakeMedia has no stats');
  }

  // --- control -------------------------------------------------------------------------

  async configure(id: EndpointId, format: StreamFormat): Promise<void> {
    await this.enter({ op: 'configure', id, format });
  }
  listen(id: EndpointId, listener: MediaEventListener | null): void {
    if (listener) this.listeners.set(id, listener);
    else this.listeners.delete(id);
  }
  async play(id: EndpointId, options: PlayOptions): Promise<void> {
    await this.enter({ op: 'play', id, play: options });
    this.endPlay(id, 'stopped');
    this.plays.set(id, options);
    if (this.autoFinishPlays && !options.loop) {
      setImmediate(() => {
        if (this.plays.get(id) === options) this.endPlay(id, 'finished');
      });
    }
  }
  async stopPlay(id: EndpointId): Promise<void> {
    await this.enter({ op: 'stopPlay', id });
    this.endPlay(id, 'stopped');
  }
  async setMuted(id: EndpointId, muted: boolean): Promise<void> {
    await this.enter({ op: 'setMuted', id, muted });
    if (muted) this.muted.add(id);
    else this.muted.delete(id);
  }
  async sendDtmf(id: EndpointId, digits: string): Promise<void> {
    await this.enter({ op: 'sendDtmf', id, digits });
  }
  async setInbandDtmf(id: EndpointId, on: boolean): Promise<void> {
    await this.enter({ op: 'setInbandDtmf', id, on });
  }
  async createMixer(): Promise<MixerId> {
    const mixer = `mix${++this.mixerSeq}`;
    await this.enter({ op: 'createMixer', mixer });
    this.mixerMembers.set(mixer, new Map());
    return mixer;
  }
  async join(mixer: MixerId, id: EndpointId, options: JoinOptions): Promise<void> {
    await this.enter({ op: 'join', mixer, id, options });
    const members = this.mixerMembers.get(mixer);
    if (!members) throw new Error(`no mixer ${mixer}`);
    this.unpair(id);
    this.leaveMixers(id);
    members.set(id, options);
  }
  async leave(mixer: MixerId, id: EndpointId): Promise<void> {
    await this.enter({ op: 'leave', mixer, id });
    this.mixerMembers.get(mixer)?.delete(id);
  }
  async closeMixer(mixer: MixerId): Promise<void> {
    await this.enter({ op: 'closeMixer', mixer });
    this.mixerMembers.delete(mixer);
  }
  async startRecording(options: RecordingOptions): Promise<void> {
    await this.enter({ op: 'startRecording', options });
    this.recordings.set(options.recId, { options, startedAt: this.now(), pausedAt: null, pausedMs: 0 });
  }
  async pauseRecording(recId: string, paused: boolean): Promise<void> {
    await this.enter({ op: 'pauseRecording', recId, paused });
    const r = this.recordings.get(recId);
    if (!r) throw new Error(`no recording ${recId}`);
    if (paused && r.pausedAt === null) r.pausedAt = this.now();
    if (!paused && r.pausedAt !== null) {
      r.pausedMs += this.now() - r.pausedAt;
      r.pausedAt = null;
    }
  }
  async stopRecording(recId: string): Promise<RecordingResult> {
    await this.enter({ op: 'stopRecording', recId });
    const r = this.recordings.get(recId);
    if (!r) throw new Error(`no recording ${recId}`);
    this.recordings.delete(recId);
    const endedAt = this.now();
    const paused = r.pausedMs + (r.pausedAt === null ? 0 : endedAt - r.pausedAt);
    const channels = r.options.right === null ? 1 : 2;
    const durationMs = Math.max(0, endedAt - r.startedAt - paused);
    const result: RecordingResult = {
      recId,
      path: r.options.path,
      channels,
      startedAt: r.startedAt,
      endedAt,
      durationMs,
      // 8 kHz, 16-bit samples per channel, after a 44-byte WAV header.
      bytes: 44 + durationMs * 16 * channels,
      sha256: 'ab'.repeat(32),
    };
    this.recorded.push(result);
    return result;
  }
  async quality(id: EndpointId): Promise<StreamQuality> {
    await this.enter({ op: 'quality', id });
    return this.qualityReport;
  }

  // --- the engine's side: events a test makes happen ------------------------------------

  /** A key pressed on the phone behind `id`; stops a playback that asked to be interrupted. */
  pressDigit(id: EndpointId, digit: string, source: DigitSource = 'rfc4733'): void {
    if (this.plays.get(id)?.interruptOnDtmf) this.endPlay(id, 'interrupted');
    this.emit(id, { type: 'dtmf', id, digit, at: this.now(), durationMs: 100, source });
  }

  /** Ends the playback on `id` the way the engine would report it. */
  finishPlay(id: EndpointId, reason: PlayEnd = 'finished'): void {
    if (!this.plays.has(id)) throw new Error(`nothing plays on ${id}`);
    this.endPlay(id, reason);
  }

  /** The engine stopped hearing the phone behind `id`. */
  rtpTimeout(id: EndpointId, silentMs = 30_000): void {
    this.emit(id, { type: 'rtp-timeout', id, silentMs });
  }

  // --- what a test asserts on ----------------------------------------------------------

  /** Endpoints created and not closed. */
  get open(): string[] {
    return this.created.map((e) => e.id).filter((id) => !this.closed.has(id));
  }

  remotes(id: string): RemoteAddress[] {
    return this.calls.flatMap((c) => (c.op === 'setRemote' && c.id === id ? [c.remote] : []));
  }

  /** The endpoint `id` is connected to now, if any. */
  peerOf(id: EndpointId): EndpointId | undefined {
    return this.peers.get(id);
  }

  /** The playback in progress on `id`. */
  playing(id: EndpointId): PlayOptions | undefined {
    return this.plays.get(id);
  }

  /** Every playback started on `id`, in order. */
  playsOn(id: EndpointId): PlayOptions[] {
    return this.calls.flatMap((c) => (c.op === 'play' && c.id === id ? [c.play] : []));
  }

  isMuted(id: EndpointId): boolean {
    return this.muted.has(id);
  }

  /** Mixers open now, with their members. */
  mixers(): Map<MixerId, ReadonlyMap<EndpointId, JoinOptions>> {
    return new Map(this.mixerMembers);
  }

  /** Recordings started and not stopped. */
  activeRecordings(): RecordingOptions[] {
    return [...this.recordings.values()].map((r) => r.options);
  }

  /** The calls of one kind, narrowed. */
  ops<O extends MediaOp>(op: O): Extract<MediaCall, { op: O }>[] {
    return this.calls.filter((c): c is Extract<MediaCall, { op: O }> => c.op === op);
  }

  // --- internals -----------------------------------------------------------------------

  private emit(id: EndpointId, event: Parameters<MediaEventListener>[0]): void {
    this.listeners.get(id)?.(event);
  }

  private endPlay(id: EndpointId, reason: PlayEnd): void {
    const current = this.plays.get(id);
    if (!current) return;
    this.plays.delete(id);
    this.emit(id, { type: 'play-done', id, playId: current.playId, reason });
  }

  private unpair(id: EndpointId): void {
    const other = this.peers.get(id);
    if (other === undefined) return;
    this.peers.delete(id);
    this.peers.delete(other);
  }

  private leaveMixers(id: EndpointId): void {
    for (const members of this.mixerMembers.values()) members.delete(id);
  }
}
