/**
 * Consult, transfer and conference from the desktop (咨询 / 转接 / 会议); handing the other
 * party to an IVR flow or a queue is in handover.ts. A consultation is a call of its own (its id is
 * `consultCallId`); completing or conferencing moves the consulted leg into the agent's call.
 *
 *   consult ──► ringing ──(answers)──► talking ──(transfer complete)──► held ⇄ target, agent out
 *                  │                      ├────(conference)──────────► the three mixed
 *                  └──(fails / hangup)────┴────(hangup consultCallId)─► agent ⇄ held again
 */
import type { Call } from '../../call/control/call.js';
import { Conference } from '../../call/control/conference.js';
import type { Leg } from '../../call/control/leg.js';
import { CtiError } from '../errors.js';
import type { CtiRequestOf, CtiTarget } from '../protocol.js';
import type { CtiCaller } from '../types.js';
import { isConnection, releaseAgentLeg, unprotect } from './agent-leg.js';
import { agentLeg, agentOf, liveCall, partnerOf, type BackendContext } from './calls.js';
import { checkDialable, dialTarget, targetNumber } from './dial.js';
import { handedOn, handOver, transferToQueue } from './handover.js';
import type { ConsultRecord } from './registry.js';

export { transferToIvr, transferToQueue } from './handover.js';

function numberOf(target: CtiTarget, field: string): string {
  const number = targetNumber(target);
  if (number === undefined) {
    throw new CtiError(
      'UNAVAILABLE',
      `${field}: reaching a queue this way needs the ACD; use transferToQueue`,
      {
        field,
      },
    );
  }
  return number;
}

export async function consult(
  ctx: BackendContext,
  request: CtiRequestOf<'consult'>,
  caller: CtiCaller,
): Promise<{ consultCallId: string }> {
  const agent = agentOf(caller);
  const { control } = ctx.deps;
  const number = numberOf(request.target, 'target');
  checkDialable(ctx, number, 'target.number');
  const leg = agentLeg(ctx, request.callId, agent);
  if (ctx.registry.consultOf(leg))
    throw new CtiError('INVALID_STATE', `agent ${agent} is already consulting`);
  const held = partnerOf(ctx, leg);
  const consultCall = control.createCall({ number: agent }, number);
  const record: ConsultRecord = {
    agentName: agent,
    agent: leg,
    held,
    callId: request.callId,
    consultCall,
    abort: new AbortController(),
  };
  ctx.registry.consults.set(consultCall.id, record);
  control.protect(held, true);
  control.protect(leg, true);
  await control.unbridge(leg);
  await control.hold(held);
  ctx.events.emit(agent, { event: 'callHeld', callId: request.callId });
  void control.play(leg, [{ tone: 'ringback' }], { loop: true });
  leg.once('ended', () => void endConsult(ctx, record, 'agent left'));
  held.once('ended', () => void endConsult(ctx, record, 'held party left'));
  void ringConsulted(ctx, record, number).catch((err: unknown) => {
    ctx.log.error({ err, callId: request.callId, consultCallId: consultCall.id }, 'consult failed');
    void endConsult(ctx, record, 'failed');
  });
  return { consultCallId: consultCall.id };
}

async function ringConsulted(ctx: BackendContext, c: ConsultRecord, number: string): Promise<void> {
  const outcome = await dialTarget(ctx, c.consultCall, number, { number: c.agentName }, c.abort.signal);
  await c.agent.stopPlay();
  if (outcome.leg === undefined) return endConsult(ctx, c, `target failed with ${outcome.status}`);
  c.target = outcome.leg;
  outcome.leg.once('ended', () => void endConsult(ctx, c, 'target left'));
  if (!ctx.registry.consults.has(c.consultCall.id)) return;
  await ctx.deps.control.bridge(c.agent, outcome.leg);
  // The desktop may now complete the transfer or make a conference.
  ctx.events.emit(c.agentName, { event: 'callAnswered', callId: c.consultCall.id });
}

/**
 * Back to the held party (the consulted one hung up or failed, or the agent hung the consult
 * call up). When the agent or the held party left, the rest of the consultation is released.
 */
async function endConsult(ctx: BackendContext, c: ConsultRecord, why: string): Promise<void> {
  if (!ctx.registry.consults.delete(c.consultCall.id)) return;
  const { control } = ctx.deps;
  c.abort.abort();
  c.target?.hangup(200);
  if (!c.consultCall.ended) control.hangupCall(c.consultCall, 487, 'consultation ended');
  control.protect(c.held, false);
  unprotect(ctx, c.agent);
  await c.agent.stopPlay();
  if (c.agent.isEnded || c.held.isEnded) {
    if (!c.agent.isEnded) releaseAgentLeg(ctx, c.agent);
    c.held.hangup(200);
  } else {
    await control.retrieve(c.held);
    const [a, b] = control.get(c.callId)?.first === c.agent ? [c.agent, c.held] : [c.held, c.agent];
    await control.bridge(a, b);
    ctx.events.emit(c.agentName, { event: 'callRetrieved', callId: c.callId });
  }
  ctx.log.info({ callId: c.callId, consultCallId: c.consultCall.id, why }, 'consultation ended');
}

