import {
  createResponse,
  parseReferTo,
  parseReplaces,
  referSubscriptionState,
  sipfrag,
  SIPFRAG_CONTENT_TYPE,
  wantsNoReferSubscription,
  type ReplacesTarget,
} from '../../sip/message/index.js';
import type { SipRequest } from '../../sip/message/types.js';
import type { ServerInviteTransaction, ServerTransaction } from '../../sip/transaction/index.js';
import { Conference } from './conference.js';
import type { CallControl } from './control.js';
import type { InboundCallLeg } from './inbound.js';
import type { Leg } from './leg.js';
import type { Party } from './types.js';

export interface TransferResult {
  readonly ok: boolean;
  /** 200 when connected; otherwise the target's final status (486, 480 …). */
  readonly status: number;
  readonly target?: Leg;
}

/** A second call made while the first party waits on hold (consultation, 咨询). */
export interface Consultation {
  /** The party who consults (the agent). */
  readonly agent: Leg;
  /** The party on hold meanwhile (the customer). */
  readonly held: Leg;
  /** The consulted party, once answered. */
  readonly target: Leg;
  readonly answered: boolean;
}

/**
 * Blind transfer: `staying` (whose partner is going away) is connected to `number`. It hears
 * ring-back meanwhile; when the target fails it is left as it was (still up, unbridged).
 */
export async function blindTransfer(
  control: CallControl,
  staying: Leg,
  number: string,
  opts: { caller?: Party; ringTimeoutMs?: number } = {},
): Promise<TransferResult> {
  const call = control.get(staying.callId);
  if (!call || staying.isEnded) return { ok: false, status: 481 };
  control.protect(staying, true);
  try {
    await control.unbridge(staying);
    void control.play(staying, [{ tone: 'ringback' }], { loop: true });
    const target = await control.originate(call, number, {
      caller: opts.caller ?? staying.party,
      role: 'transfer',
      ...(opts.ringTimeoutMs !== undefined ? { ringTimeoutMs: opts.ringTimeoutMs } : {}),
    });
    const answered = await control.answered(target);
    await staying.stopPlay();
    if (!answered || staying.isEnded) {
      target.hangup(487);
      return { ok: false, status: target.ended?.status ?? 487 };
    }
    await control.bridge(staying, target);
    control.log.info({ callId: call.id, to: number }, 'transferred');
    return { ok: true, status: 200, target };
  } catch (err) {
    control.log.error({ err }, 'transfer failed');
    return { ok: false, status: 503 };
  } finally {
    control.protect(staying, false);
  }
}

/** Puts the agent's partner on hold and calls `number` for the agent. */
export async function consult(control: CallControl, agent: Leg, number: string): Promise<Consultation> {
  const call = control.get(agent.callId);
  const held = control.partnerOf(agent);
  if (!call || !held) throw new Error(`leg ${agent.id} is not in a two-party call`);
  control.protect(held, true);
  control.protect(agent, true);
  await control.unbridge(agent);
  await control.hold(held);
  const target = await control.originate(call, number, { caller: agent.party, role: 'consult' });
  void control.play(agent, [{ tone: 'ringback' }], { loop: true });
  const answered = await control.answered(target);
  await agent.stopPlay();
  if (answered && !agent.isEnded) await control.bridge(agent, target);
  return { agent, held, target, answered };
}

/** Attended transfer: the held party and the consulted party talk; the agent leaves. */
export async function completeTransfer(control: CallControl, c: Consultation): Promise<boolean> {
  if (!c.target.isUp || c.held.isEnded) return false;
  control.protect(c.target, true);
  await control.retrieve(c.held);
  await control.bridge(c.held, c.target);
  control.protect(c.held, false);
  control.protect(c.target, false);
  control.protect(c.agent, false);
  c.agent.hangup(200);
  return true;
}

/** Back to the held party: the consulted one is hung up. */
export async function cancelConsult(control: CallControl, c: Consultation): Promise<void> {
  c.target.hangup(487);
  await control.retrieve(c.held);
  control.protect(c.held, false);
  control.protect(c.agent, false);
  if (!c.agent.isEnded && !c.held.isEnded) await control.bridge(c.agent, c.held);
}

/** Three-way: the held party, the agent and the consulted party in one conference. */
export async function conferenceIn(control: CallControl, c: Consultation): Promise<Conference> {
  const room = await Conference.open(control);
  for (const leg of [c.held, c.agent, c.target]) await room.add(leg);
  for (const leg of [c.held, c.agent, c.target]) control.protect(leg, false);
  return room;
}

