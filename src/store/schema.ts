import type { Generated, Insertable, Selectable, SqlBool } from 'kysely';
import type { Disposition, HangupBy } from '../report/cdr.js';
import type { LegDirection, LegHangupBy } from '../report/cdr-leg.js';
import type { TransportName } from '../sip/message/types.js';

/*
 * The typed tables, as the code sees them after the latest migration. Every time is an
 * integer count of milliseconds since the epoch (`bigint` columns); both adapters hand
 * them back as JS numbers (see adapters/postgres.ts for the int8 parser).
 */

/** One row per applied migration; written by migrations/runner.ts only. */
export interface SchemaMigrationsTable {
  version: number;
  name: string;
  applied_at: number;
}

/** SIP bindings (RFC 3261 §10.3), keyed by (aor, contact_uri). */
export interface RegistrationsTable {
  aor: string;
  contact_uri: string;
  expires_at: number;
  call_id: string;
  cseq: number;
  q: number | null;
  source_transport: TransportName;
  source_address: string;
  source_port: number;
  source_connection_id: string | null;
  user_agent: string | null;
  instance_id: string | null;
  updated_at: number;
}

/** Call detail records. `duration_ms` is billable talk time, fixed at insert. */
export interface CdrsTable {
  id: Generated<number>;
  call_id: string;
  caller: string;
  callee: string;
  started_at: number;
  answered_at: number | null;
  ended_at: number;
  duration_ms: number;
  disposition: Disposition;
  hangup_by: HangupBy | null;
  sip_cause: number | null;
  reason: string | null;
  /** Call quality (0002_media): mos, loss_percent and jitter_ms are all set or all NULL. */
  mos: number | null;
  loss_percent: number | null;
  jitter_ms: number | null;
  rtt_ms: number | null;
  /** The call's associated data as a JSON object (0002_media). */
  data: string | null;
}

/** One recording file of a call (0002_media). */
export interface RecordingsTable {
  id: Generated<number>;
  call_id: string;
  /** JSON array of leg ids or party numbers. */
  legs: string;
  started_at: number;
  ended_at: number;
  duration_ms: number;
  path: string;
  bytes: number;
  /** 64 lower-case hex digits. */
  sha256: string;
  channels: 1 | 2;
}

/** One voicemail message (0003_routing). A deleted message keeps its row, with deleted_at. */
export interface VoicemailMessagesTable {
  id: Generated<number>;
  mailbox: string;
  call_id: string;
  caller: string;
  caller_name: string | null;
  received_at: number;
  duration_ms: number;
  path: string;
  bytes: number;
  /** 64 lower-case hex digits. */
  sha256: string;
  /** 0/1 in SQLite, boolean in PostgreSQL: write it with sqlBool() (repositories/booleans.ts). */
  heard: Generated<SqlBool>;
  deleted_at: number | null;
}

/** The IVR step log (0003_routing): one row per node a call visited. */
export interface IvrStepsTable {
  id: Generated<number>;
  call_id: string;
  flow_id: string;
  flow_version: number;
  node_id: string;
  node_type: string;
  entered_at: number;
  exit: string | null;
  digits: string | null;
  duration_ms: number;
}

/** Feature toggles set from phones (0003_routing), one row per extension that set any. */
export interface ExtensionFeaturesTable {
  number: string;
  dnd: Generated<SqlBool>;
  forward_always: string | null;
  forward_busy: string | null;
  forward_no_answer: string | null;
  updated_at: number;
}

/** The queue event log (0004_queue_log), Asterisk queue_log columns; data fields '' when unused. */
export interface QueueLogTable {
  id: Generated<number>;
  time: number;
  call_id: string;
  queue: string;
  agent: string;
  event: string;
  data1: string;
  data2: string;
  data3: string;
  data4: string;
  data5: string;
}

/** One row per call leg (0005_cdr_legs); `duration_ms` is the leg's talk time, fixed at insert. */
export interface CdrLegsTable {
  id: Generated<number>;
  call_id: string;
  leg_id: string;
  party: string;
  direction: LegDirection;
  role: string | null;
  trunk: string | null;
  started_at: number;
  answered_at: number | null;
  ended_at: number;
  duration_ms: number;
  disposition: Disposition;
  hangup_by: LegHangupBy | null;
  sip_status: number | null;
  reason: string | null;
  /** As on CDRs: mos, loss_percent and jitter_ms are all set or all NULL. */
  mos: number | null;
  loss_percent: number | null;
  jitter_ms: number | null;
  rtt_ms: number | null;
}

export interface Database {
  schema_migrations: SchemaMigrationsTable;
  registrations: RegistrationsTable;
  cdrs: CdrsTable;
  recordings: RecordingsTable;
  voicemail_messages: VoicemailMessagesTable;
  ivr_steps: IvrStepsTable;
  extension_features: ExtensionFeaturesTable;
  queue_log: QueueLogTable;
  cdr_legs: CdrLegsTable;
}

export type RegistrationRow = Selectable<RegistrationsTable>;
export type NewRegistrationRow = Insertable<RegistrationsTable>;
export type CdrRow = Selectable<CdrsTable>;
export type NewCdrRow = Insertable<CdrsTable>;
export type RecordingTableRow = Selectable<RecordingsTable>;
export type NewRecordingTableRow = Insertable<RecordingsTable>;
export type VoicemailTableRow = Selectable<VoicemailMessagesTable>;
export type NewVoicemailTableRow = Insertable<VoicemailMessagesTable>;
export type IvrStepTableRow = Selectable<IvrStepsTable>;
export type NewIvrStepTableRow = Insertable<IvrStepsTable>;
export type ExtensionFeaturesRow = Selectable<ExtensionFeaturesTable>;
export type QueueLogTableRow = Selectable<QueueLogTable>;
export type NewQueueLogTableRow = Insertable<QueueLogTable>;
export type CdrLegTableRow = Selectable<CdrLegsTable>;
export type NewCdrLegTableRow = Insertable<CdrLegsTable>;

/** The values the CHECK constraints allow, shared by migrations and validation. */
export const DISPOSITIONS: readonly Disposition[] = ['answered', 'busy', 'no-answer', 'cancelled', 'failed'];
export const HANGUP_BY: readonly HangupBy[] = ['caller', 'callee', 'system'];
export const LEG_DIRECTIONS: readonly LegDirection[] = ['inbound', 'outbound'];
export const LEG_HANGUP_BY: readonly LegHangupBy[] = ['local', 'remote', 'system'];
export const TRANSPORTS: readonly TransportName[] = ['UDP', 'TCP', 'TLS', 'WS', 'WSS'];
