/** The typed registry of distribution strategies (STYLE principle 5): no string switch. */
import type { StrategyName } from '../types.js';
import { fewestCalls } from './fewest-calls.js';
import { highestSkill } from './highest-skill.js';
import { leastTalkTime } from './least-talk-time.js';
import { linear } from './linear.js';
import { longestIdle } from './longest-idle.js';
import { lowestSkill } from './lowest-skill.js';
import { random } from './random.js';
import { ringAll } from './ring-all.js';
import { roundRobin } from './round-robin.js';
import type { Strategy } from './types.js';
import { weightedRandom } from './weighted-random.js';

export const STRATEGIES: Readonly<Record<StrategyName, Strategy>> = {
  ringAll,
  longestIdle,
  roundRobin,
  linear,
  fewestCalls,
  leastTalkTime,
  random,
  weightedRandom,
  highestSkill,
  lowestSkill,
};
