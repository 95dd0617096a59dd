import type { Kysely } from 'kysely';
import type { StoredVoicemailMessage, VoicemailMessage } from '../../report/voicemail.js';
import type { StoreLifecycle } from '../core/state.js';
import {
  invalid,
  optionalString,
  requireCount,
  requireIntIn,
  requireNonEmpty,
  requireString,
  requireTime,
} from '../core/validate.js';
import { wrapQuery } from '../errors.js';
import type { Database, NewVoicemailTableRow, VoicemailTableRow } from '../schema.js';
import type { StoreKind, VoicemailRepository } from '../types.js';
import { fromSqlBool, sqlBool } from './booleans.js';
import { RunningWrites } from './tracked.js';

const WHAT = 'voicemail message';
const SHA256_HEX = /^[0-9a-f]{64}$/i;

function requireSha256(value: unknown): string {
  if (typeof value !== 'string' || !SHA256_HEX.test(value)) {
    throw invalid(WHAT, 'sha256', 'must be 64 hexadecimal digits');
  }
  return value.toLowerCase();
}

function requirePath(value: unknown): string {
  const path = requireNonEmpty(WHAT, 'path', value);
  // A NUL byte cannot be in a file name; such a "path" would never open.
  if (path.includes('\0')) throw invalid(WHAT, 'path', 'must not contain a NUL character');
  return path;
}

function requireId(value: unknown): number {
  return requireIntIn(WHAT, 'id', value, 1, Number.MAX_SAFE_INTEGER);
}

export function toVoicemailRow(m: VoicemailMessage): NewVoicemailTableRow {
  return {
    mailbox: requireNonEmpty(WHAT, 'mailbox', m.mailbox),
    call_id: requireNonEmpty(WHAT, 'callId', m.callId),
    caller: requireString(WHAT, 'caller', m.caller),
    caller_name: optionalString(WHAT, 'callerName', m.callerName),
    received_at: requireTime(WHAT, 'receivedAt', m.receivedAt),
    duration_ms: requireTime(WHAT, 'durationMs', m.durationMs),
    path: requirePath(m.path),
    bytes: requireCount(WHAT, 'bytes', m.bytes),
    sha256: requireSha256(m.sha256),
  };
}

export function fromVoicemailRow(r: VoicemailTableRow): StoredVoicemailMessage {
  return {
    id: Number(r.id),
    mailbox: r.mailbox,
    callId: r.call_id,
    caller: r.caller,
    ...(r.caller_name !== null && { callerName: r.caller_name }),
    receivedAt: Number(r.received_at),
    durationMs: Number(r.duration_ms),
    path: r.path,
    bytes: Number(r.bytes),
    sha256: r.sha256,
    heard: fromSqlBool(r.heard),
    ...(r.deleted_at !== null && { deletedAt: Number(r.deleted_at) }),
  };
}

/** The repository plus the hook the store calls on close to let running writes finish. */
export interface VoicemailRepositoryHandle {
  readonly repository: VoicemailRepository;
  drain(): Promise<void>;
}

export function createVoicemailRepository(
  db: Kysely<Database>,
  kind: StoreKind,
  lifecycle: StoreLifecycle,
): VoicemailRepositoryHandle {
  const writes = new RunningWrites();
  /** Runs `fn` once the store is known open; validation errors reject like query errors. */
  const guarded = <T>(fn: () => Promise<T>): Promise<T> => {
    try {
      lifecycle.assertOpen();
      return writes.track(fn());
    } catch (err) {
      return Promise.reject(err);
    }
  };
  const live = (id: number) =>
    db.updateTable('voicemail_messages').where('id', '=', id).where('deleted_at', 'is', null);

  const repository: VoicemailRepository = {
    insert(message) {
      return guarded(async () => {
        const row = toVoicemailRow(message);
        const inserted = await wrapQuery(
          `saving a voicemail message for mailbox ${row.mailbox}`,
          db.insertInto('voicemail_messages').values(row).returning('id').executeTakeFirstOrThrow(),
        );
        return Number(inserted.id);
      });
    },
    async listMailbox(mailbox) {
      lifecycle.assertOpen();
      requireNonEmpty(WHAT, 'mailbox', mailbox);
      const rows = await wrapQuery(
        `listing the messages of mailbox ${mailbox}`,
        db
          .selectFrom('voicemail_messages')
          .selectAll()
          .where('mailbox', '=', mailbox)
          .where('deleted_at', 'is', null)
          // false before true in both dialects (0 before 1 in SQLite): new messages first.
          .orderBy('heard')
          .orderBy('received_at')
          .orderBy('id')
          .execute(),
      );
      return rows.map(fromVoicemailRow);
    },
    async get(id) {
      lifecycle.assertOpen();
      requireId(id);
      const row = await wrapQuery(
        `reading voicemail message ${id}`,
        db.selectFrom('voicemail_messages').selectAll().where('id', '=', id).executeTakeFirst(),
      );
      return row === undefined ? undefined : fromVoicemailRow(row);
    },
    markHeard(id, heard = true) {
      return guarded(async () => {
        requireId(id);
        if (typeof heard !== 'boolean') throw invalid(WHAT, 'heard', 'must be true or false');
        const result = await wrapQuery(
          `marking voicemail message ${id} ${heard ? 'heard' : 'new'}`,
          live(id)
            .set({ heard: sqlBool(kind, heard) })
            .executeTakeFirst(),
        );
        return result.numUpdatedRows > 0n;
      });
    },
    markDeleted(id, at) {
      return guarded(async () => {
        requireId(id);
        const deletedAt = requireTime(WHAT, 'deletedAt', at);
        const result = await wrapQuery(
          `deleting voicemail message ${id}`,
          live(id).set({ deleted_at: deletedAt }).executeTakeFirst(),
        );
        return result.numUpdatedRows > 0n;
      });
    },
    async counts(mailbox) {
      lifecycle.assertOpen();
      requireNonEmpty(WHAT, 'mailbox', mailbox);
      const rows = await wrapQuery(
        `counting the messages of mailbox ${mailbox}`,
        db
          .selectFrom('voicemail_messages')
          .select((eb) => ['heard', eb.fn.countAll<number>().as('n')])
          .where('mailbox', '=', mailbox)
          .where('deleted_at', 'is', null)
          .groupBy('heard')
          .execute(),
      );
      let newCount = 0;
      let oldCount = 0;
      for (const r of rows) {
        if (fromSqlBool(r.heard)) oldCount += Number(r.n);
        else newCount += Number(r.n);
      }
      return { newCount, oldCount };
    },
    async count() {
      lifecycle.assertOpen();
      const row = await wrapQuery(
        'counting voicemail messages',
        db
          .selectFrom('voicemail_messages')
          .select((eb) => eb.fn.countAll<number>().as('n'))
          .executeTakeFirstOrThrow(),
      );
      return Number(row.n);
    },
  };
  return { repository, drain: () => writes.drain() };
}
