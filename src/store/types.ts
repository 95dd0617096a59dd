import type { Kysely } from 'kysely';
import type { Logger } from '../platform/log.js';
import type { CdrRecord, CdrStore } from '../report/cdr.js';
import type { CdrLegFilter, CdrLegRecord, CdrLegStore } from '../report/cdr-leg.js';
import type { QueueLogStore } from '../report/queue-log.js';
import type { RecordingStore } from '../report/recording.js';
import type { VoicemailStore } from '../report/voicemail.js';
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
  /** Calls from this caller number (as written in the CDR). */
  readonly caller?: string;
  /** Calls started at or after this time (ms). */
  readonly since?: number;
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

/** A leg record as stored: its row id and the leg's talk time computed at insert. */
export type StoredCdrLeg = CdrLegRecord & { readonly id: number; readonly durationMs: number };

export interface CdrLegRepository extends CdrLegStore {
  /** Resolves once the row is committed; concurrent inserts share one multi-row INSERT. */
  insert(leg: CdrLegRecord): Promise<void>;
  /** Oldest first (by started_at, then id). */
  list(filter?: CdrLegFilter): Promise<StoredCdrLeg[]>;
  count(): Promise<number>;
}

export interface RecordingRepository extends RecordingStore {
  count(): Promise<number>;
}

export interface VoicemailRepository extends VoicemailStore {
  count(): Promise<number>;
}

/**
 * One node a call visited in an IVR flow: the shape the IVR engine's step log writes
 * (`StepLog.write(step)`). `exit` is the exit the node left by (null while the call hung up
 * in it); `digits` what the caller pressed there, if anything.
 */
export interface IvrStepRecord {
  readonly callId: string;
  readonly flowId: string;
  readonly flowVersion: number;
  readonly nodeId: string;
  readonly nodeType: string;
  /** ms since the epoch. */
  readonly enteredAt: number;
  readonly exit: string | null;
  readonly digits: string | null;
  readonly durationMs: number;
}

export type StoredIvrStep = IvrStepRecord & { readonly id: number };

/** How many visits of a node left it by one exit: a row of a funnel report. */
export interface IvrNodeVisits {
  readonly nodeId: string;
  readonly nodeType: string;
  readonly exit: string | null;
  readonly visits: number;
}

/** Which visits a funnel report counts: entered in [from, to) when given. */
export interface IvrFunnelFilter {
  readonly from?: number;
  readonly to?: number;
}

export interface IvrStepRepository {
  /** Resolves once the row is committed; concurrent writes share one multi-row INSERT. */
  write(step: IvrStepRecord): Promise<void>;
  /** The call's steps in the order they were entered. */
  listByCall(callId: string): Promise<StoredIvrStep[]>;
  /** Visits per node and exit of one version of a flow, by node id then exit. */
  funnel(flowId: string, flowVersion: number, filter?: IvrFunnelFilter): Promise<IvrNodeVisits[]>;
  count(): Promise<number>;
}

/** The features a user sets from the phone (*78 DND, *72 forward …); a forward names a number. */
export interface ExtensionFeatureToggles {
  readonly dnd: boolean;
  readonly forwardAlways: string | null;
  readonly forwardBusy: string | null;
  readonly forwardNoAnswer: string | null;
}

export type StoredExtensionFeatures = ExtensionFeatureToggles & {
  readonly number: string;
  /** ms since the epoch of the last change. */
  readonly updatedAt: number;
};

/** A change: keys left out keep their value; a forward set to null is cleared. */
export type ExtensionFeaturePatch = Partial<ExtensionFeatureToggles>;

export interface ExtensionFeatureRepository {
  /** undefined when the extension never set a feature (every feature off). */
  get(number: string): Promise<StoredExtensionFeatures | undefined>;
  /** Applies `patch` (creating the row, every other feature off); `at` defaults to now. */
  set(number: string, patch: ExtensionFeaturePatch, at?: number): Promise<void>;
  /** Every extension that set a feature, by number. */
  list(): Promise<StoredExtensionFeatures[]>;
}

export interface QueueLogRepository extends QueueLogStore {
  count(): Promise<number>;
}

export interface Store {
  readonly kind: StoreKind;
  /** For repositories added by other modules; SQL stays in repositories (STYLE 12). */
  readonly db: Kysely<Database>;
  readonly registrations: RegistrationRepository;
  readonly cdrs: CdrRepository;
  /** One row per call leg, beside the call's CDR; appends are group-committed like CDRs. */
  readonly cdrLegs: CdrLegRepository;
  readonly recordings: RecordingRepository;
  readonly voicemail: VoicemailRepository;
  readonly ivrSteps: IvrStepRepository;
  readonly extensionFeatures: ExtensionFeatureRepository;
  /** The Asterisk-style queue event log; appends are group-committed like CDRs. */
  readonly queueLog: QueueLogRepository;
  /** Writes what was accepted, then closes the connection(s). Idempotent; later calls reject. */
  close(): Promise<void>;
}
