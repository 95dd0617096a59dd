import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { isStoreError, openStore } from './index.js';

describe('openStore', () => {
  let dataDir = '';
  before(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'hotline-open-'));
  });
  after(async () => {
    await rm(dataDir, { recursive: true, force: true });
  });

  it('reports an unreachable PostgreSQL as STORE_UNREACHABLE naming the target without its password', async () => {
    await assert.rejects(
      openStore({ database: 'postgres://hotline:hunter2@127.0.0.1:1/hotline', dataDir }),
      (err) => {
        assert.ok(isStoreError(err, 'STORE_UNREACHABLE'));
        assert.match(err.message, /postgres:\/\/hotline:\*\*\*@127\.0\.0\.1:1\/hotline/);
        assert.doesNotMatch(err.message, /hunter2/);
        return true;
      },
    );
  });

  it('reports a file that is not a database as STORE_UNREACHABLE naming the file', async () => {
    const path = join(dataDir, 'not-a-db.db');
    await writeFile(
      path,
      'this is not an SQLite file, just some text long enough to have a header '.repeat(20),
    );
    await assert.rejects(openStore({ database: `sqlite:${path}`, dataDir }), (err) => {
      assert.ok(isStoreError(err, 'STORE_UNREACHABLE'));
      assert.ok(err.message.includes(path));
      return true;
    });
  });

  it('refuses an unknown database kind with STORE_BAD_TARGET', async () => {
    await assert.rejects(openStore({ database: 'oracle', dataDir }), (err) =>
      isStoreError(err, 'STORE_BAD_TARGET'),
    );
  });

  it('opens SQLite in WAL mode with foreign keys on and synchronous NORMAL', async () => {
    const store = await openStore({ database: 'sqlite', dataDir });
    try {
      const { sql } = await import('kysely');
      const pragma = async (name: string) =>
        Object.values(
          (await sql.raw<Record<string, unknown>>(`pragma ${name}`).execute(store.db)).rows[0] ?? {},
        )[0];
      assert.equal(await pragma('journal_mode'), 'wal');
      assert.equal(await pragma('foreign_keys'), 1);
      assert.equal(await pragma('synchronous'), 1, '1 is NORMAL');
      assert.equal(await pragma('busy_timeout'), 5000);
    } finally {
      await store.close();
    }
  });
});
