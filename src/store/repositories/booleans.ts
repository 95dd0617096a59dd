import type { SqlBool } from 'kysely';
import type { StoreKind } from '../types.js';

/*
 * Booleans differ by dialect: PostgreSQL has the type, SQLite keeps 0 and 1 (and
 * better-sqlite3 refuses to bind a JS boolean at all). Repositories write through sqlBool()
 * and read through fromSqlBool(), so the rest of the code only ever sees true and false.
 */

export function sqlBool(kind: StoreKind, value: boolean): SqlBool {
  return kind === 'sqlite' ? (value ? 1 : 0) : value;
}

export function fromSqlBool(value: SqlBool): boolean {
  return value === true || value === 1;
}
