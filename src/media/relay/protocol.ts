import type { MediaErrorCode } from '../errors.js';
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
  /** Closes the sockets and returns the state, for re-creation in another worker. */
  detach: { params: Id; result: EndpointSnapshot };
  /** Resolves once both sockets are closed, so the ports can be reused. Unknown ids are fine. */
  close: { params: Id; result: null };
  closeAll: { params: null; result: null };
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

export type WorkerMessage = WorkerResponse | SocketErrorEvent;
