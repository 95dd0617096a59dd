/**
 * Leg records: one row per leg of a call, written when the leg ends, beside the call's one
 * CDR (control.ts finishCall). The decisions (role, disposition, the row itself) are pure
 * functions; LegRecorder only follows legs and hands rows to the store.
 *
 * Every leg call control creates is recorded, attached to a call or not: a trunk try that
 * failed (and was retried on another trunk) has a row of its own, with its trunk and status.
 * An INVITE refused before it became a leg has none (the call's CDR says why).
 */
import type { StreamQuality } from '../../media/index.js';
import type { Clock } from '../../platform/clock.js';
import type { Logger } from '../../platform/log.js';
import type { CallQuality, Disposition } from '../../report/cdr.js';
import type { CdrLegRecord, CdrLegStore, LegDirection, LegRole } from '../../report/cdr-leg.js';
import { dispositionOf } from '../call-record.js';
import type { Call } from './call.js';
import type { Leg } from './leg.js';
import type { LegEnd } from './types.js';

/** What the creator of a leg knows about it. */
export interface LegTags {
  readonly direction: LegDirection;
  /** Said by whoever created the leg (a transfer, a consultation, the ACD …). */
  readonly role?: LegRole;
  readonly trunk?: string;
}

/** The creator's role, else caller for the leg that started its call, callee for any other. */
export function legRole(given: LegRole | undefined, first: boolean): LegRole {
  return given ?? (first ? 'caller' : 'callee');
}

/**
 * How a leg's end reads in its record. A phone Hotline called and stopped ringing itself
 * (ring timeout, RONA, answered by another agent, the caller left) did not answer: its
 * status is the CANCEL's 487, but the party is what the row is about.
 */
export function legDisposition(direction: LegDirection, answered: boolean, end: LegEnd): Disposition {
  if (answered) return 'answered';
  if (direction === 'outbound' && end.by === 'local') return 'no-answer';
  return dispositionOf(end.status);
}

/** The trunk a call's first inbound leg came from (inbound routing puts it in the call's data). */
export function inboundTrunk(call: Call): string | undefined {
  const trunk = call.data['trunk'];
  return call.legs.size === 0 && typeof trunk === 'string' ? trunk : undefined;
}

/** The stream quality as a record holds it; undefined when nothing was measured. */
export function toCallQuality(q: StreamQuality | null): CallQuality | undefined {
  if (!q || q.mos === null) return undefined;
  return { mos: q.mos, lossPercent: q.lossPercent, jitterMs: q.jitterMs, rttMs: q.rttMs };
}

export interface LegFacts {
  readonly callId: string;
  readonly legId: string;
  readonly party: string;
  readonly tags: LegTags;
  readonly first: boolean;
  readonly startedAt: number;
  readonly answeredAt: number | undefined;
  readonly endedAt: number;
  readonly end: LegEnd;
  readonly quality: StreamQuality | null;
}

export function buildLegRecord(f: LegFacts): CdrLegRecord {
  const quality = toCallQuality(f.quality);
  const answered = f.answeredAt !== undefined;
  return {
    callId: f.callId,
    legId: f.legId,
    party: f.party,
    direction: f.tags.direction,
    role: legRole(f.tags.role, f.first),
    ...(f.tags.trunk !== undefined ? { trunk: f.tags.trunk } : {}),
    startedAt: f.startedAt,
    ...(answered ? { answeredAt: f.answeredAt } : {}),
    endedAt: f.endedAt,
    disposition: legDisposition(f.tags.direction, answered, f.end),
    hangupBy: f.end.by,
    sipStatus: f.end.status,
    ...(f.end.reason ? { reason: f.end.reason } : {}),
    ...(quality ? { quality } : {}),
  };
}

/** Follows the legs call control creates and writes each one's row when it ends. */
export class LegRecorder {
  private readonly tags = new WeakMap<Leg, { current: LegTags }>();

  constructor(
    private readonly store: CdrLegStore,
    /** The live call with this id (the leg's call when it ends). */
    private readonly callOf: (callId: string) => Call | undefined,
    private readonly clock: Pick<Clock, 'now'>,
    private readonly log: Logger,
  ) {}

  /**
   * Records `leg` when it ends. Call before the leg's other 'ended' listeners (call control's
   * own), so that its call is still known then.
   */
  track(leg: Leg, direction: LegDirection, role?: LegRole, trunk?: string): void {
    const entry: { current: LegTags } = {
      current: { direction, ...(role ? { role } : {}), ...(trunk ? { trunk } : {}) },
    };
    this.tags.set(leg, entry);
    if (leg.ended) return this.write(leg, entry.current, leg.ended);
    leg.once('ended', (end) => this.write(leg, entry.current, end));
  }

  /** A transfer brought `leg` from another call into this one: it is the transfer's target here. */
  moved(leg: Leg): void {
    const entry = this.tags.get(leg);
    if (entry) entry.current = { ...entry.current, role: 'transfer' };
  }

  private write(leg: Leg, tags: LegTags, end: LegEnd): void {
    const endedAt = this.clock.now();
    const first = this.callOf(leg.callId)?.first === leg;
    void (async () => {
      const record = buildLegRecord({
        callId: leg.callId,
        legId: leg.id,
        party: leg.party.number,
        tags,
        first,
        startedAt: leg.startedAt,
        answeredAt: leg.answeredAt,
        endedAt,
        end,
        quality: await leg.closeMedia(),
      });
      await this.store.insert(record);
    })().catch((err: unknown) =>
      this.log.error({ err, callId: leg.callId, legId: leg.id }, 'leg record could not be written'),
    );
  }
}
