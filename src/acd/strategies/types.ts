import type { Agent, QueueMembership, SkillRequirements, StrategyName } from '../types.js';

/** An eligible agent together with their membership of the queue being served. */
export interface Candidate {
  readonly agent: Agent;
  readonly membership: QueueMembership;
}

/** What a strategy may know of the call. */
export interface RankCall {
  readonly skills?: SkillRequirements;
}

/** Per-queue memory of earlier choices (round-robin resumes after the last agent offered). */
export interface StrategyMemory {
  lastPosition(queue: string): number | undefined;
}

export interface RankContext {
  readonly now: number;
  /** Uniform in [0, 1). Injected so that tests and simulations are deterministic. */
  readonly rng: () => number;
  readonly memory: StrategyMemory;
}

/**
 * A distribution strategy: a structured score per candidate, compared field by field, lower
 * first. Tiers are applied before the strategy (see rank.ts), so a strategy never sees them.
 */
export interface Strategy {
  readonly name: StrategyName;
  /** One line for the docs and the admin UI. */
  readonly description: string;
  /** Offer the call to every eligible agent of the best tier at once. */
  readonly ringAll: boolean;
  score(candidate: Candidate, call: RankCall, ctx: RankContext): readonly number[];
}

/** Sum of the agent's levels in the skills the call requires (0 when it requires none). */
export function requiredSkillLevel(candidate: Candidate, call: RankCall): number {
  let sum = 0;
  for (const name in call.skills ?? {}) sum += candidate.agent.skills[name] ?? 0;
  return sum;
}
