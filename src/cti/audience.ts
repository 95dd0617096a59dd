/**
 * Who receives an event (pure). An agent's own connections get its events; connections
 * watching the agent or one of the event's queues get them too — except agent tokens,
 * which watch queues for statistics only, so one agent never sees another's calls.
 */
import type { CtiIdentity } from './types.js';
import type { CtiAudience } from './types.js';

export interface Subscriber {
  readonly identity: CtiIdentity;
  readonly watchedQueues: ReadonlySet<string>;
  readonly watchedAgents: ReadonlySet<string>;
}

export function receives(sub: Subscriber, audience: CtiAudience): boolean {
  const agents = audience.agents ?? [];
  if (sub.identity.agent !== undefined && agents.includes(sub.identity.agent)) return true;
  if (sub.identity.role === 'agent') return false;
  if (agents.some((a) => sub.watchedAgents.has(a))) return true;
  return (audience.queues ?? []).some((q) => sub.watchedQueues.has(q));
}
