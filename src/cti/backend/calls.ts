/**
 * The agent's own call operations over call control: click-to-dial, hangup, hold and
 * retrieve, DTMF, associated data. The server has already checked that the call is the
 * agent's; these find the agent's leg in it and act on the leg or its partner.
 */
import type { Call } from '../../call/control/call.js';
import type { Leg } from '../../call/control/leg.js';
import type { Logger } from '../../platform/log.js';
import { CtiError } from '../errors.js';
import type { CtiRequestOf, CtiResultOf } from '../protocol.js';
import type { CtiCaller } from '../types.js';
import { releaseAgentLeg } from './agent-leg.js';
import { applyDataEdit } from './data.js';
import { checkDialable, dialTarget } from './dial.js';
import type { CallEvents } from './events.js';
import type { AgentRegistry } from './registry.js';
import type { CtiBackendDeps } from './types.js';

/** What every group of operations shares. */
export interface BackendContext {
  readonly deps: CtiBackendDeps;
  readonly registry: AgentRegistry;
  readonly events: CallEvents;
  readonly log: Logger;
}

/** The agent acted for (the server always sets it for agent requests). */
export function agentOf(caller: CtiCaller): string {
  if (caller.agent === undefined)
    throw new CtiError('BAD_REQUEST', 'agent: name the agent to act for', { field: 'agent' });
  return caller.agent;
}

/** The agent's live leg in the call, preferring one that is up. */
export function agentLeg(ctx: BackendContext, callId: string, agent: string): Leg {
  const legs = ctx.registry.agentLegs(callId, agent);
  const leg = legs.find((l) => l.isUp) ?? legs[0];
  if (!leg) throw new CtiError('NOT_YOUR_CALL', `agent ${agent} has no leg in call ${callId}`);
  return leg;
}

/** The party the agent's leg talks to (bridged, or held by the CTI). */
export function partnerOf(ctx: BackendContext, leg: Leg): Leg {
  const partner = ctx.deps.control.partnerOf(leg);
  if (partner && !partner.isEnded) return partner;
  throw new CtiError(
    'INVALID_STATE',
    `call ${leg.callId}: agent ${leg.party.number} is not talking to anyone`,
  );
}

export function liveCall(ctx: BackendContext, callId: string): Call {
  const call = ctx.deps.control.get(callId) ?? ctx.registry.consults.get(callId)?.consultCall;
  if (!call || call.ended) throw new CtiError('NOT_FOUND', `no call ${callId}`, { field: 'callId' });
  return call;
}

export async function makeCall(
  ctx: BackendContext,
  request: CtiRequestOf<'makeCall'>,
  caller: CtiCaller,
): Promise<CtiResultOf<'makeCall'>> {
  const agent = agentOf(caller);
  const { control } = ctx.deps;
  if (request.number === agent) {
    throw new CtiError('BAD_REQUEST', `number: ${agent} is the agent's own extension`, { field: 'number' });
  }
  checkDialable(ctx, request.number, 'number');
  const contacts = control.deps.resolve(agent);
  if (contacts.length === 0) {
    throw new CtiError('INVALID_STATE', `agent ${agent} has no registered device to ring`);
  }
  const call = control.createCall({ number: agent }, request.number);
  for (const [key, value] of Object.entries(request.data ?? {})) if (value !== null) call.setData(key, value);
  call.setData('clickToDial', agent);
  let leg: Leg;
  try {
    // The agent's phone shows whom it is about to call.
    leg = await control.originate(call, agent, { contacts, caller: { number: request.number } });
  } catch (err) {
    control.hangupCall(call, 500, 'click-to-dial failed');
    throw err;
  }
  ctx.log.info({ callId: call.id, agent, number: request.number }, 'click-to-dial: ringing the agent');
  void connectTarget(ctx, call, leg, request).catch((err: unknown) => {
    ctx.log.error({ err, callId: call.id, agent }, 'click-to-dial failed');
    leg.hangup(500);
  });
  return { callId: call.id };
}

/** Once the agent answered: ring-back to the agent while the target rings, then bridge. */
async function connectTarget(
  ctx: BackendContext,
  call: Call,
  agentLeg: Leg,
  request: CtiRequestOf<'makeCall'>,
): Promise<void> {
  const { control } = ctx.deps;
  if (!(await control.answered(agentLeg))) return;
  void control.play(agentLeg, [{ tone: 'ringback' }], { loop: true });
  const abort = new AbortController();
  const onAgentGone = () => abort.abort();
  agentLeg.once('ended', onAgentGone);
  const party = { number: request.callerId ?? agentLeg.party.number };
  const outcome = await dialTarget(ctx, call, request.number, party, abort.signal).finally(() =>
    agentLeg.off('ended', onAgentGone),
  );
  await agentLeg.stopPlay();
  if (outcome.leg === undefined || agentLeg.isEnded) {
    outcome.leg?.hangup(200);
    const status = outcome.leg === undefined ? outcome.status : 487;
    // The CDR says why the call did not connect (busy, no answer …), not that the agent left.
    call.firstEnd ??= { by: 'system', status };
    ctx.registry.release(agentLeg, 'system');
    agentLeg.hangup(status);
    return;
  }
  await control.bridge(agentLeg, outcome.leg);
  ctx.events.checkAnswered(call.id);
}

