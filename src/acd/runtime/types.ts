/**
 * The ACD at run time: the ports the service needs (call control, speech, the queue log,
 * a router for destinations outside the ACD) and the ports it offers to the CTI backend
 * (`AgentService`, `QueueService`, events). The status and event shapes mirror the CTI
 * protocol's (src/cti/protocol), field for field, without importing it: the CTI module is an
 * adapter over this one, not the other way round.
 */
import type { Call } from '../../call/control/call.js';
import type { Leg } from '../../call/control/leg.js';
import type { CallDataValue, Contact, DialOptions, Party } from '../../call/control/types.js';
import type { PlayItem } from '../../media/index.js';
import type { Destination, SkillRequirements } from '../../routing/types.js';
import type { LoginDevice } from './agent-device.js';

/** How a call enters the ACD. */
export interface EnqueueOptions {
  /** The queues to wait in, in order of preference (at least one). */
  readonly queues: readonly string[];
  /** 0–100, larger is answered sooner; default the call data's `priority`, else 0. */
  readonly priority?: number;
  readonly vip?: boolean;
  readonly skills?: SkillRequirements;
  /** Extra associated data; the call's own data goes along too. */
  readonly data?: Readonly<Record<string, CallDataValue>>;
}

/** Carries a call to a destination outside the ACD (the call router provides it). */
export type RouteAnswered = (call: Call, leg: Leg, to: Destination) => Promise<void>;

/** The presence and activity of an agent as the CTI protocol shows them (`AgentStatus`). */
export interface AcdAgentStatus {
  readonly agent: string;
  readonly presence: 'loggedOut' | 'ready' | 'notReady';
  readonly reason?: string;
  /** `held`: the agent holds the caller (from its phone or the desktop). */
  readonly activity: 'idle' | 'reserved' | 'ringing' | 'onCall' | 'held' | 'wrapUp' | 'outbound';
  readonly queues: string[];
  readonly callId?: string;
  readonly since: number;
}

/** A queue's figures as the CTI protocol shows them (`QueueStats`). */
export interface AcdQueueStats {
  readonly queue: string;
  readonly waiting: number;
  readonly longestWaitMs: number;
  readonly agentsLoggedIn: number;
  readonly agentsReady: number;
  readonly agentsOnCall: number;
  readonly offered: number;
  readonly answered: number;
  readonly abandoned: number;
  /** 0–1; null before the first call finished waiting. */
  readonly serviceLevel: number | null;
  readonly agentsNotReady: number;
  readonly agentsInWrapUp: number;
  /** Average speed of answer today; null before the first answered call. */
  readonly asaMs: number | null;
  /** Average handle time today; null before the first handled call. */
  readonly ahtMs: number | null;
}

/** An agent's status and its figures since midnight as the CTI protocol shows them (`AgentStats`). */
export interface AcdAgentStats extends AcdAgentStatus {
  readonly offered: number;
  readonly answered: number;
  readonly rona: number;
  readonly talkMs: number;
  readonly ahtMs: number | null;
  readonly timeInStateMs: Record<string, number>;
}

/** Home region of the caller (号段/归属地) from the call data. */
export interface AcdRegion {
  readonly province?: string;
  readonly city?: string;
  readonly carrier?: string;
}

/** What the ACD tells its listeners; `at` is ms since the epoch. Shaped like the CTI events. */
export type AcdEvent =
  | { readonly event: 'agentStateChanged'; readonly at: number; readonly status: AcdAgentStatus }
  | {
      /** A call waits in `queue` now (entered, moved or overflowed there): for supervisors. */
      readonly event: 'callQueued';
      readonly at: number;
      readonly callId: string;
      readonly queue: string;
      readonly caller: Party;
      readonly called?: string;
      readonly position: number;
      readonly priority: number;
      readonly data: Readonly<Record<string, string | number | boolean | null>>;
    }
  | {
      readonly event: 'callOffered';
      readonly at: number;
      readonly callId: string;
      readonly agent: string;
      readonly caller: Party;
      readonly called?: string;
      readonly region?: AcdRegion;
      readonly queue: string;
      readonly waitMs: number;
      readonly direction: 'inbound';
      readonly data: Readonly<Record<string, string | number | boolean | null>>;
    }
  | {
      readonly event: 'callAnswered';
      readonly at: number;
      readonly callId: string;
      readonly agent: string;
      readonly queue: string;
    }
  | {
      readonly event: 'callEnded';
      readonly at: number;
      readonly callId: string;
      readonly agent?: string;
      readonly queue: string;
      readonly by: 'caller' | 'agent' | 'supervisor' | 'system';
      /** normal, transferred, forceReleased, abandoned, overflow, timeout, exitKey, full, moved, pickedUp. */
      readonly cause: string;
      readonly talkMs: number;
    };

