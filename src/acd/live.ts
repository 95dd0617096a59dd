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

export interface AgentCounters {
  offers: number;
  rona: number;
  handled: number;
  handleMs: number;
  /** Milliseconds spent per state code ("ready/idle", "notReady(LUNCH)/idle" …). */
  readonly timeInStateMs: Map<string, number>;
}

export interface AgentRecord extends Mutable<Agent> {
  queues: Map<string, QueueMembership>;
  skills: AgentSkills;
  stateSince: number;
  /** The ACD call the agent is on (for wrap-up time and handle-time statistics). */
  acdCall: { readonly queue: string; readonly answeredAt: number } | undefined;
  wrapUpId: number;
  readonly counters: AgentCounters;
}
