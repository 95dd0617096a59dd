/**
 * The contract for what 0003_routing added: voicemail messages, the IVR step log, the
 * extension features set from phones, and the upgrade of a database created by 0002. Part
 * of describeStoreContract (contract.ts); run on SQLite and PostgreSQL alike.
 */
import assert from 'node:assert/strict';
import { it } from 'node:test';
import { sql } from 'kysely';
import { openPostgres } from './adapters/postgres.js';
import { openSqlite } from './adapters/sqlite.js';
import { sampleRecording } from './contract-media.js';
import { parseTarget } from './core/target.js';
import { rejectsField, sampleVoicemail } from './contract-voicemail.js';
import { isStoreError } from './errors.js';
import { migrate, migrations } from './migrations/index.js';
import { openStore } from './open.js';
import type { IvrStepRecord, OpenStoreOptions, Store } from './types.js';

export { describeVoicemail, sampleVoicemail } from './contract-voicemail.js';

const T0 = 1_700_000_000_000;

export function sampleStep(callId: string, over: Partial<IvrStepRecord> = {}): IvrStepRecord {
  return {
    callId,
    flowId: 'antifraud',
    flowVersion: 3,
    nodeId: 'menu',
    nodeType: 'menu',
    enteredAt: T0,
    exit: '1',
    digits: '1',
    durationMs: 4_200,
    ...over,
  };
}

export function describeIvrSteps(get: () => Store): void {
  it('writes IVR steps and lists a call’s steps in the order they were entered', async () => {
    const repo = get().ivrSteps;
    const second = sampleStep('ivr-a', { nodeId: 'collect', nodeType: 'collect', enteredAt: T0 + 5_000 });
    const first = sampleStep('ivr-a', { nodeId: 'welcome', nodeType: 'play', exit: 'next', digits: null });
    const hungUp = sampleStep('ivr-a', {
      nodeId: 'queue',
      nodeType: 'transfer',
      enteredAt: T0 + 9_000,
      exit: null,
    });
    await Promise.all([repo.write(second), repo.write(first), repo.write(hungUp)]);
    await repo.write(sampleStep('ivr-other'));
    const listed = await repo.listByCall('ivr-a');
    assert.deepEqual(
      listed.map(({ id: _id, ...rest }) => rest),
      [first, second, hungUp],
    );
    assert.ok(listed.every((s) => Number.isInteger(s.id) && s.id > 0));
    assert.deepEqual(await repo.listByCall('no-such-call'), []);
  });

  it('lands 300 concurrent step writes and resolves every promise', async () => {
    const repo = get().ivrSteps;
    const before = await repo.count();
    await Promise.all(
      Array.from({ length: 300 }, (_, i) =>
        repo.write(sampleStep(`ivr-bulk-${i % 30}`, { enteredAt: T0 + i })),
      ),
    );
    assert.equal(await repo.count(), before + 300);
    assert.equal((await repo.listByCall('ivr-bulk-7')).length, 10);
  });

  it('counts the visits of each node and exit of one flow version, within a time range', async () => {
    const repo = get().ivrSteps;
    const steps = [
      sampleStep('f1', { flowId: 'funnel', flowVersion: 2, nodeId: 'lang', exit: '1' }),
      sampleStep('f2', { flowId: 'funnel', flowVersion: 2, nodeId: 'lang', exit: '1' }),
      sampleStep('f3', { flowId: 'funnel', flowVersion: 2, nodeId: 'lang', exit: '2' }),
      sampleStep('f3', { flowId: 'funnel', flowVersion: 2, nodeId: 'menu', exit: null }),
      sampleStep('f4', {
        flowId: 'funnel',
        flowVersion: 2,
        nodeId: 'lang',
        exit: '1',
        enteredAt: T0 + 86_400_000,
      }),
      sampleStep('f5', { flowId: 'funnel', flowVersion: 1, nodeId: 'lang', exit: '1' }),
      sampleStep('f6', { flowId: 'other', flowVersion: 2, nodeId: 'lang', exit: '1' }),
    ];
    await Promise.all(steps.map((s) => repo.write(s)));
    assert.deepEqual(await repo.funnel('funnel', 2, { from: T0, to: T0 + 1_000 }), [
      { nodeId: 'lang', nodeType: 'menu', exit: '1', visits: 2 },
      { nodeId: 'lang', nodeType: 'menu', exit: '2', visits: 1 },
      { nodeId: 'menu', nodeType: 'menu', exit: null, visits: 1 },
    ]);
    assert.equal(
      (await repo.funnel('funnel', 2)).find((r) => r.exit === '1')?.visits,
      3,
      'no range: all days',
    );
    assert.deepEqual(await repo.funnel('funnel', 9), []);
  });

  const bad: [string, Partial<IvrStepRecord>, string][] = [
    ['an empty call id', { callId: '' }, 'callId'],
    ['an empty flow id', { flowId: '' }, 'flowId'],
    ['a negative flow version', { flowVersion: -1 }, 'flowVersion'],
    ['a fractional flow version', { flowVersion: 1.5 }, 'flowVersion'],
    ['an empty node id', { nodeId: '' }, 'nodeId'],
    ['no node type', { nodeType: undefined as unknown as string }, 'nodeType'],
    ['a negative entry time', { enteredAt: -5 }, 'enteredAt'],
    ['an exit that is not text', { exit: 1 as unknown as string }, 'exit'],
    ['digits too long', { digits: '1'.repeat(257) }, 'digits'],
    ['a NaN duration', { durationMs: NaN }, 'durationMs'],
  ];
  for (const [what, over, field] of bad) {
    it(`rejects an IVR step with ${what}, naming ${field}, while its neighbours land`, async () => {
      const repo = get().ivrSteps;
      const before = await repo.count();
      const [badWrite, good] = await Promise.allSettled([
        repo.write(sampleStep('ivr-bad', over)),
        repo.write(sampleStep('ivr-neighbour')),
      ]);
      assert.equal(badWrite.status, 'rejected');
      await rejectsField(Promise.reject(badWrite.status === 'rejected' ? badWrite.reason : null), field);
      assert.equal(good.status, 'fulfilled');
      assert.equal(await repo.count(), before + 1);
    });
  }

  it('the CHECK constraints refuse bad IVR steps written around the repository', async () => {
    const store = get();
    const before = await store.ivrSteps.count();
    const row = {
      call_id: 'raw-step',
      flow_id: 'f',
      flow_version: 1,
      node_id: 'n',
      node_type: 'play',
      entered_at: T0,
      exit: null,
      digits: null,
      duration_ms: 0,
    };
    const insert = (over: Record<string, unknown>) =>
      store.db
        .insertInto('ivr_steps')
        .values({ ...row, ...over })
        .execute();
    await assert.rejects(insert({ duration_ms: -1 }));
    await assert.rejects(insert({ flow_version: -1 }));
    await assert.rejects(insert({ node_id: '' }));
    await insert({});
    assert.equal(await store.ivrSteps.count(), before + 1, 'the valid row alone landed');
  });
}

