/**
 * Ring groups (pure): a number that rings several extensions, all at once (`all`) or one
 * after the other (`ordered`, a hunt group). Members in do-not-disturb, without a reachable
 * phone, or busy without call waiting are skipped, as is the caller. The first member to
 * answer takes the call; when nobody does, the group's fallback applies (480 without one).
 */
import type { Destination } from '../../routing/types.js';
import { follow } from './chain.js';
import type { Availability, Chain, RingStage, Treatment } from './types.js';

export type RingGroupStrategy = 'all' | 'ordered';

export interface RingGroup {
  readonly number: string;
  readonly name?: string;
  readonly strategy: RingGroupStrategy;
  /** Extension numbers, in hunting order. */
  readonly members: readonly string[];
  /** Each member's turn (`ordered`), or the whole ringing (`all`). */
  readonly ringTimeMs: number;
  readonly fallback?: Destination;
}

export type SkipReason = 'dnd' | 'unregistered' | 'busy' | 'caller' | 'unknown';

export interface RingGroupPlan {
  readonly stages: readonly RingStage[];
  readonly skipped: readonly { readonly number: string; readonly why: SkipReason }[];
}

export function ringGroupPlan(
  group: RingGroup,
  availability: (number: string) => Availability | undefined,
  caller?: string,
): RingGroupPlan {
  const skipped: { number: string; why: SkipReason }[] = [];
  const members = group.members.filter((number) => {
    const why = skipReason(number, availability(number), caller);
    if (why !== undefined) skipped.push({ number, why });
    return why === undefined;
  });
  const target = (number: string) => ({ kind: 'extension' as const, number });
  const stages: RingStage[] =
    members.length === 0
      ? []
      : group.strategy === 'all'
        ? [{ targets: members.map(target), durationMs: group.ringTimeMs }]
        : members.map((m) => ({ targets: [target(m)], durationMs: group.ringTimeMs }));
  return { stages, skipped };
}

function skipReason(number: string, a: Availability | undefined, caller?: string): SkipReason | undefined {
  if (number === caller) return 'caller';
  if (a === undefined) return 'unknown';
  if (a.dnd) return 'dnd';
  if (!a.registered) return 'unregistered';
  if (a.busy) return 'busy';
  return undefined;
}

/**
 * Where a group's unanswered call goes: its fallback (extensions and groups subject to the
 * chain's loop protection), or 480. Voicemail and hang-up bypass the chain.
 */
export function ringGroupFallback(group: RingGroup, chain: Chain): Treatment {
  const to = group.fallback;
  if (to === undefined) return { kind: 'reject', status: 480, reason: 'fallback' };
  if (to.type === 'hangup') return { kind: 'reject', status: to.cause ?? 480, reason: 'fallback' };
  if (to.type === 'voicemail') return { kind: 'forward', to, reason: 'fallback', chain };
  const step = follow(chain, to);
  if (!step.ok) {
    const name = to.type === 'extension' ? to.number : to.type === 'ringGroup' ? to.group : to.type;
    return { kind: 'reject', status: 480, reason: 'fallback', skipped: { to: name, why: step.why } };
  }
  return { kind: 'forward', to, reason: 'fallback', chain: step.chain };
}
