import { idleSince } from '../eligibility.js';
import type { Strategy } from './types.js';

export const longestIdle: Strategy = {
  name: 'longestIdle',
  description: 'the agent whose last call ended longest ago (or who became ready earliest) goes first',
  ringAll: false,
  score: ({ agent }) => [idleSince(agent)],
};
