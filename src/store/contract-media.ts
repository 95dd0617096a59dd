/**
 * The contract for what 0002_media added: call quality and call data on CDRs, the
 * recordings repository, and the upgrade of a database created by 0001. Part of
 * describeStoreContract (contract.ts); run on SQLite and PostgreSQL alike.
 */
import assert from 'node:assert/strict';
import { it } from 'node:test';
import { sql } from 'kysely';
import type { CdrRecord } from '../report/cdr.js';
import type { RecordingRow } from '../report/recording.js';
import { openPostgres } from './adapters/postgres.js';
import { openSqlite } from './adapters/sqlite.js';
import { parseTarget } from './core/target.js';
import { isStoreError } from './errors.js';
import { migrate, migrations } from './migrations/index.js';
import { openStore } from './open.js';
import { MAX_CDR_DATA_LENGTH } from './repositories/cdr-media.js';
import type { OpenStoreOptions, Store } from './types.js';

const T0 = 1_700_000_000_000;
const SHA = 'c0ffee'.padEnd(64, '0');

export function sampleRecording(callId: string, over: Partial<RecordingRow> = {}): RecordingRow {
  return {
    callId,
    legs: ['1001', '1002'],
    startedAt: T0 + 4_250,
    endedAt: T0 + 64_250,
    durationMs: 59_980,
    path: `/var/lib/hotline/recordings/2023/11/14/${callId}.wav`,
    bytes: 1_919_404,
    sha256: SHA,
    channels: 2,
    ...over,
  };
}

function qualityCdr(callId: string, over: Partial<CdrRecord> = {}): CdrRecord {
  return {
    callId,
    caller: '13800138000',
    callee: '1001',
    startedAt: T0,
    answeredAt: T0 + 1_000,
    endedAt: T0 + 31_000,
    disposition: 'answered',
    quality: { mos: 4.13, lossPercent: 0.25, jitterMs: 3.5, rttMs: 41.2 },
    data: { orderId: 'A-2023-0042', vip: true, ivrChoice: 2, 客户: '张三' },
    ...over,
  };
}

/** Asserts `promise` rejects with STORE_INVALID_RECORD naming `field`. */
async function rejectsField(promise: Promise<unknown>, field: string): Promise<void> {
  await assert.rejects(promise, (err) => {
    assert.ok(isStoreError(err, 'STORE_INVALID_RECORD'), `expected STORE_INVALID_RECORD, got ${String(err)}`);
    assert.equal(err.details?.['field'], field);
    assert.ok(err.message.includes(field), `the message names ${field}: ${err.message}`);
    return true;
  });
}

