/** Helpers for the ACD's tests and benchmarks: queue configs, a seeded random source, agent setup. */
import { queueConfig } from './config-schema.js';
import { Dispatcher } from './dispatcher.js';
import { seededRandom } from './random.js';
import type { MembershipInit } from './queue-runtime.js';
import type { AgentSkills, Decision, QueueConfig } from './types.js';

export const T0 = 1_700_000_000_000;

export function testDispatcher(queues: readonly Parameters<typeof queueConfig>[0][], seed = 1): Dispatcher {
  return new Dispatcher({ queues: queues.map((q) => queueConfig(q)), rng: seededRandom(seed) });
}

/** Adds an agent and signs them in, ready, to the given queues. */
export function readyAgent(
  d: Dispatcher,
  id: string,
  queues: readonly (string | MembershipInit)[],
  now: number,
  skills: AgentSkills = {},
): Decision[] {
  d.addAgent({ id, name: id, skills }, now);
  return d.login(
    id,
    queues.map((q) => (typeof q === 'string' ? { queue: q } : q)),
    now,
    true,
  );
}

export function offers(
  decisions: readonly Decision[],
): { callId: string; agentIds: readonly string[]; queue: string }[] {
  return decisions.flatMap((d) =>
    d.kind === 'offer' ? [{ callId: d.callId, agentIds: d.agentIds, queue: d.queue }] : [],
  );
}

export { seededRandom };
export type { QueueConfig };
