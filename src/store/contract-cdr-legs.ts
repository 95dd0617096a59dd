/**
 * The contract for what 0005_cdr_legs added: one row per call leg, and the upgrade of a
 * database created by 0004. Part of describeStoreContract (contract.ts); run on SQLite and
 * PostgreSQL alike.
 */
import assert from 'node:assert/strict';
import { it } from 'node:test';
import { sql } from 'kysely';
import type { CdrLegRecord } from '../report/cdr-leg.js';
import { openPostgres } from './adapters/postgres.js';
import { openSqlite } from './adapters/sqlite.js';
import { parseTarget } from './core/target.js';
import { isStoreError } from './errors.js';
import { migrate, migrations } from './migrations/index.js';
import { openStore } from './open.js';
import type { OpenStoreOptions, Store } from './types.js';

const T0 = 1_700_000_000_000;

/**
 * A queue call's legs: the caller from a trunk, an agent who let it ring out (RONA), the
 * agent who answered (hung up by Hotline when the caller left).
 */
function queueCallLegs(callId: string, at: number): CdrLegRecord[] {
  const base = { callId };
  return [
    {
      ...base,
      legId: 'leg-1',
      party: '13800138000',
      direction: 'inbound',
      role: 'caller',
      trunk: 'carrier-a',
      startedAt: at,
      answeredAt: at + 200,
      endedAt: at + 80_000,
      disposition: 'answered',
      hangupBy: 'remote',
      sipStatus: 200,
      quality: { mos: 4.21, lossPercent: 0.5, jitterMs: 6.25, rttMs: null },
    },
    {
      ...base,
      legId: 'leg-2',
      party: '1003',
      direction: 'outbound',
      role: 'agent',
      startedAt: at + 1_000,
      endedAt: at + 16_000,
      disposition: 'no-answer',
      hangupBy: 'local',
      sipStatus: 487,
    },
    {
      ...base,
      legId: 'leg-3',
      party: '1002',
      direction: 'outbound',
      role: 'agent',
      startedAt: at + 16_000,
      answeredAt: at + 20_000,
      endedAt: at + 80_000,
      disposition: 'answered',
      hangupBy: 'local',
      sipStatus: 200,
      reason: 'caller hung up',
      quality: { mos: 4.4, lossPercent: 0, jitterMs: 2, rttMs: 31.5 },
    },
  ];
}

const withoutStored = <T extends { id: number; durationMs: number }>({
  id: _id,
  durationMs: _d,
  ...rest
}: T) => rest;

