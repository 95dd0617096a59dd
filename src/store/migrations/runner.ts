import { sql, type Kysely } from 'kysely';
import type { Logger } from '../../platform/log.js';
import { errorMessage, StoreError } from '../errors.js';
import type { Database } from '../schema.js';
import type { StoreKind } from '../types.js';
import { migrationLabel, type Migration } from './types.js';

export interface MigrationReport {
  /** Labels of the migrations this call applied, in order (empty when up to date). */
  readonly applied: readonly string[];
  /** The schema version after the run. */
  readonly version: number;
}

export interface MigrateOptions {
  /** Names the database in error messages (no password). */
  readonly target: string;
  readonly logger?: Logger;
  readonly now?: () => number;
}

/**
 * A fixed key for pg_advisory_xact_lock, so that several Hotline nodes starting together
 * against one PostgreSQL database migrate one after the other instead of racing.
 */
const PG_MIGRATION_LOCK_KEY = 7_244_613_452;

/**
 * Applies the pending migrations in version order, each in its own transaction together
 * with its row in schema_migrations, so a migration either fully happened and is recorded
 * or left no trace. Both dialects have transactional DDL (SQLite and PostgreSQL alike).
 */
export async function migrate(
  db: Kysely<Database>,
  kind: StoreKind,
  list: readonly Migration[],
  opts: MigrateOptions,
): Promise<MigrationReport> {
  checkOrder(list);
  // One pinned connection: BEGIN/COMMIT must run on the same session as the DDL.
  return db.connection().execute(async (conn) => {
    const known = await inLockedTransaction(conn, kind, opts, async () => {
      await ensureMigrationTable(conn);
      return appliedVersions(conn);
    });
    refuseNewerSchema(known, list, opts.target);
    const applied: string[] = [];
    for (const m of list) {
      if (known.has(m.version)) continue;
      if (await applyOne(conn, kind, m, opts)) applied.push(migrationLabel(m));
    }
    const version = Math.max(0, ...known, ...list.map((m) => m.version));
    return { applied, version };
  });
}

async function applyOne(
  conn: Kysely<Database>,
  kind: StoreKind,
  m: Migration,
  opts: MigrateOptions,
): Promise<boolean> {
  const label = migrationLabel(m);
  try {
    const ran = await inLockedTransaction(conn, kind, opts, async () => {
      // Re-read under the lock: another node may have applied it since we looked.
      if ((await appliedVersions(conn)).has(m.version)) return false;
      await m.up(conn as unknown as Kysely<unknown>, kind);
      await conn
        .insertInto('schema_migrations')
        .values({ version: m.version, name: m.name, applied_at: (opts.now ?? Date.now)() })
        .execute();
      return true;
    });
    if (ran) opts.logger?.info({ migration: label, target: opts.target }, 'applied database migration');
    return ran;
  } catch (err) {
    throw new StoreError(
      'STORE_MIGRATION_FAILED',
      `migration ${label} failed on ${opts.target} and was rolled back: ${errorMessage(err)}`,
      { migration: label, version: m.version, target: opts.target },
      err,
    );
  }
}

async function inLockedTransaction<T>(
  conn: Kysely<Database>,
  kind: StoreKind,
  opts: MigrateOptions,
  fn: () => Promise<T>,
): Promise<T> {
  // SQLite: IMMEDIATE takes the write lock up front, so a second process waits on
  // busy_timeout instead of failing on a read-to-write lock upgrade.
  await sql.raw(kind === 'sqlite' ? 'begin immediate' : 'begin').execute(conn);
  try {
    if (kind === 'postgres')
      await sql`select pg_advisory_xact_lock(${sql.lit(PG_MIGRATION_LOCK_KEY)})`.execute(conn);
    const result = await fn();
    await sql.raw('commit').execute(conn);
    return result;
  } catch (err) {
    await sql
      .raw('rollback')
      .execute(conn)
      .catch((rollbackErr: unknown) =>
        opts.logger?.error(
          { err: rollbackErr, target: opts.target },
          'rollback after a failed migration step failed',
        ),
      );
    throw err;
  }
}

async function ensureMigrationTable(conn: Kysely<Database>): Promise<void> {
  await conn.schema
    .createTable('schema_migrations')
    .ifNotExists()
    .addColumn('version', 'integer', (c) => c.primaryKey())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('applied_at', 'bigint', (c) => c.notNull())
    .execute();
}

async function appliedVersions(conn: Kysely<Database>): Promise<Set<number>> {
  const rows = await conn.selectFrom('schema_migrations').select('version').execute();
  return new Set(rows.map((r) => Number(r.version)));
}

function refuseNewerSchema(known: ReadonlySet<number>, list: readonly Migration[], target: string): void {
  const ours = new Set(list.map((m) => m.version));
  const unknown = [...known].filter((v) => !ours.has(v)).sort((a, b) => a - b);
  if (unknown.length === 0) return;
  throw new StoreError(
    'STORE_SCHEMA_TOO_NEW',
    `${target} has schema version(s) ${unknown.join(', ')} that this Hotline does not know; ` +
      'it was migrated by a newer release — upgrade Hotline instead of running an older one on it',
    { target, unknownVersions: unknown },
  );
}

function checkOrder(list: readonly Migration[]): void {
  list.forEach((m, i) => {
    const previous = i === 0 ? 0 : list[i - 1]!.version;
    if (!Number.isInteger(m.version) || m.version <= previous) {
      throw new StoreError(
        'STORE_MIGRATION_FAILED',
        `migration ${migrationLabel(m)} is out of order: versions must be increasing integers from 1`,
        { migration: migrationLabel(m) },
      );
    }
  });
}
