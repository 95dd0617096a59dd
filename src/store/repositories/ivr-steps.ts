import type { Kysely } from 'kysely';
import type { Logger } from '../../platform/log.js';
import type { BatcherOptions } from '../core/batcher.js';
import { countRows, tableBatcher } from '../core/table-ops.js';
import type { StoreLifecycle } from '../core/state.js';
import { invalid, requireIntIn, requireNonEmpty, requireString, requireTime } from '../core/validate.js';
import { wrapQuery } from '../errors.js';
import type { Database, IvrStepTableRow, NewIvrStepTableRow } from '../schema.js';
import type { IvrFunnelFilter, IvrStepRecord, IvrStepRepository, StoredIvrStep } from '../types.js';

const WHAT = 'IVR step';
/** Longer would be a caller's bug (a whole document in an exit name), not a real step. */
export const MAX_IVR_TEXT_LENGTH = 256;

function requireText(field: string, value: unknown): string {
  const s = requireNonEmpty(WHAT, field, value);
  if (s.length > MAX_IVR_TEXT_LENGTH)
    throw invalid(WHAT, field, `must be at most ${MAX_IVR_TEXT_LENGTH} characters`);
  return s;
}

/** null or undefined is "none"; an empty string is kept (a node may exit with no digits). */
function optionalText(field: string, value: unknown): string | null {
  if (value === null || value === undefined) return null;
  const s = requireString(WHAT, field, value);
  if (s.length > MAX_IVR_TEXT_LENGTH)
    throw invalid(WHAT, field, `must be at most ${MAX_IVR_TEXT_LENGTH} characters`);
  return s;
}

export function toIvrStepRow(step: IvrStepRecord): NewIvrStepTableRow {
  return {
    call_id: requireText('callId', step.callId),
    flow_id: requireText('flowId', step.flowId),
    // integer, not bigint: 2^31 − 1 versions are more than any flow will have.
    flow_version: requireIntIn(WHAT, 'flowVersion', step.flowVersion, 0, 2_147_483_647),
    node_id: requireText('nodeId', step.nodeId),
    node_type: requireText('nodeType', step.nodeType),
    entered_at: requireTime(WHAT, 'enteredAt', step.enteredAt),
    exit: optionalText('exit', step.exit),
    digits: optionalText('digits', step.digits),
    duration_ms: requireTime(WHAT, 'durationMs', step.durationMs),
  };
}

export function fromIvrStepRow(r: IvrStepTableRow): StoredIvrStep {
  return {
    id: Number(r.id),
    callId: r.call_id,
    flowId: r.flow_id,
    flowVersion: Number(r.flow_version),
    nodeId: r.node_id,
    nodeType: r.node_type,
    enteredAt: Number(r.entered_at),
    exit: r.exit,
    digits: r.digits,
    durationMs: Number(r.duration_ms),
  };
}

export interface IvrStepRepositoryOptions {
  readonly batch: Omit<BatcherOptions, 'closedError' | 'onBatchFailed'>;
  readonly logger?: Logger;
}

/** The repository plus the hook the store calls on close to write the steps still queued. */
export interface IvrStepRepositoryHandle {
  readonly repository: IvrStepRepository;
  flushAndStop(): Promise<void>;
}

/**
 * Every node a caller passes writes a step, so steps go through the same group commit as
 * CDRs (core/batcher.ts): many calls in their IVR at once cost a few multi-row INSERTs.
 */
export function createIvrStepRepository(
  db: Kysely<Database>,
  lifecycle: StoreLifecycle,
  opts: IvrStepRepositoryOptions,
): IvrStepRepositoryHandle {
  const batcher = tableBatcher(db, 'ivr_steps', (n) => `${n} IVR step(s)`, opts);
  const repository: IvrStepRepository = {
    async write(step) {
      lifecycle.assertOpen();
      await batcher.add(toIvrStepRow(step));
    },
    async listByCall(callId) {
      lifecycle.assertOpen();
      requireNonEmpty(WHAT, 'callId', callId);
      const rows = await wrapQuery(
        `listing the IVR steps of call ${callId}`,
        db
          .selectFrom('ivr_steps')
          .selectAll()
          .where('call_id', '=', callId)
          .orderBy('entered_at')
          .orderBy('id')
          .execute(),
      );
      return rows.map(fromIvrStepRow);
    },
    funnel: (flowId, flowVersion, filter = {}) => funnel(db, lifecycle, flowId, flowVersion, filter),
    async count() {
      lifecycle.assertOpen();
      return countRows(db, 'ivr_steps', 'counting IVR steps');
    },
  };
  return { repository, flushAndStop: () => batcher.close() };
}

async function funnel(
  db: Kysely<Database>,
  lifecycle: StoreLifecycle,
  flowId: string,
  flowVersion: number,
  filter: IvrFunnelFilter,
) {
  lifecycle.assertOpen();
  requireNonEmpty(WHAT, 'flowId', flowId);
  requireIntIn(WHAT, 'flowVersion', flowVersion, 0, 2_147_483_647);
  let query = db
    .selectFrom('ivr_steps')
    .select((eb) => ['node_id', 'node_type', 'exit', eb.fn.countAll<number>().as('visits')])
    .where('flow_id', '=', flowId)
    .where('flow_version', '=', flowVersion);
  if (filter.from !== undefined)
    query = query.where('entered_at', '>=', requireTime(WHAT, 'from', filter.from));
  if (filter.to !== undefined) query = query.where('entered_at', '<', requireTime(WHAT, 'to', filter.to));
  const rows = await wrapQuery(
    `counting the visits of flow ${flowId} version ${flowVersion}`,
    query
      .groupBy(['node_id', 'node_type', 'exit'])
      .orderBy('node_id')
      .orderBy('node_type')
      // NULL sorts first in SQLite and last in PostgreSQL: put the no-exit rows last in both.
      .orderBy((eb) => eb('exit', 'is', null))
      .orderBy('exit')
      .execute(),
  );
  return rows.map((r) => ({
    nodeId: r.node_id,
    nodeType: r.node_type,
    exit: r.exit,
    visits: Number(r.visits),
  }));
}
