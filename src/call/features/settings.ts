/**
 * The features' settings as the runtime uses them, built once from the configuration (and
 * again on a reload), and the merge of an extension's configuration with its toggles.
 */
import type { Config } from '../../platform/config/index.js';
import type { FeatureCodes } from './codes.js';
import type { RingGroup } from './ring-group.js';
import type { Directory, ExtensionFeatures, FeatureState, Toggles } from './types.js';

/** What the configuration says about one extension's features. */
export interface ExtensionFeatureConfig {
  readonly number: string;
  readonly dnd?: boolean;
  readonly callWaiting?: boolean;
  /** Busy and unanswered calls end in the extension's mailbox. */
  readonly voicemail?: boolean;
  readonly forward?: {
    readonly always?: string;
    readonly busy?: string;
    readonly noAnswer?: string;
    readonly noAnswerTimeout?: number;
  };
  readonly findMe?: {
    readonly mode: 'sequential' | 'parallel';
    readonly steps: readonly { readonly numbers: readonly string[]; readonly ringTime: number }[];
  };
  readonly pickupGroup?: string;
}

export interface FeatureSettings extends Directory {
  readonly extensions: ReadonlyMap<string, ExtensionFeatureConfig>;
  readonly ringGroups: ReadonlyMap<string, RingGroup>;
  readonly codes: FeatureCodes;
  /** calls.noAnswerTimeout, for extensions that set none of their own. */
  readonly noAnswerTimeoutMs: number;
}

export function featureSettings(config: Config): FeatureSettings {
  return settingsOf({
    extensions: config.extensions,
    ringGroups: config.ringGroups.map((g) => ({
      number: g.number,
      ...(g.name !== undefined ? { name: g.name } : {}),
      strategy: g.strategy,
      members: g.members,
      ringTimeMs: g.ringTime * 1000,
      ...(g.fallback !== undefined ? { fallback: g.fallback } : {}),
    })),
    codes: config.features,
    noAnswerTimeoutMs: config.calls.noAnswerTimeout * 1000,
  });
}

/** Settings from plain parts (tests build them this way). */
export function settingsOf(parts: {
  readonly extensions: readonly ExtensionFeatureConfig[];
  readonly ringGroups?: readonly RingGroup[];
  readonly codes: FeatureCodes;
  readonly noAnswerTimeoutMs: number;
}): FeatureSettings {
  const extensions = new Map(parts.extensions.map((e) => [e.number, e]));
  const ringGroups = new Map((parts.ringGroups ?? []).map((g) => [g.number, g]));
  return {
    extensions,
    ringGroups,
    codes: parts.codes,
    noAnswerTimeoutMs: parts.noAnswerTimeoutMs,
    isExtension: (n) => extensions.has(n),
    isRingGroup: (n) => ringGroups.has(n),
  };
}

/**
 * An extension's features for one call: toggles override the configured DND; a forward set
 * from a phone takes the place of the configured one, and clearing it brings the configured
 * one back (the configuration is the administrator's, a phone cannot remove it).
 */
export function effectiveFeatures(
  cfg: ExtensionFeatureConfig,
  toggles: Toggles | undefined,
  /** `voicemail`: the extension has a mailbox that can take calls. */
  opts: { readonly noAnswerTimeoutMs: number; readonly voicemail: boolean },
): ExtensionFeatures {
  const fwd = cfg.forward ?? {};
  const always = toggles?.forwardAlways ?? fwd.always;
  const busy = toggles?.forwardBusy ?? fwd.busy;
  const noAnswer = toggles?.forwardNoAnswer ?? fwd.noAnswer;
  return {
    number: cfg.number,
    dnd: toggles?.dnd ?? cfg.dnd ?? false,
    callWaiting: cfg.callWaiting ?? true,
    forward: {
      ...(always ? { always } : {}),
      ...(busy ? { busy } : {}),
      ...(noAnswer ? { noAnswer } : {}),
    },
    noAnswerTimeoutMs:
      fwd.noAnswerTimeout !== undefined ? fwd.noAnswerTimeout * 1000 : opts.noAnswerTimeoutMs,
    ...(cfg.findMe
      ? {
          findMe: {
            mode: cfg.findMe.mode,
            steps: cfg.findMe.steps.map((s) => ({ numbers: s.numbers, ringTimeMs: s.ringTime * 1000 })),
          },
        }
      : {}),
    voicemail: opts.voicemail && (cfg.voicemail ?? false),
  };
}

/** FeatureState in memory: toggles live until Hotline stops (tests, and setups without a store). */
export class MemoryFeatureState implements FeatureState {
  private readonly toggles = new Map<string, Toggles>();

  get(number: string): Promise<Toggles | undefined> {
    const t = this.toggles.get(number);
    return Promise.resolve(t ? { ...t } : undefined);
  }

  set(number: string, patch: Toggles): Promise<void> {
    const merged: Record<string, unknown> = { ...this.toggles.get(number) };
    for (const [key, value] of Object.entries(patch)) if (value !== undefined) merged[key] = value;
    this.toggles.set(number, merged as Toggles);
    return Promise.resolve();
  }
}
