import { idleSince } from '../eligibility.js';
import type { Strategy } from './types.js';

export const leastTalkTime: Strategy = {
  name: 'leastTalkTime',
  description: 'the agent with the least talk time since login; ties go to the longest idle',
  ringAll: false,
  score: ({ agent }) => [agent.talkTimeMs, idleSince(agent)],
};
