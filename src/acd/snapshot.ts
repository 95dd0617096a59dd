/** Real-time figures of a queue and of an agent (RPT-1, SUP-1, SUP-3), read from the dispatcher's state. */
import { stateCode } from './agent-state.js';
import type { AgentRecord } from './live.js';
import type { QueueRuntime } from './queue-runtime.js';
import type { QueueFigures } from './stats.js';
import type { AgentState } from './types.js';

export interface AgentsByState {
  readonly loggedIn: number;
  readonly ready: number;
  readonly notReady: number;
  /** Ready and idle: could take a call now. */
  readonly available: number;
  readonly reserved: number;
  readonly talking: number;
  readonly held: number;
  readonly wrapUp: number;
  readonly outbound: number;
}

export interface QueueSnapshot {
  readonly queue: string;
  readonly waiting: number;
  readonly longestWaitSeconds: number;
  readonly agents: AgentsByState;
  /** Since the last resetDay (local midnight). */
  readonly today: QueueFigures;
  /** Over the recent window (15 minutes by default). */
  readonly recent: QueueFigures;
}

export interface AgentSnapshot {
  readonly agentId: string;
  readonly name: string;
  readonly state: AgentState;
  readonly stateCode: string;
  readonly inStateSeconds: number;
  readonly queues: readonly string[];
  readonly offered: number;
  readonly answered: number;
  readonly rona: number;
  readonly talkTimeSeconds: number;
  readonly ahtSeconds: number | undefined;
  /** Seconds per state code, including the current state up to now. */
  readonly timeInStateSeconds: Readonly<Record<string, number>>;
}

export function queueSnapshot(rt: QueueRuntime, now: number): QueueSnapshot {
  const counts = {
    loggedIn: 0,
    ready: 0,
    notReady: 0,
    available: 0,
    reserved: 0,
    talking: 0,
    held: 0,
    wrapUp: 0,
    outbound: 0,
  };
  for (const a of rt.members) {
    counts.loggedIn++;
    if (a.state.presence.kind === 'ready') counts.ready++;
    if (a.state.presence.kind === 'notReady') counts.notReady++;
    if (a.state.activity === 'idle') {
      if (a.state.presence.kind === 'ready') counts.available++;
    } else {
      counts[a.state.activity]++;
    }
  }
  const oldest = rt.line.oldestEnteredAt();
  return {
    queue: rt.config.name,
    waiting: rt.line.size,
    longestWaitSeconds: oldest === undefined ? 0 : (now - oldest) / 1000,
    agents: counts,
    today: rt.stats.todayFigures(),
    recent: rt.stats.recentFigures(now),
  };
}

export function agentSnapshot(a: AgentRecord, now: number): AgentSnapshot {
  const code = stateCode(a.state);
  const times: Record<string, number> = {};
  for (const [k, ms] of a.counters.timeInStateMs) times[k] = ms / 1000;
  times[code] = (times[code] ?? 0) + (now - Math.max(a.stateSince, a.counters.since)) / 1000;
  return {
    agentId: a.id,
    name: a.name,
    state: a.state,
    stateCode: code,
    inStateSeconds: (now - a.stateSince) / 1000,
    queues: [...a.queues.keys()],
    offered: a.counters.offers,
    answered: a.counters.answered,
    rona: a.counters.rona,
    talkTimeSeconds: a.counters.talkMs / 1000,
    ahtSeconds: a.counters.handled > 0 ? a.counters.handleMs / a.counters.handled / 1000 : undefined,
    timeInStateSeconds: times,
  };
}
