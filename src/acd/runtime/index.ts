/** The ACD at run time: queues carrying real calls, agents' phones, the queue log, the CTI-facing ports. */
export { AcdService } from './service.js';
export type { AcdServiceDeps } from './core.js';
export { agentFeatureCall, type AgentFeatureDeps } from './feature-call.js';
export {
  DEFAULT_AGENT_FEATURE_CODES,
  matchAgentFeature,
  type AgentFeature,
  type AgentFeatureCodes,
} from './feature-codes.js';
export { agentStatusOf, queueStatsOf } from './status.js';
export type {
  AcdAgentStatus,
  AcdAudience,
  AcdEvent,
  AcdListener,
  AcdQueueStats,
  AcdRegion,
  AgentService,
  ContactsOf,
  EnqueueOptions,
  MoveTarget,
  QueueService,
  RouteAnswered,
} from './types.js';
