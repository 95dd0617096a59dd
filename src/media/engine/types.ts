/**
 * Contracts inside a media worker's engine: what moves with an endpoint to another worker,
 * how events leave the engine, and its settings. The call layer's contract is
 * relay/control.ts; nothing here crosses to the main thread except the snapshot.
 */
import type { MediaEvent, PlayOptions, StreamFormat } from '../relay/control.js';
import type { EndpointId } from '../relay/types.js';

/** Samples per engine frame: 20 ms at 8 kHz. */
export const FRAME = 160;
export const FRAME_MS = 20;
export const RATE = 8000;

/** Where a playback stood when its endpoint moved to another worker. */
export interface PlaySnapshot {
  readonly options: PlayOptions;
  /** Index of the item playing. */
  readonly item: number;
  /** Samples of that item already played. */
  readonly offset: number;
}

/**
 * The engine state of an endpoint that moves with it (connect() or join() across
 * workers). Receive statistics, the jitter buffer and RTCP state start afresh; a
 * recording or a mixer membership does not move (the relay refuses, MEDIA_BUSY).
 */
export interface EngineSnapshot {
  readonly format: StreamFormat | null;
  readonly muted: boolean;
  /** setInbandDtmf's choice, null for the default. */
  readonly inband: boolean | null;
  readonly play: PlaySnapshot | null;
}

/** Delivers an event to the listener of `target` (for recording-failed: the left endpoint). */
export type EmitMediaEvent = (target: EndpointId, event: MediaEvent) => void;

export interface EngineSettings {
  /** Emit rtp-timeout after this much RTP silence; 0 turns it off. */
  readonly rtpTimeoutMs: number;
  /** Mean interval between our RTCP reports (RFC 3550 §6.2 randomises it ±50 %). */
  readonly rtcpIntervalMs: number;
  /** Bound of decoded prompt audio kept per worker, bytes. */
  readonly audioCacheBytes?: number;
}

/** Wall clock (events, RTCP NTP times) and a monotonic clock (jitter, scheduling), ms. */
export interface EngineClock {
  now(): number;
  monotonic(): number;
}

export const systemEngineClock: EngineClock = {
  now: () => Date.now(),
  monotonic: () => performance.now(),
};
