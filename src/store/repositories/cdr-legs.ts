import type { Kysely } from 'kysely';
import type { Logger } from '../../platform/log.js';
import { LEG_ROLES, type CdrLegFilter, type CdrLegRecord, type LegRole } from '../../report/cdr-leg.js';
import type { BatcherOptions } from '../core/batcher.js';
import type { StoreLifecycle } from '../core/state.js';
import { countRows, tableBatcher } from '../core/table-ops.js';
import {
  invalid,
  optionalString,
  optionalTime,
  requireIntIn,
  requireNonEmpty,
  requireOneOf,
  requireString,
  requireTime,
} from '../core/validate.js';
import { wrapQuery } from '../errors.js';
import {
  DISPOSITIONS,
  LEG_DIRECTIONS,
  LEG_HANGUP_BY,
  type CdrLegTableRow,
  type Database,
  type NewCdrLegTableRow,
} from '../schema.js';
import type { CdrLegRepository, StoredCdrLeg } from '../types.js';
import { billableMs } from './cdrs.js';
import { fromQualityColumns, toQualityColumns } from './cdr-media.js';

const WHAT = 'CDR leg';
export const DEFAULT_CDR_LEG_LIST_LIMIT = 1_000;
export const MAX_CDR_LEG_LIST_LIMIT = 10_000;
/** Numbers, ids and trunk names are short; longer is a caller's bug. */
export const MAX_CDR_LEG_TEXT_LENGTH = 256;

function text(field: string, value: unknown): string {
  const s = requireNonEmpty(WHAT, field, value);
  if (s.length > MAX_CDR_LEG_TEXT_LENGTH)
    throw invalid(WHAT, field, `must be at most ${MAX_CDR_LEG_TEXT_LENGTH} characters`);
  return s;
}

export function toCdrLegRow(leg: CdrLegRecord): NewCdrLegTableRow {
  const answeredAt = optionalTime(WHAT, 'answeredAt', leg.answeredAt);
  // endedAt before startedAt is kept, not refused: a clock step must not lose a record.
  const endedAt = requireTime(WHAT, 'endedAt', leg.endedAt);
  return {
    call_id: text('callId', leg.callId),
    leg_id: text('legId', leg.legId),
    // An anonymous caller may have an empty number; the row still records the leg.
    party: requireString(WHAT, 'party', leg.party),
    direction: requireOneOf(WHAT, 'direction', leg.direction, LEG_DIRECTIONS),
    role: leg.role === undefined ? null : requireOneOf(WHAT, 'role', leg.role, LEG_ROLES),
    trunk: leg.trunk === undefined ? null : text('trunk', leg.trunk),
    started_at: requireTime(WHAT, 'startedAt', leg.startedAt),
    answered_at: answeredAt,
    ended_at: endedAt,
    duration_ms: answeredAt === null ? 0 : billableMs({ answeredAt, endedAt }),
    disposition: requireOneOf(WHAT, 'disposition', leg.disposition, DISPOSITIONS),
    hangup_by:
      leg.hangupBy === undefined ? null : requireOneOf(WHAT, 'hangupBy', leg.hangupBy, LEG_HANGUP_BY),
    sip_status: leg.sipStatus === undefined ? null : requireIntIn(WHAT, 'sipStatus', leg.sipStatus, 100, 699),
    reason: optionalString(WHAT, 'reason', leg.reason),
    ...toQualityColumns(leg.quality, WHAT),
  };
}

export function fromCdrLegRow(r: CdrLegTableRow): StoredCdrLeg {
  const quality = fromQualityColumns(r);
  return {
    id: Number(r.id),
    callId: r.call_id,
    legId: r.leg_id,
    party: r.party,
    direction: r.direction,
    // A role a later release added reads back as written; the type lists today's.
    ...(r.role !== null && { role: r.role as LegRole }),
    ...(r.trunk !== null && { trunk: r.trunk }),
    startedAt: Number(r.started_at),
    ...(r.answered_at !== null && { answeredAt: Number(r.answered_at) }),
    endedAt: Number(r.ended_at),
    durationMs: Number(r.duration_ms),
    disposition: r.disposition,
    ...(r.hangup_by !== null && { hangupBy: r.hangup_by }),
    ...(r.sip_status !== null && { sipStatus: Number(r.sip_status) }),
    ...(r.reason !== null && { reason: r.reason }),
    ...(quality !== undefined && { quality }),
  };
}

export interface CdrLegRepositoryOptions {
  readonly batch: Omit<BatcherOptions, 'closedError' | 'onBatchFailed'>;
  readonly logger?: Logger;
}

export interface CdrLegRepositoryHandle {
  readonly repository: CdrLegRepository;
  flushAndStop(): Promise<void>;
}

/** Several legs end with every call, so they share the CDRs' group commit. */
export function createCdrLegRepository(
  db: Kysely<Database>,
  lifecycle: StoreLifecycle,
  opts: CdrLegRepositoryOptions,
): CdrLegRepositoryHandle {
  const batcher = tableBatcher(db, 'cdr_legs', (n) => `${n} CDR leg(s)`, opts);
  const repository: CdrLegRepository = {
    async insert(leg) {
      lifecycle.assertOpen();
      await batcher.add(toCdrLegRow(leg));
    },
    list: (filter = {}) => listLegs(db, lifecycle, filter),
    async count() {
      lifecycle.assertOpen();
      return countRows(db, 'cdr_legs', 'counting CDR legs');
    },
  };
  return { repository, flushAndStop: () => batcher.close() };
}

async function listLegs(
  db: Kysely<Database>,
  lifecycle: StoreLifecycle,
  filter: CdrLegFilter,
): Promise<StoredCdrLeg[]> {
  lifecycle.assertOpen();
  const limit = requireIntIn(
    WHAT,
    'limit',
    filter.limit ?? DEFAULT_CDR_LEG_LIST_LIMIT,
    1,
    MAX_CDR_LEG_LIST_LIMIT,
  );
  let query = db.selectFrom('cdr_legs').selectAll();
  if (filter.callId !== undefined) query = query.where('call_id', '=', text('callId', filter.callId));
  if (filter.party !== undefined)
    query = query.where('party', '=', requireString(WHAT, 'party', filter.party));
  if (filter.from !== undefined)
    query = query.where('started_at', '>=', requireTime(WHAT, 'from', filter.from));
  if (filter.to !== undefined) query = query.where('started_at', '<', requireTime(WHAT, 'to', filter.to));
  const rows = await wrapQuery(
    'listing CDR legs',
    query.orderBy('started_at').orderBy('id').limit(limit).execute(),
  );
  return rows.map(fromCdrLegRow);
}