export function describeCdrMedia(get: () => Store): void {
  it('round-trips a CDR with call quality and call data', async () => {
    const cdr = qualityCdr('quality-full');
    await get().cdrs.insert(cdr);
    const [stored] = await get().cdrs.list({ callId: cdr.callId });
    assert.ok(stored);
    const { id: _id, durationMs: _d, ...rest } = stored;
    assert.deepEqual(rest, cdr);
  });

  it('keeps a quality without RTCP round-trip time as rttMs null', async () => {
    const cdr = qualityCdr('quality-no-rtt', {
      quality: { mos: 1, lossPercent: 100, jitterMs: 0, rttMs: null },
      data: {},
    });
    await get().cdrs.insert(cdr);
    const [stored] = await get().cdrs.list({ callId: cdr.callId });
    assert.deepEqual(stored?.quality, cdr.quality);
    assert.deepEqual(stored?.data, {});
  });

  const badCdrs: [string, Partial<CdrRecord>, string][] = [
    ['a MOS above 5', { quality: { mos: 5.5, lossPercent: 0, jitterMs: 0, rttMs: null } }, 'quality.mos'],
    [
      'a NaN loss',
      { quality: { mos: 4, lossPercent: NaN, jitterMs: 0, rttMs: null } },
      'quality.lossPercent',
    ],
    [
      'a quality missing its jitter',
      { quality: { mos: 4, lossPercent: 0, rttMs: null } as unknown as CdrRecord['quality'] },
      'quality.jitterMs',
    ],
    ['a negative RTT', { quality: { mos: 4, lossPercent: 0, jitterMs: 1, rttMs: -1 } }, 'quality.rttMs'],
    [
      'a nested data value',
      { data: { customer: { id: 1 } } as unknown as CdrRecord['data'] },
      'data.customer',
    ],
    ['data that is a list', { data: ['a'] as unknown as CdrRecord['data'] }, 'data'],
    ['data too long', { data: { note: 'x'.repeat(MAX_CDR_DATA_LENGTH) } }, 'data'],
  ];
  for (const [what, over, field] of badCdrs) {
    it(`rejects a CDR with ${what}, naming ${field}, and stores nothing`, async () => {
      const before = await get().cdrs.count();
      await rejectsField(get().cdrs.insert(qualityCdr('bad-quality', over)), field);
      assert.equal(await get().cdrs.count(), before);
    });
  }

  it('the CHECK constraints refuse out-of-range quality and non-object data written around the repository', async () => {
    const store = get();
    const row = {
      call_id: 'raw-quality',
      caller: '1',
      callee: '2',
      started_at: T0,
      ended_at: T0,
      duration_ms: 0,
      disposition: 'answered' as const,
    };
    await assert.rejects(
      store.db
        .insertInto('cdrs')
        .values({ ...row, mos: 7 })
        .execute(),
    );
    await assert.rejects(
      store.db
        .insertInto('cdrs')
        .values({ ...row, loss_percent: -1 })
        .execute(),
    );
    await assert.rejects(
      store.db
        .insertInto('cdrs')
        .values({ ...row, data: '[1]' })
        .execute(),
    );
    await assert.rejects(
      store.db
        .insertInto('cdrs')
        .values({ ...row, data: 'not json' })
        .execute(),
    );
    await store.db
      .insertInto('cdrs')
      .values({ ...row, mos: 4.5, data: '{"a":1}' })
      .execute();
    assert.equal((await store.cdrs.list({ callId: 'raw-quality' })).length, 1, 'the valid row alone landed');
  });
}

export function describeRecordings(get: () => Store): void {
  it('inserts a recording, returns its id, and reads it back by id and by call', async () => {
    const rec = sampleRecording('rec-full');
    const id = await get().recordings.insert(rec);
    assert.ok(Number.isInteger(id) && id > 0);
    assert.deepEqual(await get().recordings.get(id), { ...rec, id });
    assert.deepEqual(await get().recordings.listByCall('rec-full'), [{ ...rec, id }]);
  });

  it('lists a call’s recordings oldest first and ignores other calls', async () => {
    const repo = get().recordings;
    const later = await repo.insert(sampleRecording('rec-two', { startedAt: T0 + 9_000, channels: 1 }));
    const earlier = await repo.insert(sampleRecording('rec-two', { startedAt: T0, legs: ['1001'] }));
    await repo.insert(sampleRecording('rec-other'));
    const listed = await repo.listByCall('rec-two');
    assert.deepEqual(
      listed.map((r) => r.id),
      [earlier, later],
    );
    assert.deepEqual(listed[0]?.legs, ['1001']);
    assert.equal(listed[1]?.channels, 1);
    assert.deepEqual(await repo.listByCall('no-such-call'), []);
    assert.equal(await repo.get(Number.MAX_SAFE_INTEGER), undefined);
  });

  it('stores a SHA-256 given in capitals as lower-case hex', async () => {
    const id = await get().recordings.insert(sampleRecording('rec-upper', { sha256: SHA.toUpperCase() }));
    assert.equal((await get().recordings.get(id))?.sha256, SHA);
  });

  const bad: [string, Partial<RecordingRow>, string][] = [
    ['a SHA-256 of 63 digits', { sha256: SHA.slice(1) }, 'sha256'],
    ['a SHA-256 with a non-hex digit', { sha256: `g${SHA.slice(1)}` }, 'sha256'],
    ['three channels', { channels: 3 as 1 }, 'channels'],
    ['no legs', { legs: [] }, 'legs'],
    ['an empty leg id', { legs: ['1001', ''] }, 'legs[1]'],
    ['an empty path', { path: '' }, 'path'],
    ['a negative size', { bytes: -1 }, 'bytes'],
    ['a fractional duration', { durationMs: 1.5 }, 'durationMs'],
    ['an empty call id', { callId: '' }, 'callId'],
  ];
  for (const [what, over, field] of bad) {
    it(`rejects a recording with ${what}, naming ${field}, and keeps what was stored`, async () => {
      const repo = get().recordings;
      const before = await repo.count();
      await rejectsField(repo.insert(sampleRecording('rec-bad', over)), field);
      assert.equal(await repo.count(), before);
    });
  }

  it('rejects a lookup by an id that cannot exist', async () => {
    await rejectsField(get().recordings.get(0), 'id');
  });

  it('the CHECK constraints refuse bad recordings written around the repository', async () => {
    const store = get();
    const before = await store.recordings.count();
    const row = {
      call_id: 'raw-rec',
      legs: '["1001"]',
      started_at: T0,
      ended_at: T0,
      duration_ms: 0,
      path: '/r.wav',
      bytes: 44,
      sha256: SHA,
      channels: 1 as const,
    };
    await assert.rejects(
      store.db
        .insertInto('recordings')
        .values({ ...row, sha256: SHA.toUpperCase() })
        .execute(),
    );
    await assert.rejects(
      store.db
        .insertInto('recordings')
        .values({ ...row, channels: 3 as 1 })
        .execute(),
    );
    await assert.rejects(
      store.db
        .insertInto('recordings')
        .values({ ...row, legs: '[]' })
        .execute(),
    );
    await assert.rejects(
      store.db
        .insertInto('recordings')
        .values({ ...row, legs: '{"a":1}' })
        .execute(),
    );
    await assert.rejects(
      store.db
        .insertInto('recordings')
        .values({ ...row, legs: '1001' })
        .execute(),
    );
    await store.db.insertInto('recordings').values(row).execute();
    assert.equal(await store.recordings.count(), before + 1, 'the valid row alone landed');
  });
}

