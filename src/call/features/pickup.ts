/**
 * Call pickup (代答): answering, from one's own phone, a call that is ringing at another
 * extension. The RingingRegistry knows which calls ring where (the ringer adds an entry when
 * an extension starts ringing and removes it when the ringing stops); `pickupCall` finds the
 * call a pickup code asks for and hands the picker's INVITE to that call's ringer, which
 * cancels the ringing phones and connects the caller to the picker.
 */
import type { SipRequest } from '../../sip/message/types.js';
import type { ServerInviteTransaction } from '../../sip/transaction/index.js';
import type { Party } from '../control/types.js';

/**
 * `picked`: the picker is connected; `gone`: the call stopped ringing meanwhile (try
 * another); `refused`: the picker's INVITE could not be taken and has been answered already.
 */
export type PickupResult = 'picked' | 'gone' | 'refused';

export type TakeCall = (
  invite: SipRequest,
  txn: ServerInviteTransaction,
  picker: Party,
) => Promise<PickupResult>;

export interface RingingCall {
  /** The extension whose phones ring. */
  readonly extension: string;
  /** Hotline's call id. */
  readonly callId: string;
  /** Who is calling (an extension number, or a number outside). */
  readonly caller: string;
  /** When the extension started ringing (ms since the epoch). */
  readonly since: number;
  readonly take: TakeCall;
}

/** Calls ringing at extensions now, oldest first. Fed by the ringer; read by pickup. */
export class RingingRegistry {
  private readonly entries: RingingCall[] = [];

  /** Adds a ringing call; the returned function removes it (idempotent). */
  add(entry: RingingCall): () => void {
    this.entries.push(entry);
    return () => {
      const i = this.entries.indexOf(entry);
      if (i !== -1) this.entries.splice(i, 1);
    };
  }

  get size(): number {
    return this.entries.length;
  }

  /** Ringing calls that match, oldest first, each call once (at its oldest matching extension). */
  find(match: (entry: RingingCall) => boolean): RingingCall[] {
    const seen = new Set<string>();
    return [...this.entries]
      .sort((x, y) => x.since - y.since)
      .filter((e) => {
        if (seen.has(e.callId) || !match(e)) return false;
        seen.add(e.callId);
        return true;
      });
  }
}

export type PickupRequest =
  { readonly kind: 'group-pickup' } | { readonly kind: 'directed-pickup'; readonly extension: string };

/**
 * Which ringing calls a pickup may take: for a group pickup, calls ringing at another
 * extension of the picker's pickup group (none when the picker has no group); for a directed
 * pickup, calls ringing at that extension, whatever its group. Never the picker's own calls.
 */
export function pickupCandidates(
  registry: RingingRegistry,
  picker: string,
  request: PickupRequest,
  groupOf: (extension: string) => string | undefined,
): RingingCall[] {
  const mine = (e: RingingCall) => e.extension === picker || e.caller === picker;
  if (request.kind === 'directed-pickup')
    return registry.find((e) => e.extension === request.extension && !mine(e));
  const group = groupOf(picker);
  if (group === undefined) return [];
  return registry.find((e) => groupOf(e.extension) === group && !mine(e));
}

/**
 * Picks up the oldest candidate call that is still ringing. True when the INVITE has been
 * taken or answered (picked, or refused by the call); false when nothing was ringing, and
 * the INVITE is still to be answered by the caller of this function.
 */
export async function takeFirst(
  candidates: readonly RingingCall[],
  invite: SipRequest,
  txn: ServerInviteTransaction,
  picker: Party,
): Promise<boolean> {
  for (const c of candidates) {
    const result = await c.take(invite, txn, picker);
    if (result !== 'gone') return true;
  }
  return false;
}
