/** The dispatcher's mutable records of calls and agents (plain data, owned by the Dispatcher). */
import type { Deadline } from './deadlines.js';
import type { Seat, SeatCall } from './waiting.js';
import type { Agent, AgentSkills, QueueCallInit, QueueMembership } from './types.js';

export type Mutable<T> = { -readonly [K in keyof T]: T[K] };

export interface LiveCall extends SeatCall {
  readonly init: QueueCallInit;
  override: number | undefined;
  status: 'waiting' | 'offering';
  /** Queue name → the call's seat there, in the call's order of preference. */
  readonly seats: Map<string, Seat>;
  offer:
    | {
        readonly id: number;
        readonly queue: string;
        readonly agentIds: Set<string>;
        readonly lastAgent: boolean;
      }
    | undefined;
  /** The agent this call is held for (last-agent routing), until the wait ends. */
  waitingFor: string | undefined;
  /** Overflow and max-wait deadlines that fell due while the call was ringing an agent. */
  deferred: Deadline[];
  /** The caller asked to be called back (or overflowed to a callback): it keeps its place, rules no longer apply. */
  callback: boolean;
}

/** An agent's figures since the statistics day began (resetDay). */
export interface AgentCounters {
  offers: number;
  rona: number;
  answered: number;
  talkMs: number;
  handled: number;
  handleMs: number;
  /** Milliseconds spent per state code ("ready/idle", "notReady(LUNCH)/idle" …). */
  readonly timeInStateMs: Map<string, number>;
  /** When the day began: time in a state entered before it counts from here. */
  since: number;
}

export function zeroAgentCounters(now: number): AgentCounters {
  return {
    offers: 0,
    rona: 0,
    answered: 0,
    talkMs: 0,
    handled: 0,
    handleMs: 0,
    timeInStateMs: new Map(),
    since: now,
  };
}

export interface AgentRecord extends Mutable<Agent> {
  queues: Map<string, QueueMembership>;
  skills: AgentSkills;
  stateSince: number;
  /** The ACD call the agent is on (for wrap-up time and handle-time statistics). */
  acdCall: { readonly queue: string; readonly answeredAt: number } | undefined;
  wrapUpId: number;
  counters: AgentCounters;
}
