import { sql, type Kysely } from 'kysely';
import type { StoreKind } from '../types.js';
import type { Migration } from './types.js';

/*
 * The queue event log (report/queue-log.ts), column for column the shape Asterisk's
 * queue_log table has, so queue-report tools written for it can read this one: time in
 * ms since the epoch here, data1..data5 as text ('' when the event has fewer fields).
 */
async function createQueueLog(db: Kysely<unknown>, kind: StoreKind): Promise<void> {
  const table = db.schema.createTable('queue_log');
  const withId =
    kind === 'sqlite'
      ? table.addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
      : table.addColumn('id', 'bigserial', (c) => c.primaryKey());
  let builder = withId
    .addColumn('time', 'bigint', (c) => c.notNull())
    .addColumn('call_id', 'text', (c) => c.notNull())
    .addColumn('queue', 'text', (c) => c.notNull())
    .addColumn('agent', 'text', (c) => c.notNull())
    .addColumn('event', 'text', (c) => c.notNull());
  for (const n of [1, 2, 3, 4, 5]) {
    builder = builder.addColumn(`data${n}`, 'text', (c) => c.notNull().defaultTo(''));
  }
  await builder
    .addCheckConstraint('queue_log_time_check', sql`time >= 0`)
    .addCheckConstraint('queue_log_call_id_check', sql`call_id <> ''`)
    .addCheckConstraint('queue_log_queue_check', sql`queue <> ''`)
    .addCheckConstraint('queue_log_agent_check', sql`agent <> ''`)
    .addCheckConstraint('queue_log_event_check', sql`event <> ''`)
    .execute();
  // Per-queue and per-agent reports over a time range.
  await db.schema
    .createIndex('queue_log_queue_time_idx')
    .on('queue_log')
    .columns(['queue', 'time'])
    .execute();
  await db.schema
    .createIndex('queue_log_agent_time_idx')
    .on('queue_log')
    .columns(['agent', 'time'])
    .execute();
}

export const queueLogMigration: Migration = {
  version: 4,
  name: 'queue_log',
  up: createQueueLog,
};
