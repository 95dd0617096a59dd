import { sql, type CreateTableBuilder, type Kysely, type RawBuilder } from 'kysely';
import type { StoreKind } from '../types.js';
import type { Migration } from './types.js';

/*
 * Recordings, and call quality plus call data on CDRs. As in 0001, every constraint is
 * spelled out here so that this migration keeps creating exactly these ones.
 *
 * JSON columns are checked in the database too (the repositories check them first): the
 * two dialects spell that differently, and CASE keeps a non-JSON value from reaching a
 * function that would raise instead of returning false.
 */

function isJsonOf(kind: StoreKind, column: string, type: 'array' | 'object'): RawBuilder<unknown> {
  const col = sql.ref(column);
  return kind === 'sqlite'
    ? sql`case when json_valid(${col}) then json_type(${col}) = ${sql.lit(type)} else 0 end`
    : sql`jsonb_typeof(${col}::jsonb) = ${sql.lit(type)}`;
}

function nonEmptyJsonArray(kind: StoreKind, column: string): RawBuilder<unknown> {
  const col = sql.ref(column);
  return kind === 'sqlite'
    ? sql`case when ${isJsonOf(kind, column, 'array')} then json_array_length(${col}) >= 1 else 0 end`
    : sql`case when ${isJsonOf(kind, column, 'array')} then jsonb_array_length(${col}::jsonb) >= 1 else false end`;
}

function isSha256Hex(kind: StoreKind): RawBuilder<unknown> {
  return kind === 'sqlite'
    ? sql`length(sha256) = 64 and sha256 not glob '*[^0-9a-f]*'`
    : sql`sha256 ~ '^[0-9a-f]{64}$'`;
}

function withRecordingId(
  table: CreateTableBuilder<'recordings'>,
  kind: StoreKind,
): CreateTableBuilder<'recordings', 'id'> {
  return kind === 'sqlite'
    ? table.addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
    : table.addColumn('id', 'bigserial', (c) => c.primaryKey());
}

async function createRecordings(db: Kysely<unknown>, kind: StoreKind): Promise<void> {
  await withRecordingId(db.schema.createTable('recordings'), kind)
    .addColumn('call_id', 'text', (c) => c.notNull())
    .addColumn('legs', 'text', (c) => c.notNull())
    .addColumn('started_at', 'bigint', (c) => c.notNull())
    .addColumn('ended_at', 'bigint', (c) => c.notNull())
    .addColumn('duration_ms', 'bigint', (c) => c.notNull())
    .addColumn('path', 'text', (c) => c.notNull())
    .addColumn('bytes', 'bigint', (c) => c.notNull())
    .addColumn('sha256', 'text', (c) => c.notNull())
    .addColumn('channels', 'integer', (c) => c.notNull())
    .addCheckConstraint('recordings_legs_check', nonEmptyJsonArray(kind, 'legs'))
    .addCheckConstraint('recordings_duration_check', sql`duration_ms >= 0`)
    .addCheckConstraint('recordings_bytes_check', sql`bytes >= 0`)
    .addCheckConstraint('recordings_path_check', sql`path <> ''`)
    .addCheckConstraint('recordings_sha256_check', isSha256Hex(kind))
    .addCheckConstraint('recordings_channels_check', sql`channels in (1, 2)`)
    .execute();
  await db.schema.createIndex('recordings_call_id_idx').on('recordings').column('call_id').execute();
  await db.schema.createIndex('recordings_started_at_idx').on('recordings').column('started_at').execute();
}

/**
 * One ALTER TABLE per column: SQLite adds a single column per statement. Column CHECKs
 * (not table constraints, which SQLite cannot add to an existing table) hold each value
 * in range; that mos, loss and jitter come together is the repository's rule.
 */
async function addCdrColumns(db: Kysely<unknown>, kind: StoreKind): Promise<void> {
  const columns: [string, RawBuilder<unknown>][] = [
    ['mos', sql`mos is null or (mos >= 1 and mos <= 5)`],
    ['loss_percent', sql`loss_percent is null or (loss_percent >= 0 and loss_percent <= 100)`],
    ['jitter_ms', sql`jitter_ms is null or jitter_ms >= 0`],
    ['rtt_ms', sql`rtt_ms is null or rtt_ms >= 0`],
  ];
  for (const [name, check] of columns) {
    // double precision, not real: PostgreSQL's real is float4 and would turn 4.1 into 4.0999999.
    await db.schema
      .alterTable('cdrs')
      .addColumn(name, 'double precision', (c) => c.check(check))
      .execute();
  }
  await db.schema
    .alterTable('cdrs')
    .addColumn('data', 'text', (c) => c.check(sql`data is null or ${isJsonOf(kind, 'data', 'object')}`))
    .execute();
}

export const media: Migration = {
  version: 2,
  name: 'media',
  async up(db, kind) {
    await createRecordings(db, kind);
    await addCdrColumns(db, kind);
  },
};
