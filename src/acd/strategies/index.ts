/** Distribution strategies: the registry and the ranking over it. */
export { STRATEGIES } from './registry.js';
export type { Candidate, RankCall, RankContext, Strategy, StrategyMemory } from './types.js';
export { rankAgents, bestAgents, compareScores, type RankedAgent } from './rank.js';
