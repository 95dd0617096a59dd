import type { Logger } from '../platform/log.js';
import type { CallData, CdrRecord, CdrStore, Disposition, HangupBy } from '../report/cdr.js';

/**
 * Collects what a CDR needs while a call runs and writes it exactly once when it ends.
 */
export class CallRecord {
  private answeredAt: number | undefined;
  private written = false;

  constructor(
    private readonly store: CdrStore,
    private readonly logger: Logger,
    readonly callId: string,
    readonly caller: string,
    readonly callee: string,
    readonly startedAt: number,
    private readonly data?: CallData,
  ) {}

  answered(at: number): void {
    this.answeredAt ??= at;
  }

  get isAnswered(): boolean {
    return this.answeredAt !== undefined;
  }

  finish(
    at: number,
    disposition: Disposition,
    hangupBy: HangupBy | undefined,
    sipCause: number | undefined,
    reason?: string,
  ): void {
    if (this.written) return;
    this.written = true;
    const cdr: CdrRecord = {
      callId: this.callId,
      caller: this.caller,
      callee: this.callee,
      startedAt: this.startedAt,
      ...(this.answeredAt !== undefined ? { answeredAt: this.answeredAt } : {}),
      endedAt: at,
      disposition,
      ...(hangupBy ? { hangupBy } : {}),
      ...(sipCause !== undefined ? { sipCause } : {}),
      ...(reason ? { reason } : {}),
      ...(this.data ? { data: this.data } : {}),
    };
    this.store
      .insert(cdr)
      .catch((err: unknown) => this.logger.error({ err, callId: this.callId }, 'CDR could not be written'));
  }
}

/** How an unanswered call's final SIP status reads in a CDR. */
export function dispositionOf(status: number): Disposition {
  if (status === 486 || status === 600 || status === 603) return 'busy';
  if (status === 408 || status === 480) return 'no-answer';
  if (status === 487) return 'cancelled';
  return 'failed';
}
