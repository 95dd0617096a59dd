/**
 * A queue call answered by an agent on another device than a desk phone, on the in-memory
 * network (tests only): the customer (13800000001, not an extension) talks to agent 1001
 * either over its persistent connection (常摘机: 1001's phone was called once, in a call of
 * its own, and the customer is bridged across to it) or on its mobile (13900139000, a leg in
 * the queue call whose party is not the agent). A stand-in ACD port answers what the real one
 * would about that call and records what the backend tells it; 1003 is a third phone.
 */
import type { Call } from '../../call/control/call.js';
import type { Leg } from '../../call/control/leg.js';
import { ctiRig, type CtiRig } from './test-rig.js';
import type { AgentPort } from './types.js';

export const CUSTOMER = '13800000001';
export const MOBILE = '13900139000';

export interface DeviceRig {
  readonly t: CtiRig;
  /** The queue call (the customer's). */
  readonly call: Call;
  readonly customer: Leg;
  /** The agent's leg: the open leg of the connection, or the mobile's leg in the queue call. */
  readonly agentLeg: Leg;
  /** What the backend told the ACD, in order. */
  readonly told: string[];
  /** Whether the ACD still has 1001 on the call. */
  readonly connected: () => boolean;
}

/** Rings `number` in `call` and answers at its phone. */
async function answered(t: CtiRig, call: Call, number: string): Promise<Leg> {
  const phone = t.rig.phone(number);
  const leg = await t.rig.control.originate(call, number);
  await t.rig.until(() => phone.incoming.length === 1, `${number} ringing`);
  phone.lastIncoming().answer();
  await t.rig.until(() => leg.isUp, `${number} answering`);
  return leg;
}

export async function deviceRig(device: 'persistent' | 'mobile'): Promise<DeviceRig> {
  const told: string[] = [];
  let on: { callId: string; leg: Leg } | undefined;
  let open: Leg | undefined;
  const forget = () => (on = undefined);
  const agents = {
    callAgents: (callId: string) => (on?.callId === callId ? ['1001'] : undefined),
    agentLeg: (callId: string, agent: string) =>
      on?.callId === callId && agent === '1001' ? on.leg : undefined,
    reportsLeg: (leg: Leg) => leg === open || leg === on?.leg,
    isConnection: (leg: Leg) => leg === open,
    releaseConnection: (leg: Leg) => {
      if (leg !== open) return false;
      told.push('connection left the call');
      void t.rig.control.unbridge(leg);
      forget();
      return true;
    },
    callReleased: (callId: string, agent: string, by: string) => {
      told.push(`${callId === on?.callId ? 'queue call' : callId} released by ${by} (${agent})`);
      forget();
    },
    callTransferred: (callId: string, agent: string, to: string, by = 'agent') => {
      told.push(`${callId === on?.callId ? 'queue call' : callId} to ${to} by ${by} (${agent})`);
      forget();
    },
    callHeld: (_callId: string, agent: string, held: boolean) => told.push(`${agent} held ${held}`),
  } as unknown as AgentPort;
  const t = ctiRig({ agents });
  const { control } = t.rig;
  const call = control.createCall({ number: CUSTOMER }, '96120');
  const customer = await answered(t, call, CUSTOMER);
  let agentLeg: Leg;
  if (device === 'persistent') {
    // The connection: 1001's phone called once, kept up and protected as the ACD does.
    const connection = control.createCall({ number: '1001', name: 'ACD' }, '1001');
    agentLeg = await control.originate(connection, '1001');
    await t.rig.until(() => t.rig.caller.incoming.length === 1, '1001 ringing');
    t.rig.caller.lastIncoming().answer();
    await t.rig.until(() => agentLeg.isUp, 'the connection up');
    control.protect(agentLeg, true);
    open = agentLeg;
  } else {
    agentLeg = await answered(t, call, MOBILE);
  }
  await control.bridge(customer, agentLeg);
  on = { callId: call.id, leg: agentLeg };
  await t.rig.net.settle();
  return { t, call, customer, agentLeg, told, connected: () => on !== undefined };
}

/** The endpoint the leg's audio goes to (a bridge partner), if any. */
export function peerOf(r: DeviceRig, leg: Leg): string | undefined {
  return r.t.rig.media.peerOf(leg.endpoint.id);
}
