import type { Strategy } from './types.js';

export const random: Strategy = {
  name: 'random',
  description: 'a uniformly random eligible agent',
  ringAll: false,
  score: (_c, _call, { rng }) => [rng()],
};
