/**
 * Builds the features' runtime from the configuration, for the server to hand to the invite
 * handler (deps) and the dialplan (dialplan).
 */
import type { Config } from '../../platform/config/index.js';
import type { Logger } from '../../platform/log.js';
import type { CallControl } from '../control/control.js';
import type { Speech } from '../control/speech.js';
import type { Contact } from '../control/types.js';
import type { FeatureDialplan } from './codes.js';
import type { FeatureDeps, RouteDestination, VoicemailPort } from './deps.js';
import { RingingRegistry } from './pickup.js';
import type { DialExternal } from './ringer.js';
import { featureSettings, MemoryFeatureState, type FeatureSettings } from './settings.js';
import type { FeatureState } from './types.js';

export interface FeatureSetupOptions {
  readonly config: Config;
  /** The configuration now (LiveConfig's `current`), so a reload applies to new calls. */
  readonly current?: () => Config;
  readonly control: CallControl;
  readonly speech: Speech;
  readonly contactsOf: (extension: string) => readonly Contact[];
  readonly logger: Logger;
  /** Where toggles are kept (the store's extension_features); in memory by default. */
  readonly state?: FeatureState;
  readonly dialExternal?: DialExternal;
  readonly voicemail?: VoicemailPort;
  readonly routeDestination?: RouteDestination;
}

export interface FeatureSetup {
  readonly deps: FeatureDeps;
  /** Ring group numbers and feature codes, for the dialplan (read per call). */
  readonly dialplan: () => FeatureDialplan;
  readonly registry: RingingRegistry;
}

export function setupFeatures(o: FeatureSetupOptions): FeatureSetup {
  const current = o.current ?? (() => o.config);
  let seen: Config | undefined;
  let settings = featureSettings(o.config);
  let dialplan: FeatureDialplan = dialplanOf(settings);
  const fresh = () => {
    const config = current();
    if (config !== seen) {
      seen = config;
      settings = featureSettings(config);
      dialplan = dialplanOf(settings);
    }
  };
  const registry = new RingingRegistry();
  const deps: FeatureDeps = {
    control: o.control,
    speech: o.speech,
    settings: () => {
      fresh();
      return settings;
    },
    state: o.state ?? new MemoryFeatureState(),
    registry,
    contactsOf: o.contactsOf,
    logger: o.logger,
    ...(o.dialExternal ? { dialExternal: o.dialExternal } : {}),
    ...(o.voicemail ? { voicemail: o.voicemail } : {}),
    ...(o.routeDestination ? { routeDestination: o.routeDestination } : {}),
  };
  return {
    deps,
    dialplan: () => {
      fresh();
      return dialplan;
    },
    registry,
  };
}

function dialplanOf(settings: FeatureSettings): FeatureDialplan {
  return { codes: settings.codes, ringGroups: new Set(settings.ringGroups.keys()) };
}
