/**
 * A call for an extension or a ring group, carried out (I/O over call control): the caller's
 * INVITE becomes the first leg of a call, then the decision core says where it goes — ring
 * the extension (and its find-me numbers), forward it, voicemail, or refuse — and the call
 * follows the forwards until someone answers or it is refused.
 */
import type { Logger } from '../../platform/log.js';
import type { Destination } from '../../routing/types.js';
import type { SipRequest } from '../../sip/message/types.js';
import type { ServerInviteTransaction } from '../../sip/transaction/index.js';
import type { Call } from '../control/call.js';
import type { InboundCallLeg } from '../control/inbound.js';
import type { Party } from '../control/types.js';
import { startChain } from './chain.js';
import { availabilityOf, featuresOf, onCall, type FeatureDeps } from './deps.js';
import { afterRinging, planCall } from './plan.js';
import { ringGroupFallback, ringGroupPlan } from './ring-group.js';
import { Ringer, type RingOutcome } from './ringer.js';
import type { Chain, RingStage, Treatment } from './types.js';

interface Step {
  readonly to: Destination;
  readonly chain: Chain;
}

interface Session {
  readonly deps: FeatureDeps;
  readonly call: Call;
  readonly caller: InboundCallLeg;
  readonly log: Logger;
}

/**
 * Takes the INVITE as a call to `to` (an extension or a ring group). Resolves true: the
 * INVITE always becomes a call here (refused ones included, with their CDR).
 */
export interface RouteCallOptions {
  /** The number the caller dialled, for the CDR (a DID); default the destination's number. */
  readonly dialled?: string;
  /** Associated data the call starts with (the DID, the caller's region …). */
  readonly data?: Readonly<Record<string, string | number | boolean>>;
}

export async function routeCall(
  deps: FeatureDeps,
  invite: SipRequest,
  txn: ServerInviteTransaction,
  party: Party,
  to: Destination,
  opts: RouteCallOptions = {},
): Promise<boolean> {
  const { control } = deps;
  const dialled =
    opts.dialled ?? (to.type === 'extension' ? to.number : to.type === 'ringGroup' ? to.group : to.type);
  const call = control.createCall(party, dialled);
  for (const [key, value] of Object.entries(opts.data ?? {})) call.setData(key, value);
  const caller = await control.acceptInbound(call, invite, txn, party);
  if (!caller) return true;
  const s: Session = { deps, call, caller, log: deps.logger.child({ callId: call.id }) };
  // Forks come and go while the call is passed on: none of them may take the caller along.
  control.protect(caller, true);
  try {
    const callerExt = deps.settings().isExtension(party.number) ? party.number : undefined;
    let step: Step | undefined = { to, chain: startChain(to, callerExt) };
    while (step && !caller.isEnded) step = await go(s, step);
  } finally {
    control.protect(caller, false);
  }
  return true;
}

async function go(s: Session, step: Step): Promise<Step | undefined> {
  const { to } = step;
  switch (to.type) {
    case 'extension':
      return toExtension(s, to.number, step.chain);
    case 'ringGroup':
      return toRingGroup(s, to.group, step.chain);
    case 'external': {
      const stage = {
        targets: [{ kind: 'external', number: to.number }],
        durationMs: noAnswerMs(s),
      } as const;
      const outcome = await ring(s, [stage], to.number, false);
      if (outcome.kind === 'exhausted') s.caller.reject(outcome.result.busy ? 486 : outcome.result.status);
      return undefined;
    }
    case 'voicemail':
      if (s.deps.voicemail?.hasMailbox(to.mailbox))
        await s.deps.voicemail.leaveMessage(s.call, s.caller, to.mailbox);
      else refuse(s, 480, 'voicemail is not available');
      return undefined;
    case 'hangup':
      s.caller.reject(to.cause ?? 480);
      return undefined;
    default:
      if (s.deps.routeDestination) await s.deps.routeDestination(s.call, s.caller, to);
      else refuse(s, 480, `cannot send a call to a ${to.type} from here`);
      return undefined;
  }
}

