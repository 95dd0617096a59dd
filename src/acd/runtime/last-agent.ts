/**
 * Last-agent routing (呼叫记忆) at run time: who last talked to a caller. Two sources, newest
 * first: a memory of the connects this process made (answers at once, and knows a call whose
 * CDR is not written yet), then an injected lookup (the server's CDRs). The lookup is given a
 * bounded time: a slow or failing database costs the caller at most that wait, never the call.
 */
import type { Clock } from '../../platform/clock.js';
import type { Logger } from '../../platform/log.js';
import type { QueueConfig } from '../types.js';

/** Who served a caller, and when (ms since the epoch). */
export interface LastAgentHint {
  readonly agentId: string;
  readonly at: number;
}

/** Who served `callerNumber` most recently at or after `since` (ms); undefined when nobody did. */
export type LastAgentLookup = (callerNumber: string, since: number) => Promise<LastAgentHint | undefined>;

/** How long enqueue waits for the lookup before the call goes on without a hint. */
export const LAST_AGENT_LOOKUP_MS = 500;

/** Callers remembered at most; the oldest connect is forgotten first. */
export const RECENT_AGENTS_CAPACITY = 50_000;

/** The agent each caller last talked to, in the order the connects happened. */
export class RecentAgents {
  private readonly byCaller = new Map<string, LastAgentHint>();

  constructor(private readonly capacity = RECENT_AGENTS_CAPACITY) {}

  remember(callerNumber: string, agentId: string, at: number): void {
    if (callerNumber === '') return;
    this.byCaller.delete(callerNumber); // re-inserted last: Map order is connect order
    this.byCaller.set(callerNumber, { agentId, at });
    if (this.byCaller.size > this.capacity) {
      const oldest = this.byCaller.keys().next().value;
      if (oldest !== undefined) this.byCaller.delete(oldest);
    }
  }

  find(callerNumber: string, since: number): LastAgentHint | undefined {
    const hint = this.byCaller.get(callerNumber);
    return hint !== undefined && hint.at >= since ? hint : undefined;
  }

  get size(): number {
    return this.byCaller.size;
  }
}

/** The longest `lastAgent.hours` of the queues a call waits in; undefined when none asks for it. */
export function lastAgentWindowHours(queues: readonly Pick<QueueConfig, 'lastAgent'>[]): number | undefined {
  let hours: number | undefined;
  for (const q of queues) if (q.lastAgent !== undefined) hours = Math.max(hours ?? 0, q.lastAgent.hours);
  return hours;
}

export interface FindLastAgentDeps {
  readonly recent: RecentAgents;
  readonly lookup: LastAgentLookup | undefined;
  readonly clock: Clock;
  readonly logger: Logger;
  /** Bound on the lookup (ms); LAST_AGENT_LOOKUP_MS by default. */
  readonly timeoutMs?: number;
}

/**
 * The hint for a caller served within `hours`: from memory when it has one, else from the
 * lookup if it answers within the bound. A lookup that fails or is too slow gives no hint.
 */
export async function findLastAgent(
  deps: FindLastAgentDeps,
  callerNumber: string,
  hours: number,
  now: number,
): Promise<LastAgentHint | undefined> {
  const since = Math.floor(now - hours * 3_600_000);
  const known = deps.recent.find(callerNumber, since);
  if (known !== undefined || deps.lookup === undefined || callerNumber === '') return known;
  const timeoutMs = deps.timeoutMs ?? LAST_AGENT_LOOKUP_MS;
  let timer: { cancel(): void } | undefined;
  const late = new Promise<'late'>((resolve) => {
    timer = deps.clock.setTimer(timeoutMs, () => resolve('late'));
  });
  try {
    const found = await Promise.race([deps.lookup(callerNumber, since), late]);
    if (found === 'late') {
      deps.logger.warn({ caller: callerNumber, timeoutMs }, 'last-agent lookup too slow: no hint');
      return undefined;
    }
    return found !== undefined && found.at >= since ? found : undefined;
  } catch (err) {
    deps.logger.warn({ err, caller: callerNumber }, 'last-agent lookup failed: no hint');
    return undefined;
  } finally {
    timer?.cancel();
  }
}
