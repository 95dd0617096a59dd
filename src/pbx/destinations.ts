/**
 * Carrying an answered call on from an IVR (transfer node), and playing an announcement.
 * Before answer, the extension features carry calls (call/features); once a flow has
 * answered, the caller hears ring-back while Hotline rings the destination, and is bridged
 * to whoever answers first.
 */
import type { Call } from '../call/control/call.js';
import type { CallControl } from '../call/control/control.js';
import type { InboundCallLeg } from '../call/control/inbound.js';
import type { Leg } from '../call/control/leg.js';
import type { Speech } from '../call/control/speech.js';
import type { FeatureDeps } from '../call/features/index.js';
import type { DialExternal } from '../call/features/ringer.js';
import { configuredPrompts } from '../ivr/adapters/call-channel.js';
import type { TransferDestination } from '../ivr/schema-values.js';
import type { TransferOutcome } from '../ivr/types.js';
import type { PlayItem } from '../media/index.js';
import type { Logger } from '../platform/log.js';
import type { PromptSpec } from '../routing/index.js';

export interface TransferDeps {
  readonly control: CallControl;
  readonly features: FeatureDeps;
  readonly dialExternal: DialExternal;
  readonly logger: Logger;
  /** Puts the call in a queue (the ACD); without it a queue transfer fails. */
  readonly enqueue?: (
    call: Call,
    leg: Leg,
    dest: Extract<TransferDestination, { type: 'queue' }>,
  ) => Promise<void>;
}

const BUSY = new Set([486, 600]);

/** What a ringing that ended without an answer means to the flow. */
function outcomeOf(statuses: readonly (number | undefined)[]): TransferOutcome {
  if (statuses.some((s) => s !== undefined && BUSY.has(s))) return { ok: false, reason: 'busy' };
  if (statuses.some((s) => s === 480 || s === 408 || s === 487)) return { ok: false, reason: 'noAnswer' };
  return { ok: false, reason: 'failed' };
}

export async function transferAnswered(
  deps: TransferDeps,
  call: Call,
  leg: Leg,
  dest: TransferDestination,
): Promise<TransferOutcome> {
  const log = deps.logger.child({ callId: call.id });
  switch (dest.type) {
    case 'extension':
      return ringAndBridge(deps, call, leg, [dest.number]);
    case 'ringGroup': {
      const group = deps.features.settings().ringGroups.get(dest.group);
      if (!group) {
        log.warn({ group: dest.group }, 'IVR transfer to an unknown ring group');
        return { ok: false, reason: 'failed' };
      }
      call.setData('ringGroup', dest.group);
      return ringAndBridge(deps, call, leg, group.members);
    }
    case 'voicemail': {
      const vm = deps.features.voicemail;
      if (!vm?.hasMailbox(dest.mailbox)) return { ok: false, reason: 'failed' };
      await vm.leaveMessage(call, leg as InboundCallLeg, dest.mailbox);
      return { ok: true };
    }
    case 'external': {
      const abort = new AbortController();
      const onEnd = () => abort.abort();
      leg.once('ended', onEnd);
      leg.startPlay([{ tone: 'ringback' }], { loop: true });
      const result = await deps.dialExternal(call, dest.number, {
        caller: call.caller,
        ringTimeoutMs: deps.features.settings().noAnswerTimeoutMs,
        signal: abort.signal,
      });
      leg.off('ended', onEnd);
      await leg.stopPlay();
      if (!result.ok) return outcomeOf([result.status]);
      if (leg.isEnded) {
        result.leg.hangup(200);
        return { ok: true };
      }
      await deps.control.bridge(leg, result.leg);
      return { ok: true };
    }
    case 'queue':
      if (!deps.enqueue) {
        log.warn({ queue: dest.queue }, 'no ACD: an IVR transfer to a queue fails');
        return { ok: false, reason: 'failed' };
      }
      try {
        await deps.enqueue(call, leg, dest);
      } catch (err) {
        log.warn({ err, queue: dest.queue }, 'the call could not be queued');
        return { ok: false, reason: 'failed' };
      }
      return { ok: true };
  }
}

/** Rings every reachable phone of `numbers` at once; the first to answer is bridged. */
async function ringAndBridge(
  deps: TransferDeps,
  call: Call,
  leg: Leg,
  numbers: readonly string[],
): Promise<TransferOutcome> {
  const { control, features } = deps;
  const targets = numbers.filter((n) => features.contactsOf(n).length > 0);
  if (targets.length === 0) return { ok: false, reason: 'failed' };
  leg.startPlay([{ tone: 'ringback' }], { loop: true });
  const ringTimeoutMs = features.settings().noAnswerTimeoutMs;
  const legs = await Promise.all(
    targets.map((n) => control.originate(call, n, { contacts: features.contactsOf(n), ringTimeoutMs })),
  );
  const winner = await new Promise<Leg | null>((resolve) => {
    let left = legs.length;
    for (const out of legs) {
      void control.answered(out).then((up) => {
        if (up) resolve(out);
        else if (--left === 0) resolve(null);
      });
    }
    leg.once('ended', () => resolve(null));
  });
  for (const out of legs) if (out !== winner && !out.isEnded) out.hangup(487);
  await leg.stopPlay();
  if (!winner) return outcomeOf(legs.map((l) => l.ended?.status));
  if (leg.isEnded) {
    winner.hangup(200);
    return { ok: true };
  }
  await control.bridge(leg, winner);
  return { ok: true };
}

/** Answers, plays the prompts, hangs up: the announcement destination (and the blacklist warning). */
export async function announce(
  control: CallControl,
  speech: Speech,
  call: Call,
  leg: InboundCallLeg,
  prompts: readonly PromptSpec[],
  promptsDir: string,
): Promise<void> {
  leg.answer();
  control.markAnswered(call);
  let items: PlayItem[];
  try {
    items = await configuredPrompts(speech, promptsDir, prompts);
  } catch (err) {
    control.deps.logger.error({ err, callId: call.id }, 'announcement could not be prepared');
    items = [];
  }
  if (!leg.isEnded) await leg.play(items);
  if (!leg.isEnded) leg.hangup(200);
}
