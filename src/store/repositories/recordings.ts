import type { Kysely } from 'kysely';
import type { RecordingRow, StoredRecording } from '../../report/recording.js';
import type { StoreLifecycle } from '../core/state.js';
import { invalid, requireCount, requireIntIn, requireNonEmpty, requireTime } from '../core/validate.js';
import { wrapQuery } from '../errors.js';
import type { Database, NewRecordingTableRow, RecordingTableRow } from '../schema.js';
import type { RecordingRepository } from '../types.js';

const WHAT = 'recording';
/** A conference recording hears every member; more legs than this is a caller's bug. */
export const MAX_RECORDING_LEGS = 256;
const SHA256_HEX = /^[0-9a-f]{64}$/i;

function requireLegs(value: unknown): string {
  if (!Array.isArray(value) || value.length === 0 || value.length > MAX_RECORDING_LEGS) {
    throw invalid(WHAT, 'legs', `must be a list of 1 to ${MAX_RECORDING_LEGS} leg ids`);
  }
  value.forEach((leg, i) => requireNonEmpty(WHAT, `legs[${i}]`, leg));
  return JSON.stringify(value);
}

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

export function toRecordingRow(r: RecordingRow): NewRecordingTableRow {
  return {
    call_id: requireNonEmpty(WHAT, 'callId', r.callId),
    legs: requireLegs(r.legs),
    started_at: requireTime(WHAT, 'startedAt', r.startedAt),
    // endedAt before startedAt is kept, as for CDRs: a clock step must not lose a recording.
    ended_at: requireTime(WHAT, 'endedAt', r.endedAt),
    duration_ms: requireTime(WHAT, 'durationMs', r.durationMs),
    path: requirePath(r.path),
    bytes: requireCount(WHAT, 'bytes', r.bytes),
    sha256: requireSha256(r.sha256),
    channels: requireIntIn(WHAT, 'channels', r.channels, 1, 2) as 1 | 2,
  };
}

/** The CHECK makes `legs` a non-empty JSON array; its members are read back as strings. */
function parseLegs(json: string): string[] {
  const parsed: unknown = JSON.parse(json);
  return Array.isArray(parsed) ? parsed.map(String) : [];
}

export function fromRecordingRow(r: RecordingTableRow): StoredRecording {
  return {
    id: Number(r.id),
    callId: r.call_id,
    legs: parseLegs(r.legs),
    startedAt: Number(r.started_at),
    endedAt: Number(r.ended_at),
    durationMs: Number(r.duration_ms),
    path: r.path,
    bytes: Number(r.bytes),
    sha256: r.sha256,
    channels: Number(r.channels) === 2 ? 2 : 1,
  };
}

/** The repository plus the hook the store calls on close to let running inserts finish. */
export interface RecordingRepositoryHandle {
  readonly repository: RecordingRepository;
  drain(): Promise<void>;
}

export function createRecordingRepository(
  db: Kysely<Database>,
  lifecycle: StoreLifecycle,
): RecordingRepositoryHandle {
  // Inserts under way; close waits for them so an accepted recording is not cut off mid-write.
  const running = new Set<Promise<unknown>>();
  const track = <T>(p: Promise<T>): Promise<T> => {
    running.add(p);
    const forget = (): void => void running.delete(p);
    p.then(forget, forget);
    return p;
  };

  const repository: RecordingRepository = {
    insert(recording) {
      try {
        lifecycle.assertOpen();
        const row = toRecordingRow(recording);
        return track(insertRecording(db, row));
      } catch (err) {
        return Promise.reject(err);
      }
    },
    async listByCall(callId) {
      lifecycle.assertOpen();
      requireNonEmpty(WHAT, 'callId', callId);
      const rows = await wrapQuery(
        `listing recordings of call ${callId}`,
        db
          .selectFrom('recordings')
          .selectAll()
          .where('call_id', '=', callId)
          .orderBy('started_at')
          .orderBy('id')
          .execute(),
      );
      return rows.map(fromRecordingRow);
    },
    async get(id) {
      lifecycle.assertOpen();
      requireIntIn(WHAT, 'id', id, 1, Number.MAX_SAFE_INTEGER);
      const row = await wrapQuery(
        `reading recording ${id}`,
        db.selectFrom('recordings').selectAll().where('id', '=', id).executeTakeFirst(),
      );
      return row === undefined ? undefined : fromRecordingRow(row);
    },
    async count() {
      lifecycle.assertOpen();
      const row = await wrapQuery(
        'counting recordings',
        db
          .selectFrom('recordings')
          .select((eb) => eb.fn.countAll<number>().as('n'))
          .executeTakeFirstOrThrow(),
      );
      return Number(row.n);
    },
  };

  return {
    repository,
    async drain() {
      await Promise.allSettled([...running]);
    },
  };
}

async function insertRecording(db: Kysely<Database>, row: NewRecordingTableRow): Promise<number> {
  const inserted = await wrapQuery(
    `saving the recording of call ${row.call_id}`,
    // RETURNING: PostgreSQL, and SQLite since 3.35 (better-sqlite3 bundles a newer one).
    db.insertInto('recordings').values(row).returning('id').executeTakeFirstOrThrow(),
  );
  return Number(inserted.id);
}
