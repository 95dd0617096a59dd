import type { Kysely } from 'kysely';
import type { Logger } from '../platform/log.js';
import type { CdrRecord, CdrStore } from '../report/cdr.js';
import type { RecordingStore } from '../report/recording.js';
import type { BindingStore } from '../sip/registrar/types.js';
import type { Database } from './schema.js';

export type StoreKind = 'sqlite' | 'postgres';

export interface OpenStoreOptions {
  /**
   * `sqlite` (the file `${dataDir}/hotline.db`), `sqlite:PATH` (relative paths are taken
   * from dataDir; `sqlite::memory:` for a throw-away database), or a `postgres://` /
   * `postgresql://` URL. libpq URL parameters such as `sslmode` and
   * `options=-c search_path=…` are honoured by the driver.
   */
  readonly database: string;
  readonly dataDir: string;
  readonly logger?: Logger;
}

export interface RegistrationRepository extends BindingStore {
  count(): Promise<number>;
}

/** A CDR as stored: its row id and the billable talk time computed at insert. */
export type StoredCdr = CdrRecord & { readonly id: number; readonly durationMs: number };

export interface CdrFilter {
  readonly callId?: string;
  /** Most rows returned, newest first; default 100, at most 10,000. */
  readonly limit?: number;
}

export interface CdrRepository extends CdrStore {
  /** Resolves once the row is committed; concurrent inserts share one multi-row INSERT. */
  insert(cdr: CdrRecord): Promise<void>;
  /** Newest first (by started_at, then id). */
  list(filter?: CdrFilter): Promise<StoredCdr[]>;
  count(): Promise<number>;
}

export interface RecordingRepository extends RecordingStore {
  count(): Promise<number>;
}

export interface Store {
  readonly kind: StoreKind;
  /** For repositories added by other modules; SQL stays in repositories (STYLE 12). */
  readonly db: Kysely<Database>;
  readonly registrations: RegistrationRepository;
  readonly cdrs: CdrRepository;
  readonly recordings: RecordingRepository;
  /** Writes what was accepted, then closes the connection(s). Idempotent; later calls reject. */
  close(): Promise<void>;
}
