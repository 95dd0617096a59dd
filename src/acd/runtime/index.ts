/** The ACD at run time: queues carrying real calls, agents' phones, the queue log, the CTI-facing ports. */
export { AcdService } from './service.js';
export { dialContacts } from './callback.js';
export type { AcdServiceDeps } from './core.js';
export { deviceOf, type AgentDevice, type LoginDevice } from './agent-device.js';
export { agentFeatureCall, type AgentFeatureDeps } from './feature-call.js';
export {
  DEFAULT_AGENT_FEATURE_CODES,
  matchAgentFeature,
  type AgentFeature,
  type AgentFeatureCodes,
} from './feature-codes.js';
export { agentStatusOf, queueStatsOf } from './status.js';
export {
  findLastAgent,
  LAST_AGENT_LOOKUP_MS,
  RecentAgents,
  type LastAgentHint,
  type LastAgentLookup,
} from './last-agent.js';
export type {
  AcdAgentStatus,
  AcdAudience,
  AcdEvent,
  AcdListener,
  AcdQueueStats,
  AcdRegion,
  AgentService,
  ContactsOf,
  DialNumber,
  DialResult,
  EnqueueOptions,
  MoveTarget,
  QueueService,
  RouteAnswered,
} from './types.js';
