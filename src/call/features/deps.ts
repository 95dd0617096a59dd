/**
 * What the features' runtime is given (ports and settings), and the availability of an
 * extension as the runtime reads it from registrations, toggles and live calls.
 */
import type { Logger } from '../../platform/log.js';
import type { Destination } from '../../routing/types.js';
import type { Call } from '../control/call.js';
import type { CallControl } from '../control/control.js';
import type { InboundCallLeg } from '../control/inbound.js';
import type { Speech } from '../control/speech.js';
import type { Contact } from '../control/types.js';
import type { RingingRegistry } from './pickup.js';
import type { DialExternal } from './ringer.js';
import { effectiveFeatures, type FeatureSettings } from './settings.js';
import type { Availability, ExtensionFeatures, FeatureState } from './types.js';

/** Voicemail, as the features use it (the voicemail app fits). */
export interface VoicemailPort {
  /** Whether the mailbox exists (every extension has one unless configured otherwise). */
  hasMailbox(mailbox: string): boolean;
  /** Takes the caller (answered here if not yet) into the mailbox: greeting, beep, message. */
  leaveMessage(call: Call, caller: InboundCallLeg, mailbox: string): Promise<void>;
}

/** Carries the caller to a destination the features do not handle themselves (queue, IVR …). */
export type RouteDestination = (call: Call, caller: InboundCallLeg, to: Destination) => Promise<void>;

export interface FeatureDeps {
  readonly control: CallControl;
  readonly speech: Speech;
  /** Read for every call, so a reloaded configuration applies to new calls. */
  readonly settings: () => FeatureSettings;
  readonly state: FeatureState;
  readonly registry: RingingRegistry;
  /** The reachable registered phones of an extension. */
  readonly contactsOf: (extension: string) => readonly Contact[];
  /** Numbers outside; without it a forward or find-me number outside fails (logged). */
  readonly dialExternal?: DialExternal;
  /** Voicemail; without it the treatments skip voicemail. */
  readonly voicemail?: VoicemailPort;
  /** Queues, IVR flows and announcements; without it such a fallback is refused with 480. */
  readonly routeDestination?: RouteDestination;
  readonly logger: Logger;
}

/** An extension's features for a call now (undefined for a number that is not an extension). */
export async function featuresOf(deps: FeatureDeps, number: string): Promise<ExtensionFeatures | undefined> {
  const settings = deps.settings();
  const cfg = settings.extensions.get(number);
  if (!cfg) return undefined;
  const toggles = await deps.state.get(number).catch((err: unknown) => {
    deps.logger.error(
      { err, extension: number },
      'feature toggles could not be read; using the configuration',
    );
    return undefined;
  });
  return effectiveFeatures(cfg, toggles, {
    noAnswerTimeoutMs: settings.noAnswerTimeoutMs,
    voicemail: deps.voicemail?.hasMailbox(number) ?? false,
  });
}

/** Whether the extension is talking on a call now (a leg of it is answered). */
export function onCall(control: CallControl, number: string): boolean {
  for (const leg of control.legs()) if (leg.party.number === number && leg.isUp) return true;
  return false;
}

/** Availability of each extension among `numbers` (others are left out). */
export async function availabilityOf(
  deps: FeatureDeps,
  numbers: readonly string[],
): Promise<Map<string, Availability>> {
  const out = new Map<string, Availability>();
  for (const number of new Set(numbers)) {
    const f = await featuresOf(deps, number);
    if (!f) continue;
    out.set(number, {
      registered: deps.contactsOf(number).length > 0,
      dnd: f.dnd,
      busy: !f.callWaiting && onCall(deps.control, number),
    });
  }
  return out;
}
