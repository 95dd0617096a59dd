import type { Strategy } from './types.js';

export const linear: Strategy = {
  name: 'linear',
  description: 'always top-down in queue order: the first eligible agent in the list takes the call',
  ringAll: false,
  score: ({ membership }) => [membership.position],
};
