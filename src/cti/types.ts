/**
 * The contract between the CTI server and the services behind it (the ACD, call
 * control): the lead wires an implementation of `CtiBackend` to the real services and
 * feeds their events into `CtiServer.emit`.
 */
import type {
  AgentStatus,
  CtiEvent,
  CtiRequestOf,
  CtiRequestType,
  CtiResultOf,
  CtiRole,
  QueueStats,
} from './protocol.js';

/** Who is on the other end of a connection, from the token it presented. */
export interface CtiIdentity {
  /** The token's name, for logs (never the token itself). */
  readonly name: string;
  readonly role: CtiRole;
  /** The agent the token is bound to: always set for role `agent`; a supervisor's own device. */
  readonly agent?: string;
}

/** Handed to every backend method with the request. */
export interface CtiCaller {
  readonly identity: CtiIdentity;
  /**
   * For agent requests: the agent acted for, already checked (the token's own agent, or
   * the one a supervisor/integration named) and, for requests naming a call, a party to it.
   * For supervisor requests: the supervisor's own agent (device), if the token has one.
   */
  readonly agent?: string;
}

/** The requests the server answers itself (subscriptions live in the connection). */
export type ServerRequestType = 'watch' | 'unwatch';
export type BackendRequestType = Exclude<CtiRequestType, ServerRequestType>;

/**
 * One method per request type. Each resolves with the request's result or throws a
 * CtiError (any other error is answered as INTERNAL and logged). The server has already
 * validated the request and applied the role and ownership rules before calling.
 */
export type CtiRequestHandlers = {
  readonly [K in BackendRequestType]: (
    request: CtiRequestOf<K>,
    caller: CtiCaller,
  ) => Promise<CtiResultOf<K>>;
};

export interface CtiBackend extends CtiRequestHandlers {
  /**
   * The agents who are party to a call (offered, talking, holding or consulting), or
   * undefined when there is no such call. Used to refuse NOT_YOUR_CALL before dispatch.
   */
  callAgents(callId: string): Promise<readonly string[] | undefined>;
  /** Current statistics of these queues; unknown queues are left out. */
  queueStats(queues: readonly string[]): Promise<readonly QueueStats[]>;
  /** Current status of these agents; unknown agents are left out. */
  agentStatus(agents: readonly string[]): Promise<readonly AgentStatus[]>;
}

/** Whom an event concerns: the agents it is about and the queues it happened in. */
export interface CtiAudience {
  readonly agents?: readonly string[];
  readonly queues?: readonly string[];
}

/** How the backend pushes events to connected clients. */
export type CtiEmit = (event: CtiEvent, audience: CtiAudience) => void;
