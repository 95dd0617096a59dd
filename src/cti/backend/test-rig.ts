/**
 * The CTI backend on the in-memory SIP network (tests only): phones 1001 and 1002 (agents)
 * and 1003 (a supervisor's device), the backend over the rig's call control, and the events
 * it emits.
 */
import { bridgeRig } from '../../call/test-kit.js';
import { silentLogger } from '../../platform/log.js';
import type { CtiEvent, CtiRequestOf, CtiRequestType } from '../protocol.js';
import type { CtiAudience, CtiCaller } from '../types.js';
import { createCtiBackend } from './backend.js';
import type { AgentPort } from './types.js';

export const EXTENSIONS = new Set(['1001', '1002', '1003']);

export function agentCaller(agent: string): CtiCaller {
  return { identity: { name: `desk-${agent}`, role: 'agent', agent }, agent };
}

export function supervisorCaller(device: string): CtiCaller {
  return { identity: { name: 'lead', role: 'supervisor', agent: device }, agent: device };
}

let seq = 0;
/** A validated-looking request of `type`. */
type Fields<R> = R extends unknown ? Omit<R, 'v' | 'id' | 'type'> : never;

export function req<K extends CtiRequestType>(type: K, fields: Fields<CtiRequestOf<K>>): CtiRequestOf<K> {
  return { v: 1, id: ++seq, type, ...fields } as unknown as CtiRequestOf<K>;
}

export function ctiRig(opts: { agents?: AgentPort } = {}) {
  const rig = bridgeRig();
  const supervisorPhone = rig.phone('1003');
  const events: { event: CtiEvent; audience: CtiAudience }[] = [];
  const backend = createCtiBackend({
    control: rig.control,
    isAgent: (n) => EXTENSIONS.has(n),
    isExtension: (n) => EXTENSIONS.has(n),
    clock: rig.net.clock,
    logger: silentLogger(),
    emit: (event, audience) => events.push({ event, audience }),
    ...(opts.agents ? { agents: opts.agents } : {}),
  });
  /** The names of the events that reached `agent`, in order. */
  const eventsOf = (agent: string) =>
    events.filter((e) => e.audience.agents?.includes(agent)).map((e) => e.event.event);
  return { rig, backend, events, eventsOf, supervisorPhone };
}

export type CtiRig = ReturnType<typeof ctiRig>;

/** 1001 clicks to dial 1002; both phones answer. Resolves with the call id once they talk. */
export async function clickToDial(t: CtiRig): Promise<string> {
  const { rig, backend } = t;
  const { callId } = await backend.makeCall(req('makeCall', { number: '1002' }), agentCaller('1001'));
  await rig.until(() => rig.caller.incoming.length === 1, '1001 ringing');
  rig.caller.lastIncoming().answer();
  await rig.until(() => rig.callee.incoming.length === 1, '1002 ringing');
  rig.callee.lastIncoming().answer();
  await rig.until(
    () => rig.media.peerOf(rig.legOf('1001').endpoint.id) === rig.legOf('1002').endpoint.id,
    'the bridge',
  );
  return callId;
}

/** Awaits a backend promise while letting the in-memory network carry its messages. */
export async function settling<T>(t: CtiRig, pending: Promise<T>): Promise<T> {
  let done = false;
  const watched = pending.finally(() => {
    done = true;
  });
  watched.catch(() => undefined);
  await t.rig.until(() => done, 'the request to finish');
  return watched;
}
