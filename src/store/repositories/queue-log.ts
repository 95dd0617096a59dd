import type { Kysely } from 'kysely';
import type { Logger } from '../../platform/log.js';
import {
  MAX_QUEUE_LOG_DATA,
  QUEUE_LOG_EVENTS,
  type QueueLogEntry,
  type QueueLogFilter,
  type StoredQueueLogEntry,
} from '../../report/queue-log.js';
import type { BatcherOptions } from '../core/batcher.js';
import { countRows, tableBatcher } from '../core/table-ops.js';
import type { StoreLifecycle } from '../core/state.js';
import {
  invalid,
  requireIntIn,
  requireNonEmpty,
  requireOneOf,
  requireString,
  requireTime,
} from '../core/validate.js';
import { wrapQuery } from '../errors.js';
import type { Database, NewQueueLogTableRow, QueueLogTableRow } from '../schema.js';
import type { QueueLogRepository } from '../types.js';

const WHAT = 'queue log entry';
export const DEFAULT_QUEUE_LOG_LIST_LIMIT = 1_000;
export const MAX_QUEUE_LOG_LIST_LIMIT = 10_000;
/** Longer would be a caller's bug, not a queue event field. */
export const MAX_QUEUE_LOG_TEXT_LENGTH = 256;

function text(field: string, value: unknown, allowEmpty: boolean): string {
  const s = allowEmpty ? requireString(WHAT, field, value) : requireNonEmpty(WHAT, field, value);
  if (s.length > MAX_QUEUE_LOG_TEXT_LENGTH)
    throw invalid(WHAT, field, `must be at most ${MAX_QUEUE_LOG_TEXT_LENGTH} characters`);
  return s;
}

function requireData(value: unknown): string[] {
  if (!Array.isArray(value) || value.length > MAX_QUEUE_LOG_DATA) {
    throw invalid(WHAT, 'data', `must be a list of at most ${MAX_QUEUE_LOG_DATA} strings`);
  }
  const data = value.map((d, i) => text(`data[${i}]`, d, true));
  while (data.length < MAX_QUEUE_LOG_DATA) data.push('');
  return data;
}

export function toQueueLogRow(e: QueueLogEntry): NewQueueLogTableRow {
  const [data1, data2, data3, data4, data5] = requireData(e.data) as [string, string, string, string, string];
  return {
    time: requireTime(WHAT, 'time', e.time),
    call_id: text('callId', e.callId, false),
    queue: text('queue', e.queue, false),
    agent: text('agent', e.agent, false),
    event: requireOneOf(WHAT, 'event', e.event, QUEUE_LOG_EVENTS),
    data1,
    data2,
    data3,
    data4,
    data5,
  };
}

export function fromQueueLogRow(r: QueueLogTableRow): StoredQueueLogEntry {
  const data = [r.data1, r.data2, r.data3, r.data4, r.data5];
  // Trailing unused fields were stored as ''; an entry reads back with the fields it had.
  while (data.length > 0 && data.at(-1) === '') data.pop();
  return {
    id: Number(r.id),
    time: Number(r.time),
    callId: r.call_id,
    queue: r.queue,
    agent: r.agent,
    event: r.event as StoredQueueLogEntry['event'],
    data,
  };
}

export interface QueueLogRepositoryOptions {
  readonly batch: Omit<BatcherOptions, 'closedError' | 'onBatchFailed'>;
  readonly logger?: Logger;
}

export interface QueueLogRepositoryHandle {
  readonly repository: QueueLogRepository;
  flushAndStop(): Promise<void>;
}

/** Every queued call writes several entries, so they share the CDRs' group commit. */
export function createQueueLogRepository(
  db: Kysely<Database>,
  lifecycle: StoreLifecycle,
  opts: QueueLogRepositoryOptions,
): QueueLogRepositoryHandle {
  const batcher = tableBatcher(db, 'queue_log', (n) => `${n} queue log entr${n === 1 ? 'y' : 'ies'}`, opts);
  const repository: QueueLogRepository = {
    async append(entry) {
      lifecycle.assertOpen();
      await batcher.add(toQueueLogRow(entry));
    },
    list: (filter = {}) => listEntries(db, lifecycle, filter),
    async count() {
      lifecycle.assertOpen();
      return countRows(db, 'queue_log', 'counting queue log entries');
    },
  };
  return { repository, flushAndStop: () => batcher.close() };
}

async function listEntries(
  db: Kysely<Database>,
  lifecycle: StoreLifecycle,
  filter: QueueLogFilter,
): Promise<StoredQueueLogEntry[]> {
  lifecycle.assertOpen();
  const limit = requireIntIn(
    WHAT,
    'limit',
    filter.limit ?? DEFAULT_QUEUE_LOG_LIST_LIMIT,
    1,
    MAX_QUEUE_LOG_LIST_LIMIT,
  );
  let query = db.selectFrom('queue_log').selectAll();
  if (filter.queue !== undefined)
    query = query.where('queue', '=', requireNonEmpty(WHAT, 'queue', filter.queue));
  if (filter.agent !== undefined)
    query = query.where('agent', '=', requireNonEmpty(WHAT, 'agent', filter.agent));
  if (filter.from !== undefined) query = query.where('time', '>=', requireTime(WHAT, 'from', filter.from));
  if (filter.to !== undefined) query = query.where('time', '<', requireTime(WHAT, 'to', filter.to));
  const rows = await wrapQuery(
    'listing the queue log',
    query.orderBy('time').orderBy('id').limit(limit).execute(),
  );
  return rows.map(fromQueueLogRow);
}
