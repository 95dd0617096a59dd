/**
 * The real CtiBackend: call operations over call control (calls.ts, transfer.ts,
 * supervisor.ts), agent-state and queue requests through the ACD's AgentPort, and call
 * events from call control's legs.
 */
import { CtiError } from '../errors.js';
import type { AgentStatus, CtiRequestOf, CtiResultOf, QueueStats } from '../protocol.js';
import type { CtiBackend, CtiCaller, CtiEmit } from '../types.js';
import * as calls from './calls.js';
import { CallEvents } from './events.js';
import { AgentRegistry } from './registry.js';
import { forceRelease, intercept, supervise } from './supervisor.js';
import * as transfers from './transfer.js';
import type { AgentPort, AgentRequestType, CtiBackendDeps } from './types.js';

export interface CallCenterBackend extends CtiBackend {
  /** Where events go from now on (the server exists only after the backend). */
  setEmit(emit: CtiEmit): void;
  /** Stops following call control. */
  close(): void;
}

export function createCtiBackend(deps: CtiBackendDeps): CallCenterBackend {
  const log = deps.logger.child({ module: 'cti-backend' });
  const registry = new AgentRegistry(deps.control, deps.isAgent, deps.agents);
  const events = new CallEvents(deps.control, registry, deps.clock, deps.emit);
  const ctx: calls.BackendContext = { deps, registry, events, log };

  /** Delegates to the ACD, or refuses with UNAVAILABLE when there is none. */
  const acd =
    <K extends AgentRequestType>(type: K) =>
    (request: CtiRequestOf<K>, caller: CtiCaller): Promise<CtiResultOf<K>> => {
      const port: AgentPort | undefined = deps.agents;
      if (port === undefined)
        return Promise.reject(new CtiError('UNAVAILABLE', `${type}: no ACD is running`));
      const handler = port[type] as unknown as (r: CtiRequestOf<K>, c: CtiCaller) => Promise<CtiResultOf<K>>;
      return handler.call(port, request, caller);
    };

  return {
    setEmit: (emit) => events.setSink(emit),
    close: () => events.close(),
    callAgents: (callId) => Promise.resolve(registry.callAgents(callId)),
    queueStats: (queues): Promise<readonly QueueStats[]> =>
      deps.agents?.queueStats(queues) ?? Promise.resolve([]),
    agentStatus: (agents): Promise<readonly AgentStatus[]> =>
      deps.agents?.agentStatus(agents) ?? Promise.resolve([]),

    login: acd('login'),
    logout: acd('logout'),
    ready: acd('ready'),
    notReady: acd('notReady'),
    wrapUpDone: acd('wrapUpDone'),
    setCallPriority: acd('setCallPriority'),
    moveCall: acd('moveCall'),
    pickup: acd('pickup'),
    stats: acd('stats'),
    forceLogout: acd('forceLogout'),
    forceReady: acd('forceReady'),
    forceNotReady: acd('forceNotReady'),

    makeCall: (r, c) => calls.makeCall(ctx, r, c),
    answer: async (r, c) => {
      if (deps.agents?.answerOffer?.(r.callId, calls.agentOf(c)) === true) return {};
      return calls.answer(ctx, r, c);
    },
    hangup: async (r, c) => {
      if (await transfers.cancelConsultation(ctx, r.callId)) return {};
      return calls.hangup(ctx, r, c);
    },
    hold: (r, c) => calls.hold(ctx, r, c),
    retrieve: (r, c) => calls.retrieve(ctx, r, c),
    sendDtmf: (r, c) => calls.sendDtmf(ctx, r, c),
    setAssociatedData: (r, c) => calls.setAssociatedData(ctx, r, c),
    consult: (r, c) => transfers.consult(ctx, r, c),
    transfer: (r, c) => transfers.transfer(ctx, r, c),
    conference: (r, c) => transfers.conference(ctx, r, c),
    transferToIvr: (r, c) => transfers.transferToIvr(ctx, r, c),
    transferToQueue: (r, c) => transfers.transferToQueue(ctx, r, c),

    monitor: (r, c) => supervise(ctx, r, c, 'listen'),
    whisper: (r, c) => supervise(ctx, r, c, 'whisper'),
    barge: (r, c) => supervise(ctx, r, c, 'full'),
    forceRelease: (r, c) => forceRelease(ctx, r, c),
    intercept: (r, c) => intercept(ctx, r, c),
  };
}
