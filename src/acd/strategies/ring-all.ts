import { idleSince } from '../eligibility.js';
import type { Strategy } from './types.js';

export const ringAll: Strategy = {
  name: 'ringAll',
  description: 'rings every eligible agent of the best tier at once; the first to answer takes the call',
  ringAll: true,
  // The order only matters for the offer's agent list: longest idle first.
  score: ({ agent }) => [idleSince(agent)],
};
