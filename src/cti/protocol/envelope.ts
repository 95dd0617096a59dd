import { z } from 'zod';
import { agentId, CTI_PROTOCOL_VERSION, requestId } from './common.js';

/** The fields every request carries: `{ v: 1, id, type, ... }`. */
export function request<T extends string, S extends z.ZodRawShape>(type: T, shape: S) {
  return z.strictObject({
    v: z.literal(CTI_PROTOCOL_VERSION),
    id: requestId,
    type: z.literal(type),
    ...shape,
  });
}

/** Requests an agent sends name the agent only when a supervisor or integration acts for one. */
export const optionalAgentShape = {
  agent: agentId.optional(),
};
