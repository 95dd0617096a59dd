/**
 * The CTI protocol, defined once (STYLE principle 7): every request, response and event
 * as a zod schema, with the TypeScript types inferred from them. The server validates
 * each incoming frame against `ctiRequestSchema`; docs/cti.md describes the same shapes.
 *
 *   request   { v: 1, id, type, ...fields }
 *   response  { v: 1, id, ok: true, result } | { v: 1, id, ok: false, error: { code, reason, field? } }
 *   event     { v: 1, event, at, ...fields }
 */
import { z } from 'zod';
import type { CtiErrorCode } from './errors.js';
import { agentRequestSchemas, agentResults } from './protocol/agent-requests.js';
import { supervisorRequestSchemas, supervisorResults } from './protocol/supervisor-requests.js';

export * from './protocol/common.js';
export * from './protocol/events.js';

export const ctiRequestSchema = z.discriminatedUnion('type', [
  ...agentRequestSchemas,
  ...supervisorRequestSchemas,
]);

export type CtiRequest = z.infer<typeof ctiRequestSchema>;
export type CtiRequestType = CtiRequest['type'];
export type CtiRequestOf<T extends CtiRequestType> = Extract<CtiRequest, { type: T }>;

export const ctiResultSchemas = { ...agentResults, ...supervisorResults } as const;
export type CtiResultOf<T extends CtiRequestType> = z.infer<(typeof ctiResultSchemas)[T]>;

export const AGENT_REQUEST_TYPES = Object.keys(agentResults) as (keyof typeof agentResults)[];
export const SUPERVISOR_REQUEST_TYPES = Object.keys(supervisorResults) as (keyof typeof supervisorResults)[];
export type AgentRequestType = keyof typeof agentResults;
export type SupervisorRequestType = keyof typeof supervisorResults;

export interface CtiErrorBody {
  readonly code: CtiErrorCode;
  readonly reason: string;
  /** The zod path of the bad field, dotted (`target.number`, `queues.2`), for BAD_REQUEST. */
  readonly field?: string;
}

export type CtiResponse =
  | { readonly v: 1; readonly id: string | number | null; readonly ok: true; readonly result: unknown }
  | { readonly v: 1; readonly id: string | number | null; readonly ok: false; readonly error: CtiErrorBody };

/** The response schema, for clients and tests that check what the server sends. */
export const ctiResponseSchema = z.discriminatedUnion('ok', [
  z.strictObject({
    v: z.literal(1),
    id: z.union([z.string(), z.number(), z.null()]),
    ok: z.literal(true),
    result: z.unknown(),
  }),
  z.strictObject({
    v: z.literal(1),
    id: z.union([z.string(), z.number(), z.null()]),
    ok: z.literal(false),
    error: z.strictObject({ code: z.string(), reason: z.string(), field: z.string().optional() }),
  }),
]);
