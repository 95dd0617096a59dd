import { idleSince } from '../eligibility.js';
import { requiredSkillLevel, type Strategy } from './types.js';

export const lowestSkill: Strategy = {
  name: 'lowestSkill',
  description:
    'the least proficient agent who still qualifies (keeps experts free); ties go to the longest idle',
  ringAll: false,
  score: (c, call) => [requiredSkillLevel(c, call), idleSince(c.agent)],
};
