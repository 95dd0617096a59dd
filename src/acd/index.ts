/** The ACD's public surface: model, agent state machine, strategies, dispatcher, statistics, Erlang C. */
export * from './types.js';
export { AcdError, type AcdErrorCode } from './errors.js';
export {
  transition,
  stateCode,
  isAvailable,
  LOGGED_OUT,
  PRESENCE_TABLE,
  ACTIVITY_TABLE,
  type AgentEvent,
  type AgentEventType,
  type AgentEffect,
  type AgentTransition,
} from './agent-state.js';
export { hasSkills, isEligible, idleSince } from './eligibility.js';
export {
  STRATEGIES,
  rankAgents,
  bestAgents,
  compareScores,
  type Candidate,
  type RankCall,
  type RankContext,
  type RankedAgent,
  type Strategy,
  type StrategyMemory,
} from './strategies/index.js';
export { Dispatcher, type AgentCommand, type DispatcherOptions, type MembershipInit } from './dispatcher.js';
export {
  agedPriority,
  basePriority,
  checkPriority,
  effectivePriority,
  NO_AGING,
  MIN_PRIORITY,
  MAX_PRIORITY,
} from './priority.js';
export {
  QueueStats,
  figures,
  zeroCounters,
  type QueueCounters,
  type QueueFigures,
  type QueueOutcome,
} from './stats.js';
export type { AgentSnapshot, AgentsByState, QueueSnapshot } from './snapshot.js';
export { announcedMinutes, estimateWaitSeconds, handleSecondsFor, type WaitEstimateInput } from './ewt.js';
export {
  erlangB,
  erlangC,
  erlangCLoad,
  agentsForServiceLevel,
  type ErlangLoad,
  type ErlangResult,
} from './erlang.js';
export { acdSchema, queueSchema, queueConfig, type AcdConfig } from './config-schema.js';
export { seededRandom } from './random.js';
