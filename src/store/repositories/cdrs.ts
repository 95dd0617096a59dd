import type { Kysely } from 'kysely';
import type { Logger } from '../../platform/log.js';
import type { CdrRecord } from '../../report/cdr.js';
import type { BatcherOptions } from '../core/batcher.js';
import { countRows, tableBatcher } from '../core/table-ops.js';
import type { StoreLifecycle } from '../core/state.js';
import {
  optionalString,
  optionalTime,
  requireIntIn,
  requireNonEmpty,
  requireOneOf,
  requireString,
  requireTime,
} from '../core/validate.js';
import { StoreError, wrapQuery } from '../errors.js';
import { DISPOSITIONS, HANGUP_BY, type CdrRow, type Database, type NewCdrRow } from '../schema.js';
import type { CdrFilter, CdrRepository, StoredCdr } from '../types.js';
import { fromDataColumn, fromQualityColumns, toDataColumn, toQualityColumns } from './cdr-media.js';

const WHAT = 'CDR';
export const DEFAULT_CDR_LIST_LIMIT = 100;
export const MAX_CDR_LIST_LIMIT = 10_000;

/** Billable talk time: from answer to hang-up; an unanswered call bills nothing. */
export function billableMs(cdr: Pick<CdrRecord, 'answeredAt' | 'endedAt'>): number {
  return cdr.answeredAt === undefined ? 0 : Math.max(0, cdr.endedAt - cdr.answeredAt);
}

export function toCdrRow(cdr: CdrRecord): NewCdrRow {
  const startedAt = requireTime(WHAT, 'startedAt', cdr.startedAt);
  const answeredAt = optionalTime(WHAT, 'answeredAt', cdr.answeredAt);
  // endedAt before startedAt is kept, not refused: a clock step must not lose a CDR.
  const endedAt = requireTime(WHAT, 'endedAt', cdr.endedAt);
  return {
    call_id: requireNonEmpty(WHAT, 'callId', cdr.callId),
    caller: requireString(WHAT, 'caller', cdr.caller),
    callee: requireString(WHAT, 'callee', cdr.callee),
    started_at: startedAt,
    answered_at: answeredAt,
    ended_at: endedAt,
    duration_ms: answeredAt === null ? 0 : billableMs({ answeredAt, endedAt }),
    disposition: requireOneOf(WHAT, 'disposition', cdr.disposition, DISPOSITIONS),
    hangup_by: cdr.hangupBy === undefined ? null : requireOneOf(WHAT, 'hangupBy', cdr.hangupBy, HANGUP_BY),
    sip_cause: cdr.sipCause === undefined ? null : requireIntIn(WHAT, 'sipCause', cdr.sipCause, 100, 699),
    reason: optionalString(WHAT, 'reason', cdr.reason),
    ...toQualityColumns(cdr.quality),
    data: toDataColumn(cdr.data),
  };
}

export function fromCdrRow(r: CdrRow): StoredCdr {
  const quality = fromQualityColumns(r);
  const data = fromDataColumn(r.data);
  return {
    id: Number(r.id),
    callId: r.call_id,
    caller: r.caller,
    callee: r.callee,
    startedAt: Number(r.started_at),
    ...(r.answered_at !== null && { answeredAt: Number(r.answered_at) }),
    endedAt: Number(r.ended_at),
    durationMs: Number(r.duration_ms),
    disposition: r.disposition,
    ...(r.hangup_by !== null && { hangupBy: r.hangup_by }),
    ...(r.sip_cause !== null && { sipCause: Number(r.sip_cause) }),
    ...(r.reason !== null && { reason: r.reason }),
    ...(quality !== undefined && { quality }),
    ...(data !== undefined && { data }),
  };
}

export interface CdrRepositoryOptions {
  readonly batch: Omit<BatcherOptions, 'closedError' | 'onBatchFailed'>;
  readonly logger?: Logger;
}

/** The CDR repository plus the hook the store calls on close to flush queued rows. */
export interface CdrRepositoryHandle {
  readonly repository: CdrRepository;
  flushAndStop(): Promise<void>;
}

export function createCdrRepository(
  db: Kysely<Database>,
  lifecycle: StoreLifecycle,
  opts: CdrRepositoryOptions,
): CdrRepositoryHandle {
  // One multi-row INSERT is a single statement, hence atomic: all rows of a batch commit together.
  const batcher = tableBatcher(db, 'cdrs', (n) => `${n} CDR(s)`, opts);
  const repository: CdrRepository = {
    async insert(cdr) {
      lifecycle.assertOpen();
      await batcher.add(toCdrRow(cdr));
    },
    list: (filter = {}) => listCdrs(db, lifecycle, filter),
    async count() {
      lifecycle.assertOpen();
      return countRows(db, 'cdrs', 'counting CDRs');
    },
  };
  return { repository, flushAndStop: () => batcher.close() };
}

async function listCdrs(
  db: Kysely<Database>,
  lifecycle: StoreLifecycle,
  filter: CdrFilter,
): Promise<StoredCdr[]> {
  lifecycle.assertOpen();
  const limit = filter.limit ?? DEFAULT_CDR_LIST_LIMIT;
  if (!Number.isInteger(limit) || limit < 1 || limit > MAX_CDR_LIST_LIMIT) {
    throw new StoreError(
      'STORE_INVALID_RECORD',
      `CDR list limit must be an integer from 1 to ${MAX_CDR_LIST_LIMIT}`,
      {
        field: 'limit',
      },
    );
  }
  let query = db.selectFrom('cdrs').selectAll();
  if (filter.callId !== undefined) query = query.where('call_id', '=', filter.callId);
  if (filter.caller !== undefined) query = query.where('caller', '=', filter.caller);
  if (filter.since !== undefined)
    query = query.where('started_at', '>=', requireTime(WHAT, 'since', filter.since));
  const rows = await wrapQuery(
    'listing CDRs',
    query.orderBy('started_at', 'desc').orderBy('id', 'desc').limit(limit).execute(),
  );
  return rows.map(fromCdrRow);
}
