/**
 * Events the server pushes: `{ v: 1, event, ... }`. Agent and call events reach the
 * agent's own connections and the connections watching the agent or the call's queue;
 * queue statistics reach the queue's watchers once a second.
 */
import { z } from 'zod';
import {
  agentId,
  agentStatus,
  associatedData,
  callId,
  CTI_PROTOCOL_VERSION,
  durationMs,
  epochMs,
  queueId,
  target,
} from './common.js';

function event<T extends string, S extends z.ZodRawShape>(name: T, shape: S) {
  return z.strictObject({
    v: z.literal(CTI_PROTOCOL_VERSION),
    event: z.literal(name),
    at: epochMs,
    ...shape,
  });
}

const party = z.strictObject({
  number: z.string().max(64),
  name: z.string().max(128).optional(),
});

/** Home region of a Chinese number (号段/归属地), when known. */
const region = z.strictObject({
  province: z.string().max(64).optional(),
  city: z.string().max(64).optional(),
  carrier: z.string().max(64).optional(),
});

export const agentStateChangedEvent = event('agentStateChanged', { status: agentStatus });

/** Everything a screen pop (弹屏) needs, sent as the agent's device starts to ring. */
export const callOfferedEvent = event('callOffered', {
  callId,
  agent: agentId,
  caller: party,
  /** The number the caller dialled (the DID), when the call came in from outside. */
  called: z.string().max(64).optional(),
  region: region.optional(),
  queue: queueId.optional(),
  /** How long the caller waited in the queue before this offer. */
  waitMs: durationMs,
  direction: z.enum(['inbound', 'outbound', 'internal']),
  data: associatedData,
});
/**
 * A call waits in a queue now (entered, moved or overflowed there), for the queue's
 * watchers: the callId a supervisor picks up, moves or reprioritises.
 */
export const callQueuedEvent = event('callQueued', {
  callId,
  queue: queueId,
  caller: party,
  called: z.string().max(64).optional(),
  /** 1 is the head of the queue, when it entered. */
  position: z.number().int().min(1),
  /** The priority it entered with (0–100, higher first). */
  priority: z.number().int().min(0).max(100),
  data: associatedData,
});
export const callAnsweredEvent = event('callAnswered', { callId, agent: agentId, queue: queueId.optional() });
export const callHeldEvent = event('callHeld', { callId, agent: agentId });
export const callRetrievedEvent = event('callRetrieved', { callId, agent: agentId });
export const callTransferredEvent = event('callTransferred', {
  callId,
  /** The agent who transferred the call. */
  agent: agentId,
  to: z.union([target, z.strictObject({ type: z.literal('ivr'), flow: z.string().min(1) })]),
});
export const callConferencedEvent = event('callConferenced', {
  callId,
  agent: agentId,
  /** Agents and numbers now in the conference. */
  parties: z.array(z.string().min(1)),
});
export const callEndedEvent = event('callEnded', {
  callId,
  agent: agentId.optional(),
  queue: queueId.optional(),
  by: z.enum(['caller', 'agent', 'supervisor', 'system']),
  /** A short cause: normal, busy, noAnswer, abandoned, forceReleased, failed … */
  cause: z.string().min(1).max(64),
  talkMs: durationMs,
});
export const queueStatsEvent = event('queueStats', {
  queue: queueId,
  waiting: z.number().int().min(0),
  longestWaitMs: durationMs,
  agentsLoggedIn: z.number().int().min(0),
  agentsReady: z.number().int().min(0),
  agentsOnCall: z.number().int().min(0),
  agentsNotReady: z.number().int().min(0),
  agentsInWrapUp: z.number().int().min(0),
  /** Counts since midnight, local time of the server. */
  offered: z.number().int().min(0),
  answered: z.number().int().min(0),
  abandoned: z.number().int().min(0),
  /** Share of calls answered within the queue's service-level target, 0–1; null before the first call. */
  serviceLevel: z.number().min(0).max(1).nullable(),
  /** Average speed of answer today; null before the first answered call. */
  asaMs: durationMs.nullable(),
  /** Average handle time (talk and wrap-up) today; null before the first handled call. */
  ahtMs: durationMs.nullable(),
});

export const ctiEventSchema = z.discriminatedUnion('event', [
  agentStateChangedEvent,
  callOfferedEvent,
  callQueuedEvent,
  callAnsweredEvent,
  callHeldEvent,
  callRetrievedEvent,
  callTransferredEvent,
  callConferencedEvent,
  callEndedEvent,
  queueStatsEvent,
]);

export type CtiEvent = z.infer<typeof ctiEventSchema>;
export type CtiEventName = CtiEvent['event'];
export type QueueStats = Omit<z.infer<typeof queueStatsEvent>, 'v' | 'event' | 'at'>;
