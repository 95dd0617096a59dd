/**
 * The contract of the voicemail repository (0003_routing): messages left, listed new
 * first, marked heard, deleted with their rows kept, counted for MWI. Part of
 * describeStoreContract (contract.ts, through contract-routing.ts); run on SQLite and
 * PostgreSQL alike.
 */
import assert from 'node:assert/strict';
import { it } from 'node:test';
import type { VoicemailMessage } from '../report/voicemail.js';
import { isStoreError } from './errors.js';
import type { Store } from './types.js';

const T0 = 1_700_000_000_000;
const SHA = 'beef'.padEnd(64, '7');

/** Asserts `promise` rejects with STORE_INVALID_RECORD naming `field`. */
export async function rejectsField(promise: Promise<unknown>, field: string): Promise<void> {
  await assert.rejects(promise, (err) => {
    assert.ok(isStoreError(err, 'STORE_INVALID_RECORD'), `expected STORE_INVALID_RECORD, got ${String(err)}`);
    assert.equal(err.details?.['field'], field);
    assert.ok(err.message.includes(field), `the message names ${field}: ${err.message}`);
    return true;
  });
}

export function sampleVoicemail(mailbox: string, over: Partial<VoicemailMessage> = {}): VoicemailMessage {
  return {
    mailbox,
    callId: `vm-call-${mailbox}`,
    caller: '13800138000',
    callerName: '张三',
    receivedAt: T0,
    durationMs: 12_340,
    path: `/var/lib/hotline/voicemail/${mailbox}/20231114T221320Z-call.wav`,
    bytes: 197_484,
    sha256: SHA,
    ...over,
  };
}

