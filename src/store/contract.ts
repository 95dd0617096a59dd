/**
 * The behaviour every Store must show, whatever the dialect (STYLE principle 12). Run by
 * sqlite.test.ts and test/interop/store-postgres.test.ts. `open` must return a store over
 * the same database on every call, and that database must be empty on the first call.
 * `freshDatabase` must name a new, empty database on every call (for upgrade tests).
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { sql } from 'kysely';
import type { CdrRecord, Disposition } from '../report/cdr.js';
import type { Binding } from '../sip/registrar/types.js';
import {
  describeCdrMedia,
  describeRecordings,
  describeUpgradeFrom0001,
  sampleRecording,
} from './contract-media.js';
import {
  describeExtensionFeatures,
  describeIvrSteps,
  describeRoutingLifecycle,
  describeUpgradeFrom0002,
  describeVoicemail,
} from './contract-routing.js';
import { describeQueueLog, describeUpgradeFrom0003 } from './contract-queue-log.js';
import { describeCdrLegs, describeUpgradeFrom0004 } from './contract-cdr-legs.js';
import { isStoreError } from './errors.js';
import { migrate, migrationLabel, migrations } from './migrations/index.js';
import type { OpenStoreOptions, Store } from './types.js';

/** Far in the future, so removeExpired sweeps in one test never touch another test's rows. */
const FAR_FUTURE = 4_102_444_800_000;
const T0 = 1_700_000_000_000;

export function fullBinding(aor: string, over: Partial<Binding> = {}): Binding {
  return {
    aor,
    contactUri: `sip:${aor}@192.0.2.10:5062;transport=tcp`,
    expiresAt: FAR_FUTURE,
    callId: `reg-${aor}@192.0.2.10`,
    cseq: 2_147_483_647,
    q: 0.7,
    source: { transport: 'TCP', address: '198.51.100.7', port: 40123, connectionId: 'tcp-17' },
    userAgent: 'Yealink SIP-T46U 108.86.0.20',
    instanceId: '<urn:uuid:00000000-0000-1000-8000-00a0c91e6bf6>',
    updatedAt: T0,
    ...over,
  };
}

export function minimalBinding(aor: string): Binding {
  return {
    aor,
    contactUri: `sip:${aor}@203.0.113.5:5060`,
    expiresAt: FAR_FUTURE,
    callId: `min-${aor}`,
    cseq: 1,
    source: { transport: 'UDP', address: '203.0.113.5', port: 5060 },
    updatedAt: T0,
  };
}

export function answeredCdr(callId: string, over: Partial<CdrRecord> = {}): CdrRecord {
  return {
    callId,
    caller: '13800138000',
    callee: '4008001000',
    startedAt: T0,
    answeredAt: T0 + 4_250,
    endedAt: T0 + 64_250,
    disposition: 'answered',
    hangupBy: 'callee',
    sipCause: 200,
    reason: 'Q.850;cause=16;text="Normal call clearing"',
    ...over,
  };
}

async function rejectsWith(promise: Promise<unknown>, code: string): Promise<void> {
  await assert.rejects(promise, (err: unknown) => {
    assert.ok(isStoreError(err), `expected a StoreError, got ${String(err)}`);
    assert.equal(err.code, code);
    return true;
  });
}

export function describeStoreContract(
  name: string,
  open: () => Promise<Store>,
  freshDatabase: () => Promise<OpenStoreOptions>,
): void {
  describe(`store contract: ${name}`, () => {
    let store: Store;
    before(async () => {
      store = await open();
    });
    after(async () => {
      await store?.close();
    });

    const get = (): Store => store;
    describeMigrations(get, open);
    describeMigrationFailures(get, open);
    describeBindingRoundTrips(get);
    describeBindingChanges(get);
    describeCdrRoundTrips(get);
    describeCdrWrites(get);
    describeCdrMedia(get);
    describeRecordings(get);
    describeCdrReads(get);
    describeUpgradeFrom0001(freshDatabase);
    describeVoicemail(get);
    describeIvrSteps(get);
    describeExtensionFeatures(get);
    describeUpgradeFrom0002(freshDatabase);
    describeQueueLog(get);
    describeUpgradeFrom0003(freshDatabase);
    describeCdrLegs(get);
    describeUpgradeFrom0004(freshDatabase);
    describeLifecycle(get, open);
    describeRoutingLifecycle(open, get);
  });
}

