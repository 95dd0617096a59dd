/**
 * The contract for what 0004_queue_log added: the queue event log repository and the
 * upgrade of a database created by 0003. Part of describeStoreContract (contract.ts);
 * run on SQLite and PostgreSQL alike.
 */
import assert from 'node:assert/strict';
import { it } from 'node:test';
import { sql } from 'kysely';
import { queueLog, type QueueLogEntry } from '../report/queue-log.js';
import { openPostgres } from './adapters/postgres.js';
import { openSqlite } from './adapters/sqlite.js';
import { parseTarget } from './core/target.js';
import { isStoreError } from './errors.js';
import { migrate, migrations } from './migrations/index.js';
import { openStore } from './open.js';
import type { OpenStoreOptions, Store } from './types.js';

const T0 = 1_700_000_000_000;

/** One queued call's life in queue `queue`: enter, ring unanswered, connect, complete. */
function callStory(callId: string, queue: string, at: number): QueueLogEntry[] {
  const base = { callId, queue };
  return [
    queueLog.enterQueue({ ...base, time: at, callerId: '13800138000', position: 1 }),
    queueLog.ringNoAnswer({ ...base, time: at + 15_000, agent: '1002', ringMs: 15_000 }),
    queueLog.connect({
      ...base,
      time: at + 20_000,
      agent: '1001',
      holdMs: 20_000,
      bridgedCallId: `${callId}-leg`,
      ringMs: 4_000,
    }),
    queueLog.completeCaller({
      ...base,
      time: at + 80_000,
      agent: '1001',
      holdMs: 20_000,
      talkMs: 60_000,
      origPosition: 1,
    }),
  ];
}

export function describeQueueLog(get: () => Store): void {
  it('round-trips queue log entries with their data fields, oldest first', async () => {
    const story = callStory('ql-1', 'ql-sales', T0);
    await Promise.all(story.map((e) => get().queueLog.append(e)));
    const stored = await get().queueLog.list({ queue: 'ql-sales' });
    assert.deepEqual(
      stored.map(({ id: _id, ...rest }) => rest),
      story,
    );
    assert.ok(stored.every((e) => Number.isInteger(e.id) && typeof e.time === 'number'));
  });

  it('lists by queue, agent and time range, honouring the limit', async () => {
    await Promise.all(
      [
        ...callStory('ql-2', 'ql-support', T0 + 1_000_000),
        ...callStory('ql-3', 'ql-support', T0 + 2_000_000),
        queueLog.pause({ time: T0 + 2_500_000, queue: 'ql-support', agent: '1001', reason: 'lunch' }),
      ].map((e) => get().queueLog.append(e)),
    );
    assert.equal((await get().queueLog.list({ queue: 'ql-support' })).length, 9);
    const range = await get().queueLog.list({
      queue: 'ql-support',
      from: T0 + 2_000_000,
      to: T0 + 2_500_000,
    });
    assert.deepEqual(
      range.map((e) => e.callId),
      ['ql-3', 'ql-3', 'ql-3', 'ql-3'],
    );
    const agent = await get().queueLog.list({ agent: '1001', queue: 'ql-support' });
    assert.deepEqual(
      agent.map((e) => e.event),
      ['CONNECT', 'COMPLETECALLER', 'CONNECT', 'COMPLETECALLER', 'PAUSE'],
    );
    assert.equal((await get().queueLog.list({ queue: 'ql-support', limit: 2 })).length, 2);
  });

  it('lands 300 concurrent appends and resolves every promise', async () => {
    const entries = Array.from({ length: 300 }, (_, i) =>
      queueLog.enterQueue({
        time: T0 + i,
        callId: `ql-burst-${i}`,
        queue: 'ql-burst',
        callerId: '1',
        position: i + 1,
      }),
    );
    await Promise.all(entries.map((e) => get().queueLog.append(e)));
    assert.equal((await get().queueLog.list({ queue: 'ql-burst', limit: 10_000 })).length, 300);
  });

  it('refuses an unknown event or too many data fields with a coded error naming the field', async () => {
    const good = queueLog.pause({ time: T0, queue: 'ql-bad', agent: '1001' });
    for (const [bad, field] of [
      [{ ...good, event: 'REBOOT' }, 'event'],
      [{ ...good, data: ['1', '2', '3', '4', '5', '6'] }, 'data'],
      [{ ...good, agent: '' }, 'agent'],
      [{ ...good, time: -1 }, 'time'],
    ] as const) {
      await assert.rejects(get().queueLog.append(bad as QueueLogEntry), (err) => {
        assert.ok(isStoreError(err, 'STORE_INVALID_RECORD'), String(err));
        assert.equal(err.details?.['field'], field);
        return true;
      });
    }
    assert.deepEqual(await get().queueLog.list({ queue: 'ql-bad' }), []);
  });

  it('has the indexes queue reports need', async () => {
    const kind = get().kind;
    const query =
      kind === 'sqlite'
        ? sql<{
            name: string;
          }>`select name from sqlite_master where type = 'index' and tbl_name = 'queue_log'`
        : sql<{ name: string }>`select indexname as name from pg_indexes where tablename = 'queue_log'`;
    const names = (await query.execute(get().db)).rows.map((r) => r.name);
    assert.ok(names.includes('queue_log_queue_time_idx'), names.join(', '));
    assert.ok(names.includes('queue_log_agent_time_idx'), names.join(', '));
  });
}

export function describeUpgradeFrom0003(freshDatabase: () => Promise<OpenStoreOptions>): void {
  it('upgrades a database created by 0003 and adds the queue log', async () => {
    const opts = await freshDatabase();
    const target = parseTarget(opts.database, opts.dataDir);
    const db =
      target.kind === 'sqlite'
        ? openSqlite(target.path, target.label)
        : await openPostgres(target.url, target.label);
    try {
      await migrate(db, target.kind, migrations.slice(0, 3), { target: target.label });
    } finally {
      await db.destroy();
    }
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
      await store.queueLog.append(queueLog.unpause({ time: T0, queue: 'q', agent: '1001' }));
      assert.equal(await store.queueLog.count(), 1);
    } finally {
      await store.close();
    }
  });
}