/** Finds the live leg whose dialog a Replaces header names (either tag order is accepted). */
export function findReplaced(control: CallControl, t: ReplacesTarget): Leg | undefined {
  for (const leg of control.legs()) {
    const d = leg.dialogId;
    if (!d || d.callId !== t.callId) continue;
    if (
      (d.localTag === t.toTag && d.remoteTag === t.fromTag) ||
      (d.localTag === t.fromTag && d.remoteTag === t.toTag)
    ) {
      return leg;
    }
  }
  return undefined;
}

/**
 * A REFER from a phone in a call (RFC 3515): blind (Refer-To a number) or attended (Refer-To
 * with Replaces naming the phone's other call). Hotline does the transfer itself, as a
 * B2BUA, and reports progress with NOTIFY message/sipfrag; the transferor is hung up once
 * the transfer has succeeded.
 */
export function handleRefer(control: CallControl, leg: Leg, req: SipRequest, txn: ServerTransaction): void {
  const respond = (status: number, reason?: string) =>
    txn.respond(createResponse(req, status, reason, { headers: [control.ctx.serverHeader] }));
  const header = req.headers.find((h) => h.name.toLowerCase() === 'refer-to' || h.name === 'r');
  if (!header) return respond(400, 'Missing Refer-To');
  const referTo = parseReferTo(header.value);
  if (!referTo.ok) return respond(400, `Bad Refer-To: ${referTo.reason}`);
  const partner = control.partnerOf(leg);
  const { replaces } = referTo.value;
  const replaced = replaces ? findReplaced(control, replaces) : undefined;
  if (!partner) return respond(603, 'Declined: nobody to transfer');
  if (replaces && (!replaced || !control.partnerOf(replaced)))
    return respond(481, 'Replaced dialog not found');
  const number = referTo.value.target.uri.user;
  if (!replaces && !number) return respond(400, 'Refer-To has no number');
  respond(202, 'Accepted');
  const subscribe = !wantsNoReferSubscription(req);
  const notify = (status: number, final: boolean) => {
    if (!subscribe || leg.isEnded) return Promise.resolve();
    return new Promise<void>((resolve) =>
      leg.request('NOTIFY', Buffer.from(sipfrag(status)), () => resolve(), {
        contentType: SIPFRAG_CONTENT_TYPE,
        headers: [
          { name: 'Event', value: 'refer' },
          { name: 'Subscription-State', value: referSubscriptionState(final) },
        ],
      }),
    );
  };
  void (async () => {
    await notify(100, false);
    if (replaced) {
      const other = control.partnerOf(replaced)!;
      control.protect(partner, true);
      control.protect(other, true);
      await control.unbridge(leg);
      await control.unbridge(replaced);
      const call = control.get(partner.callId);
      if (call) control.attach(call, other);
      await control.retrieve(partner);
      await control.retrieve(other);
      await control.bridge(partner, other);
      control.protect(partner, false);
      control.protect(other, false);
      await notify(200, true);
      replaced.hangup(200);
      leg.hangup(200);
      control.log.info({ callId: partner.callId }, 'attended transfer by REFER');
      return;
    }
    const result = await blindTransfer(control, partner, number!, { caller: partner.party });
    await notify(result.ok ? 200 : result.status, true);
    if (result.ok) leg.hangup(200);
    else if (!leg.isEnded && !partner.isEnded) await control.bridge(leg, partner);
  })();
}

/**
 * An INVITE with Replaces (RFC 3891): the new caller takes the place of the named leg in its
 * call, bridged to that leg's partner; the replaced leg is hung up. 481 when no such dialog.
 */
export async function replaceInvite(
  control: CallControl,
  invite: SipRequest,
  txn: ServerInviteTransaction,
  party: Party,
  replacesValue: string,
): Promise<boolean> {
  const parsed = parseReplaces(replacesValue);
  if (!parsed.ok) {
    control.ctx.ua.respond(txn, 400, `Bad Replaces: ${parsed.reason}`);
    return false;
  }
  const replaced = findReplaced(control, parsed.value);
  const partner = replaced ? control.partnerOf(replaced) : undefined;
  const call = replaced ? control.get(replaced.callId) : undefined;
  if (!replaced || !partner || !call) {
    control.ctx.ua.respond(txn, 481, 'Call/Transaction Does Not Exist');
    return false;
  }
  if (parsed.value.earlyOnly && replaced.isUp) {
    // RFC 3891 §3: early-only naming a confirmed dialog is refused with 486.
    control.ctx.ua.respond(txn, 486, 'Busy Here');
    return false;
  }
  const leg: InboundCallLeg | null = await control.acceptInbound(call, invite, txn, party, 'transfer');
  if (!leg) return false;
  leg.answer();
  control.protect(partner, true);
  await control.unbridge(replaced);
  await control.retrieve(partner);
  await control.bridge(partner, leg);
  control.protect(partner, false);
  replaced.hangup(200);
  control.log.info({ callId: call.id, party: party.number }, 'dialog replaced');
  return true;
}