/** Creates a database at schema version 1 only, as a release before 0002 left it. */
async function createVersion1(opts: OpenStoreOptions): Promise<void> {
  const target = parseTarget(opts.database, opts.dataDir);
  const db =
    target.kind === 'sqlite'
      ? openSqlite(target.path, target.label)
      : await openPostgres(target.url, target.label);
  try {
    await migrate(db, target.kind, migrations.slice(0, 1), { target: target.label });
    // Only the columns 0001 has: this is the INSERT an older release ran.
    await db
      .insertInto('cdrs')
      .values(
        ['v1-a', 'v1-b'].map((callId, i) => ({
          call_id: callId,
          caller: '13800138000',
          callee: '1001',
          started_at: T0 + i,
          answered_at: T0 + 1_000,
          ended_at: T0 + 61_000,
          duration_ms: 60_000,
          disposition: 'answered' as const,
          hangup_by: 'caller' as const,
          sip_cause: 200,
          reason: null,
        })),
      )
      .execute();
  } finally {
    await db.destroy();
  }
}

export function describeUpgradeFrom0001(freshDatabase: () => Promise<OpenStoreOptions>): void {
  it('upgrades a database created by 0001 and keeps its CDRs', async () => {
    const opts = await freshDatabase();
    await createVersion1(opts);
    const store = await openStore(opts);
    try {
      const versions = await store.db
        .selectFrom('schema_migrations')
        .select('version')
        .orderBy('version')
        .execute();
      assert.deepEqual(
        versions.map((v) => Number(v.version)),
        migrations.map((m) => m.version),
      );
      const kept = await store.cdrs.list();
      assert.deepEqual(
        kept.map(({ id: _id, ...rest }) => rest),
        ['v1-b', 'v1-a'].map((callId, i) => ({
          callId,
          caller: '13800138000',
          callee: '1001',
          startedAt: T0 + 1 - i,
          answeredAt: T0 + 1_000,
          endedAt: T0 + 61_000,
          durationMs: 60_000,
          disposition: 'answered',
          hangupBy: 'caller',
          sipCause: 200,
        })),
        'old rows read back whole, without quality or data',
      );
      await store.cdrs.insert(qualityCdr('after-upgrade'));
      await store.recordings.insert(sampleRecording('after-upgrade'));
      assert.equal(await store.cdrs.count(), 3);
      const { rows } = await sql<{ n: unknown }>`select count(*) as n from cdrs where mos is null`.execute(
        store.db,
      );
      assert.equal(Number(rows[0]?.n), 2, 'the new columns are NULL on the old rows');
    } finally {
      await store.close();
    }
  });
}
