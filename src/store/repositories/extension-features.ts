import type { Kysely, SqlBool } from 'kysely';
import type { StoreLifecycle } from '../core/state.js';
import { invalid, requireNonEmpty, requireTime } from '../core/validate.js';
import { wrapQuery } from '../errors.js';
import type { Database, ExtensionFeaturesRow } from '../schema.js';
import type {
  ExtensionFeaturePatch,
  ExtensionFeatureRepository,
  StoreKind,
  StoredExtensionFeatures,
} from '../types.js';
import { fromSqlBool, sqlBool } from './booleans.js';
import { RunningWrites } from './tracked.js';

const WHAT = 'extension features';
/** Forward targets are dialled numbers: an extension, or an external number with a prefix. */
const FORWARD_TARGET = /^[0-9*#+]{1,32}$/;
const EXTENSION_NUMBER = /^[0-9]{1,32}$/;

const FORWARDS = [
  ['forwardAlways', 'forward_always'],
  ['forwardBusy', 'forward_busy'],
  ['forwardNoAnswer', 'forward_no_answer'],
] as const;

interface Columns {
  dnd?: SqlBool;
  forward_always?: string | null;
  forward_busy?: string | null;
  forward_no_answer?: string | null;
}

function requireNumber(value: unknown): string {
  const number = requireNonEmpty(WHAT, 'number', value);
  if (!EXTENSION_NUMBER.test(number)) throw invalid(WHAT, 'number', 'must be 1 to 32 digits');
  return number;
}

/** The columns a patch changes; keys absent (or undefined) are left as they are. */
export function patchColumns(kind: StoreKind, patch: ExtensionFeaturePatch): Columns {
  if (patch === null || typeof patch !== 'object') throw invalid(WHAT, 'patch', 'must be an object');
  const out: Columns = {};
  if (patch.dnd !== undefined) {
    if (typeof patch.dnd !== 'boolean') throw invalid(WHAT, 'dnd', 'must be true or false');
    out.dnd = sqlBool(kind, patch.dnd);
  }
  for (const [key, column] of FORWARDS) {
    const value: unknown = patch[key];
    if (value === undefined) continue;
    if (value !== null && (typeof value !== 'string' || !FORWARD_TARGET.test(value))) {
      throw invalid(WHAT, key, 'must be a number of 1 to 32 of 0-9, *, # and +, or null to clear it');
    }
    out[column] = value;
  }
  return out;
}

export function fromExtensionFeaturesRow(r: ExtensionFeaturesRow): StoredExtensionFeatures {
  return {
    number: r.number,
    dnd: fromSqlBool(r.dnd),
    forwardAlways: r.forward_always,
    forwardBusy: r.forward_busy,
    forwardNoAnswer: r.forward_no_answer,
    updatedAt: Number(r.updated_at),
  };
}

/** The repository plus the hook the store calls on close to let running writes finish. */
export interface ExtensionFeatureRepositoryHandle {
  readonly repository: ExtensionFeatureRepository;
  drain(): Promise<void>;
}

/**
 * The runtime feature toggles (DND, forwards) extensions set from their phones: the
 * `FeatureState` port of the extension-feature logic, kept in `extension_features`.
 */
export function createExtensionFeatureRepository(
  db: Kysely<Database>,
  kind: StoreKind,
  lifecycle: StoreLifecycle,
  now: () => number = Date.now,
): ExtensionFeatureRepositoryHandle {
  const writes = new RunningWrites();
  const repository: ExtensionFeatureRepository = {
    async get(number) {
      lifecycle.assertOpen();
      requireNumber(number);
      const row = await wrapQuery(
        `reading the features of extension ${number}`,
        db.selectFrom('extension_features').selectAll().where('number', '=', number).executeTakeFirst(),
      );
      return row === undefined ? undefined : fromExtensionFeaturesRow(row);
    },
    set(number, patch, at) {
      try {
        lifecycle.assertOpen();
        const key = requireNumber(number);
        const changes = patchColumns(kind, patch);
        const updatedAt = requireTime(WHAT, 'updatedAt', at ?? now());
        return writes.track(upsert(db, kind, key, changes, updatedAt));
      } catch (err) {
        return Promise.reject(err);
      }
    },
    async list() {
      lifecycle.assertOpen();
      const rows = await wrapQuery(
        'listing extension features',
        db.selectFrom('extension_features').selectAll().orderBy('number').execute(),
      );
      return rows.map(fromExtensionFeaturesRow);
    },
  };
  return { repository, drain: () => writes.drain() };
}

/** One statement, so two phones toggling at once cannot lose either change. */
async function upsert(
  db: Kysely<Database>,
  kind: StoreKind,
  number: string,
  changes: Columns,
  updatedAt: number,
): Promise<void> {
  await wrapQuery(
    `saving the features of extension ${number}`,
    db
      .insertInto('extension_features')
      .values({
        number,
        dnd: sqlBool(kind, false),
        forward_always: null,
        forward_busy: null,
        forward_no_answer: null,
        ...changes,
        updated_at: updatedAt,
      })
      .onConflict((oc) => oc.column('number').doUpdateSet({ ...changes, updated_at: updatedAt }))
      .execute(),
  );
}
