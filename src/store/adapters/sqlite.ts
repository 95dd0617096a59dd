import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { Kysely, SqliteDialect } from 'kysely';
import { errorMessage, StoreError } from '../errors.js';
import type { Database } from '../schema.js';

/** How long a writer waits for another process's lock before SQLITE_BUSY. */
export const SQLITE_BUSY_TIMEOUT_MS = 5_000;

/**
 * Opens (creating if needed) the SQLite file. Pragmas:
 * - WAL: readers never block the writer, and a commit is one sequential append.
 * - synchronous=NORMAL: in WAL mode a commit survives a process crash; only an OS
 *   crash or power cut can lose the last commits — the usual WAL trade for speed.
 * - busy_timeout: a second process (hotline CLI) waits instead of failing at once.
 * - foreign_keys: off by default in SQLite, on in every other database.
 */
export function openSqlite(path: string, label: string): Kysely<Database> {
  let database: BetterSqlite3.Database | undefined;
  try {
    if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
    database = new BetterSqlite3(path);
    database.pragma('journal_mode = WAL');
    database.pragma(`busy_timeout = ${SQLITE_BUSY_TIMEOUT_MS}`);
    database.pragma('foreign_keys = ON');
    database.pragma('synchronous = NORMAL');
  } catch (err) {
    database?.close();
    throw new StoreError(
      'STORE_UNREACHABLE',
      `cannot open SQLite database ${label}: ${errorMessage(err)}`,
      { target: label },
      err,
    );
  }
  return new Kysely<Database>({ dialect: new SqliteDialect({ database }) });
}
