/**
 * The store contract on a real PostgreSQL server. Each run works in a schema of its own
 * (search_path set through the URL's libpq `options` parameter) and drops it afterwards,
 * so runs never collide. An unreachable server FAILS this suite: CI must not go green
 * without having talked to PostgreSQL.
 *
 * Server: $HOTLINE_TEST_POSTGRES_URL, else postgres://postgres@127.0.0.1:5432/test,
 * else the same as user root (trust authentication).
 */
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe } from 'node:test';
import pg from 'pg';
import { describeStoreContract } from '../../src/store/contract.js';
import { openStore, redactDatabaseTarget } from '../../src/store/index.js';

const CANDIDATE_URLS = process.env['HOTLINE_TEST_POSTGRES_URL']
  ? [process.env['HOTLINE_TEST_POSTGRES_URL']]
  : ['postgres://postgres@127.0.0.1:5432/test', 'postgres://root@127.0.0.1:5432/test'];

/** Returns the first URL that answers, or throws naming every URL tried and why it failed. */
async function findServer(): Promise<string> {
  const failures: string[] = [];
  for (const url of CANDIDATE_URLS) {
    const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 3_000 });
    try {
      await client.connect();
      await client.query('select 1');
      return url;
    } catch (err) {
      failures.push(
        `${redactDatabaseTarget(url)}: ${err instanceof Error ? err.message || String(err) : String(err)}`,
      );
    } finally {
      // Only cleanup: the connect error above is what gets reported.
      await client.end().catch(() => undefined);
    }
  }
  throw new Error(
    `PostgreSQL interop tests need a reachable server (set HOTLINE_TEST_POSTGRES_URL to override). Tried:\n  ${failures.join('\n  ')}`,
  );
}

async function admin<T>(url: string, fn: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

function withSearchPath(url: string, schema: string): string {
  const u = new URL(url);
  u.searchParams.set('options', `-c search_path=${schema}`);
  return u.toString();
}

describe('store on PostgreSQL', () => {
  // Lower-case letters, digits and underscores only: safe to splice into DDL unquoted.
  const schema = `hotline_test_${process.pid}_${randomBytes(4).toString('hex')}`;
  let serverUrl = '';
  let storeUrl = '';
  let dataDir = '';
  /** Extra schemas made for upgrade tests, each an empty database of its own. */
  const freshSchemas: string[] = [];

  before(async () => {
    serverUrl = await findServer();
    storeUrl = withSearchPath(serverUrl, schema);
    dataDir = await mkdtemp(join(tmpdir(), 'hotline-store-pg-'));
    await admin(serverUrl, (c) => c.query(`create schema ${schema}`));
  });

  after(async () => {
    if (serverUrl !== '') {
      await admin(serverUrl, async (c) => {
        for (const s of [schema, ...freshSchemas]) await c.query(`drop schema if exists ${s} cascade`);
      });
    }
    if (dataDir !== '') await rm(dataDir, { recursive: true, force: true });
  });

  describeStoreContract(
    'PostgreSQL',
    () => openStore({ database: storeUrl, dataDir }),
    async () => {
      const fresh = `${schema}_fresh${freshSchemas.length + 1}`;
      freshSchemas.push(fresh);
      await admin(serverUrl, (c) => c.query(`create schema ${fresh}`));
      return { database: withSearchPath(serverUrl, fresh), dataDir };
    },
  );
});
