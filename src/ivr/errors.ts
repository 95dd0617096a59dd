import { HotlineError } from '../platform/errors.js';

/** Stable codes of the IVR (STYLE principle 9). Callers branch on `code`, never on text. */
export type IvrErrorCode =
  /** A flow document failed validation; `details.problems` lists one line per problem. */
  | 'IVR_FLOW_INVALID'
  /** No published flow with that id (a goto, a simulation, an inbound number). */
  | 'IVR_FLOW_UNKNOWN'
  /** A flow file named in the configuration cannot be read or parsed. */
  | 'IVR_FLOW_UNREADABLE'
  /** A template, expression or comparison could not be evaluated (non-numeric add, bad regex). */
  | 'IVR_EVAL_FAILED'
  /** A prompt could not be rendered or played (a say value that is not a date, a playback failure). */
  | 'IVR_PROMPT_FAILED'
  /** The HTTP node got no answer in time, a non-2xx status, or a body that is not JSON. */
  | 'IVR_HTTP_FAILED'
  /** A port the node needs was not given to the engine (http client, customer lookup, schedules). */
  | 'IVR_PORT_MISSING'
  /** A port (schedule, lookup, recorder, transfer) failed. */
  | 'IVR_PORT_FAILED'
  /** A node's exit names no node at run time (only possible with a flow that skipped validation). */
  | 'IVR_NODE_UNKNOWN'
  /** The call visited more nodes than the loop guard allows (maxSteps). */
  | 'IVR_MAX_STEPS'
  /** A node threw something that was not an IvrError. */
  | 'IVR_NODE_FAILED';

export class IvrError extends HotlineError {
  constructor(
    override readonly code: IvrErrorCode,
    message: string,
    details?: Readonly<Record<string, unknown>>,
  ) {
    super(code, message, details);
    this.name = 'IvrError';
  }
}

/** Any thrown value as an IvrError, keeping an IvrError as it is. */
export function asIvrError(err: unknown, code: IvrErrorCode = 'IVR_NODE_FAILED'): IvrError {
  if (err instanceof IvrError) return err;
  if (err instanceof HotlineError) return new IvrError(code, err.message, { cause: err.code });
  const message = err instanceof Error ? err.message : String(err);
  return new IvrError(code, message);
}
