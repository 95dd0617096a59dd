import { HotlineError } from '../platform/errors.js';

/**
 * The CTI error catalogue (STYLE principle 9): the `code` of every error response is one
 * of these stable strings; clients branch on it, never on `reason`. docs/cti.md lists
 * each one (errors.test.ts keeps the two in step).
 */
export const ctiErrorCodes = {
  /** The frame is not JSON, or does not match the schema; `field` names the bad field. */
  BAD_REQUEST: 'the request is malformed',
  /** The envelope's `v` is not a protocol version this server speaks. */
  UNSUPPORTED_VERSION: 'the protocol version is not supported',
  /** The token is missing or wrong (sent as HTTP 401 before the upgrade). */
  UNAUTHORIZED: 'authentication failed',
  /** The token's role may not send this request, or acts for another agent. */
  FORBIDDEN: 'the role of this token may not do that',
  /** The call, agent, queue or flow named does not exist. */
  NOT_FOUND: 'no such call, agent, queue or flow',
  /** The request is not possible in the current state (e.g. answer while not ringing). */
  INVALID_STATE: 'not possible in the current state',
  /** An agent named a call it is not a party to. */
  NOT_YOUR_CALL: 'the call does not belong to this agent',
  /** Another request changed the same thing first (e.g. two supervisors pick up one call). */
  CONFLICT: 'the request lost a race with another one',
  /** The service behind the CTI server is not ready or is shutting down. */
  UNAVAILABLE: 'the service is not available now',
  /** An unexpected failure; the server log has the details. */
  INTERNAL: 'an internal error occurred',
} as const;

export type CtiErrorCode = keyof typeof ctiErrorCodes;

export const CTI_ERROR_CODES = Object.keys(ctiErrorCodes) as CtiErrorCode[];

/** What a backend throws to answer a request with an error response. */
export class CtiError extends HotlineError {
  declare readonly code: CtiErrorCode;

  constructor(code: CtiErrorCode, message: string, details?: Readonly<Record<string, unknown>>) {
    super(code, message, details);
    this.name = 'CtiError';
  }
}

export function isCtiError(err: unknown, code?: CtiErrorCode): err is CtiError {
  return err instanceof CtiError && (code === undefined || err.code === code);
}
