/** Which agents may take a call from a queue: ready, idle, logged into it, skilled enough. */
import { isAvailable } from './agent-state.js';
import type { Agent, SkillRequirements } from './types.js';

/** True when the agent has every required skill at or above its minimum level. */
export function hasSkills(skills: Agent['skills'], required: SkillRequirements | undefined): boolean {
  if (required === undefined) return true;
  for (const name in required) {
    const level = skills[name];
    if (level === undefined || level < (required[name] ?? 0)) return false;
  }
  return true;
}

export function isEligible(agent: Agent, queue: string, required: SkillRequirements | undefined): boolean {
  return isAvailable(agent.state) && agent.queues.has(queue) && hasSkills(agent.skills, required);
}

/** Since when the agent counts as idle for longest-idle: the end of the last call, else becoming ready. */
export function idleSince(agent: Agent): number {
  return agent.lastCallEndedAt ?? agent.availableSince;
}
