import { HotlineError } from '../../platform/errors.js';

/** Stable codes of music on hold (STYLE principle 9). Callers branch on `code`. */
export type MohErrorCode =
  /** No class of that name is configured (nor is it the generated `default`). */
  | 'MOH_UNKNOWN_CLASS'
  /** Neither the class, nor the default class, nor the generated music has a WAV file. */
  | 'MOH_EMPTY_CLASS'
  /** The generated default music could not be written to the data directory. */
  | 'MOH_WRITE_FAILED';

export class MohError extends HotlineError {
  constructor(
    override readonly code: MohErrorCode,
    message: string,
    details?: Readonly<Record<string, unknown>>,
  ) {
    super(code, message, details);
    this.name = 'MohError';
  }
}

export function isMohError(err: unknown, code?: MohErrorCode): err is MohError {
  return err instanceof MohError && (code === undefined || err.code === code);
}
