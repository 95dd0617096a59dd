/**
 * The ACD's contract: agents with two state spaces, queue configuration, waiting calls and
 * the decisions the dispatcher hands back. Plain data; the dispatcher owns the live copies.
 */
import type { Destination, SkillRequirements } from '../routing/types.js';

export type { SkillRequirements };

/** Skill name → proficiency 1 (novice) … 10 (expert). */
export type AgentSkills = Readonly<Record<string, number>>;

/** Reason codes the ACD itself sets; operators add their own (lunch, training …). */
export const SYSTEM_REASONS = {
  /** Ring-no-answer: the agent let an offered call ring out. */
  rona: 'RONA',
  /** The agent's device could not be reached when a call was offered. */
  deviceFailed: 'DEVICE_FAILED',
  /** Just logged in and not yet ready. */
  login: 'LOGIN',
  /** Set not ready by a supervisor without a reason of their own. */
  supervisor: 'SUPERVISOR',
  /** The agent's persistent connection (常摘机) was hung up or dropped. */
  deviceDisconnected: 'DEVICE_DISCONNECTED',
} as const;

/** Presence: chosen by the agent (or a supervisor). STYLE principle 4. */
export type Presence =
  | { readonly kind: 'loggedOut' }
  | { readonly kind: 'ready' }
  | { readonly kind: 'notReady'; readonly reason: string };

export type PresenceKind = Presence['kind'];

/** Activity: driven by the system and the calls. */
export type Activity = 'idle' | 'reserved' | 'talking' | 'held' | 'wrapUp' | 'outbound';

export interface AgentState {
  readonly presence: Presence;
  readonly activity: Activity;
}

/** An agent's place in one queue: lower tiers are offered calls first. */
export interface QueueMembership {
  readonly queue: string;
  /** 1 is the first tier; higher tiers get calls only when no lower-tier agent is eligible. */
  readonly tier: number;
  /** Order in the queue for linear and round-robin (lower first). */
  readonly position: number;
  /** Share for weighted random (default 1). */
  readonly weight: number;
}

/** What the ACD knows of an agent. The dispatcher keeps the live copy. */
export interface Agent {
  readonly id: string;
  readonly name: string;
  readonly skills: AgentSkills;
  readonly state: AgentState;
  /** Queues the agent is logged into, by queue name. */
  readonly queues: ReadonlyMap<string, QueueMembership>;
  /** When the agent last became ready and idle (ms). */
  readonly availableSince: number;
  readonly lastCallEndedAt: number | undefined;
  /** ACD calls answered since login (or since the counters were reset). */
  readonly callsTaken: number;
  readonly talkTimeMs: number;
}

/** The ten distribution strategies (ACD-2). */
export const STRATEGY_NAMES = [
  'ringAll',
  'longestIdle',
  'roundRobin',
  'linear',
  'fewestCalls',
  'leastTalkTime',
  'random',
  'weightedRandom',
  'highestSkill',
  'lowestSkill',
] as const;
export type StrategyName = (typeof STRATEGY_NAMES)[number];

/**
 * Priority aging: effective priority = base + perMinute × minutes waited beyond
 * `afterSeconds`, never above `max` (and never below base).
 */
export interface AgingFormula {
  readonly perMinute: number;
  readonly max: number;
  readonly afterSeconds: number;
}

/** Where an overflowing call goes: any routing destination, or a callback (ACD-10). */
export type OverflowTarget = Destination | { readonly type: 'callback' };

export type OverflowCondition =
  /** The call has waited this long in the queue. */
  | { readonly waitedSeconds: number }
  /** A new call finds at least this many calls already waiting: it goes elsewhere at once. */
  | { readonly lengthAtLeast: number }
  /**
   * A new call arrives while the queue's service level over the recent window is below this
   * percentage (after at least `minCalls` finished calls in the window).
   */
  | { readonly serviceLevelBelow: number; readonly minCalls: number };

export interface OverflowRule {
  readonly when: OverflowCondition;
  readonly to: OverflowTarget;
}

