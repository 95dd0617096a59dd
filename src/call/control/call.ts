import { randomUUID } from 'node:crypto';
import type { CallQuality, CdrRecord, Disposition, HangupBy } from '../../report/cdr.js';
import type { Leg } from './leg.js';
import type { CallDataValue, Party } from './types.js';

/**
 * One call for its whole life: a Hotline CallID that never changes across legs, transfers
 * and conferences, the legs it has had, and a bag of associated data (随路数据) that goes
 * with it into the CDR and, later, to queues and agent screens.
 */
export class Call {
  readonly id: string;
  readonly data: Record<string, CallDataValue> = {};
  readonly legs = new Set<Leg>();
  readonly startedAt: number;
  answeredAt: number | undefined;
  /** The leg that started the call (the caller), whose stream quality goes into the CDR. */
  first: Leg | undefined;
  /** The party the call is with now (changes with a transfer). */
  callee: string;
  /** Who ended the call first, and how: decided by the first leg that ends after answer. */
  firstEnd: { by: HangupBy; status: number; reason?: string } | undefined;
  ended = false;

  constructor(
    readonly caller: Party,
    callee: string,
    now: number,
    id: string = randomUUID(),
  ) {
    this.id = id;
    this.callee = callee;
    this.startedAt = now;
  }

  /** Legs not yet ended. */
  get live(): Leg[] {
    return [...this.legs].filter((l) => !l.isEnded);
  }

  setData(key: string, value: CallDataValue): void {
    this.data[key] = value;
  }
}

/** Summary written to the CDR when the call ends. */
export interface CallOutcome {
  readonly disposition: Disposition;
  readonly by: HangupBy | undefined;
  readonly status: number;
  readonly reason?: string;
  readonly quality?: CallQuality;
}

/** The CDR row of an ended call: `end` is who ended it and how, `quality` the first leg's audio. */
export function cdrOf(
  call: Call,
  end: { readonly by?: HangupBy; readonly status: number; readonly reason?: string },
  disposition: Disposition,
  endedAt: number,
  quality: CallQuality | undefined,
): CdrRecord {
  return {
    callId: call.id,
    caller: call.caller.number,
    callee: call.callee,
    startedAt: call.startedAt,
    ...(call.answeredAt !== undefined ? { answeredAt: call.answeredAt } : {}),
    endedAt,
    disposition,
    ...(end.by ? { hangupBy: end.by } : {}),
    sipCause: end.status,
    ...(end.reason ? { reason: end.reason } : {}),
    ...(quality ? { quality } : {}),
    ...(Object.keys(call.data).length > 0 ? { data: { ...call.data } } : {}),
  };
}
