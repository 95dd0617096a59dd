import type { CallQuality, Disposition } from './cdr.js';

/*
 * Leg records: one row per leg of a call (the caller, each agent phone rung, a transfer
 * target, a consulted party, a supervisor listening …), written when the leg ends. The
 * call's own CDR (cdr.ts) stays one row per call; leg rows share its `callId`.
 */

/** Who the leg's phone was in the call (docs/call-control.md, "Leg records"). */
export type LegRole = 'caller' | 'callee' | 'agent' | 'transfer' | 'consult' | 'supervisor';

export const LEG_ROLES: readonly LegRole[] = [
  'caller',
  'callee',
  'agent',
  'transfer',
  'consult',
  'supervisor',
];

/** inbound: the party called Hotline (we received the INVITE); outbound: Hotline called it. */
export type LegDirection = 'inbound' | 'outbound';

/** Who ended the leg: its own phone (remote), Hotline on purpose (local), or a failure (system). */
export type LegHangupBy = 'local' | 'remote' | 'system';

export interface CdrLegRecord {
  /** The call's id, as in its CDR; a leg a transfer moved carries the call it ended in. */
  readonly callId: string;
  /** Unique within a running process (`leg-17`), so unique within a call. */
  readonly legId: string;
  /** The number of the party at the end of the leg (an agent's id for an agent's phone). */
  readonly party: string;
  readonly direction: LegDirection;
  /** Absent when whoever wrote the row did not know it. */
  readonly role?: LegRole;
  /** The trunk the leg went through, for a carrier leg. */
  readonly trunk?: string;
  /** When the INVITE came in or went out (ms since the epoch). */
  readonly startedAt: number;
  readonly answeredAt?: number;
  readonly endedAt: number;
  readonly disposition: Disposition;
  readonly hangupBy?: LegHangupBy;
  /** The final SIP status: 200 for an answered leg's BYE, else the failure (486, 487, 480 …). */
  readonly sipStatus?: number;
  readonly reason?: string;
  /** The leg's received stream, when it carried audio that was measured. */
  readonly quality?: CallQuality;
}

export interface CdrLegFilter {
  readonly callId?: string;
  /** Legs of this party (e.g. one agent's phone). */
  readonly party?: string;
  /** Legs started at or after this time (ms). */
  readonly from?: number;
  /** Legs started before this time (ms). */
  readonly to?: number;
  /** Most rows returned, oldest first; default 1,000, at most 10,000. */
  readonly limit?: number;
}

export interface CdrLegStore {
  /** Resolves once the row is durable. */
  insert(leg: CdrLegRecord): Promise<void>;
}