export interface LastAgentSettings {
  /** A caller who was served within this many hours is offered to the same agent first. */
  readonly hours: number;
  /** How long the call waits for that agent if they are logged in but busy. */
  readonly waitSeconds: number;
}

export interface AnnounceSettings {
  /** Seconds between announcements (0 = never). */
  readonly everySeconds: number;
  readonly position: boolean;
  readonly estimatedWait: boolean;
}

export interface QueueConfig {
  readonly name: string;
  readonly strategy: StrategyName;
  /** After-call work: seconds until ready again, or 'manual' (the agent ends it). */
  readonly wrapUpSeconds: number | 'manual';
  /** Ring-no-answer timeout (RONA). */
  readonly ringTimeoutSeconds: number;
  /** A call waiting this long gets a `timeout` decision (0 = no limit). */
  readonly maxWaitSeconds: number;
  /** Where a timed-out call goes; without it the adapter decides. */
  readonly onMaxWait?: OverflowTarget;
  /** A new call finding this many waiting is refused (0 = no limit). */
  readonly maxLength: number;
  readonly overflow: readonly OverflowRule[];
  /** Service level threshold T: answered within T seconds counts as in service level. */
  readonly serviceLevelSeconds: number;
  readonly aging: AgingFormula;
  /** A VIP call's base priority is raised to at least this. */
  readonly vipPriority: number;
  readonly lastAgent?: LastAgentSettings;
  readonly announce: AnnounceSettings;
  /** Average handle time assumed for the wait estimate before the queue has history. */
  readonly defaultHandleSeconds: number;
}

/** A call as it enters the ACD. */
export interface QueueCallInit {
  readonly id: string;
  readonly callerNumber: string;
  /** Routing's convention: 0–100, larger is answered sooner. */
  readonly priority: number;
  readonly vip?: boolean;
  /** Skill → minimum level, set by routes and the IVR. */
  readonly skills?: SkillRequirements;
  /** The queues to wait in (ACD-5), in order of preference. */
  readonly queues: readonly string[];
  /** Who served this caller last, and when (looked up by the adapter). */
  readonly lastAgent?: { readonly agentId: string; readonly at: number };
  /** Associated data (随路数据). */
  readonly data?: Readonly<Record<string, string>>;
  /**
   * A callback request (回呼) re-entering after a failed attempt: it keeps a seat but no
   * overflow, length, max-wait or announcement rule applies to it any more.
   */
  readonly callback?: boolean;
}

export type CallLeftReason = 'abandoned' | 'removed';
export type OfferRejectReason = 'rona' | 'failed';

/** What the dispatcher asks its adapter to do. */
export type Decision =
  /** Ring these agents (several for ring-all) with this call. */
  | {
      readonly kind: 'offer';
      readonly callId: string;
      readonly queue: string;
      readonly agentIds: readonly string[];
      readonly lastAgent: boolean;
    }
  /** Stop ringing these agents: the call was answered elsewhere or left. */
  | { readonly kind: 'cancelOffer'; readonly callId: string; readonly agentIds: readonly string[] }
  /** Send the call out of `queue` to `to` (a queue target has already been joined). */
  | {
      readonly kind: 'overflow';
      readonly callId: string;
      readonly queue: string;
      readonly to: OverflowTarget;
      readonly rule: 'waited' | 'length' | 'serviceLevel';
    }
  /** The call waited `maxWaitSeconds` in `queue`. */
  | {
      readonly kind: 'timeout';
      readonly callId: string;
      readonly queue: string;
      readonly to: OverflowTarget | undefined;
      readonly stillWaiting: boolean;
    }
  /** The queue is full (maxLength) and no overflow rule took the call. */
  | { readonly kind: 'rejected'; readonly callId: string; readonly queue: string; readonly reason: 'full' }
  /** Play position / estimated wait to the caller. */
  | {
      readonly kind: 'announce';
      readonly callId: string;
      readonly queue: string;
      readonly position: number;
      readonly estimatedWaitSeconds: number | undefined;
    }
  /** The system changed an agent's state (RONA, wrap-up over, offer cancelled). */
  | { readonly kind: 'agentState'; readonly agentId: string; readonly state: AgentState };