export function describeCdrLegs(get: () => Store): void {
  it('round-trips the legs of a call with every field, oldest first, talk time computed', async () => {
    const legs = queueCallLegs('legs-1', T0);
    await Promise.all(legs.map((l) => get().cdrLegs.insert(l)));
    const stored = await get().cdrLegs.list({ callId: 'legs-1' });
    assert.deepEqual(stored.map(withoutStored), legs);
    assert.deepEqual(
      stored.map((l) => l.durationMs),
      [79_800, 0, 60_000],
    );
    assert.ok(stored.every((l) => Number.isInteger(l.id)));
  });

  it('lists by party and by time window, honouring the limit', async () => {
    await Promise.all(
      [...queueCallLegs('legs-2', T0 + 1_000_000), ...queueCallLegs('legs-3', T0 + 2_000_000)].map((l) =>
        get().cdrLegs.insert(l),
      ),
    );
    const agent = await get().cdrLegs.list({ party: '1002', from: T0 + 1_000_000 });
    assert.deepEqual(
      agent.map((l) => l.callId),
      ['legs-2', 'legs-3'],
    );
    const window = await get().cdrLegs.list({ from: T0 + 2_000_000, to: T0 + 2_016_000 });
    assert.deepEqual(
      window.map((l) => `${l.callId}/${l.legId}`),
      ['legs-3/leg-1', 'legs-3/leg-2'],
    );
    assert.equal((await get().cdrLegs.list({ from: T0 + 1_000_000, limit: 2 })).length, 2);
  });

  it('lands 300 concurrent inserts and resolves every promise', async () => {
    const legs = Array.from({ length: 300 }, (_, i) => ({
      ...queueCallLegs('legs-burst', T0 + 5_000_000)[1]!,
      legId: `leg-${i}`,
    }));
    await Promise.all(legs.map((l) => get().cdrLegs.insert(l)));
    assert.equal((await get().cdrLegs.list({ callId: 'legs-burst', limit: 10_000 })).length, 300);
  });

  it('refuses a bad leg with a coded error naming the field, and writes nothing', async () => {
    const good = queueCallLegs('legs-bad', T0)[0]!;
    for (const [bad, field] of [
      [{ ...good, direction: 'sideways' }, 'direction'],
      [{ ...good, role: 'janitor' }, 'role'],
      [{ ...good, hangupBy: 'caller' }, 'hangupBy'],
      [{ ...good, disposition: 'maybe' }, 'disposition'],
      [{ ...good, sipStatus: 99 }, 'sipStatus'],
      [{ ...good, legId: '' }, 'legId'],
      [{ ...good, trunk: '' }, 'trunk'],
      [{ ...good, startedAt: 1.5 }, 'startedAt'],
      [{ ...good, quality: { mos: 7, lossPercent: 0, jitterMs: 0, rttMs: null } }, 'quality.mos'],
    ] as const) {
      await assert.rejects(get().cdrLegs.insert(bad as unknown as CdrLegRecord), (err) => {
        assert.ok(isStoreError(err, 'STORE_INVALID_RECORD'), String(err));
        assert.equal(err.details?.['field'], field);
        assert.ok(err.message.includes('CDR leg'), err.message);
        return true;
      });
    }
    assert.deepEqual(await get().cdrLegs.list({ callId: 'legs-bad' }), []);
  });

  it('has the indexes leg reports need', async () => {
    const query =
      get().kind === 'sqlite'
        ? sql<{ name: string }>`select name from sqlite_master where type = 'index' and tbl_name = 'cdr_legs'`
        : sql<{ name: string }>`select indexname as name from pg_indexes where tablename = 'cdr_legs'`;
    const names = (await query.execute(get().db)).rows.map((r) => r.name);
    for (const index of ['cdr_legs_call_id_idx', 'cdr_legs_started_at_idx', 'cdr_legs_party_started_at_idx'])
      assert.ok(names.includes(index), names.join(', '));
  });
}

export function describeUpgradeFrom0004(freshDatabase: () => Promise<OpenStoreOptions>): void {
  it('upgrades a database created by 0004 and adds the leg records, keeping the CDRs', async () => {
    const opts = await freshDatabase();
    const target = parseTarget(opts.database, opts.dataDir);
    const db =
      target.kind === 'sqlite'
        ? openSqlite(target.path, target.label)
        : await openPostgres(target.url, target.label);
    try {
      await migrate(db, target.kind, migrations.slice(0, 4), { target: target.label });
      await db
        .insertInto('cdrs')
        .values({
          call_id: 'before-0005',
          caller: '1001',
          callee: '1002',
          started_at: T0,
          ended_at: T0 + 1_000,
          duration_ms: 0,
          disposition: 'busy',
        })
        .execute();
    } finally {
      await db.destroy();
    }
    const store = await openStore(opts);
    try {
      const versions = await store.db.selectFrom('schema_migrations').select('version').execute();
      assert.deepEqual(
        versions.map((v) => Number(v.version)).sort((a, b) => a - b),
        migrations.map((m) => m.version),
      );
      assert.equal((await store.cdrs.list({ callId: 'before-0005' })).length, 1);
      await store.cdrLegs.insert(queueCallLegs('after-0005', T0)[1]!);
      assert.equal(await store.cdrLegs.count(), 1);
    } finally {
      await store.close();
    }
  });
}