function describeMigrations(get: () => Store, open: () => Promise<Store>): void {
  it('applies every migration to an empty database and records each once', async () => {
    const store = get();
    const rows = await store.db.selectFrom('schema_migrations').selectAll().orderBy('version').execute();
    assert.deepEqual(
      rows.map((r) => [r.version, r.name]),
      migrations.map((m) => [m.version, m.name]),
    );
    assert.equal(await store.registrations.count(), 0);
    assert.equal(await store.cdrs.count(), 0);
    assert.equal(await store.recordings.count(), 0);
  });

  it('opening again is a no-op that keeps existing rows and migration records', async () => {
    const store = get();
    await store.registrations.upsert(fullBinding('reopen'));
    await store.cdrs.insert(answeredCdr('reopen-call'));
    const before = await store.db.selectFrom('schema_migrations').selectAll().orderBy('version').execute();
    const again = await open();
    try {
      assert.deepEqual(
        await again.db.selectFrom('schema_migrations').selectAll().orderBy('version').execute(),
        before,
      );
      assert.deepEqual(
        (await again.registrations.loadAll()).find((b) => b.aor === 'reopen'),
        fullBinding('reopen'),
      );
      assert.equal((await again.cdrs.list({ callId: 'reopen-call' })).length, 1);
    } finally {
      await again.close();
    }
  });
}

function describeMigrationFailures(get: () => Store, open: () => Promise<Store>): void {
  it('rolls back a failing migration entirely and names it in a coded error', async () => {
    const store = get();
    const broken = {
      version: migrations.at(-1)!.version + 1,
      name: 'broken_probe',
      async up(db: Parameters<(typeof migrations)[number]['up']>[0]) {
        await db.schema.createTable('broken_probe').addColumn('x', 'integer').execute();
        await sql`insert into no_such_table values (1)`.execute(db);
      },
    };
    await assert.rejects(
      migrate(store.db, store.kind, [...migrations, broken], { target: 'probe' }),
      (err) => {
        assert.ok(isStoreError(err, 'STORE_MIGRATION_FAILED'));
        assert.ok(err.message.includes(`migration ${migrationLabel(broken)} failed on probe`), err.message);
        return true;
      },
    );
    const versions = await store.db.selectFrom('schema_migrations').select('version').execute();
    assert.equal(versions.length, migrations.length);
    await assert.rejects(sql`select count(*) from broken_probe`.execute(store.db), 'the DDL was rolled back');
  });

  it('refuses to open a database migrated by a newer release', async () => {
    const store = get();
    await store.db
      .insertInto('schema_migrations')
      .values({ version: 9999, name: 'future', applied_at: T0 })
      .execute();
    try {
      await rejectsWith(open(), 'STORE_SCHEMA_TOO_NEW');
    } finally {
      await store.db.deleteFrom('schema_migrations').where('version', '=', 9999).execute();
    }
  });
}

function describeBindingRoundTrips(get: () => Store): void {
  it('round-trips a binding with every field, source endpoint and optional fields included', async () => {
    const b = fullBinding('1001');
    await get().registrations.upsert(b);
    assert.deepEqual(
      (await get().registrations.loadAll()).find((x) => x.aor === '1001'),
      b,
    );
  });

  it('round-trips a binding without optional fields, leaving them absent', async () => {
    const b = minimalBinding('1002');
    await get().registrations.upsert(b);
    assert.deepEqual(
      (await get().registrations.loadAll()).find((x) => x.aor === '1002'),
      b,
    );
  });
}

