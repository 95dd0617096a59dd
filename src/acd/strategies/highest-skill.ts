import { idleSince } from '../eligibility.js';
import { requiredSkillLevel, type Strategy } from './types.js';

export const highestSkill: Strategy = {
  name: 'highestSkill',
  description:
    "the most proficient agent in the call's required skills (expert first); ties go to the longest idle",
  ringAll: false,
  score: (c, call) => [-requiredSkillLevel(c, call), idleSince(c.agent)],
};
