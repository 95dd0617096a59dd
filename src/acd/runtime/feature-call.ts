/**
 * An agent dialling one of the ACD codes from a desk phone (*60 login, *61 logout, *62
 * ready, *63 not ready): answered, the action done, a short confirmation spoken, hung up.
 * *64 (connect) is the exception: the call stays up as the agent's persistent connection.
 */
import type { CallControl } from '../../call/control/control.js';
import type { Speech } from '../../call/control/speech.js';
import type { Leg } from '../../call/control/leg.js';
import type { Party } from '../../call/control/types.js';
import type { SipRequest } from '../../sip/message/types.js';
import type { ServerInviteTransaction } from '../../sip/transaction/index.js';
import type { AgentFeature } from './feature-codes.js';
import type { AgentService } from './types.js';

const CONFIRM: Readonly<Record<AgentFeature | 'refused', { readonly 'zh-CN': string; readonly en: string }>> =
  {
    login: { 'zh-CN': '您已签入。', en: 'You are logged in.' },
    logout: { 'zh-CN': '您已签出。', en: 'You are logged out.' },
    ready: { 'zh-CN': '您已置闲。', en: 'You are ready.' },
    notReady: { 'zh-CN': '您已置忙。', en: 'You are not ready.' },
    connect: { 'zh-CN': '您已签入，请保持通话。', en: 'You are logged in. Stay on the line.' },
    refused: { 'zh-CN': '操作未成功。', en: 'That did not work.' },
  };

export interface AgentFeatureDeps {
  readonly acd: AgentService & {
    defaultReason(): string;
    connectDevice(agent: string, leg: Leg): unknown;
  };
  readonly control: CallControl;
  readonly speech: Speech;
}

/** Does `feature` for the calling extension (the agent) and says whether it worked. */
export async function agentFeatureCall(
  deps: AgentFeatureDeps,
  req: SipRequest,
  txn: ServerInviteTransaction,
  party: Party,
  feature: AgentFeature,
): Promise<void> {
  const { control, acd } = deps;
  const call = control.createCall(party, req.uri.user ?? feature);
  call.setData('acdFeature', feature); // the ACD's own call: not a call of the agent's (direct-calls.ts)
  const leg = await control.acceptInbound(call, req, txn, party);
  if (!leg) return;
  leg.answer();
  control.markAnswered(call);
  const agent = party.number;
  let ok = true;
  try {
    if (feature === 'login') acd.login(agent, undefined, { ready: true });
    else if (feature === 'logout') acd.logout(agent);
    else if (feature === 'ready') acd.ready(agent);
    else if (feature === 'connect') acd.connectDevice(agent, leg);
    else acd.notReady(agent, acd.defaultReason());
  } catch (err) {
    ok = false;
    control.log.warn({ err, agentId: agent, feature }, 'agent feature code refused');
  }
  call.setData('acdFeature', feature);
  call.setData('acdResult', ok ? 'ok' : 'refused');
  const items = await deps.speech.say(CONFIRM[ok ? feature : 'refused']);
  if (!leg.isEnded) await leg.play(items);
  if (feature === 'connect' && ok) return; // the ACD keeps it up
  if (!leg.isEnded) leg.hangup(200);
}