function describeBindingChanges(get: () => Store): void {
  it('upsert replaces the binding with the same AOR and contact, clearing dropped options', async () => {
    const repo = get().registrations;
    await repo.upsert(fullBinding('1003'));
    const refreshed = { ...minimalBinding('1003'), contactUri: fullBinding('1003').contactUri, cseq: 9 };
    await repo.upsert(refreshed);
    assert.deepEqual(
      (await repo.loadAll()).filter((x) => x.aor === '1003'),
      [refreshed],
    );
  });

  it('remove deletes only the named contact of an AOR', async () => {
    const repo = get().registrations;
    const desk = fullBinding('1004');
    const soft = fullBinding('1004', { contactUri: 'sip:1004@198.51.100.8:5060', q: 0.1 });
    await repo.upsert(desk);
    await repo.upsert(soft);
    await repo.remove('1004', desk.contactUri);
    assert.deepEqual(
      (await repo.loadAll()).filter((x) => x.aor === '1004'),
      [soft],
    );
  });

  it('removeExpired deletes bindings expiring at or before now and returns how many', async () => {
    const repo = get().registrations;
    const now = 1_000_000;
    const before = await repo.count();
    await repo.upsert(fullBinding('1005', { expiresAt: now - 1 }));
    await repo.upsert(fullBinding('1006', { expiresAt: now }));
    await repo.upsert(fullBinding('1007', { expiresAt: now + 1 }));
    assert.equal(await repo.removeExpired(now), 2);
    assert.deepEqual(
      (await repo.loadAll()).filter((x) => ['1005', '1006', '1007'].includes(x.aor)).map((x) => x.aor),
      ['1007'],
    );
    assert.equal(await repo.count(), before + 1);
  });

  it('rejects an invalid binding with a coded error naming the field', async () => {
    const bad = fullBinding('1008', { source: { transport: 'UDP', address: '192.0.2.1', port: 70000 } });
    await assert.rejects(get().registrations.upsert(bad), (err) => {
      assert.ok(isStoreError(err, 'STORE_INVALID_RECORD'));
      assert.equal(err.details?.['field'], 'source.port');
      return true;
    });
  });
}

function describeCdrRoundTrips(get: () => Store): void {
  it('round-trips a CDR with every field and computes the billable duration', async () => {
    const cdr = answeredCdr('cdr-full@198.51.100.7');
    await get().cdrs.insert(cdr);
    const [stored] = await get().cdrs.list({ callId: cdr.callId });
    assert.ok(stored);
    const { id, durationMs, ...rest } = stored;
    assert.deepEqual(rest, cdr);
    assert.equal(durationMs, 60_000);
    assert.ok(Number.isInteger(id) && id > 0);
  });

  it('stores an unanswered CDR with zero duration and without optional fields', async () => {
    const cdr: CdrRecord = {
      callId: 'cdr-busy',
      caller: 'anonymous',
      callee: '1001',
      startedAt: T0,
      endedAt: T0 + 900,
      disposition: 'busy',
    };
    await get().cdrs.insert(cdr);
    const stored = await get().cdrs.list({ callId: 'cdr-busy' });
    assert.equal(stored.length, 1);
    const { id, ...rest } = stored[0]!;
    assert.equal(typeof id, 'number');
    assert.deepEqual(rest, { ...cdr, durationMs: 0 });
  });
}

function describeCdrWrites(get: () => Store): void {
  it('lands 500 concurrent inserts and resolves every promise', async () => {
    const store = get();
    const before = await store.cdrs.count();
    const ids = Array.from({ length: 500 }, (_, i) => `bulk-${i}`);
    await Promise.all(ids.map((id, i) => store.cdrs.insert(answeredCdr(id, { startedAt: T0 + i }))));
    assert.equal(await store.cdrs.count(), before + 500);
    const landed = await store.db
      .selectFrom('cdrs')
      .select('call_id')
      .where('call_id', 'like', 'bulk-%')
      .execute();
    assert.deepEqual(new Set(landed.map((r) => r.call_id)), new Set(ids));
  });

  it('rejects a bad disposition with a coded error and keeps existing rows', async () => {
    const store = get();
    await store.cdrs.insert(answeredCdr('kept-call'));
    const before = await store.cdrs.count();
    const bad = answeredCdr('bad-call', { disposition: 'hung-up' as Disposition });
    const results = await Promise.allSettled([
      store.cdrs.insert(bad),
      store.cdrs.insert(answeredCdr('neighbour-call')),
    ]);
    assert.equal(results[0].status, 'rejected');
    assert.ok(isStoreError(results[0].status === 'rejected' && results[0].reason, 'STORE_INVALID_RECORD'));
    assert.equal(results[1].status, 'fulfilled', 'a valid row inserted alongside still lands');
    assert.equal(await store.cdrs.count(), before + 1);
    assert.equal((await store.cdrs.list({ callId: 'kept-call' })).length, 1);
  });

  it('the CHECK constraint refuses a bad disposition written around the repository', async () => {
    const store = get();
    const before = await store.cdrs.count();
    const row = {
      call_id: 'raw-bad',
      caller: '1',
      callee: '2',
      started_at: T0,
      answered_at: null,
      ended_at: T0,
      duration_ms: 0,
      disposition: 'bogus' as Disposition,
      hangup_by: null,
      sip_cause: null,
      reason: null,
    };
    await assert.rejects(store.db.insertInto('cdrs').values(row).execute());
    assert.equal(await store.cdrs.count(), before);
  });
}

