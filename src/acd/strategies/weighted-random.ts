import type { Strategy } from './types.js';

export const weightedRandom: Strategy = {
  name: 'weightedRandom',
  description: 'a random eligible agent, chosen with probability proportional to their weight in the queue',
  ringAll: false,
  // Efraimidis–Spirakis: the smallest −ln(u)/w is drawn with probability w / Σw.
  score: ({ membership }, _call, { rng }) => [-Math.log(1 - rng()) / Math.max(membership.weight, 1e-9)],
};