export function describeExtensionFeatures(get: () => Store): void {
  it('has no features for an extension that never set one', async () => {
    assert.equal(await get().extensionFeatures.get('3001'), undefined);
  });

  it('sets a feature with every other one off, then changes only what a patch names', async () => {
    const repo = get().extensionFeatures;
    await repo.set('3002', { dnd: true }, T0);
    assert.deepEqual(await repo.get('3002'), {
      number: '3002',
      dnd: true,
      forwardAlways: null,
      forwardBusy: null,
      forwardNoAnswer: null,
      updatedAt: T0,
    });
    await repo.set('3002', { forwardAlways: '13800138000', forwardNoAnswer: '1003' }, T0 + 1);
    await repo.set('3002', { dnd: false, forwardNoAnswer: null }, T0 + 2);
    assert.deepEqual(await repo.get('3002'), {
      number: '3002',
      dnd: false,
      forwardAlways: '13800138000',
      forwardBusy: null,
      forwardNoAnswer: null,
      updatedAt: T0 + 2,
    });
  });

  it('keeps both of two changes made at once', async () => {
    const repo = get().extensionFeatures;
    await Promise.all([repo.set('3003', { dnd: true }, T0), repo.set('3003', { forwardBusy: '*98' }, T0)]);
    const got = await repo.get('3003');
    assert.equal(got?.dnd, true);
    assert.equal(got?.forwardBusy, '*98');
  });

  it('lists every extension with features, by number', async () => {
    const repo = get().extensionFeatures;
    await repo.set('3005', { forwardBusy: '1001' }, T0);
    await repo.set('3004', {}, T0);
    const listed = (await repo.list()).filter((f) => f.number === '3004' || f.number === '3005');
    assert.deepEqual(
      listed.map((f) => [f.number, f.dnd, f.forwardBusy]),
      [
        ['3004', false, null],
        ['3005', false, '1001'],
      ],
    );
  });

  const bad: [string, string, unknown, string][] = [
    ['a number with letters', '30a6', { dnd: true }, 'number'],
    ['an empty number', '', { dnd: true }, 'number'],
    ['a DND that is not a boolean', '3006', { dnd: 'yes' }, 'dnd'],
    ['an empty forward', '3006', { forwardAlways: '' }, 'forwardAlways'],
    ['a forward with letters', '3006', { forwardBusy: 'sip:x' }, 'forwardBusy'],
    ['no patch at all', '3006', null, 'patch'],
  ];
  for (const [what, number, patch, field] of bad) {
    it(`rejects feature changes with ${what}, naming ${field}, and stores nothing`, async () => {
      const repo = get().extensionFeatures;
      await rejectsField(repo.set(number, patch as Parameters<typeof repo.set>[1], T0), field);
      assert.equal(await repo.get('3006'), undefined);
    });
  }

  it('the CHECK constraints refuse bad feature rows written around the repository', async () => {
    const store = get();
    const row = {
      number: '3007',
      forward_always: null,
      forward_busy: null,
      forward_no_answer: null,
      updated_at: T0,
    };
    const insert = (over: Record<string, unknown>) =>
      store.db
        .insertInto('extension_features')
        .values({ ...row, ...over })
        .execute();
    await assert.rejects(insert({ dnd: 5 }));
    await assert.rejects(insert({ forward_busy: '' }));
    await assert.rejects(insert({ number: '' }));
    await insert({});
    assert.equal((await store.extensionFeatures.get('3007'))?.dnd, false, 'dnd defaults to false');
  });
}

