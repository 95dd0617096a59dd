/**
 * Calls to a feature code or a ring group number: the toggles a phone sets for its own
 * extension (do not disturb on/off, unconditional forward on/off), each confirmed by a short
 * spoken sentence, and call pickup (group and directed).
 */
import { isExternalNumber } from '../../platform/config/features-schema.js';
import type { SipRequest } from '../../sip/message/types.js';
import type { ServerInviteTransaction } from '../../sip/transaction/index.js';
import type { Party } from '../control/types.js';
import type { FeatureRoute } from './codes.js';
import type { FeatureDeps } from './deps.js';
import { routeCall } from './extension-route.js';
import { pickupCandidates, takeFirst } from './pickup.js';
import type { Toggles } from './types.js';

type Sentence = Readonly<Record<'zh-CN' | 'en', string>>;

const SAID = {
  dndOn: { 'zh-CN': '免打扰已开启。', en: 'Do not disturb is on.' },
  dndOff: { 'zh-CN': '免打扰已关闭。', en: 'Do not disturb is off.' },
  forwardOff: { 'zh-CN': '呼叫转移已取消。', en: 'Call forwarding is off.' },
  badNumber: { 'zh-CN': '该号码不能作为转移号码。', en: 'Calls cannot be forwarded to that number.' },
  failed: {
    'zh-CN': '设置失败，请稍后再试。',
    en: 'The setting could not be saved. Please try again later.',
  },
} as const satisfies Record<string, Sentence>;

function forwardOn(number: string): Sentence {
  const spelt = [...number].join(' ');
  return { 'zh-CN': `呼叫转移已设置到 ${spelt}。`, en: `Your calls are forwarded to ${spelt}.` };
}

/**
 * Takes the INVITE for a feature route. True when the INVITE became a call or was answered;
 * false when nothing took it (the caller of this function must answer it and release what
 * it holds for it).
 */
export async function routeFeatureCall(
  deps: FeatureDeps,
  route: FeatureRoute,
  invite: SipRequest,
  txn: ServerInviteTransaction,
  party: Party,
): Promise<boolean> {
  switch (route.kind) {
    case 'ring-group':
      return routeCall(deps, invite, txn, party, { type: 'ringGroup', group: route.group });
    case 'group-pickup':
    case 'directed-pickup': {
      const groupOf = (n: string) => deps.settings().extensions.get(n)?.pickupGroup;
      const candidates = pickupCandidates(deps.registry, party.number, route, groupOf);
      if (await takeFirst(candidates, invite, txn, party)) return true;
      deps.logger.info({ picker: party.number, route: route.kind }, 'nothing to pick up');
      deps.control.ctx.ua.respond(txn, 480, 'Nothing To Pick Up');
      return false;
    }
    default:
      return toggle(deps, route, invite, txn, party);
  }
}

type ToggleRoute = Extract<FeatureRoute, { kind: 'dnd' | 'forward-on' | 'forward-off' }>;

/** Answers, stores the toggle for the caller's own extension, says so, and hangs up. */
async function toggle(
  deps: FeatureDeps,
  route: ToggleRoute,
  invite: SipRequest,
  txn: ServerInviteTransaction,
  party: Party,
): Promise<boolean> {
  const { control } = deps;
  const call = control.createCall(party, invite.uri.user ?? route.kind);
  const leg = await control.acceptInbound(call, invite, txn, party);
  if (!leg) return true;
  leg.answer();
  control.markAnswered(call);
  call.setData('feature', route.kind);
  const change = toggleChange(deps, route, party.number);
  let said: Sentence = change.said;
  if (change.patch) {
    try {
      await deps.state.set(party.number, change.patch);
      deps.logger.info({ extension: party.number, toggles: change.patch }, 'feature toggled');
    } catch (err) {
      deps.logger.error({ err, extension: party.number }, 'feature toggle could not be stored');
      said = SAID.failed;
    }
  }
  await leg.play(await deps.speech.say(said));
  leg.hangup(200);
  return true;
}

/** What a toggle code changes for `self`, and what is said back (pure). */
export function toggleChange(
  deps: Pick<FeatureDeps, 'settings'>,
  route: ToggleRoute,
  self: string,
): { readonly patch?: Toggles; readonly said: Sentence } {
  switch (route.kind) {
    case 'dnd':
      return { patch: { dnd: route.on }, said: route.on ? SAID.dndOn : SAID.dndOff };
    case 'forward-off':
      return { patch: { forwardAlways: null }, said: SAID.forwardOff };
    case 'forward-on': {
      const n = route.number;
      const settings = deps.settings();
      const known = settings.isExtension(n) || settings.isRingGroup(n);
      if (n === self || !/^[0-9]+$/.test(n) || !(known || isExternalNumber(n)))
        return { said: SAID.badNumber };
      return { patch: { forwardAlways: n }, said: forwardOn(n) };
    }
  }
}
