import {
  matchAgentFeature,
  type AgentFeature,
  type AgentFeatureCodes,
} from '../acd/runtime/feature-codes.js';
import { matchFeature, type FeatureDialplan, type FeatureRoute } from '../call/features/codes.js';

/** Where a dialled number leads. Pure: a function of the number and the configuration. */
export type Route =
  | { readonly kind: 'echo' }
  | { readonly kind: 'dtmf-test' }
  | { readonly kind: 'record-test' }
  | { readonly kind: 'conference'; readonly room: string }
  | { readonly kind: 'extension'; readonly number: string }
  /** A ring group, or a feature code (DND, forward, pickup): src/call/features. */
  | { readonly kind: 'feature'; readonly feature: FeatureRoute }
  /** Voicemail: one's own mailbox (`*97`), or a mailbox asked for (`*98`). */
  | { readonly kind: 'voicemail-listen'; readonly which: 'own' | 'other' }
  /** A message left in a mailbox straight away (`*96` + mailbox). */
  | { readonly kind: 'voicemail-deposit'; readonly mailbox: string }
  /** An agent's ACD code: login, logout, ready, not ready (`*60`–`*63`). */
  | { readonly kind: 'agent-feature'; readonly feature: AgentFeature }
  | { readonly kind: 'unknown' };

export interface DialplanConfig {
  readonly echoCode: string;
  readonly dtmfTestCode: string;
  readonly recordTestCode: string;
  readonly conferenceCode: string;
  readonly extensions: ReadonlySet<string>;
  readonly features?: FeatureDialplan;
  /** The voicemail codes; absent when voicemail is off. */
  readonly voicemail?: VoicemailDialplan;
  /** The agents' ACD codes; absent without an ACD. */
  readonly acd?: AgentFeatureCodes;
}

export interface VoicemailDialplan {
  readonly listenCode: string;
  readonly otherBoxCode: string;
  /** A prefix: the digits after it name the mailbox. */
  readonly depositCode: string;
  readonly hasMailbox: (mailbox: string) => boolean;
}

export function route(dialled: string, plan: DialplanConfig): Route {
  if (dialled === plan.echoCode) return { kind: 'echo' };
  if (dialled === plan.dtmfTestCode) return { kind: 'dtmf-test' };
  if (dialled === plan.recordTestCode) return { kind: 'record-test' };
  if (dialled === plan.conferenceCode) return { kind: 'conference', room: dialled };
  const voicemail = plan.voicemail ? voicemailRoute(dialled, plan.voicemail) : undefined;
  if (voicemail) return voicemail;
  const agentFeature = plan.acd ? matchAgentFeature(dialled, plan.acd) : undefined;
  if (agentFeature) return { kind: 'agent-feature', feature: agentFeature };
  if (plan.extensions.has(dialled)) return { kind: 'extension', number: dialled };
  const feature = plan.features ? matchFeature(dialled, plan.features) : undefined;
  if (feature) return { kind: 'feature', feature };
  return { kind: 'unknown' };
}

/** `*97`, `*98`, or `*96` followed by an existing mailbox; undefined for anything else. */
export function voicemailRoute(dialled: string, vm: VoicemailDialplan): Route | undefined {
  if (dialled === vm.listenCode) return { kind: 'voicemail-listen', which: 'own' };
  if (dialled === vm.otherBoxCode) return { kind: 'voicemail-listen', which: 'other' };
  if (dialled.startsWith(vm.depositCode)) {
    const mailbox = dialled.slice(vm.depositCode.length);
    if (mailbox !== '' && vm.hasMailbox(mailbox)) return { kind: 'voicemail-deposit', mailbox };
  }
  return undefined;
}
