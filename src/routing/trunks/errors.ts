import { HotlineError } from '../../platform/errors.js';

/** Stable codes of the trunk module's errors. */
export type TrunkErrorCode =
  /** A name that is no configured trunk or trunk group. */
  | 'TRUNK_UNKNOWN'
  /** The trunk manager was used after stop(). */
  | 'TRUNK_MANAGER_STOPPED'
  /** A registration was asked of a trunk without a `register` section. */
  | 'TRUNK_NO_ACCOUNT';

export class TrunkError extends HotlineError {
  constructor(
    override readonly code: TrunkErrorCode,
    message: string,
    details?: Readonly<Record<string, unknown>>,
  ) {
    super(code, message, details);
    this.name = 'TrunkError';
  }
}
