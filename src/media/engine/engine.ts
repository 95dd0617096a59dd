/**
 * The media engine of one worker thread: the configured streams, the mixers and the
 * recordings of that worker, all driven by one 20 ms scheduler that runs while at least
 * one stream is configured. Each tick runs in phases over every stream, so that a frame
 * received anywhere is ready before anyone sends it:
 *
 *   1 pull       every stream: jitter buffer → `heard` (in-band DTMF)
 *   2 mix        every mixer: mix-minus per member
 *   3 record     every recording: left/right `heard` → WAV
 *   4 produce    every stream: event ▸ player ▸ mixer ▸ transcoded peer → packets
 *   5 housekeep  every stream: RTCP, lost RFC 4733 ends, rtp-timeout
 *
 * The worker host owns the endpoints and calls in here; the engine never touches a
 * socket except through an endpoint.
 */
import { MediaError } from '../errors.js';
import type { RelayEndpoint } from '../relay/endpoint.js';
import type {
  JoinOptions,
  MixerId,
  PlayOptions,
  RecordingOptions,
  RecordingResult,
  StreamFormat,
  StreamQuality,
} from '../relay/control.js';
import type { DtmfDigit } from '../dtmf/types.js';
import { AudioCache } from './audio-cache.js';
import { frameCodecOf } from './frame-codec.js';
import { Mixer } from './mixer.js';
import { Recorder, type RecorderDeps } from './recorder.js';
import { FrameScheduler, type SchedulerStats, type SchedulerTimers } from './scheduler.js';
import { MediaStream, type StreamContext } from './stream.js';
import {
  systemEngineClock,
  type EmitMediaEvent,
  type EngineClock,
  type EngineSettings,
  type EngineSnapshot,
} from './types.js';

export interface EngineLoad {
  readonly streams: number;
  readonly mixers: number;
  readonly recordings: number;
  /** Time spent inside ticks since start, ms (the worker's media CPU, roughly). */
  readonly tickMs: number;
  readonly scheduler: Readonly<SchedulerStats>;
}

export class MediaEngine {
  private readonly endpoints: RelayEndpoint[] = [];
  private readonly mixers = new Map<MixerId, Mixer>();
  private readonly memberOf = new Map<string, MixerId>();
  private readonly recorders = new Map<string, Recorder>();
  /** Recordings finished because a side closed, kept for stopRecording. */
  private readonly finished = new Map<string, Promise<RecordingResult>>();
  private readonly scheduler: FrameScheduler;
  private readonly cache: AudioCache;
  private tickMs = 0;

  constructor(
    private readonly settings: EngineSettings,
    private readonly emit: EmitMediaEvent,
    private readonly clock: EngineClock = systemEngineClock,
    timers?: SchedulerTimers,
    private readonly recorderDeps: Partial<RecorderDeps> = {},
  ) {
    this.scheduler = new FrameScheduler((frame) => this.tick(frame), timers);
    this.cache = new AudioCache(settings.audioCacheBytes);
  }

  load(): EngineLoad {
    return {
      streams: this.endpoints.length,
      mixers: this.mixers.size,
      recordings: this.recorders.size,
      tickMs: this.tickMs,
      scheduler: { ...this.scheduler.stats },
    };
  }

  // ------------------------------------------------------------------ streams

  configure(ep: RelayEndpoint, format: StreamFormat): void {
    // A re-INVITE that keeps the codec keeps its instance: a stateful codec (G.722) goes on
    // from where it was rather than restarting its adaptation mid-call.
    const current = ep.stream?.codec;
    const codec = current?.name === format.codec.toUpperCase() ? current : frameCodecOf(format.codec);
    if (!codec) throw new MediaError('MEDIA_INVALID_ARGUMENT', `codec ${format.codec} is not supported`);
    if (ep.stream !== null) {
      ep.stream.configure(format, codec);
    } else {
      const ctx: StreamContext = {
        clock: this.clock,
        settings: this.settings,
        cache: this.cache,
        emit: (event) => this.emit(ep.id, event),
      };
      ep.stream = new MediaStream(ep, format, codec, ctx);
      this.endpoints.push(ep);
      this.scheduler.start();
    }
    this.relink();
  }

