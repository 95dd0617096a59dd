import { HotlineError } from '../../platform/errors.js';

/** Stable codes for digest errors raised on our side (client use, bad arguments). */
export type AuthErrorCode =
  /** A challenge we were given could not be parsed or offers nothing we support. */
  | 'AUTH_BAD_CHALLENGE'
  /** computeResponse / authorize was called with inconsistent arguments. */
  | 'AUTH_INVALID_INPUT';

export class AuthError extends HotlineError {
  constructor(
    override readonly code: AuthErrorCode,
    message: string,
    details?: Readonly<Record<string, unknown>>,
  ) {
    super(code, message, details);
    this.name = 'AuthError';
  }
}