export async function hangup(
  ctx: BackendContext,
  request: CtiRequestOf<'hangup'>,
  caller: CtiCaller,
): Promise<CtiResultOf<'hangup'>> {
  const agent = agentOf(caller);
  const legs = ctx.registry.agentLegs(request.callId, agent);
  // The agent chose to end it: on a queue call COMPLETEAGENT, where the ACD would otherwise
  // see only a leg Hotline ended (COMPLETECALLER).
  ctx.deps.agents?.callReleased?.(request.callId, agent, 'agent');
  for (const leg of legs) {
    const other = otherParty(ctx, request.callId, leg);
    // A persistent connection stays up: the call ends for the party it talked to.
    if (releaseAgentLeg(ctx, leg, 'agent', 480)) other?.hangup(200);
  }
  return {};
}

/**
 * Whom the agent's leg talks to on the call: the held party of its consultation, the party
 * of a supervised call, or its bridge partner. None in a conference, which goes on without it.
 */
function otherParty(ctx: BackendContext, callId: string, leg: Leg): Leg | undefined {
  if (ctx.registry.conferences.has(leg)) return undefined;
  const session = ctx.registry.sessions.get(callId);
  const supervised = session?.agentLeg === leg ? session.party : undefined;
  const other = ctx.registry.consultOf(leg)?.held ?? supervised ?? ctx.deps.control.partnerOf(leg);
  return other?.isEnded === false ? other : undefined;
}

export async function answer(
  ctx: BackendContext,
  request: CtiRequestOf<'answer'>,
  caller: CtiCaller,
): Promise<CtiResultOf<'answer'>> {
  const leg = agentLeg(ctx, request.callId, agentOf(caller));
  if (leg.isUp) throw new CtiError('INVALID_STATE', `call ${request.callId} is already answered`);
  // A SIP phone is answered by the person at it; no phone we ring takes a remote answer.
  throw new CtiError(
    'INVALID_STATE',
    `the device of agent ${leg.party.number} cannot be answered remotely; answer on the phone`,
  );
}

export async function hold(
  ctx: BackendContext,
  request: CtiRequestOf<'hold'>,
  caller: CtiCaller,
): Promise<CtiResultOf<'hold'>> {
  const agent = agentOf(caller);
  const leg = agentLeg(ctx, request.callId, agent);
  const partner = partnerOf(ctx, leg);
  if (ctx.registry.held.has(partner))
    throw new CtiError('INVALID_STATE', `call ${request.callId} is already on hold`);
  ctx.registry.held.add(partner);
  partner.once('ended', () => ctx.registry.held.delete(partner));
  await ctx.deps.control.hold(partner);
  ctx.deps.agents?.callHeld?.(request.callId, agent, true);
  ctx.events.emit(agent, { event: 'callHeld', callId: request.callId });
  return {};
}

export async function retrieve(
  ctx: BackendContext,
  request: CtiRequestOf<'retrieve'>,
  caller: CtiCaller,
): Promise<CtiResultOf<'retrieve'>> {
  const agent = agentOf(caller);
  const leg = agentLeg(ctx, request.callId, agent);
  const partner = partnerOf(ctx, leg);
  if (!ctx.registry.held.delete(partner))
    throw new CtiError('INVALID_STATE', `call ${request.callId} is not on hold`);
  await ctx.deps.control.retrieve(partner);
  ctx.deps.agents?.callHeld?.(request.callId, agent, false);
  ctx.events.emit(agent, { event: 'callRetrieved', callId: request.callId });
  return {};
}

export async function sendDtmf(
  ctx: BackendContext,
  request: CtiRequestOf<'sendDtmf'>,
  caller: CtiCaller,
): Promise<CtiResultOf<'sendDtmf'>> {
  const leg = agentLeg(ctx, request.callId, agentOf(caller));
  await partnerOf(ctx, leg).sendDtmf(request.digits.toUpperCase());
  return {};
}

export function setAssociatedData(
  ctx: BackendContext,
  request: CtiRequestOf<'setAssociatedData'>,
  _caller: CtiCaller,
): Promise<CtiResultOf<'setAssociatedData'>> {
  const call = liveCall(ctx, request.callId);
  const next = applyDataEdit(call.data, request.data, request.merge ?? true);
  for (const key of Object.keys(call.data)) if (!(key in next)) delete call.data[key];
  for (const [key, value] of Object.entries(next)) call.setData(key, value);
  return Promise.resolve({ data: { ...call.data } });
}