  /** After connect, disconnect, echo or a format change: who relays raw, who transcodes. */
  relink(): void {
    for (const ep of this.endpoints) {
      const s = ep.stream!;
      const peer = ep.mode === 'relay' ? ep.peer : null;
      const theirs = peer?.stream?.format;
      const compatible =
        theirs === undefined ||
        (theirs.codec.toUpperCase() === s.format.codec.toUpperCase() &&
          theirs.payloadType === s.format.payloadType);
      s.rawRelay = peer !== null && compatible;
      s.transcode = peer !== null && !compatible;
    }
  }

  private stream(ep: RelayEndpoint): MediaStream {
    if (ep.stream === null) {
      throw new MediaError(
        'MEDIA_NOT_CONFIGURED',
        `endpoint ${ep.id} has no negotiated format; configure it first`,
      );
    }
    return ep.stream;
  }

  play(ep: RelayEndpoint, options: PlayOptions): void {
    this.stream(ep).play(options);
  }

  stopPlay(ep: RelayEndpoint): void {
    ep.stream?.stopPlay();
  }

  sendDtmf(ep: RelayEndpoint, digits: readonly DtmfDigit[], durationMs: number): void {
    this.stream(ep).sendDtmf(digits, durationMs);
  }

  setInband(ep: RelayEndpoint, on: boolean): void {
    this.stream(ep).inbandOverride = on;
  }

  quality(ep: RelayEndpoint): StreamQuality {
    return this.stream(ep).quality();
  }

  /** What moves with the endpoint; MEDIA_BUSY while it records or is in a mixer. */
  snapshot(ep: RelayEndpoint): EngineSnapshot {
    if (this.memberOf.has(ep.id) || [...this.recorders.values()].some((r) => r.involves(ep.id))) {
      throw new MediaError('MEDIA_BUSY', `endpoint ${ep.id} is recording or in a mixer and cannot move`, {
        id: ep.id,
      });
    }
    const s = ep.stream;
    return {
      format: s?.format ?? null,
      muted: ep.muted,
      inband: s?.inbandOverride ?? null,
      play: s?.playing ?? null,
    };
  }

  restore(ep: RelayEndpoint, snapshot: EngineSnapshot): void {
    ep.muted = snapshot.muted;
    if (snapshot.format === null) return;
    this.configure(ep, snapshot.format);
    const s = ep.stream!;
    s.inbandOverride = snapshot.inband;
    if (snapshot.play !== null) s.play(snapshot.play.options, snapshot.play);
  }

  /**
   * The endpoint closes (reportPlayback: a playback ends `stopped`) or moves to another
   * worker (no event: it goes on there). Recordings it is part of are finished; the
   * promise settles when their files are complete.
   */
  remove(ep: RelayEndpoint, reportPlayback: boolean): Promise<unknown> {
    this.leaveMixer(ep);
    const files: Promise<RecordingResult>[] = [];
    for (const r of [...this.recorders.values()]) {
      if (r.involves(ep.id)) files.push(this.finishRecording(r, true));
    }
    const s = ep.stream;
    if (s !== null) {
      s.dispose(reportPlayback);
      ep.stream = null;
      const at = this.endpoints.indexOf(ep);
      if (at >= 0) this.endpoints.splice(at, 1);
      if (this.endpoints.length === 0) this.scheduler.stop();
      this.relink();
    }
    return Promise.allSettled(files);
  }

  // ------------------------------------------------------------------ mixers

  join(mixerId: MixerId, ep: RelayEndpoint, options: JoinOptions): void {
    const s = this.stream(ep);
    const current = this.memberOf.get(ep.id);
    if (current !== undefined && current !== mixerId) this.leave(current, ep);
    // A mixer and a two-party bridge do not mix: joining ends the bridge (the peer goes idle).
    if (ep.mode !== 'idle') ep.disconnect();
    let mixer = this.mixers.get(mixerId);
    if (!mixer) {
      mixer = new Mixer(mixerId);
      this.mixers.set(mixerId, mixer);
    }
    s.member = mixer.join(s, options);
    this.memberOf.set(ep.id, mixerId);
    this.relink();
  }

