import { HotlineError } from '../platform/errors.js';

/**
 * The store's error catalogue (STYLE principle 9). Callers branch on `code`; the text is
 * for people. Keep this table in step with docs when codes are added.
 */
export const storeErrorCodes = {
  /** The `database` setting is neither `sqlite`, `sqlite:PATH` nor a postgres:// URL. */
  STORE_BAD_TARGET: 'the database setting cannot be understood',
  /** The SQLite file cannot be opened, or the PostgreSQL server cannot be reached or refuses us. */
  STORE_UNREACHABLE: 'the database cannot be opened or reached',
  /** A migration failed; it was rolled back and is named in the message. */
  STORE_MIGRATION_FAILED: 'a schema migration failed',
  /** The database was migrated by a newer Hotline than this one; refusing to run on it. */
  STORE_SCHEMA_TOO_NEW: 'the database schema is newer than this program',
  /** A record failed validation before reaching the database. */
  STORE_INVALID_RECORD: 'a record is invalid',
  /** A statement failed in the database (constraint, connection lost, …). */
  STORE_QUERY_FAILED: 'a database statement failed',
  /** The store was closed; no more reads or writes. */
  STORE_CLOSED: 'the store is closed',
} as const;

export type StoreErrorCode = keyof typeof storeErrorCodes;

export class StoreError extends HotlineError {
  declare readonly code: StoreErrorCode;

  constructor(
    code: StoreErrorCode,
    message: string,
    details?: Readonly<Record<string, unknown>>,
    cause?: unknown,
  ) {
    super(code, message, details);
    this.name = 'StoreError';
    if (cause !== undefined) this.cause = cause;
  }
}

export function isStoreError(err: unknown, code?: StoreErrorCode): err is StoreError {
  return err instanceof StoreError && (code === undefined || err.code === code);
}

/** A driver error's text; Node's AggregateError (IPv4 and IPv6 both refused) has none of its own. */
export function errorMessage(err: unknown): string {
  if (err instanceof AggregateError && err.message === '') {
    return err.errors.map(errorMessage).join('; ') || 'unknown error';
  }
  if (err instanceof Error) {
    const code = (err as { code?: unknown }).code;
    return err.message !== '' ? err.message : typeof code === 'string' ? code : err.name;
  }
  return String(err);
}

/** Wraps a driver error so callers see one coded error whatever the dialect. */
export function queryFailed(operation: string, err: unknown): StoreError {
  if (err instanceof StoreError) return err;
  return new StoreError(
    'STORE_QUERY_FAILED',
    `${operation} failed: ${errorMessage(err)}`,
    { operation },
    err,
  );
}

export function closedError(): StoreError {
  return new StoreError('STORE_CLOSED', 'the store is closed');
}

/** Awaits a statement and turns a driver failure into STORE_QUERY_FAILED naming the operation. */
export async function wrapQuery<T>(operation: string, statement: Promise<T>): Promise<T> {
  try {
    return await statement;
  } catch (err) {
    throw queryFailed(operation, err);
  }
}
