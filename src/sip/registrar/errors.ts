import { HotlineError } from '../../platform/errors.js';

export type RegistrarErrorCode =
  /** The binding store failed: the REGISTER was not applied and should get a 500. */
  'REGISTRAR_STORE_FAILED';

export class RegistrarError extends HotlineError {
  constructor(
    override readonly code: RegistrarErrorCode,
    message: string,
    details?: Readonly<Record<string, unknown>>,
    cause?: unknown,
  ) {
    super(code, message, details);
    this.name = 'RegistrarError';
    if (cause !== undefined) this.cause = cause;
  }
}