function describeCdrReads(get: () => Store): void {
  it('lists by call id, newest first, honouring the limit', async () => {
    const repo = get().cdrs;
    for (const offset of [0, 2, 1]) await repo.insert(answeredCdr('listed', { startedAt: T0 + offset }));
    assert.deepEqual(
      (await repo.list({ callId: 'listed' })).map((c) => c.startedAt - T0),
      [2, 1, 0],
    );
    assert.equal((await repo.list({ callId: 'listed', limit: 2 })).length, 2);
    await rejectsWith(repo.list({ limit: 0 }), 'STORE_INVALID_RECORD');
  });

  it('lists one caller’s calls started since a time, newest first (last-agent routing)', async () => {
    const repo = get().cdrs;
    const caller = '13700137000';
    for (const [id, offset, from] of [
      ['by-caller-old', 0, caller],
      ['by-caller-new', 20, caller],
      ['by-caller-mid', 10, caller],
      ['by-other', 30, '13700137001'],
    ] as const)
      await repo.insert(answeredCdr(id, { caller: from, startedAt: T0 + offset * 1000 }));
    assert.deepEqual(
      (await repo.list({ caller, since: T0 + 10_000 })).map((c) => c.callId),
      ['by-caller-new', 'by-caller-mid'],
    );
    assert.equal((await repo.list({ caller: '13700137002' })).length, 0);
    await rejectsWith(repo.list({ caller, since: -1 }), 'STORE_INVALID_RECORD');
  });

  it('returns times, ids and counts as JS numbers from the driver itself', async () => {
    const store = get();
    const row = await store.db
      .selectFrom('cdrs')
      .selectAll()
      .where('call_id', '=', 'kept-call')
      .executeTakeFirstOrThrow();
    for (const key of ['id', 'started_at', 'answered_at', 'ended_at', 'duration_ms', 'sip_cause'] as const) {
      assert.equal(typeof row[key], 'number', `${key} is ${typeof row[key]}`);
    }
    const measured = await store.db
      .selectFrom('cdrs')
      .selectAll()
      .where('call_id', '=', 'quality-full')
      .executeTakeFirstOrThrow();
    for (const key of ['mos', 'loss_percent', 'jitter_ms', 'rtt_ms'] as const) {
      assert.equal(typeof measured[key], 'number', `${key} is ${typeof measured[key]}`);
    }
    const rec = await store.db.selectFrom('recordings').selectAll().executeTakeFirstOrThrow();
    for (const key of ['id', 'started_at', 'ended_at', 'duration_ms', 'bytes', 'channels'] as const) {
      assert.equal(typeof rec[key], 'number', `recordings.${key} is ${typeof rec[key]}`);
    }
    const reg = await store.db.selectFrom('registrations').selectAll().executeTakeFirstOrThrow();
    assert.equal(typeof reg.expires_at, 'number');
    assert.equal(typeof reg.updated_at, 'number');
    const { rows } = await sql<{ n: unknown }>`select count(*) as n from cdrs`.execute(store.db);
    assert.equal(typeof rows[0]?.n, 'number');
  });
}

function describeLifecycle(get: () => Store, open: () => Promise<Store>): void {
  it('close writes CDRs already accepted, is idempotent, and later calls reject', async () => {
    const before = await get().cdrs.count();
    const other = await open();
    const accepted = Array.from({ length: 50 }, (_, i) => other.cdrs.insert(answeredCdr(`closing-${i}`)));
    const first = other.close();
    assert.equal(other.close(), first, 'a second close returns the same promise');
    await first;
    await Promise.all(accepted);
    assert.equal(await get().cdrs.count(), before + 50);
    await rejectsWith(other.cdrs.insert(answeredCdr('too-late')), 'STORE_CLOSED');
    await rejectsWith(other.registrations.loadAll(), 'STORE_CLOSED');
    await rejectsWith(other.recordings.insert(sampleRecording('too-late')), 'STORE_CLOSED');
    await rejectsWith(other.recordings.listByCall('too-late'), 'STORE_CLOSED');
  });

  it('close lets a recording insert already under way commit', async () => {
    const other = await open();
    const inserting = other.recordings.insert(sampleRecording('closing-rec'));
    await other.close();
    const id = await inserting;
    assert.equal((await get().recordings.get(id))?.callId, 'closing-rec');
  });
}
