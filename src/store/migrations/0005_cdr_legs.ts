import { sql, type Kysely } from 'kysely';
import type { StoreKind } from '../types.js';
import type { Migration } from './types.js';

/*
 * One row per call leg (report/cdr-leg.ts), beside the one row per call in `cdrs`. As in
 * 0001, value lists are spelled out, not imported, so this migration keeps creating exactly
 * these constraints. `role` is checked for presence only: a new role needs no migration
 * (the repository checks the list).
 */
async function createCdrLegs(db: Kysely<unknown>, kind: StoreKind): Promise<void> {
  const table = db.schema.createTable('cdr_legs');
  const withId =
    kind === 'sqlite'
      ? table.addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
      : table.addColumn('id', 'bigserial', (c) => c.primaryKey());
  await withId
    .addColumn('call_id', 'text', (c) => c.notNull())
    .addColumn('leg_id', 'text', (c) => c.notNull())
    .addColumn('party', 'text', (c) => c.notNull())
    .addColumn('direction', 'text', (c) => c.notNull())
    .addColumn('role', 'text')
    .addColumn('trunk', 'text')
    .addColumn('started_at', 'bigint', (c) => c.notNull())
    .addColumn('answered_at', 'bigint')
    .addColumn('ended_at', 'bigint', (c) => c.notNull())
    .addColumn('duration_ms', 'bigint', (c) => c.notNull())
    .addColumn('disposition', 'text', (c) => c.notNull())
    .addColumn('hangup_by', 'text')
    .addColumn('sip_status', 'integer')
    .addColumn('reason', 'text')
    // double precision, not real: PostgreSQL's real is float4 (see 0002_media).
    .addColumn('mos', 'double precision')
    .addColumn('loss_percent', 'double precision')
    .addColumn('jitter_ms', 'double precision')
    .addColumn('rtt_ms', 'double precision')
    .addCheckConstraint('cdr_legs_call_id_check', sql`call_id <> ''`)
    .addCheckConstraint('cdr_legs_leg_id_check', sql`leg_id <> ''`)
    .addCheckConstraint('cdr_legs_direction_check', sql`direction in ('inbound', 'outbound')`)
    .addCheckConstraint('cdr_legs_role_check', sql`role is null or role <> ''`)
    .addCheckConstraint(
      'cdr_legs_disposition_check',
      sql`disposition in ('answered', 'busy', 'no-answer', 'cancelled', 'failed')`,
    )
    .addCheckConstraint(
      'cdr_legs_hangup_by_check',
      sql`hangup_by is null or hangup_by in ('local', 'remote', 'system')`,
    )
    .addCheckConstraint('cdr_legs_duration_check', sql`duration_ms >= 0`)
    .addCheckConstraint('cdr_legs_mos_check', sql`mos is null or (mos >= 1 and mos <= 5)`)
    .addCheckConstraint(
      'cdr_legs_loss_check',
      sql`loss_percent is null or (loss_percent >= 0 and loss_percent <= 100)`,
    )
    .addCheckConstraint('cdr_legs_jitter_check', sql`jitter_ms is null or jitter_ms >= 0`)
    .addCheckConstraint('cdr_legs_rtt_check', sql`rtt_ms is null or rtt_ms >= 0`)
    .execute();
  await db.schema.createIndex('cdr_legs_call_id_idx').on('cdr_legs').column('call_id').execute();
  await db.schema.createIndex('cdr_legs_started_at_idx').on('cdr_legs').column('started_at').execute();
  // Per-agent (per-party) reports over a time range.
  await db.schema
    .createIndex('cdr_legs_party_started_at_idx')
    .on('cdr_legs')
    .columns(['party', 'started_at'])
    .execute();
}

export const cdrLegsMigration: Migration = {
  version: 5,
  name: 'cdr_legs',
  up: createCdrLegs,
};