/** `hangup` of a consult call: the consulted party is released and the agent is back with the held one. */
export async function cancelConsultation(ctx: BackendContext, consultCallId: string): Promise<boolean> {
  const c = ctx.registry.consults.get(consultCallId);
  if (!c) return false;
  await endConsult(ctx, c, 'cancelled by the agent');
  return true;
}

/** The consultation the agent may act on, with its target up. */
function answeredConsult(
  ctx: BackendContext,
  consultCallId: string,
  callId: string,
): ConsultRecord & { target: Leg } {
  const c = ctx.registry.consults.get(consultCallId);
  if (!c || c.callId !== callId) {
    throw new CtiError('NOT_FOUND', `no consultation ${consultCallId} from call ${callId}`, {
      field: 'consultCallId',
    });
  }
  if (!c.target?.isUp)
    throw new CtiError('INVALID_STATE', `consultation ${consultCallId} has not been answered`);
  return c as ConsultRecord & { target: Leg };
}

/** Moves the consulted leg into the agent's call, leaving the consultation record behind. */
function takeOver(ctx: BackendContext, c: ConsultRecord & { target: Leg }): Call {
  ctx.registry.consults.delete(c.consultCall.id);
  const call = liveCall(ctx, c.callId);
  ctx.deps.control.protect(c.target, true);
  ctx.deps.control.attach(call, c.target);
  return call;
}

export async function transfer(
  ctx: BackendContext,
  request: CtiRequestOf<'transfer'>,
  caller: CtiCaller,
): Promise<Record<string, never>> {
  const agent = agentOf(caller);
  const { control } = ctx.deps;
  if (request.mode === 'complete') {
    const c = answeredConsult(ctx, request.consultCallId, request.callId);
    takeOver(ctx, c);
    await control.retrieve(c.held);
    await control.bridge(c.held, c.target);
    for (const leg of [c.held, c.target, c.agent]) unprotect(ctx, leg);
    handedOn(ctx, request.callId, agent, c.target.party.number);
    releaseAgentLeg(ctx, c.agent, 'agent');
    ctx.events.emit(agent, {
      event: 'callTransferred',
      callId: request.callId,
      to: { type: 'number', number: c.target.party.number },
    });
    return {};
  }
  if (request.target.type === 'queue') {
    await transferToQueue(ctx, { ...request, type: 'transferToQueue', queue: request.target.queue }, caller);
    return {};
  }
  const number = numberOf(request.target, 'target');
  checkDialable(ctx, number, 'target.number');
  const leg = agentLeg(ctx, request.callId, agent);
  const staying = partnerOf(ctx, leg);
  const call = liveCall(ctx, request.callId);
  await handOver(ctx, { callId: call.id, agent, leg }, staying, number);
  ctx.events.emit(agent, { event: 'callTransferred', callId: call.id, to: request.target });
  void blind(ctx, call, staying, number);
  return {};
}

/** The staying party hears ring-back until the target answers; it is released when the target fails. */
async function blind(ctx: BackendContext, call: Call, staying: Leg, number: string): Promise<void> {
  const { control } = ctx.deps;
  const abort = new AbortController();
  const gone = () => abort.abort();
  staying.once('ended', gone);
  try {
    void control.play(staying, [{ tone: 'ringback' }], { loop: true });
    const outcome = await dialTarget(ctx, call, number, staying.party, abort.signal);
    await staying.stopPlay();
    if (outcome.leg === undefined || staying.isEnded) {
      outcome.leg?.hangup(200);
      staying.hangup(outcome.leg === undefined ? outcome.status : 200);
      return;
    }
    await control.bridge(staying, outcome.leg);
  } catch (err) {
    ctx.log.error({ err, callId: call.id, to: number }, 'blind transfer failed');
    staying.hangup(500);
  } finally {
    staying.off('ended', gone);
    control.protect(staying, false);
  }
}

export async function conference(
  ctx: BackendContext,
  request: CtiRequestOf<'conference'>,
  caller: CtiCaller,
): Promise<Record<string, never>> {
  const agent = agentOf(caller);
  const { control } = ctx.deps;
  const c = answeredConsult(ctx, request.consultCallId, request.callId);
  takeOver(ctx, c);
  const members = [c.held, c.agent, c.target];
  const room = await Conference.open(control, () => {
    for (const leg of members)
      if (ctx.registry.conferences.get(leg)?.room === room) ctx.registry.conferences.delete(leg);
  });
  for (const leg of members) await room.add(leg, { role: 'full' });
  for (const leg of members) unprotect(ctx, leg);
  // Without a bridge nobody ends the last member alone in the room.
  const left = (): void => {
    // A persistent connection's part ends with the caller it was put through to.
    if (c.held.isEnded && room.has(c.agent) && isConnection(ctx, c.agent)) {
      releaseAgentLeg(ctx, c.agent); // checks again who is left
      return;
    }
    const live = members.filter((l) => !l.isEnded && room.has(l));
    if (live.length !== 1) return;
    releaseAgentLeg(ctx, live[0]!);
    void room.close();
  };
  for (const leg of members) {
    leg.once('ended', left);
    ctx.registry.conferences.set(leg, { room, left });
  }
  ctx.events.emit(agent, {
    event: 'callConferenced',
    callId: request.callId,
    parties: members.map((l) => l.party.number),
  });
  return {};
}
