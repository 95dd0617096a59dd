/**
 * The call rig (in-memory network, fake phones and media) with the pbx's router replaced by
 * one that goes through the extension features, as the invite handler does. For the
 * features' runtime tests; not exported from index.ts.
 */
import { callRig, type CallRigOptions } from '../test-kit.js';
import type { Leg } from '../control/leg.js';
import { DEFAULT_FEATURE_CODES, matchFeature } from './codes.js';
import type { FeatureDeps } from './deps.js';
import { routeCall } from './extension-route.js';
import { routeFeatureCall } from './feature-call.js';
import { RingingRegistry } from './pickup.js';
import type { RingGroup } from './ring-group.js';
import type { DialExternal } from './ringer.js';
import { MemoryFeatureState, settingsOf, type ExtensionFeatureConfig } from './settings.js';

export interface FeatureRigOptions extends CallRigOptions {
  /** Extension 1001 (the caller) and 1002 are added when missing. */
  readonly extensions?: readonly ExtensionFeatureConfig[];
  readonly ringGroups?: readonly RingGroup[];
  readonly noAnswerTimeoutMs?: number;
  /** Wire a voicemail that answers and records which mailbox took the call. */
  readonly voicemail?: boolean;
  readonly dialExternal?: DialExternal;
}

export function featureRig(o: FeatureRigOptions = {}) {
  const rig = callRig({ autoFinishPlays: true, ...o });
  const given = o.extensions ?? [];
  const numbers = new Set(given.map((e) => e.number));
  const extensions = [
    ...given,
    ...['1001', '1002'].filter((n) => !numbers.has(n)).map((number) => ({ number })),
  ];
  const settings = settingsOf({
    extensions,
    ringGroups: o.ringGroups ?? [],
    codes: DEFAULT_FEATURE_CODES,
    noAnswerTimeoutMs: o.noAnswerTimeoutMs ?? 30_000,
  });
  const state = new MemoryFeatureState();
  const registry = new RingingRegistry();
  const mailboxes: string[] = [];
  const deps: FeatureDeps = {
    control: rig.control,
    speech: rig.speech,
    settings: () => settings,
    state,
    registry,
    contactsOf: (n) => rig.control.deps.resolve(n),
    logger: rig.pbx.ctx.logger,
    ...(o.voicemail
      ? {
          voicemail: {
            hasMailbox: (mailbox: string) => mailbox !== '1009',
            leaveMessage: (_call, leg, mailbox) => {
              mailboxes.push(mailbox);
              leg.answer();
              return Promise.resolve();
            },
          },
        }
      : {}),
    ...(o.dialExternal ? { dialExternal: o.dialExternal } : {}),
  };
  const errors: unknown[] = [];
  const dialplan = { codes: settings.codes, ringGroups: new Set(settings.ringGroups.keys()) };
  rig.pbx.handle((req, txn) => {
    if (req.method !== 'INVITE') return rig.pbx.ua.respond(txn, 405);
    const invite = txn as Parameters<typeof routeCall>[2];
    const dialled = req.uri.user ?? '';
    const party = { number: req.from.uri.user ?? '' };
    const feature = matchFeature(dialled, dialplan);
    const work = feature
      ? routeFeatureCall(deps, feature, req, invite, party)
      : settings.isExtension(dialled)
        ? routeCall(deps, req, invite, party, { type: 'extension', number: dialled })
        : Promise.resolve(rig.pbx.ua.respond(txn, 404)).then(() => false);
    void work.catch((err: unknown) => errors.push(err));
  });
  return {
    ...rig,
    deps,
    state,
    registry,
    mailboxes,
    errors,
    /** The endpoint the leg of `number` is connected to now (its bridge partner's), if any. */
    peerOfParty(number: string): string | undefined {
      const leg: Leg | undefined = rig.legsOf(number)[0];
      return leg ? rig.media.peerOf(leg.endpoint.id) : undefined;
    },
  };
}

export type FeatureRig = ReturnType<typeof featureRig>;