  /** Leaves whatever mixer the endpoint is in. */
  leaveMixer(ep: RelayEndpoint): void {
    const mixer = this.memberOf.get(ep.id);
    if (mixer !== undefined) this.leave(mixer, ep);
  }

  leave(mixerId: MixerId, ep: RelayEndpoint): void {
    const mixer = this.mixers.get(mixerId);
    if (!mixer || !mixer.leave(ep.id)) return;
    this.memberOf.delete(ep.id);
    if (ep.stream) ep.stream.member = null;
    if (mixer.size === 0) this.mixers.delete(mixerId);
  }

  /** Everyone leaves; the members go idle. Unknown mixers are fine (idempotent). */
  closeMixer(mixerId: MixerId, byId: (id: string) => RelayEndpoint | undefined): void {
    const mixer = this.mixers.get(mixerId);
    if (!mixer) return;
    for (const id of mixer.ids()) {
      const ep = byId(id);
      if (ep) this.leave(mixerId, ep);
    }
    this.mixers.delete(mixerId);
  }

  // ------------------------------------------------------------------ recordings

  async startRecording(
    options: RecordingOptions,
    left: RelayEndpoint,
    right: RelayEndpoint | null,
  ): Promise<void> {
    const ls = this.stream(left);
    const rs = right === null ? null : this.stream(right);
    if (this.recorders.has(options.recId) || this.finished.has(options.recId)) {
      throw new MediaError('MEDIA_INVALID_ARGUMENT', `recording ${options.recId} exists`, {
        recId: options.recId,
      });
    }
    const recorder = await Recorder.open(options, ls, rs, {
      now: () => this.clock.now(),
      onFailed: (error) => this.emit(options.left, { type: 'recording-failed', recId: options.recId, error }),
      ...this.recorderDeps,
    });
    this.recorders.set(options.recId, recorder);
    ls.recorders++;
    if (rs) rs.recorders++;
    // A side that closed while the file was being created ends the recording at once.
    if (left.stream !== ls || (right !== null && right.stream !== rs)) this.finishRecording(recorder, true);
  }

  pauseRecording(recId: string, paused: boolean): void {
    const r = this.recorders.get(recId);
    if (r) r.paused = paused;
    else if (!this.finished.has(recId)) throw unknownRecording(recId);
  }

  stopRecording(recId: string): Promise<RecordingResult> {
    const r = this.recorders.get(recId);
    if (r) return this.finishRecording(r, false);
    const done = this.finished.get(recId);
    if (!done) return Promise.reject(unknownRecording(recId));
    this.finished.delete(recId);
    return done;
  }

  private finishRecording(r: Recorder, keep: boolean): Promise<RecordingResult> {
    this.recorders.delete(r.recId);
    for (const ep of this.endpoints) {
      if (r.involves(ep.id)) ep.stream!.recorders--;
    }
    const result = r.finish();
    if (keep) {
      this.finished.set(r.recId, result);
      // Delivered to stopRecording later; a failure was already reported as recording-failed.
      result.catch(() => undefined);
    }
    return result;
  }

  // ------------------------------------------------------------------ the tick

  private tick(frame: number): void {
    const mono = this.clock.monotonic();
    const wall = this.clock.now();
    const eps = this.endpoints;
    for (let i = 0; i < eps.length; i++) eps[i]!.stream!.pull(wall);
    for (const m of this.mixers.values()) m.mix();
    for (const r of this.recorders.values()) r.write();
    for (let i = 0; i < eps.length; i++) eps[i]!.stream!.produce(frame);
    for (let i = 0; i < eps.length; i++) eps[i]!.stream!.housekeep(wall, mono);
    this.tickMs += this.clock.monotonic() - mono;
  }
}

function unknownRecording(recId: string): MediaError {
  return new MediaError('MEDIA_UNKNOWN_RECORDING', `no recording ${recId}`, { recId });
}
