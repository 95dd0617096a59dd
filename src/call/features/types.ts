/**
 * The contract of the extension features: what an extension is set to do with its calls
 * (configuration merged with the toggles phones set), what the decision core is told about
 * the situation, and what it decides. Plain data throughout.
 */
import type { Destination } from '../../routing/types.js';

/** Runtime toggles set from phones (*78, *72 …), kept by a FeatureState. */
export interface Toggles {
  /** Do not disturb; absent = as configured. */
  readonly dnd?: boolean;
  /**
   * Forwards set from a phone or the admin API: a number, or null (or absent) for none —
   * the configured forward, if any, then applies.
   */
  readonly forwardAlways?: string | null;
  readonly forwardBusy?: string | null;
  readonly forwardNoAnswer?: string | null;
}

/**
 * Where the toggles are kept (table `extension_features` in the store; MemoryFeatureState
 * in memory). `set` merges `patch` into what is stored.
 */
export interface FeatureState {
  get(number: string): Promise<Toggles | undefined>;
  set(number: string, patch: Toggles): Promise<void>;
}

export type FindMeMode = 'sequential' | 'parallel';

export interface FindMeStep {
  /** Extensions or external numbers rung at once. */
  readonly numbers: readonly string[];
  readonly ringTimeMs: number;
}

/** An extension's features as they stand for one call: configuration with toggles applied. */
export interface ExtensionFeatures {
  readonly number: string;
  readonly dnd: boolean;
  readonly callWaiting: boolean;
  readonly forward: {
    readonly always?: string;
    readonly busy?: string;
    readonly noAnswer?: string;
  };
  readonly noAnswerTimeoutMs: number;
  readonly findMe?: { readonly mode: FindMeMode; readonly steps: readonly FindMeStep[] };
  /** A mailbox can take the call (voicemail is wired in). */
  readonly voicemail: boolean;
}

/** Whether an extension can be rung right now. */
export interface Availability {
  /** Has at least one reachable registered phone. */
  readonly registered: boolean;
  readonly dnd: boolean;
  /** On another call and not taking a second one (callWaiting: false). */
  readonly busy: boolean;
}

/** What numbers are inside Hotline. */
export interface Directory {
  isExtension(number: string): boolean;
  isRingGroup(number: string): boolean;
}

/** One party rung in a stage: an extension's registered phones, or a number outside. */
export type RingTarget =
  | { readonly kind: 'extension'; readonly number: string }
  | { readonly kind: 'external'; readonly number: string };

/**
 * A set of targets rung together for `durationMs`. A target present in consecutive stages
 * keeps ringing across them (it is not called again).
 */
export interface RingStage {
  readonly targets: readonly RingTarget[];
  readonly durationMs: number;
}

/**
 * A forwarding chain: the extensions and ring groups a call has been sent to (keys
 * `ext:1002`, `group:600`) and how many forwards it has taken.
 */
export interface Chain {
  readonly visited: readonly string[];
  readonly hops: number;
}

export type TreatmentReason = 'dnd' | 'always' | 'busy' | 'no-answer' | 'unavailable' | 'fallback';

/** A forward the chain refused, for the log. */
export interface SkippedForward {
  readonly to: string;
  readonly why: 'loop' | 'too-many-hops';
}

/**
 * What happens to a call that is not (or no longer) ringing anyone: it goes to a destination
 * (another extension, a ring group, voicemail, an external number …), or is refused.
 */
export type Treatment =
  | {
      readonly kind: 'forward';
      readonly to: Destination;
      readonly reason: TreatmentReason;
      readonly chain: Chain;
      readonly skipped?: SkippedForward;
    }
  | {
      readonly kind: 'reject';
      readonly status: number;
      readonly reason: TreatmentReason;
      readonly skipped?: SkippedForward;
    };

/** The plan for a call to an extension: treat it at once, or ring stages and decide after. */
export type CallPlan =
  | { readonly kind: 'treat'; readonly treatment: Treatment }
  | {
      readonly kind: 'ring';
      readonly stages: readonly RingStage[];
      /**
       * Sequential find-me: a busy answer from the extension's own phones ends the ringing at
       * once (the busy treatment follows); in parallel mode the other numbers ring on.
       */
      readonly stopOnBusy: boolean;
    };

/** How the ringing of a call to an extension ended, when nobody took it. */
export interface RingResult {
  /** The extension's own phones answered busy (486 or 600). */
  readonly busy: boolean;
  /**
   * The status the extension's own phones failed with when they refused by themselves
   * (488, 403 …); 480 when they just did not answer.
   */
  readonly status: number;
}
