/**
 * Supervisor call operations (班长席): monitor, whisper and barge through a supervision
 * session; force release (强拆) hangs the agent's call up; intercept (强接) puts the
 * supervisor's device in the agent's place.
 */
import type { Leg } from '../../call/control/leg.js';
import { CtiError } from '../errors.js';
import type { CtiRequestOf } from '../protocol.js';
import type { CtiCaller } from '../types.js';
import { isConnection, releaseAgentLeg } from './agent-leg.js';
import { agentOf, liveCall, partnerOf, type BackendContext } from './calls.js';
import { handedOn } from './handover.js';
import { SupervisionSession, type SupervisionRole } from './supervision.js';

/**
 * The agent's leg of a call that is up (the one a supervisor acts on). On a queue call the
 * ACD's agent comes first: the caller may be an extension too, and must not get the whisper.
 */
function supervisedLeg(ctx: BackendContext, callId: string): Leg {
  const call = liveCall(ctx, callId);
  const legs = call.live.filter((l) => ctx.registry.isAgentLeg(l));
  const acdAgents = ctx.deps.agents?.callAgents?.(callId) ?? [];
  const pick = (from: readonly Leg[]) =>
    from.find((l) => l.isUp && ctx.deps.control.partnerOf(l) !== undefined) ?? from.find((l) => l.isUp);
  // The ACD's agent may be on a mobile or a persistent connection: its leg, whatever the party.
  const leg = pick(acdAgents.flatMap((a) => ctx.registry.agentLegs(callId, a))) ?? pick(legs);
  if (!leg) throw new CtiError('INVALID_STATE', `call ${callId} has no agent talking on it`);
  return leg;
}

/** Starts a session in `role`, or changes the role of the supervisor's session on the call. */
export async function supervise(
  ctx: BackendContext,
  request: CtiRequestOf<'monitor' | 'whisper' | 'barge'>,
  caller: CtiCaller,
  role: SupervisionRole,
): Promise<Record<string, never>> {
  const supervisor = agentOf(caller);
  const existing = ctx.registry.sessions.get(request.callId);
  if (existing && !existing.isDone) {
    if (existing.supervisor !== supervisor) {
      throw new CtiError(
        'CONFLICT',
        `supervisor ${existing.supervisor} is already on call ${request.callId}`,
      );
    }
    await existing.setRole(role);
    return {};
  }
  const call = liveCall(ctx, request.callId);
  const agentLeg = supervisedLeg(ctx, request.callId);
  if (agentLeg.party.number === supervisor) {
    throw new CtiError('INVALID_STATE', `supervisor ${supervisor} is the agent on call ${request.callId}`);
  }
  const party = partnerOf(ctx, agentLeg);
  const session = await SupervisionSession.start(ctx, call, agentLeg, party, supervisor, role);
  ctx.registry.sessions.set(call.id, session);
  return {};
}

export async function forceRelease(
  ctx: BackendContext,
  request: CtiRequestOf<'forceRelease'>,
  caller: CtiCaller,
): Promise<Record<string, never>> {
  const call = liveCall(ctx, request.callId);
  // The ACD's agents first: COMPLETEAGENT and callEnded by the supervisor; a persistent
  // connection leaves the call and stays up, the rest is hung up.
  const acdAgents = ctx.deps.agents?.callAgents?.(call.id) ?? [];
  const legs = acdAgents.flatMap((a) => ctx.registry.agentLegs(call.id, a));
  for (const agent of acdAgents) ctx.deps.agents?.callReleased?.(call.id, agent, 'supervisor');
  for (const leg of legs) if (isConnection(ctx, leg)) releaseAgentLeg(ctx, leg);
  for (const leg of call.live) if (ctx.registry.isAgentLeg(leg)) ctx.registry.release(leg, 'supervisor');
  ctx.log.info({ callId: call.id, supervisor: caller.agent ?? caller.identity.name }, 'call force-released');
  ctx.deps.control.hangupCall(call, 480, 'released by a supervisor');
  return Promise.resolve({});
}

/** The supervisor's device takes the agent's place; the agent is released. */
export async function intercept(
  ctx: BackendContext,
  request: CtiRequestOf<'intercept'>,
  caller: CtiCaller,
): Promise<Record<string, never>> {
  const supervisor = agentOf(caller);
  const { control } = ctx.deps;
  let session = ctx.registry.sessions.get(request.callId);
  if (session && session.supervisor !== supervisor) {
    throw new CtiError('CONFLICT', `supervisor ${session.supervisor} is already on call ${request.callId}`);
  }
  // Join first (listening), so the agent is released only once the supervisor is there.
  if (!session || session.isDone) {
    await supervise(ctx, { ...request, type: 'monitor' }, caller, 'listen');
    session = ctx.registry.sessions.get(request.callId);
  }
  if (!session) throw new CtiError('INVALID_STATE', `call ${request.callId} ended before the intercept`);
  const { agentLeg, party, supervisorLeg } = session;
  const agent = ctx.registry.agentOfLeg(request.callId, agentLeg);
  control.protect(party, true);
  try {
    await session.detach();
    // The call goes on with the supervisor: TRANSFER on a queue call, not a completion.
    handedOn(ctx, request.callId, agent, supervisor, 'supervisor');
    releaseAgentLeg(ctx, agentLeg, 'supervisor');
    if (party.isEnded || supervisorLeg.isEnded) {
      throw new CtiError('INVALID_STATE', `call ${request.callId} ended during the intercept`);
    }
    await control.bridge(party, supervisorLeg);
  } finally {
    control.protect(party, false);
  }
  ctx.log.info({ callId: request.callId, supervisor, agent }, 'call intercepted');
  return {};
}
