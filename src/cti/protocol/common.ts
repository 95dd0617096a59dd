/**
 * Field schemas shared by the CTI requests and events: identifiers, targets of a consult
 * or transfer, associated data (随路数据) and agent states.
 */
import { z } from 'zod';

/** The one protocol version this server speaks; the envelope's `v`. */
export const CTI_PROTOCOL_VERSION = 1;

const ID_TEXT = /^[^\s\p{Cc}]{1,128}$/u;
/** An identifier: 1–128 characters, no spaces or control characters. */
export const idText = z.string().regex(ID_TEXT, 'must be 1 to 128 characters without spaces');

/** A request id chosen by the client and echoed in the response. */
export const requestId = z.union([idText, z.number().int().min(0).max(Number.MAX_SAFE_INTEGER)]);
export const agentId = idText;
export const callId = idText;
export const queueId = idText;
/** A dialable number: digits, optionally a leading +, and * or #. */
export const phoneNumber = z
  .string()
  .regex(/^\+?[0-9*#]{1,32}$/, 'must be 1 to 32 digits, * or #, optionally after +');
export const dtmfDigits = z
  .string()
  .regex(/^[0-9*#A-Da-d]{1,64}$/, 'must be 1 to 64 DTMF digits (0-9 * # A-D)');
export const reasonCode = z.string().min(1).max(64);
export const priority = z.number().int().min(0).max(100);
/** ms since the epoch. */
export const epochMs = z.number().int().min(0);
export const durationMs = z.number().int().min(0);

export const MAX_DATA_KEYS = 64;
export const MAX_DATA_VALUE_LENGTH = 1024;
const dataKey = z.string().min(1).max(64);
const dataValue = z.union([z.string().max(MAX_DATA_VALUE_LENGTH), z.number(), z.boolean(), z.null()]);
/** Associated data (随路数据): flat key/values that travel with a call. */
export const associatedData = z
  .record(dataKey, dataValue)
  .refine((d) => Object.keys(d).length <= MAX_DATA_KEYS, `must have at most ${MAX_DATA_KEYS} keys`);
export type AssociatedData = z.infer<typeof associatedData>;

/** Skills a call asks for: skill name → minimum proficiency (1–10), as routing/types.ts. */
export const skillRequirements = z.record(z.string().min(1).max(64), z.number().int().min(1).max(10));

/** Whom a consult or blind transfer reaches. */
export const target = z.discriminatedUnion('type', [
  z.strictObject({ type: z.literal('agent'), agent: agentId }),
  z.strictObject({ type: z.literal('queue'), queue: queueId }),
  z.strictObject({ type: z.literal('number'), number: phoneNumber }),
]);
export type CtiTarget = z.infer<typeof target>;

/** Presence is chosen by the agent; activity is driven by the system (STYLE principle 4). */
export const AGENT_PRESENCES = ['loggedOut', 'ready', 'notReady'] as const;
export const AGENT_ACTIVITIES = [
  'idle',
  'reserved',
  'ringing',
  'onCall',
  'held',
  'wrapUp',
  'outbound',
] as const;
export const agentPresence = z.enum(AGENT_PRESENCES);
export const agentActivity = z.enum(AGENT_ACTIVITIES);

export const agentStatus = z.strictObject({
  agent: agentId,
  presence: agentPresence,
  /** The not-ready reason code while presence is notReady. */
  reason: reasonCode.optional(),
  activity: agentActivity,
  /** The queues the agent is logged in to. */
  queues: z.array(queueId),
  /** The call the agent is on or being offered, if any. */
  callId: callId.optional(),
  /** When presence or activity last changed. */
  since: epochMs,
});
export type AgentStatus = z.infer<typeof agentStatus>;

/** An agent's figures since midnight (RPT-1, SUP-1): the status plus what it did today. */
export const agentStats = agentStatus.extend({
  offered: z.number().int().min(0),
  answered: z.number().int().min(0),
  /** Offers that rang out or failed (RONA, device failed). */
  rona: z.number().int().min(0),
  talkMs: z.number().int().min(0),
  /** Average handle time; null before the first handled call. */
  ahtMs: z.number().int().min(0).nullable(),
  /** Milliseconds per state code ("ready/idle", "notReady(LUNCH)/idle", "ready/talking" …). */
  timeInStateMs: z.record(z.string().max(64), z.number().int().min(0)),
});
export type AgentStats = z.infer<typeof agentStats>;

export const ROLES = ['agent', 'supervisor', 'integration'] as const;
export type CtiRole = (typeof ROLES)[number];
