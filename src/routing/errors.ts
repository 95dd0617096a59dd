import { HotlineError } from '../platform/errors.js';

/** Stable codes of routing errors (STYLE principle 9). */
export type RoutingErrorCode =
  /** An outbound route or inbound number carries a pattern that does not compile. */
  | 'ROUTING_BAD_PATTERN'
  /** A schedule's hours or dates do not parse. */
  | 'ROUTING_BAD_SCHEDULE'
  /** A time zone unknown to Intl. */
  | 'ROUTING_BAD_TIME_ZONE'
  /** An inbound number names a schedule that does not exist. */
  | 'ROUTING_UNKNOWN_SCHEDULE'
  /** Operator-entered holidays that do not parse. */
  | 'ROUTING_BAD_HOLIDAYS'
  /** The region/carrier lookup (number facts) failed. */
  | 'ROUTING_GEO_FAILED'
  /** The number facts data files (号段/归属地 tables) are missing or corrupt. */
  | 'ROUTING_GEO_DATA';

export class RoutingError extends HotlineError {
  constructor(
    override readonly code: RoutingErrorCode,
    message: string,
    details?: Readonly<Record<string, unknown>>,
  ) {
    super(code, message, details);
    this.name = 'RoutingError';
  }
}
