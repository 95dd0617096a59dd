/**
 * The ports of the CTI backend: what it needs from call control and the router, and what
 * the ACD runtime implements for it (agent states, queues). Absent ports make their
 * requests fail with UNAVAILABLE.
 */
import type { Call } from '../../call/control/call.js';
import type { CallControl } from '../../call/control/control.js';
import type { Leg } from '../../call/control/leg.js';
import type { DialExternal } from '../../call/features/ringer.js';
import type { Clock } from '../../platform/clock.js';
import type { Logger } from '../../platform/log.js';
import type { AgentStatus, CtiRequestOf, QueueStats } from '../protocol.js';
import type { CtiCaller, CtiEmit, CtiRequestHandlers } from '../types.js';

/** The agent-state and queue requests, answered by the ACD runtime. */
export type AgentRequestType =
  | 'login'
  | 'logout'
  | 'ready'
  | 'notReady'
  | 'wrapUpDone'
  | 'setCallPriority'
  | 'moveCall'
  | 'pickup'
  | 'forceLogout'
  | 'forceReady'
  | 'forceNotReady'
  | 'stats';

/**
 * What the ACD runtime implements for the CTI server: one handler per agent-state or queue
 * request (same contract as `CtiBackend`: resolve with the result or throw a CtiError),
 * the statistics the server pushes to watchers, and taking a call into a queue.
 */
export type AgentPort = Pick<CtiRequestHandlers, AgentRequestType> & {
  /** Current statistics of these queues; unknown queues are left out. */
  queueStats(queues: readonly string[]): Promise<readonly QueueStats[]>;
  /** Current status of these agents; unknown agents are left out. */
  agentStatus(agents: readonly string[]): Promise<readonly AgentStatus[]>;
  /**
   * The agents the ACD offered this call to or connected it with; undefined when the ACD
   * does not hold the call. A queue call's caller may be an extension too: this says which
   * party is the agent. Absent: every extension on the call counts.
   */
  callAgents?(callId: string): readonly string[] | undefined;
  /**
   * The agent's leg the ACD offered this call on (while it rings) or connected it with,
   * whatever the device: a phone, a mobile through a trunk (its party is the mobile number),
   * or a persistent connection (常摘机: the leg lives in a call of its own, bridged across).
   * Undefined when the ACD has none for that agent on that call.
   */
  agentLeg?(callId: string, agent: string): Leg | undefined;
  /**
   * Whether the ACD sends this leg's `callAnswered` and `callEnded` itself (a leg it connected
   * to a queue call, or a persistent connection): the backend then sends none from the leg.
   */
  reportsLeg?(leg: Leg): boolean;
  /** Answers a call offered on the agent's persistent connection; false when none waits. */
  answerOffer?(callId: string, agent: string): boolean;
  /** Whether `leg` is a persistent connection: it outlives the calls bridged into it, and stays protected. */
  isConnection?(leg: Leg): boolean;
  /**
   * A persistent connection leaves the call it talks on (unbridged, idle for the next call),
   * the other party staying; false for any other leg, which the backend hangs up itself.
   */
  releaseConnection?(leg: Leg): boolean;
  /**
   * The agent's desktop (`agent`) or a supervisor's force release (`supervisor`) ends the
   * agent's part of the call; called just before the agent's leg is released. On a queue call
   * the ACD records COMPLETEAGENT (not the COMPLETECALLER a leg ended by Hotline would
   * suggest) and starts the agent's wrap-up; other calls are ignored.
   */
  callReleased?(callId: string, agent: string, by: 'agent' | 'supervisor'): void;
  /**
   * The agent hands its call on to `to` (an extension or number, a queue, an IVR flow) and
   * leaves it; called just before the agent's leg is released. On a queue call the ACD
   * records TRANSFER rather than a completion and starts the agent's wrap-up; other calls
   * are not the ACD's and are ignored. `by` supervisor: an intercept (强接) hands it to `to`,
   * the supervisor's device.
   */
  callTransferred?(callId: string, agent: string, to: string, by?: 'agent' | 'supervisor'): void;
  /**
   * The agent's desktop held (`held`) or retrieved the call; on a queue call the agent's
   * state becomes `held`, then `onCall` again. Other calls are not the ACD's and are ignored.
   */
  callHeld?(callId: string, agent: string, held: boolean): void;
  /**
   * Puts `party` (the customer's leg of `call`, already unbridged from the agent) in a queue.
   * Absent: transferToQueue fails with UNAVAILABLE.
   */
  transferToQueue?(
    call: Call,
    party: Leg,
    request: CtiRequestOf<'transferToQueue'>,
    caller: CtiCaller,
  ): Promise<void>;
};

/** Runs IVR flows on a party of a call (the router provides it). */
export interface RunFlow {
  /** Throws a CtiError when the flow cannot run on this party (before the agent is released). */
  check(party: Leg, flow: string): void;
  /** Runs the flow; resolves when it is done with the call. */
  run(call: Call, party: Leg, flow: string): Promise<void>;
}

export interface CtiBackendDeps {
  readonly control: CallControl;
  /** Whether a number is an agent (an extension): its legs make a call the agent's. */
  readonly isAgent: (number: string) => boolean;
  /** Whether a number is an extension (dialled directly) rather than a number outside. */
  readonly isExtension: (number: string) => boolean;
  /** Numbers outside, through the outbound routes and trunks (the call router's). */
  readonly dialExternal?: DialExternal;
  readonly runFlow?: RunFlow;
  readonly agents?: AgentPort;
  /** Where call events go (the CTI server's `emit`); set later with `setEmit`. */
  readonly emit?: CtiEmit;
  readonly clock: Pick<Clock, 'now'>;
  readonly logger: Logger;
  /** How long a consult or click-to-dial target may ring; default call control's. */
  readonly ringTimeoutMs?: number;
}
