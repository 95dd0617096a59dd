import type { EndpointId } from './types.js';

/**
 * The media engine's control contract beyond plain relaying: what the call layer may ask
 * of an endpoint once its SDP is negotiated, and the events it hears back. Knows nothing
 * of SIP. Audio inside the engine is 16-bit linear PCM at 8 kHz in 20 ms frames (160
 * samples); every worker drives all its processed streams from one 20 ms scheduler.
 *
 * An endpoint whose format is not configured behaves as before (raw relay or echo).
 */

/** Opaque id of a mixer (conference), unique for the life of a MediaRelay. */
export type MixerId = string;

export type MediaDirection = 'sendrecv' | 'sendonly' | 'recvonly' | 'inactive';

/** The negotiated stream of one endpoint, from our side of the offer/answer. */
export interface StreamFormat {
  /** Codec name as in SDP: `PCMU` or `PCMA` (the registry's names; G.722 and Opus later). */
  readonly codec: string;
  /** Payload type we send the codec with (and accept it on). */
  readonly payloadType: number;
  /** Packetization we send with: 10–60 ms in 10 ms steps. Received packets may be any size. */
  readonly ptimeMs: number;
  /** RFC 4733 payload type both ways, or null when the peer did not negotiate it. */
  readonly telephoneEvent: number | null;
  /**
   * Our direction: `recvonly` when the phone put the call on hold with a=sendonly (we must
   * not send), `sendonly` when it offered a=recvonly, `inactive` for neither.
   */
  readonly direction: MediaDirection;
}

/** One thing to play to a party, in order. */
export type PlayItem =
  /** A WAV file: PCM16, A-law or µ-law, mono or stereo, 8–48 kHz (resampled to 8 kHz). */
  | { readonly file: string }
  /** A call-progress tone of a country profile (`CN` default), repeating for durationMs (default: until stopped). */
  | {
      readonly tone: 'dial' | 'ringback' | 'busy' | 'congestion' | 'callWaiting';
      readonly profile?: string;
      readonly durationMs?: number;
    }
  | { readonly silenceMs: number };

export interface PlayOptions {
  /** Names this playback in its play-done event. */
  readonly playId: string;
  readonly items: readonly PlayItem[];
  /** Start again after the last item until stopped (music on hold). */
  readonly loop?: boolean;
  /** A received DTMF digit stops the playback (reason `interrupted`); the digit is still reported. */
  readonly interruptOnDtmf?: boolean;
}

/**
 * How a mixer member takes part:
 * - `full`: hears every other full member and whisperers aimed at it; heard by all.
 * - `listen`: hears every full member; heard by nobody (supervisor monitor).
 * - `whisper`: hears every full member; heard only by `whisperTo` (coaching an agent).
 */
export interface JoinOptions {
  readonly role: 'full' | 'listen' | 'whisper';
  readonly whisperTo?: EndpointId;
}

export interface RecordingOptions {
  /** Names the recording in its events and in stopRecording. */
  readonly recId: string;
  /** Absolute path of the WAV to write; its folder must exist. */
  readonly path: string;
  /** The party on the left channel: what this endpoint receives from its phone. */
  readonly left: EndpointId;
  /** The party on the right channel; null records `left` alone as a mono file. */
  readonly right: EndpointId | null;
}

export interface RecordingResult {
  readonly recId: string;
  readonly path: string;
  readonly channels: 1 | 2;
  /** ms since the epoch. */
  readonly startedAt: number;
  readonly endedAt: number;
  /** Audio written (paused time excluded). */
  readonly durationMs: number;
  readonly bytes: number;
  /** sha256 of the whole file, hex. */
  readonly sha256: string;
}

/** Receive quality of one endpoint (what its phone sends us). */
export interface StreamQuality {
  readonly packetsReceived: number;
  readonly packetsLost: number;
  /** Percent of expected packets lost. */
  readonly lossPercent: number;
  /** RFC 3550 interarrival jitter, ms. */
  readonly jitterMs: number;
  /** Round trip from RTCP SR/RR (LSR/DLSR), ms; null until measured. */
  readonly rttMs: number | null;
  /** E-model estimate (G.107) from loss, jitter and round trip; null before any packet. */
  readonly mos: number | null;
}

export type DtmfSource = 'rfc4733' | 'inband';

export type MediaEvent =
  | {
      readonly type: 'dtmf';
      readonly id: EndpointId;
      readonly digit: string;
      /** ms since the epoch when the key press began. */
      readonly at: number;
      readonly durationMs: number;
      readonly source: DtmfSource;
    }
  | {
      readonly type: 'play-done';
      readonly id: EndpointId;
      readonly playId: string;
      readonly reason: 'finished' | 'stopped' | 'interrupted' | 'failed';
      readonly error?: string;
    }
  | { readonly type: 'recording-failed'; readonly recId: string; readonly error: string }
  /** No RTP from the phone for the configured time while it should be sending. */
  | { readonly type: 'rtp-timeout'; readonly id: EndpointId; readonly silentMs: number };

export type MediaEventListener = (event: MediaEvent) => void;

/**
 * Methods MediaRelay offers on top of createEndpoint/setRemote/connect/echo/disconnect/
 * stats/close. All return promises that settle once the owning worker has applied the
 * change. Endpoints that interact (connect, a mixer, a recording's two sides) live in one
 * worker; the relay moves one when needed, as connect() already does.
 */
export interface MediaControl {
  /** Sets or changes (re-INVITE) the negotiated format. */
  configure(id: EndpointId, format: StreamFormat): Promise<void>;
  /** Events of this endpoint go to `listener` (one per endpoint; null removes it). */
  listen(id: EndpointId, listener: MediaEventListener | null): void;
  /** Plays to the party, replacing any playback in progress (which ends `stopped`). */
  play(id: EndpointId, options: PlayOptions): Promise<void>;
  stopPlay(id: EndpointId): Promise<void>;
  /** What the party says reaches nobody while muted (a recording gets silence for it); its digits are still detected. */
  setMuted(id: EndpointId, muted: boolean): Promise<void>;
  /**
   * Sends digits (RFC 4733 when negotiated, else in-band tones), each `durationMs` (default 100) with 50 ms gaps.
   * Resolves once queued. In-band tones are mixed into what the party hears (over a raw relay, they replace it).
   */
  sendDtmf(id: EndpointId, digits: string, durationMs?: number): Promise<void>;
  /** In-band DTMF detection; on by default when the format has no telephone-event. */
  setInbandDtmf(id: EndpointId, on: boolean): Promise<void>;
  createMixer(): Promise<MixerId>;
  /** Joins the endpoint (leaving a connect() bridge or another mixer first). */
  join(mixer: MixerId, id: EndpointId, options: JoinOptions): Promise<void>;
  leave(mixer: MixerId, id: EndpointId): Promise<void>;
  closeMixer(mixer: MixerId): Promise<void>;
  startRecording(options: RecordingOptions): Promise<void>;
  /** While paused the file gets nothing (not silence): a card number is never written. */
  pauseRecording(recId: string, paused: boolean): Promise<void>;
  /** Finishes the file (header complete, fsynced) and reports it. */
  stopRecording(recId: string): Promise<RecordingResult>;
  quality(id: EndpointId): Promise<StreamQuality>;
}
