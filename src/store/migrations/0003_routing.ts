import { sql, type CreateTableBuilder, type Kysely, type RawBuilder } from 'kysely';
import type { StoreKind } from '../types.js';
import type { Migration } from './types.js';

/*
 * Voicemail messages, the IVR step log and the extension features set from phones. As in
 * 0001 and 0002, every constraint is spelled out here so that this migration keeps creating
 * exactly these ones.
 *
 * Booleans: PostgreSQL has a boolean type; SQLite stores 0 and 1 in a column declared
 * `boolean` (numeric affinity), so there a CHECK keeps anything else out.
 */

function withId<T extends string>(
  table: CreateTableBuilder<T>,
  kind: StoreKind,
): CreateTableBuilder<T, 'id'> {
  return kind === 'sqlite'
    ? table.addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
    : table.addColumn('id', 'bigserial', (c) => c.primaryKey());
}

const FALSE: Record<StoreKind, RawBuilder<unknown>> = { sqlite: sql`0`, postgres: sql`false` };

/** A boolean column's CHECK: only 0 and 1 in SQLite; PostgreSQL's type already says so. */
function isBool(kind: StoreKind, column: string): RawBuilder<unknown> {
  return kind === 'sqlite' ? sql`${sql.ref(column)} in (0, 1)` : sql`true`;
}

function isSha256Hex(kind: StoreKind): RawBuilder<unknown> {
  return kind === 'sqlite'
    ? sql`length(sha256) = 64 and sha256 not glob '*[^0-9a-f]*'`
    : sql`sha256 ~ '^[0-9a-f]{64}$'`;
}

async function createVoicemailMessages(db: Kysely<unknown>, kind: StoreKind): Promise<void> {
  await withId(db.schema.createTable('voicemail_messages'), kind)
    .addColumn('mailbox', 'text', (c) => c.notNull())
    .addColumn('call_id', 'text', (c) => c.notNull())
    .addColumn('caller', 'text', (c) => c.notNull())
    .addColumn('caller_name', 'text')
    .addColumn('received_at', 'bigint', (c) => c.notNull())
    .addColumn('duration_ms', 'bigint', (c) => c.notNull())
    .addColumn('path', 'text', (c) => c.notNull())
    .addColumn('bytes', 'bigint', (c) => c.notNull())
    .addColumn('sha256', 'text', (c) => c.notNull())
    .addColumn('heard', 'boolean', (c) => c.notNull().defaultTo(FALSE[kind]))
    .addColumn('deleted_at', 'bigint')
    .addCheckConstraint('voicemail_messages_mailbox_check', sql`mailbox <> ''`)
    .addCheckConstraint('voicemail_messages_call_id_check', sql`call_id <> ''`)
    .addCheckConstraint('voicemail_messages_received_at_check', sql`received_at >= 0`)
    .addCheckConstraint('voicemail_messages_duration_check', sql`duration_ms >= 0`)
    .addCheckConstraint('voicemail_messages_path_check', sql`path <> ''`)
    .addCheckConstraint('voicemail_messages_bytes_check', sql`bytes >= 0`)
    .addCheckConstraint('voicemail_messages_sha256_check', isSha256Hex(kind))
    .addCheckConstraint('voicemail_messages_heard_check', isBool(kind, 'heard'))
    .addCheckConstraint('voicemail_messages_deleted_at_check', sql`deleted_at is null or deleted_at >= 0`)
    .execute();
  // A mailbox's messages in the order they are played, and its counts for MWI.
  await db.schema
    .createIndex('voicemail_messages_mailbox_idx')
    .on('voicemail_messages')
    .columns(['mailbox', 'received_at'])
    .execute();
}

async function createIvrSteps(db: Kysely<unknown>, kind: StoreKind): Promise<void> {
  await withId(db.schema.createTable('ivr_steps'), kind)
    .addColumn('call_id', 'text', (c) => c.notNull())
    .addColumn('flow_id', 'text', (c) => c.notNull())
    .addColumn('flow_version', 'integer', (c) => c.notNull())
    .addColumn('node_id', 'text', (c) => c.notNull())
    .addColumn('node_type', 'text', (c) => c.notNull())
    .addColumn('entered_at', 'bigint', (c) => c.notNull())
    .addColumn('exit', 'text')
    .addColumn('digits', 'text')
    .addColumn('duration_ms', 'bigint', (c) => c.notNull())
    .addCheckConstraint('ivr_steps_call_id_check', sql`call_id <> ''`)
    .addCheckConstraint('ivr_steps_flow_id_check', sql`flow_id <> ''`)
    .addCheckConstraint('ivr_steps_flow_version_check', sql`flow_version >= 0`)
    .addCheckConstraint('ivr_steps_node_id_check', sql`node_id <> ''`)
    .addCheckConstraint('ivr_steps_node_type_check', sql`node_type <> ''`)
    .addCheckConstraint('ivr_steps_entered_at_check', sql`entered_at >= 0`)
    .addCheckConstraint('ivr_steps_duration_check', sql`duration_ms >= 0`)
    .execute();
  await db.schema.createIndex('ivr_steps_call_id_idx').on('ivr_steps').column('call_id').execute();
  // Funnel reports: visits and exits of each node of one version of a flow.
  await db.schema
    .createIndex('ivr_steps_flow_node_idx')
    .on('ivr_steps')
    .columns(['flow_id', 'flow_version', 'node_id'])
    .execute();
}

async function createExtensionFeatures(db: Kysely<unknown>, kind: StoreKind): Promise<void> {
  const target = (column: string) => sql`${sql.ref(column)} is null or ${sql.ref(column)} <> ''`;
  await db.schema
    .createTable('extension_features')
    .addColumn('number', 'text', (c) => c.primaryKey())
    .addColumn('dnd', 'boolean', (c) => c.notNull().defaultTo(FALSE[kind]))
    .addColumn('forward_always', 'text')
    .addColumn('forward_busy', 'text')
    .addColumn('forward_no_answer', 'text')
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .addCheckConstraint('extension_features_number_check', sql`number <> ''`)
    .addCheckConstraint('extension_features_dnd_check', isBool(kind, 'dnd'))
    .addCheckConstraint('extension_features_forward_always_check', target('forward_always'))
    .addCheckConstraint('extension_features_forward_busy_check', target('forward_busy'))
    .addCheckConstraint('extension_features_forward_no_answer_check', target('forward_no_answer'))
    .execute();
}

export const routing: Migration = {
  version: 3,
  name: 'routing',
  async up(db, kind) {
    await createVoicemailMessages(db, kind);
    await createIvrSteps(db, kind);
    await createExtensionFeatures(db, kind);
  },
};
