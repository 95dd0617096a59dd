/**
 * The decision core of the extension features (pure): given an extension's features and the
 * situation, what happens to a call for it.
 *
 *   do not disturb ───────────────────────────────► busy treatment
 *   forward.always (unless the chain refuses it) ──► that destination
 *   on a call, callWaiting: false ─────────────────► busy treatment
 *   otherwise ring: the extension's phones for noAnswerTimeout, then each find-me step
 *     (sequential), or each step together with the phones (parallel)
 *       busy (486/600) ───► busy treatment:      forward.busy → voicemail → 486
 *       nobody answered ──► no-answer treatment: forward.noAnswer → voicemail → 480
 *
 * An extension with no reachable phone and no find-me number gets the no-answer treatment
 * at once. A forward the chain refuses (loop, too many hops) is skipped.
 */
import { destinationOf, follow } from './chain.js';
import type {
  Availability,
  CallPlan,
  Chain,
  Directory,
  ExtensionFeatures,
  RingResult,
  RingStage,
  RingTarget,
  SkippedForward,
  Treatment,
  TreatmentReason,
} from './types.js';

export interface PlanInput {
  readonly features: ExtensionFeatures;
  /** The extension has a reachable phone. */
  readonly registered: boolean;
  /** The extension is talking on another call. */
  readonly onCall: boolean;
  /** Availability of other extensions (find-me numbers); undefined for an unknown one. */
  readonly availability: (number: string) => Availability | undefined;
  readonly chain: Chain;
  readonly directory: Directory;
  /** The caller's extension, never rung by its own call. */
  readonly caller?: string;
}

export function planCall(input: PlanInput): CallPlan {
  const { features: f, chain, directory } = input;
  if (f.dnd) return treat(busyTreatment(f, chain, directory, 'dnd'));
  let skipped: SkippedForward | undefined;
  if (f.forward.always !== undefined) {
    const t = forwardTo(f.forward.always, 'always', chain, directory);
    if (t.kind === 'forward') return treat(t);
    skipped = t.skipped;
  }
  if (input.onCall && !f.callWaiting)
    return treat(withSkip(busyTreatment(f, chain, directory, 'busy'), skipped));
  const stages = ringStages(input);
  if (stages.length === 0)
    return treat(withSkip(noAnswerTreatment(f, chain, directory, 'unavailable', 480), skipped));
  return { kind: 'ring', stages, stopOnBusy: f.findMe?.mode !== 'parallel' };
}

/** What follows ringing that nobody answered. */
export function afterRinging(
  features: ExtensionFeatures,
  result: RingResult,
  chain: Chain,
  directory: Directory,
): Treatment {
  return result.busy
    ? busyTreatment(features, chain, directory, 'busy')
    : noAnswerTreatment(features, chain, directory, 'no-answer', result.status);
}

/** The stages the extension's phones and its find-me numbers ring in. */
export function ringStages(input: PlanInput): RingStage[] {
  const f = input.features;
  const own: RingTarget[] = input.registered ? [{ kind: 'extension', number: f.number }] : [];
  const steps = (f.findMe?.steps ?? []).map((step) => ({
    targets: findMeTargets(step.numbers, input),
    durationMs: step.ringTimeMs,
  }));
  if (f.findMe?.mode === 'parallel' && steps.length > 0) {
    return steps
      .map((s) => ({ targets: dedupe([...own, ...s.targets]), durationMs: s.durationMs }))
      .filter((s) => s.targets.length > 0);
  }
  const first = own.length > 0 ? [{ targets: own, durationMs: f.noAnswerTimeoutMs }] : [];
  return [...first, ...steps.filter((s) => s.targets.length > 0)];
}

function findMeTargets(numbers: readonly string[], input: PlanInput): RingTarget[] {
  const out: RingTarget[] = [];
  for (const number of numbers) {
    if (number === input.features.number || number === input.caller) continue;
    if (input.directory.isExtension(number)) {
      const a = input.availability(number);
      if (a && a.registered && !a.dnd && !a.busy) out.push({ kind: 'extension', number });
    } else if (!input.directory.isRingGroup(number)) {
      out.push({ kind: 'external', number });
    }
  }
  return dedupe(out);
}

function dedupe(targets: RingTarget[]): RingTarget[] {
  const seen = new Set<string>();
  return targets.filter((t) => {
    const key = `${t.kind}:${t.number}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/** DND and busy: the busy forward, else voicemail, else 486. */
export function busyTreatment(
  f: ExtensionFeatures,
  chain: Chain,
  directory: Directory,
  reason: TreatmentReason,
): Treatment {
  return otherwise(f, f.forward.busy, chain, directory, reason, 486);
}

/** No answer (or no phone): the no-answer forward, else voicemail, else `status` (480). */
export function noAnswerTreatment(
  f: ExtensionFeatures,
  chain: Chain,
  directory: Directory,
  reason: TreatmentReason,
  status: number,
): Treatment {
  return otherwise(f, f.forward.noAnswer, chain, directory, reason, status);
}

function otherwise(
  f: ExtensionFeatures,
  forward: string | undefined,
  chain: Chain,
  directory: Directory,
  reason: TreatmentReason,
  status: number,
): Treatment {
  let skipped: SkippedForward | undefined;
  if (forward !== undefined) {
    const t = forwardTo(forward, reason, chain, directory);
    if (t.kind === 'forward') return t;
    skipped = t.skipped;
  }
  const end: Treatment = f.voicemail
    ? { kind: 'forward', to: { type: 'voicemail', mailbox: f.number }, reason, chain }
    : { kind: 'reject', status, reason };
  return withSkip(end, skipped);
}

/** A forward to `number`, or a rejection noting why the chain refused it (the caller goes on). */
function forwardTo(number: string, reason: TreatmentReason, chain: Chain, directory: Directory): Treatment {
  const to = destinationOf(number, directory);
  const step = follow(chain, to);
  if (!step.ok) return { kind: 'reject', status: 480, reason, skipped: { to: number, why: step.why } };
  return { kind: 'forward', to, reason, chain: step.chain };
}

function withSkip(t: Treatment, skipped: SkippedForward | undefined): Treatment {
  return skipped === undefined || t.skipped !== undefined ? t : { ...t, skipped };
}

function treat(treatment: Treatment): CallPlan {
  return { kind: 'treat', treatment };
}
