/**
 * Ranking: eligibility first, then the tier (lower first), then the queue's strategy score,
 * compared field by field. Pure: the clock, the random source and the memory are passed in.
 */
import { isEligible } from '../eligibility.js';
import type { Agent, StrategyName } from '../types.js';
import { STRATEGIES } from './registry.js';
import type { Candidate, RankCall, RankContext } from './types.js';

export interface RankedAgent {
  readonly agentId: string;
  /** [tier, ...strategy score]; lower is better. */
  readonly score: readonly number[];
}

export function compareScores(a: readonly number[], b: readonly number[]): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const d = a[i]! - b[i]!;
    if (d !== 0) return d;
  }
  return a.length - b.length;
}

function candidatesFor(queue: string, call: RankCall, agents: Iterable<Agent>): Candidate[] {
  const out: Candidate[] = [];
  for (const agent of agents) {
    const membership = agent.queues.get(queue);
    if (membership !== undefined && isEligible(agent, queue, call.skills)) out.push({ agent, membership });
  }
  return out;
}

/** Every eligible agent, best first (ties keep the candidates' order). */
export function rankAgents(
  queue: { readonly name: string; readonly strategy: StrategyName },
  call: RankCall,
  agents: Iterable<Agent>,
  ctx: RankContext,
): RankedAgent[] {
  const strategy = STRATEGIES[queue.strategy];
  return candidatesFor(queue.name, call, agents)
    .map((c) => ({ agentId: c.agent.id, score: [c.membership.tier, ...strategy.score(c, call, ctx)] }))
    .sort((a, b) => compareScores(a.score, b.score));
}

/**
 * The agents to offer the call to: the single best, or for ring-all every eligible agent of
 * the best tier. One pass, no sort, so it stays fast for large queues.
 */
export function bestAgents(
  queue: { readonly name: string; readonly strategy: StrategyName },
  call: RankCall,
  agents: Iterable<Agent>,
  ctx: RankContext,
): string[] {
  const strategy = STRATEGIES[queue.strategy];
  let best: Agent | undefined;
  let bestScore: readonly number[] = [];
  let bestTier = Infinity;
  const ringing: Agent[] = [];
  for (const c of candidatesFor(queue.name, call, agents)) {
    if (strategy.ringAll) {
      if (c.membership.tier < bestTier) {
        bestTier = c.membership.tier;
        ringing.length = 0;
      }
      if (c.membership.tier === bestTier) ringing.push(c.agent);
      continue;
    }
    const score = [c.membership.tier, ...strategy.score(c, call, ctx)];
    if (best === undefined || compareScores(score, bestScore) < 0) {
      best = c.agent;
      bestScore = score;
    }
  }
  if (strategy.ringAll) {
    return ringing
      .map((agent) => ({
        agent,
        score: strategy.score({ agent, membership: agent.queues.get(queue.name)! }, call, ctx),
      }))
      .sort((a, b) => compareScores(a.score, b.score))
      .map((r) => r.agent.id);
  }
  return best === undefined ? [] : [best.id];
}
