import type { EngineLoad } from '../engine/engine.js';
import type { EngineSnapshot } from '../engine/types.js';
import type { MediaErrorCode } from '../errors.js';
import type {
  JoinOptions,
  MediaEvent,
  MixerId,
  PlayOptions,
  RecordingOptions,
  RecordingResult,
  StreamFormat,
  StreamQuality,
} from './control.js';
import type { EndpointId, EndpointStats, RemoteAddress } from './types.js';

/**
 * The request/response channel between MediaRelay (main thread) and its workers
 * (mediasoup's shape): every request carries an id, every response names it, errors are
 * coded. Only control messages cross it — RTP never does.
 */

export interface WorkerInit {
  readonly index: number;
  readonly latchAnySource: boolean;
  readonly relatchAfterMs: number;
  /** 0: no rtp-timeout events. */
  readonly rtpTimeoutMs: number;
  readonly rtcpIntervalMs: number;
}

export interface LatchState {
  readonly address: string;
  readonly port: number;
  readonly lastAt: number;
}

export interface Counters {
  packetsIn: number;
  bytesIn: number;
  packetsOut: number;
  bytesOut: number;
  packetsDropped: number;
  packetsRejected: number;
  rtcpPacketsIn: number;
  rtcpPacketsOut: number;
  sendErrors: number;
  lastPacketAt: number | null;
}

/** What moves with an endpoint when connect() moves it to its peer's worker. */
export interface EndpointSnapshot {
  readonly remote: RemoteAddress | null;
  readonly rtpLatch: LatchState | null;
  readonly rtcpLatch: LatchState | null;
  readonly counters: Readonly<Counters>;
  /** The engine's state (format, mute, playback); absent for an endpoint never configured. */
  readonly engine?: EngineSnapshot;
}

export interface CreateParams {
  readonly id: EndpointId;
  readonly port: number;
  readonly bindAddress: string;
  readonly latchAnySource: boolean;
  readonly snapshot?: EndpointSnapshot;
}

type Id = { readonly id: EndpointId };

export interface RequestMap {
  ping: { params: null; result: { endpoints: number } };
  create: { params: CreateParams; result: null };
  setRemote: { params: Id & { readonly remote: RemoteAddress }; result: null };
  connect: { params: { readonly a: EndpointId; readonly b: EndpointId }; result: null };
  echo: { params: Id; result: null };
  disconnect: { params: Id; result: null };
  stats: { params: Id; result: EndpointStats };
  /**
   * Closes the sockets and returns the state, for re-creation in another worker. Refused
   * (MEDIA_BUSY) while the endpoint records or is in a mixer, or with `keepBridge` while
   * it is connected.
   */
  detach: { params: Id & { readonly keepBridge?: boolean }; result: EndpointSnapshot };
  /** Resolves once both sockets are closed, so the ports can be reused. Unknown ids are fine. */
  close: { params: Id; result: null };
  closeAll: { params: null; result: null };
  configure: { params: Id & { readonly format: StreamFormat }; result: null };
  play: { params: Id & { readonly options: PlayOptions }; result: null };
  stopPlay: { params: Id; result: null };
  setMuted: { params: Id & { readonly muted: boolean }; result: null };
  /** Digits already checked and upper-cased. */
  sendDtmf: { params: Id & { readonly digits: string; readonly durationMs: number }; result: null };
  setInbandDtmf: { params: Id & { readonly on: boolean }; result: null };
  /** Creates the mixer in this worker on its first member. */
  join: { params: Id & { readonly mixer: MixerId; readonly options: JoinOptions }; result: null };
  leave: { params: Id & { readonly mixer: MixerId }; result: null };
  closeMixer: { params: { readonly mixer: MixerId }; result: null };
  startRecording: { params: { readonly options: RecordingOptions }; result: null };
  pauseRecording: { params: { readonly recId: string; readonly paused: boolean }; result: null };
  stopRecording: { params: { readonly recId: string }; result: RecordingResult };
  quality: { params: Id; result: StreamQuality };
  /** The engine's load: streams, mixers, recordings, time spent in ticks. */
  load: { params: null; result: EngineLoad };
}

export type Op = keyof RequestMap;
export type Params<K extends Op> = RequestMap[K]['params'];
export type Result<K extends Op> = RequestMap[K]['result'];

export type WorkerRequest = {
  [K in Op]: { readonly reqId: number; readonly op: K; readonly params: Params<K> };
}[Op];

export interface WireError {
  readonly code: MediaErrorCode;
  readonly message: string;
  readonly details?: Readonly<Record<string, unknown>>;
}

export type WorkerResponse =
  | { readonly kind: 'response'; readonly reqId: number; readonly ok: true; readonly result: unknown }
  | { readonly kind: 'response'; readonly reqId: number; readonly ok: false; readonly error: WireError };

/** Unsolicited notices from a worker. */
export interface SocketErrorEvent {
  readonly kind: 'event';
  readonly type: 'socket-error';
  readonly id: EndpointId;
  readonly code: string;
  readonly message: string;
}

/** An engine event for the listener of `target` (recording-failed: the recording's left side). */
export interface MediaEventMessage {
  readonly kind: 'event';
  readonly type: 'media';
  readonly target: EndpointId;
  readonly event: MediaEvent;
}

export type WorkerEvent = SocketErrorEvent | MediaEventMessage;

export type WorkerMessage = WorkerResponse | WorkerEvent;
