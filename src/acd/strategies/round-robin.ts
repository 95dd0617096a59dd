import type { Strategy } from './types.js';

export const roundRobin: Strategy = {
  name: 'roundRobin',
  description: 'agents in queue order, resuming after the agent who was offered the previous call',
  ringAll: false,
  score: ({ membership }, _call, { memory }) => {
    const last = memory.lastPosition(membership.queue);
    // Agents after the last one offered come first (wrap = 0), then the rest from the top.
    const wrap = last === undefined || membership.position > last ? 0 : 1;
    return [wrap, membership.position];
  },
};
