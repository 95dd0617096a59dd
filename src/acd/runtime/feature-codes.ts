/** The agents' desk-phone codes (pure): which ACD action a dialled string asks for. */

/** `connect`: the call that dialled it stays up as the agent's persistent connection (常摘机). */
export type AgentFeature = 'login' | 'logout' | 'ready' | 'notReady' | 'connect';

export interface AgentFeatureCodes {
  readonly login: string;
  readonly logout: string;
  readonly ready: string;
  readonly notReady: string;
  readonly connect: string;
}

export const DEFAULT_AGENT_FEATURE_CODES: AgentFeatureCodes = {
  login: '*60',
  logout: '*61',
  ready: '*62',
  notReady: '*63',
  connect: '*64',
};

export function matchAgentFeature(dialled: string, codes: AgentFeatureCodes): AgentFeature | undefined {
  for (const action of ['login', 'logout', 'ready', 'notReady', 'connect'] as const)
    if (codes[action] === dialled) return action;
  return undefined;
}
