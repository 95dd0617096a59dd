/** How a call ended, as operators read it in a CDR. */
export type Disposition = 'answered' | 'busy' | 'no-answer' | 'cancelled' | 'failed';

/** Who ended the call. */
export type HangupBy = 'caller' | 'callee' | 'system';

/** One call detail record: one row per call (per leg from issue 5 on). */
export interface CdrRecord {
  /** The call's SIP Call-ID on the caller's leg: the call's id for its whole life. */
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
}

export interface CdrStore {
  insert(cdr: CdrRecord): Promise<void>;
}
