/** The agents' desk-phone codes (pure): which ACD action a dialled string asks for. */

export type AgentFeature = 'login' | 'logout' | 'ready' | 'notReady';

export interface AgentFeatureCodes {
  readonly login: string;
  readonly logout: string;
  readonly ready: string;
  readonly notReady: string;
}

export const DEFAULT_AGENT_FEATURE_CODES: AgentFeatureCodes = {
  login: '*60',
  logout: '*61',
  ready: '*62',
  notReady: '*63',
};

export function matchAgentFeature(dialled: string, codes: AgentFeatureCodes): AgentFeature | undefined {
  for (const action of ['login', 'logout', 'ready', 'notReady'] as const)
    if (codes[action] === dialled) return action;
  return undefined;
}
