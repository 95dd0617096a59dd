/**
 * The agent leaves a call it hands on (转接): to a number or an extension (transfer.ts), to
 * an IVR flow, or into a queue. Before the agent's leg is released the ACD hears of it
 * (`AgentPort.callTransferred`): on a queue call it writes TRANSFER instead of a completion
 * and starts the agent's wrap-up.
 */
import type { Call } from '../../call/control/call.js';
import type { Leg } from '../../call/control/leg.js';
import { CtiError } from '../errors.js';
import type { CtiRequestOf } from '../protocol.js';
import type { CtiCaller } from '../types.js';
import { releaseAgentLeg } from './agent-leg.js';
import { agentLeg, agentOf, liveCall, partnerOf, type BackendContext } from './calls.js';

/**
 * Tells the ACD that `agent` hands call `callId` on to `to` (its port ignores other calls);
 * `by` supervisor: an intercept.
 */
export function handedOn(
  ctx: BackendContext,
  callId: string,
  agent: string,
  to: string,
  by: 'agent' | 'supervisor' = 'agent',
): void {
  try {
    ctx.deps.agents?.callTransferred?.(callId, agent, to, by);
  } catch (err) {
    // The transfer itself goes on: only the ACD's record of it is missing.
    ctx.log.error({ err, callId, agent, to }, 'the ACD could not record the transfer');
  }
}

/** The agent's leg in call `callId` (a mobile's or a persistent connection's may be in another call). */
export interface AgentOnCall {
  readonly callId: string;
  readonly agent: string;
  readonly leg: Leg;
}

/**
 * The agent leaves (a persistent connection stays up, idle); the staying party stays up
 * (protected until the caller of this unprotects). The ACD hears first that the call went on
 * to `to`.
 */
export async function handOver(
  ctx: BackendContext,
  from: AgentOnCall,
  staying: Leg,
  to: string,
): Promise<void> {
  const { control } = ctx.deps;
  control.protect(staying, true);
  await control.unbridge(from.leg);
  await control.retrieve(staying);
  handedOn(ctx, from.callId, from.agent, to);
  releaseAgentLeg(ctx, from.leg, 'agent');
}

function setData(call: Call, data: CtiRequestOf<'transferToQueue'>['data']): void {
  for (const [key, value] of Object.entries(data ?? {})) {
    if (value === null) delete call.data[key];
    else call.setData(key, value);
  }
}

export async function transferToIvr(
  ctx: BackendContext,
  request: CtiRequestOf<'transferToIvr'>,
  caller: CtiCaller,
): Promise<Record<string, never>> {
  const runFlow = ctx.deps.runFlow;
  if (runFlow === undefined)
    throw new CtiError('UNAVAILABLE', 'no IVR service is connected to the CTI server');
  const agent = agentOf(caller);
  const leg = agentLeg(ctx, request.callId, agent);
  const party = partnerOf(ctx, leg);
  const call = liveCall(ctx, request.callId);
  runFlow.check(party, request.flow);
  setData(call, request.data);
  await handOver(ctx, { callId: call.id, agent, leg }, party, request.flow);
  ctx.deps.control.protect(party, false);
  ctx.events.emit(agent, {
    event: 'callTransferred',
    callId: call.id,
    to: { type: 'ivr', flow: request.flow },
  });
  void runFlow.run(call, party, request.flow).catch((err: unknown) => {
    ctx.log.error({ err, callId: call.id, flow: request.flow }, 'IVR flow after a CTI transfer failed');
    party.hangup(500);
  });
  return {};
}

export async function transferToQueue(
  ctx: BackendContext,
  request: CtiRequestOf<'transferToQueue'>,
  caller: CtiCaller,
): Promise<Record<string, never>> {
  const port = ctx.deps.agents;
  if (port?.transferToQueue === undefined)
    throw new CtiError('UNAVAILABLE', 'no ACD: queues are not available');
  const agent = agentOf(caller);
  const leg = agentLeg(ctx, request.callId, agent);
  const party = partnerOf(ctx, leg);
  const call = liveCall(ctx, request.callId);
  setData(call, request.data);
  ctx.deps.control.protect(party, true);
  try {
    await ctx.deps.control.unbridge(leg);
    await port.transferToQueue(call, party, request, caller);
  } catch (err) {
    // The queue refused: the agent and the party talk again.
    if (!leg.isEnded && !party.isEnded) await ctx.deps.control.bridge(leg, party);
    throw err;
  } finally {
    ctx.deps.control.protect(party, false);
  }
  handedOn(ctx, call.id, agent, request.queue);
  releaseAgentLeg(ctx, leg, 'agent');
  ctx.events.emit(agent, {
    event: 'callTransferred',
    callId: call.id,
    to: { type: 'queue', queue: request.queue },
  });
  return {};
}
