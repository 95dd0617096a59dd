import { idleSince } from '../eligibility.js';
import type { Strategy } from './types.js';

export const fewestCalls: Strategy = {
  name: 'fewestCalls',
  description: 'the agent who has answered the fewest ACD calls since login; ties go to the longest idle',
  ringAll: false,
  score: ({ agent }) => [agent.callsTaken, idleSince(agent)],
};
