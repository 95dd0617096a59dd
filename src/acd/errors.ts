import { HotlineError } from '../platform/errors.js';

/** Stable codes of ACD errors (STYLE principle 9). */
export type AcdErrorCode =
  /** An agent event that the agent state machine does not allow in the current state. */
  | 'ACD_ILLEGAL_AGENT_TRANSITION'
  /** An event that a persistent connection (常摘机) does not allow in its current state. */
  | 'ACD_ILLEGAL_DEVICE_TRANSITION'
  /** A queue name the dispatcher does not know. */
  | 'ACD_UNKNOWN_QUEUE'
  /** An agent id the dispatcher does not know. */
  | 'ACD_UNKNOWN_AGENT'
  /** A call id the dispatcher does not know (or that already left). */
  | 'ACD_UNKNOWN_CALL'
  /** An id that is already in use (a second call or agent with the same id). */
  | 'ACD_DUPLICATE'
  /** An offer answer/rejection that does not match the current offer of the call. */
  | 'ACD_NO_SUCH_OFFER'
  /** A value out of range: a priority, a skill level, an Erlang C input. */
  | 'ACD_INVALID';

export class AcdError extends HotlineError {
  constructor(
    override readonly code: AcdErrorCode,
    message: string,
    details?: Readonly<Record<string, unknown>>,
  ) {
    super(code, message, details);
    this.name = 'AcdError';
  }
}
