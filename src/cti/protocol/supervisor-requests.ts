/**
 * Requests of the supervisor seat (班长席): watching, listening in, forcing states and
 * moving calls. `watch` and `unwatch` are also open to integrations (events only) and to
 * agents for queue statistics; every other request here needs the supervisor role.
 */
import { z } from 'zod';
import { agentId, agentStats, agentStatus, callId, priority, queueId, reasonCode } from './common.js';
import { queueStatsEvent } from './events.js';
import { request } from './envelope.js';

const names = (item: z.ZodString) => z.array(item).max(1024);

export const watchRequest = request('watch', {
  queues: names(queueId).optional(),
  agents: names(agentId).optional(),
});
/** Omitting both lists stops watching everything. */
export const unwatchRequest = request('unwatch', {
  queues: names(queueId).optional(),
  agents: names(agentId).optional(),
});
/** Listen to a call (监听): the supervisor hears both parties, nobody hears the supervisor. */
export const monitorRequest = request('monitor', { callId });
/** Whisper (密语): only the agent hears the supervisor. */
export const whisperRequest = request('whisper', { callId });
/** Barge in (强插): all three hear each other. */
export const bargeRequest = request('barge', { callId });
/** Force release (强拆): hang the call up. */
export const forceReleaseRequest = request('forceRelease', { callId });
/** Intercept (强接): the supervisor takes the call over, the agent is dropped. */
export const interceptRequest = request('intercept', { callId });
export const forceLogoutRequest = request('forceLogout', { agent: agentId });
export const forceReadyRequest = request('forceReady', { agent: agentId });
export const forceNotReadyRequest = request('forceNotReady', { agent: agentId, reason: reasonCode });
export const setCallPriorityRequest = request('setCallPriority', { callId, priority });
export const moveCallRequest = request('moveCall', {
  callId,
  to: z.discriminatedUnion('type', [
    z.strictObject({ type: z.literal('queue'), queue: queueId, priority: priority.optional() }),
    z.strictObject({ type: z.literal('agent'), agent: agentId }),
  ]),
});
/** Pick up a waiting call (代接) onto the supervisor's own device. */
export const pickupRequest = request('pickup', { callId });
/** Today's figures of queues and agents at once; an omitted list means all of them. */
export const statsRequest = request('stats', {
  queues: names(queueId).optional(),
  agents: names(agentId).optional(),
});

export const supervisorRequestSchemas = [
  watchRequest,
  unwatchRequest,
  monitorRequest,
  whisperRequest,
  bargeRequest,
  forceReleaseRequest,
  interceptRequest,
  forceLogoutRequest,
  forceReadyRequest,
  forceNotReadyRequest,
  setCallPriorityRequest,
  moveCallRequest,
  pickupRequest,
  statsRequest,
] as const;

const empty = z.strictObject({});
const watched = z.strictObject({
  queues: z.array(queueId),
  agents: z.array(agentId),
  /** The current status of every watched agent, so a seat can draw its board at once. */
  agentStatus: z.array(agentStatus),
});

export const supervisorResults = {
  watch: watched,
  unwatch: watched,
  monitor: empty,
  whisper: empty,
  barge: empty,
  forceRelease: empty,
  intercept: empty,
  forceLogout: agentStatus,
  forceReady: agentStatus,
  forceNotReady: agentStatus,
  setCallPriority: empty,
  moveCall: empty,
  pickup: empty,
  stats: z.strictObject({
    queues: z.array(queueStatsEvent.omit({ v: true, event: true, at: true })),
    agents: z.array(agentStats),
  }),
} as const;
