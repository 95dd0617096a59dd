/** How a call ended, as operators read it in a CDR. */
export type Disposition = 'answered' | 'busy' | 'no-answer' | 'cancelled' | 'failed';

/** Who ended the call. */
export type HangupBy = 'caller' | 'callee' | 'system';

/** How the call sounded, measured by the media engine over the whole call. */
export interface CallQuality {
  /** Estimated mean opinion score, 1 (bad) to 5 (excellent). */
  readonly mos: number;
  /** Share of RTP packets lost, 0 to 100. */
  readonly lossPercent: number;
  /** Interarrival jitter (RFC 3550 §6.4.1) in milliseconds. */
  readonly jitterMs: number;
  /** Round-trip time from RTCP reports; null when the phone sent none. */
  readonly rttMs: number | null;
}

/** The data a call carried (IVR input, a customer id…): flat key → scalar value. */
export type CallData = Readonly<Record<string, string | number | boolean>>;

/** One call detail record: one row per call (per leg from issue 5 on). */
export interface CdrRecord {
  /**
   * Hotline's CallID (a UUID), the same across legs, transfers and conferences. The caller's
   * SIP Call-ID is in `data.sipCallId`.
   */
  readonly callId: string;
  readonly caller: string;
  readonly callee: string;
  /** ms since the epoch. */
  readonly startedAt: number;
  readonly answeredAt?: number;
  readonly endedAt: number;
  readonly disposition: Disposition;
  readonly hangupBy?: HangupBy;
  /** The SIP status that ended the call (e.g. 486, 487, 480), or 200 for a normal BYE. */
  readonly sipCause?: number;
  /** Free text, e.g. the Reason header or "echo time limit". */
  readonly reason?: string;
  /** Absent when no audio was measured (an unanswered call, or media not anchored). */
  readonly quality?: CallQuality;
  readonly data?: CallData;
}

export interface CdrStore {
  insert(cdr: CdrRecord): Promise<void>;
}
