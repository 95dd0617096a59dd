/**
 * The ACD runtime as the CTI backend's AgentPort: agent states, queue statistics, priority,
 * moving and picking up waiting calls, and transfers into a queue. ACD errors become CTI
 * error codes; a pickup rings the supervisor's own phone and bridges the waiting caller to it.
 */
import { HotlineError } from '../../platform/errors.js';
import type { AcdService } from '../../acd/runtime/index.js';
import type { CallControl } from '../../call/control/control.js';
import type { Contact } from '../../call/control/types.js';
import { CtiError, type CtiErrorCode } from '../errors.js';
import type { AgentPort } from './types.js';

const CODES: Readonly<Record<string, CtiErrorCode>> = {
  ACD_UNKNOWN_AGENT: 'NOT_FOUND',
  ACD_UNKNOWN_QUEUE: 'NOT_FOUND',
  ACD_UNKNOWN_CALL: 'NOT_FOUND',
  ACD_NO_SUCH_OFFER: 'NOT_FOUND',
  ACD_ILLEGAL_AGENT_TRANSITION: 'INVALID_STATE',
  ACD_DUPLICATE: 'CONFLICT',
  ACD_INVALID: 'BAD_REQUEST',
};

/** Runs an ACD call and turns its coded errors into CTI errors with the same message. */
async function acd<T>(what: () => T | Promise<T>): Promise<T> {
  try {
    return await what();
  } catch (err) {
    if (err instanceof HotlineError && CODES[err.code] !== undefined) {
      throw new CtiError(CODES[err.code]!, err.message, { acd: err.code });
    }
    throw err;
  }
}

function agentOf(caller: { readonly agent?: string }): string {
  if (caller.agent === undefined) throw new CtiError('BAD_REQUEST', 'the request names no agent', {});
  return caller.agent;
}

export interface AcdPortDeps {
  readonly acd: AcdService;
  readonly control: CallControl;
  readonly contactsOf: (extension: string) => readonly Contact[];
  /** Whether a login's `device` is an extension (its phones ring) rather than a number outside. */
  readonly isExtension?: (number: string) => boolean;
}

export function acdAgentPort(deps: AcdPortDeps): AgentPort {
  const { acd: service } = deps;
  return {
    login: (req, caller) =>
      acd(() => {
        const n = req.device;
        const device =
          n === undefined
            ? undefined
            : {
                type: deps.isExtension?.(n) === false ? ('external' as const) : ('phone' as const),
                number: n,
              };
        return service.login(agentOf(caller), req.queues, { ready: false, ...(device ? { device } : {}) });
      }),
    logout: (_req, caller) => acd(() => service.logout(agentOf(caller))),
    ready: (_req, caller) => acd(() => service.ready(agentOf(caller))),
    notReady: (req, caller) => acd(() => service.notReady(agentOf(caller), req.reason)),
    wrapUpDone: (_req, caller) => acd(() => service.wrapUpDone(agentOf(caller))),
    forceLogout: (req) => acd(() => service.force(req.agent, 'logout')),
    forceReady: (req) => acd(() => service.force(req.agent, 'ready')),
    forceNotReady: (req) => acd(() => service.force(req.agent, 'notReady', req.reason)),
    stats: (req) => acd(() => service.stats(req.queues, req.agents)),
    setCallPriority: (req) => acd(() => (service.setCallPriority(req.callId, req.priority), {})),
    moveCall: (req) => acd(async () => (await service.moveCall(req.callId, req.to), {})),
    pickup: (req, caller) =>
      acd(async () => {
        const supervisor = agentOf(caller);
        const contacts = deps.contactsOf(supervisor);
        if (contacts.length === 0)
          throw new CtiError('UNAVAILABLE', `${supervisor} has no registered phone to take the call on`, {});
        const { call, leg } = await service.pickup(req.callId, supervisor);
        const phone = await deps.control.originate(call, supervisor, { contacts, role: 'supervisor' });
        if (!(await deps.control.answered(phone)) || leg.isEnded) {
          if (!phone.isEnded) phone.hangup(487);
          if (!leg.isEnded) leg.hangup(480, 'pickup not answered');
          throw new CtiError('UNAVAILABLE', `${supervisor}'s phone did not answer the pickup`, {});
        }
        await deps.control.bridge(leg, phone);
        return {};
      }),
    queueStats: (queues) => Promise.resolve(service.queueStats(queues)),
    agentStatus: (agents) => Promise.resolve(service.agentStatus(agents)),
    callAgents: (callId) => service.callAgents(callId),
    callTransferred: (callId, agent, to, by) => void service.agentTransferred(callId, agent, to, by),
    callReleased: (callId, agent, by) => void service.agentReleased(callId, agent, by),
    callHeld: (callId, agent, held) => void service.agentHeld(callId, agent, held),
    agentLeg: (callId, agent) => service.agentLeg(callId, agent),
    reportsLeg: (leg) => service.reportsLeg(leg),
    answerOffer: (callId, agent) => service.answerOffer(callId, agent),
    isConnection: (leg) => service.isConnection(leg),
    releaseConnection: (leg) => service.releaseConnection(leg),
    transferToQueue: (call, party, req) =>
      acd(() =>
        service.enqueue(call, party, {
          queues: [req.queue],
          ...(req.priority !== undefined ? { priority: req.priority } : {}),
        }),
      ),
  };
}