async function toExtension(s: Session, number: string, chain: Chain): Promise<Step | undefined> {
  const { deps } = s;
  const features = await featuresOf(deps, number);
  if (!features) {
    refuse(s, 404, `no extension ${number}`);
    return undefined;
  }
  const settings = deps.settings();
  const findMe = features.findMe?.steps.flatMap((st) => st.numbers) ?? [];
  const others = await availabilityOf(
    deps,
    findMe.filter((n) => settings.isExtension(n)),
  );
  const plan = planCall({
    features,
    registered: deps.contactsOf(number).length > 0,
    onCall: onCall(deps.control, number),
    availability: (n) => others.get(n),
    chain,
    directory: settings,
    caller: s.call.caller.number,
  });
  if (plan.kind === 'treat') return treat(s, number, plan.treatment);
  const outcome = await ring(s, plan.stages, number, plan.stopOnBusy);
  if (outcome.kind !== 'exhausted') return undefined;
  return treat(s, number, afterRinging(features, outcome.result, chain, settings));
}

async function toRingGroup(s: Session, number: string, chain: Chain): Promise<Step | undefined> {
  const group = s.deps.settings().ringGroups.get(number);
  if (!group) {
    refuse(s, 404, `no ring group ${number}`);
    return undefined;
  }
  s.call.setData('ringGroup', number);
  const avail = await availabilityOf(s.deps, group.members);
  const plan = ringGroupPlan(group, (n) => avail.get(n), s.call.caller.number);
  if (plan.skipped.length > 0)
    s.log.info({ group: number, skipped: plan.skipped }, 'ring group members skipped');
  if (plan.stages.length > 0) {
    const outcome = await ring(s, plan.stages, undefined, false);
    if (outcome.kind !== 'exhausted') return undefined;
  }
  return treat(s, number, ringGroupFallback(group, chain));
}

/** Rings the stages and, when someone answers or picks up, connects them to the caller. */
async function ring(
  s: Session,
  stages: readonly RingStage[],
  own: string | undefined,
  stopOnBusy: boolean,
): Promise<RingOutcome> {
  const ringer = new Ringer(s.deps, s.call, s.caller, s.log);
  const outcome = await ringer.run(stages, { ...(own !== undefined ? { own } : {}), stopOnBusy });
  if (outcome.kind === 'answered' || outcome.kind === 'picked') await connect(s, outcome);
  return outcome;
}

async function connect(s: Session, outcome: Extract<RingOutcome, { kind: 'answered' | 'picked' }>) {
  const { control } = s.deps;
  const { caller } = s;
  const leg = outcome.leg;
  if (caller.isEnded) return leg.hangup(200);
  if (control.partnerOf(caller) === leg) await control.recordBridge(caller);
  else await control.bridge(caller, leg);
  if (outcome.kind === 'picked') outcome.leg.answer();
  if (leg.isEnded) return caller.reject(480);
  caller.answer();
  control.protect(caller, false);
  // The callee may have gone while the caller was protected: take the caller with it.
  if (leg.isEnded) caller.hangup(200);
  s.log.info({ caller: s.call.caller.number, callee: leg.party.number, how: outcome.kind }, 'call answered');
}

/** Carries out a treatment: the next destination, or the caller refused. */
function treat(s: Session, from: string, t: Treatment): Step | undefined {
  if (t.skipped) s.log.info({ from, to: t.skipped.to, why: t.skipped.why }, 'forward skipped');
  if (t.kind === 'reject') {
    s.log.info({ from, status: t.status, reason: t.reason }, 'call refused');
    s.caller.reject(t.status);
    return undefined;
  }
  if (t.to.type !== 'voicemail') {
    s.call.setData('forwardedFrom', from);
    s.call.setData('forwardReason', t.reason);
  }
  s.log.info({ from, to: t.to, reason: t.reason }, 'call forwarded');
  return { to: t.to, chain: t.chain };
}

function refuse(s: Session, status: number, why: string): void {
  s.log.warn({ status, why }, 'call refused');
  s.caller.reject(status);
}

function noAnswerMs(s: Session): number {
  return s.deps.settings().noAnswerTimeoutMs;
}
