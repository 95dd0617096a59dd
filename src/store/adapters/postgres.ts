import { Kysely, PostgresDialect } from 'kysely';
import pg from 'pg';
import type { Logger } from '../../platform/log.js';
import { errorMessage, StoreError } from '../errors.js';
import type { Database } from '../schema.js';

const INT8_OID = 20;
export const PG_POOL_SIZE = 10;
export const PG_CONNECT_TIMEOUT_MS = 5_000;

/**
 * pg returns int8 (bigint, bigserial, count(*)) as strings to avoid precision loss. Our
 * int8 values are ms timestamps, durations, row ids and counts, all far below 2**53, so
 * they are parsed to numbers — per pool, not through pg's process-wide type registry,
 * so other pg users in the process are unaffected.
 */
const types: pg.CustomTypesConfig = {
  getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
    oid === INT8_OID && format !== 'binary'
      ? (value: string) => Number(value)
      : pg.types.getTypeParser(oid, format)) as pg.CustomTypesConfig['getTypeParser'],
};

/** Opens a pool and proves it can reach the server, so a bad target fails at boot. */
export async function openPostgres(url: string, label: string, logger?: Logger): Promise<Kysely<Database>> {
  const pool = new pg.Pool({
    connectionString: url,
    max: PG_POOL_SIZE,
    connectionTimeoutMillis: PG_CONNECT_TIMEOUT_MS,
    types,
  });
  // An idle client losing its server emits 'error' on the pool; unheard, it would crash the process.
  pool.on('error', (err) => logger?.error({ err, target: label }, 'idle PostgreSQL connection failed'));
  try {
    await pool.query('select 1');
  } catch (err) {
    await pool
      .end()
      .catch((endErr: unknown) => logger?.warn({ err: endErr }, 'closing the failed pool failed'));
    throw new StoreError(
      'STORE_UNREACHABLE',
      `cannot reach PostgreSQL at ${label}: ${errorMessage(err)}`,
      { target: label },
      err,
    );
  }
  return new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
}
