import { sql, type CreateTableBuilder, type Kysely } from 'kysely';
import type { StoreKind } from '../types.js';
import type { Migration } from './types.js';

/*
 * The value lists are spelled out here rather than imported: this migration must keep
 * creating exactly these constraints even after the code's lists grow.
 */

async function createRegistrations(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('registrations')
    .addColumn('aor', 'text', (c) => c.notNull())
    .addColumn('contact_uri', 'text', (c) => c.notNull())
    .addColumn('expires_at', 'bigint', (c) => c.notNull())
    .addColumn('call_id', 'text', (c) => c.notNull())
    .addColumn('cseq', 'integer', (c) => c.notNull())
    // double precision, not real: PostgreSQL's real is float4 and would turn 0.7 into 0.699999988.
    .addColumn('q', 'double precision')
    .addColumn('source_transport', 'text', (c) => c.notNull())
    .addColumn('source_address', 'text', (c) => c.notNull())
    .addColumn('source_port', 'integer', (c) => c.notNull())
    .addColumn('source_connection_id', 'text')
    .addColumn('user_agent', 'text')
    .addColumn('instance_id', 'text')
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('registrations_pk', ['aor', 'contact_uri'])
    .addCheckConstraint(
      'registrations_source_transport_check',
      sql`source_transport in ('UDP', 'TCP', 'TLS', 'WS', 'WSS')`,
    )
    .addCheckConstraint('registrations_q_check', sql`q is null or (q >= 0 and q <= 1)`)
    .execute();
  // removeExpired scans by expiry on every registrar sweep.
  await db.schema
    .createIndex('registrations_expires_at_idx')
    .on('registrations')
    .column('expires_at')
    .execute();
}

/** SQLite needs `integer primary key autoincrement` (ids never reused); PostgreSQL has bigserial. */
function withCdrId(table: CreateTableBuilder<'cdrs'>, kind: StoreKind): CreateTableBuilder<'cdrs', 'id'> {
  return kind === 'sqlite'
    ? table.addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
    : table.addColumn('id', 'bigserial', (c) => c.primaryKey());
}

async function createCdrs(db: Kysely<unknown>, kind: StoreKind): Promise<void> {
  await withCdrId(db.schema.createTable('cdrs'), kind)
    .addColumn('call_id', 'text', (c) => c.notNull())
    .addColumn('caller', 'text', (c) => c.notNull())
    .addColumn('callee', 'text', (c) => c.notNull())
    .addColumn('started_at', 'bigint', (c) => c.notNull())
    .addColumn('answered_at', 'bigint')
    .addColumn('ended_at', 'bigint', (c) => c.notNull())
    .addColumn('duration_ms', 'bigint', (c) => c.notNull())
    .addColumn('disposition', 'text', (c) => c.notNull())
    .addColumn('hangup_by', 'text')
    .addColumn('sip_cause', 'integer')
    .addColumn('reason', 'text')
    .addCheckConstraint(
      'cdrs_disposition_check',
      sql`disposition in ('answered', 'busy', 'no-answer', 'cancelled', 'failed')`,
    )
    .addCheckConstraint(
      'cdrs_hangup_by_check',
      sql`hangup_by is null or hangup_by in ('caller', 'callee', 'system')`,
    )
    .addCheckConstraint('cdrs_duration_check', sql`duration_ms >= 0`)
    .execute();
  await db.schema.createIndex('cdrs_call_id_idx').on('cdrs').column('call_id').execute();
  await db.schema.createIndex('cdrs_started_at_idx').on('cdrs').column('started_at').execute();
}

export const initial: Migration = {
  version: 1,
  name: 'initial',
  async up(db, kind) {
    await createRegistrations(db);
    await createCdrs(db, kind);
  },
};
