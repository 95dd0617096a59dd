/**
 * Requests that act on one agent and its calls: login, ready/not ready, call control from
 * the desktop, associated data. An agent token acts only as its own agent; a supervisor
 * or integration token names the agent in `agent`.
 */
import { z } from 'zod';
import {
  agentStatus,
  associatedData,
  callId,
  dtmfDigits,
  phoneNumber,
  priority,
  queueId,
  reasonCode,
  skillRequirements,
  target,
} from './common.js';
import { optionalAgentShape, request } from './envelope.js';

const onCall = { ...optionalAgentShape, callId };

export const loginRequest = request('login', {
  ...optionalAgentShape,
  /** Queues (skill groups) to join; omitted: the agent's configured queues. */
  queues: z.array(queueId).max(256).optional(),
  /** The device to ring: an extension or a number; omitted: the agent's own extension. */
  device: phoneNumber.optional(),
});
export const logoutRequest = request('logout', { ...optionalAgentShape, reason: reasonCode.optional() });
export const readyRequest = request('ready', { ...optionalAgentShape });
export const notReadyRequest = request('notReady', { ...optionalAgentShape, reason: reasonCode });
export const answerRequest = request('answer', onCall);
export const hangupRequest = request('hangup', onCall);
export const holdRequest = request('hold', onCall);
export const retrieveRequest = request('retrieve', onCall);
export const consultRequest = request('consult', { ...onCall, target });
/** Blind: the call goes to `target` now. Complete: the consulted party takes the call. */
export const transferRequest = z.discriminatedUnion('mode', [
  request('transfer', { ...onCall, mode: z.literal('blind'), target }),
  request('transfer', { ...onCall, mode: z.literal('complete'), consultCallId: callId }),
]);
export const conferenceRequest = request('conference', { ...onCall, consultCallId: callId });
export const sendDtmfRequest = request('sendDtmf', { ...onCall, digits: dtmfDigits });
export const makeCallRequest = request('makeCall', {
  ...optionalAgentShape,
  number: phoneNumber,
  /** The number shown to the called party; omitted: the outbound route's default. */
  callerId: phoneNumber.optional(),
  data: associatedData.optional(),
});
export const transferToIvrRequest = request('transferToIvr', {
  ...onCall,
  flow: z.string().min(1).max(128),
  data: associatedData.optional(),
});
export const transferToQueueRequest = request('transferToQueue', {
  ...onCall,
  queue: queueId,
  priority: priority.optional(),
  skills: skillRequirements.optional(),
  data: associatedData.optional(),
});
export const wrapUpDoneRequest = request('wrapUpDone', { ...optionalAgentShape });
export const setAssociatedDataRequest = request('setAssociatedData', {
  ...onCall,
  data: associatedData,
  /** true (default): merge into the call's data (null deletes a key); false: replace it. */
  merge: z.boolean().optional(),
});

export const agentRequestSchemas = [
  loginRequest,
  logoutRequest,
  readyRequest,
  notReadyRequest,
  answerRequest,
  hangupRequest,
  holdRequest,
  retrieveRequest,
  consultRequest,
  transferRequest,
  conferenceRequest,
  sendDtmfRequest,
  makeCallRequest,
  transferToIvrRequest,
  transferToQueueRequest,
  wrapUpDoneRequest,
  setAssociatedDataRequest,
] as const;

const empty = z.strictObject({});
const status = agentStatus;

/** What a successful response carries in `result`, per request type. */
export const agentResults = {
  login: status,
  logout: status,
  ready: status,
  notReady: status,
  answer: empty,
  hangup: empty,
  hold: empty,
  retrieve: empty,
  consult: z.strictObject({ consultCallId: callId }),
  transfer: empty,
  conference: empty,
  sendDtmf: empty,
  makeCall: z.strictObject({ callId }),
  transferToIvr: empty,
  transferToQueue: empty,
  wrapUpDone: status,
  setAssociatedData: z.strictObject({ data: associatedData }),
} as const;