/** Whom an event concerns (the CTI audience). */
export interface AcdAudience {
  readonly agents?: readonly string[];
  readonly queues?: readonly string[];
}

export type AcdListener = (event: AcdEvent, audience: AcdAudience) => void;

/** Agent operations: login/logout/ready/not ready/wrap-up done, each answering the new status. */
export interface AgentService {
  /**
   * Signs in to `queues`, or to the agent's configured queues; not ready (LOGIN) unless
   * `ready`. `device` replaces the configured device until logout (agent-device.ts).
   */
  login(
    agent: string,
    queues?: readonly string[],
    opts?: { readonly ready?: boolean; readonly device?: LoginDevice },
  ): AcdAgentStatus;
  logout(agent: string): AcdAgentStatus;
  ready(agent: string): AcdAgentStatus;
  notReady(agent: string, reason: string): AcdAgentStatus;
  /** Ends manual wrap-up. */
  wrapUpDone(agent: string): AcdAgentStatus;
  /** Supervisor moves; the agent's call, if any, goes on. */
  force(agent: string, what: 'logout' | 'ready' | 'notReady', reason?: string): AcdAgentStatus;
  agentStatus(agents: readonly string[]): AcdAgentStatus[];
}

/** Where a supervisor moves a waiting call. */
export type MoveTarget =
  | { readonly type: 'queue'; readonly queue: string; readonly priority?: number }
  | { readonly type: 'agent'; readonly agent: string };

/** Queue operations for supervisors and the CTI backend. */
export interface QueueService {
  queueStats(queues: readonly string[]): AcdQueueStats[];
  /** Today's figures of these queues and agents; an omitted list means every one. */
  stats(
    queues?: readonly string[],
    agents?: readonly string[],
  ): { queues: AcdQueueStats[]; agents: AcdAgentStats[] };
  /** A fixed priority for a waiting call (`undefined`: back to base + aging). */
  setCallPriority(callId: string, priority: number | undefined): void;
  moveCall(callId: string, to: MoveTarget): Promise<void>;
  /**
   * Takes a waiting call out of the ACD for a supervisor (代接): its music stops and the
   * caller's leg is returned, ready to be bridged to the supervisor's device.
   */
  pickup(callId: string, by?: string): Promise<{ readonly call: Call; readonly leg: Leg }>;
  /** Agents offered or talking on this ACD call; undefined when the ACD does not have it. */
  callAgents(callId: string): readonly string[] | undefined;
  /** Subscribes to events; returns the unsubscribe function. */
  subscribe(listener: AcdListener): () => void;
}

/** Audio the ACD plays: music-on-hold classes and spoken prompts. */
export interface AcdAudio {
  musicOnHold(className: string | undefined): Promise<readonly PlayItem[]>;
}

/** Reachable contacts of an extension (an agent's phone). */
export type ContactsOf = (extension: string) => readonly Contact[];

/** What dialling a number gave: the answered leg, or the status it failed with. */
export type DialResult = { readonly leg: Leg } | { readonly leg?: undefined; readonly status: number };

/**
 * Dials a number as a new leg of `call` (an extension, or a number outside through the
 * outbound routes) and resolves once it answered or failed; aborting cancels it.
 */
export type DialNumber = (call: Call, number: string, opts: DialOptions) => Promise<DialResult>;