/** Closing: steps already accepted are written; every new call rejects. */
export function describeRoutingLifecycle(open: () => Promise<Store>, get: () => Store): void {
  it('close writes IVR steps already accepted, and the routing repositories reject afterwards', async () => {
    const before = await get().ivrSteps.count();
    const other = await open();
    const accepted = Array.from({ length: 40 }, (_, i) =>
      other.ivrSteps.write(sampleStep(`closing-step-${i}`)),
    );
    await other.close();
    await Promise.all(accepted);
    assert.equal(await get().ivrSteps.count(), before + 40);
    const closed = (p: Promise<unknown>) => assert.rejects(p, (err) => isStoreError(err, 'STORE_CLOSED'));
    await closed(other.ivrSteps.write(sampleStep('too-late')));
    await closed(other.voicemail.insert(sampleVoicemail('2099')));
    await closed(other.voicemail.listMailbox('2099'));
    await closed(other.extensionFeatures.set('3099', { dnd: true }));
    await closed(other.extensionFeatures.get('3099'));
  });
}

/** Creates a database at schema version 2, as the release before 0003 left it. */
async function createVersion2(opts: OpenStoreOptions): Promise<void> {
  const target = parseTarget(opts.database, opts.dataDir);
  const db =
    target.kind === 'sqlite'
      ? openSqlite(target.path, target.label)
      : await openPostgres(target.url, target.label);
  try {
    await migrate(db, target.kind, migrations.slice(0, 2), { target: target.label });
    const r = sampleRecording('v2-rec');
    await db
      .insertInto('recordings')
      .values({
        call_id: r.callId,
        legs: JSON.stringify(r.legs),
        started_at: r.startedAt,
        ended_at: r.endedAt,
        duration_ms: r.durationMs,
        path: r.path,
        bytes: r.bytes,
        sha256: r.sha256,
        channels: r.channels,
      })
      .execute();
  } finally {
    await db.destroy();
  }
}

export function describeUpgradeFrom0002(freshDatabase: () => Promise<OpenStoreOptions>): void {
  it('upgrades a database created by 0002, keeps its recordings, and adds the routing tables', async () => {
    const opts = await freshDatabase();
    await createVersion2(opts);
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
      const [kept] = await store.recordings.listByCall('v2-rec');
      assert.equal(kept?.path, sampleRecording('v2-rec').path, 'the old recording reads back');
      const id = await store.voicemail.insert(sampleVoicemail('4001'));
      await store.voicemail.markHeard(id);
      assert.deepEqual(await store.voicemail.counts('4001'), { newCount: 0, oldCount: 1 });
      await store.ivrSteps.write(sampleStep('after-upgrade'));
      assert.equal((await store.ivrSteps.listByCall('after-upgrade')).length, 1);
      await store.extensionFeatures.set('4001', { dnd: true }, T0);
      assert.equal((await store.extensionFeatures.get('4001'))?.dnd, true);
      const { rows } = await sql<{ n: unknown }>`select count(*) as n from ivr_steps`.execute(store.db);
      assert.equal(Number(rows[0]?.n), 1);
    } finally {
      await store.close();
    }
  });
}