export function describeVoicemail(get: () => Store): void {
  it('inserts a voicemail message and reads it back by id and in its mailbox, new and not deleted', async () => {
    const m = sampleVoicemail('2001');
    const id = await get().voicemail.insert(m);
    assert.ok(Number.isInteger(id) && id > 0);
    const expected = { ...m, id, heard: false };
    assert.deepEqual(await get().voicemail.get(id), expected);
    assert.deepEqual(await get().voicemail.listMailbox('2001'), [expected]);
    assert.deepEqual(await get().voicemail.counts('2001'), { newCount: 1, oldCount: 0 });
  });

  it('keeps a message without a caller name with that field absent', async () => {
    const { callerName: _name, ...anonymous } = sampleVoicemail('2002', { caller: 'anonymous' });
    const id = await get().voicemail.insert(anonymous);
    assert.deepEqual(await get().voicemail.get(id), { ...anonymous, id, heard: false });
  });

  it('lists new messages before heard ones, oldest first in each, and only the mailbox’s own', async () => {
    const repo = get().voicemail;
    const newer = await repo.insert(sampleVoicemail('2003', { receivedAt: T0 + 2_000 }));
    const older = await repo.insert(sampleVoicemail('2003', { receivedAt: T0 + 1_000 }));
    const heardOld = await repo.insert(sampleVoicemail('2003', { receivedAt: T0 }));
    const heardNew = await repo.insert(sampleVoicemail('2003', { receivedAt: T0 + 3_000 }));
    await repo.insert(sampleVoicemail('2004'));
    assert.equal(await repo.markHeard(heardNew), true);
    assert.equal(await repo.markHeard(heardOld), true);
    const listed = await repo.listMailbox('2003');
    assert.deepEqual(
      listed.map((m) => m.id),
      [older, newer, heardOld, heardNew],
    );
    assert.deepEqual(
      listed.map((m) => m.heard),
      [false, false, true, true],
    );
    assert.deepEqual(await repo.counts('2003'), { newCount: 2, oldCount: 2 });
    assert.deepEqual(await repo.listMailbox('no-such-box'), []);
    assert.deepEqual(await repo.counts('no-such-box'), { newCount: 0, oldCount: 0 });
  });

  it('marks a heard message new again', async () => {
    const repo = get().voicemail;
    const id = await repo.insert(sampleVoicemail('2005'));
    await repo.markHeard(id);
    assert.equal(await repo.markHeard(id, false), true);
    assert.equal((await repo.get(id))?.heard, false);
    assert.deepEqual(await repo.counts('2005'), { newCount: 1, oldCount: 0 });
  });

  it('deletes a message: gone from the list and the counts, its row kept with the time', async () => {
    const repo = get().voicemail;
    const kept = await repo.insert(sampleVoicemail('2006'));
    const gone = await repo.insert(sampleVoicemail('2006', { receivedAt: T0 + 1 }));
    assert.equal(await repo.markDeleted(gone, T0 + 60_000), true);
    assert.deepEqual(
      (await repo.listMailbox('2006')).map((m) => m.id),
      [kept],
    );
    assert.deepEqual(await repo.counts('2006'), { newCount: 1, oldCount: 0 });
    assert.equal((await repo.get(gone))?.deletedAt, T0 + 60_000);
    assert.equal(await repo.markDeleted(gone, T0 + 70_000), false, 'already deleted');
    assert.equal(await repo.markHeard(gone), false, 'a deleted message is not marked');
    assert.equal((await repo.get(gone))?.deletedAt, T0 + 60_000, 'the first deletion time stays');
    assert.equal(await repo.markDeleted(Number.MAX_SAFE_INTEGER, T0), false);
  });

  it('stores a SHA-256 given in capitals as lower-case hex', async () => {
    const id = await get().voicemail.insert(sampleVoicemail('2007', { sha256: SHA.toUpperCase() }));
    assert.equal((await get().voicemail.get(id))?.sha256, SHA);
  });

  const bad: [string, Partial<VoicemailMessage>, string][] = [
    ['an empty mailbox', { mailbox: '' }, 'mailbox'],
    ['an empty call id', { callId: '' }, 'callId'],
    ['a caller that is not text', { caller: 1001 as unknown as string }, 'caller'],
    ['a negative time', { receivedAt: -1 }, 'receivedAt'],
    ['a fractional duration', { durationMs: 1.5 }, 'durationMs'],
    ['an empty path', { path: '' }, 'path'],
    ['a negative size', { bytes: -1 }, 'bytes'],
    ['a SHA-256 of 63 digits', { sha256: SHA.slice(1) }, 'sha256'],
  ];
  for (const [what, over, field] of bad) {
    it(`rejects a voicemail message with ${what}, naming ${field}, and stores nothing`, async () => {
      const repo = get().voicemail;
      const before = await repo.count();
      await rejectsField(repo.insert(sampleVoicemail('2008', over)), field);
      assert.equal(await repo.count(), before);
    });
  }

  it('rejects marking or reading an id that cannot exist', async () => {
    await rejectsField(get().voicemail.markHeard(0), 'id');
    await rejectsField(get().voicemail.markDeleted(-3, T0), 'id');
    await rejectsField(get().voicemail.get(1.5), 'id');
  });

  it('the CHECK constraints refuse bad voicemail rows written around the repository', async () => {
    const store = get();
    const before = await store.voicemail.count();
    const row = {
      mailbox: '2009',
      call_id: 'raw-vm',
      caller: '1002',
      caller_name: null,
      received_at: T0,
      duration_ms: 1_000,
      path: '/v.wav',
      bytes: 8_044,
      sha256: SHA,
      deleted_at: null,
    };
    const insert = (over: Record<string, unknown>) =>
      store.db
        .insertInto('voicemail_messages')
        .values({ ...row, ...over })
        .execute();
    await assert.rejects(insert({ sha256: SHA.toUpperCase() }));
    await assert.rejects(insert({ mailbox: '' }));
    await assert.rejects(insert({ bytes: -1 }));
    await assert.rejects(insert({ heard: 2 }));
    await insert({});
    assert.equal(await store.voicemail.count(), before + 1, 'the valid row alone landed');
    assert.deepEqual(
      await store.voicemail.counts('2009'),
      { newCount: 1, oldCount: 0 },
      'heard defaults to false',
    );
  });

  it('returns voicemail ids, times and sizes as JS numbers from the driver itself', async () => {
    const row = await get()
      .db.selectFrom('voicemail_messages')
      .selectAll()
      .where('mailbox', '=', '2001')
      .executeTakeFirstOrThrow();
    for (const key of ['id', 'received_at', 'duration_ms', 'bytes'] as const) {
      assert.equal(typeof row[key], 'number', `voicemail_messages.${key} is ${typeof row[key]}`);
    }
  });
}
