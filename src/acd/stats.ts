/**
 * Queue statistics (RPT-1, SUP-3) as counters over two windows: "today" (since the last
 * reset, which the adapter calls at local midnight) and a rolling recent window (15 minutes
 * by default, kept in one-minute slots). The live figures — calls waiting, longest wait,
 * agents per state — come from the dispatcher's snapshot, not from here.
 *
 * Service level = calls answered within T ÷ calls that finished waiting (answered,
 * abandoned, overflowed, timed out), leaving out calls abandoned within T (short abandons)
 * from both. Calls answered through another queue, or removed by a supervisor or the IVR,
 * count as offered but not in the service level.
 */
export interface QueueCounters {
  offered: number;
  answered: number;
  answeredWithinSl: number;
  abandoned: number;
  abandonedWithinSl: number;
  overflowed: number;
  timedOut: number;
  answeredElsewhere: number;
  removed: number;
  /** Sum of the waits of answered calls (for ASA). */
  answeredWaitMs: number;
  /** Calls whose handling (talk + hold + wrap-up) ended, and the sum of their handle times. */
  handled: number;
  handleMs: number;
}

export type QueueOutcome =
  | { readonly kind: 'offered' }
  | { readonly kind: 'answered'; readonly waitMs: number }
  | { readonly kind: 'abandoned'; readonly waitMs: number }
  | { readonly kind: 'overflowed' }
  | { readonly kind: 'timedOut' }
  | { readonly kind: 'answeredElsewhere' }
  | { readonly kind: 'removed' }
  | { readonly kind: 'handled'; readonly handleMs: number };

export interface QueueFigures extends Readonly<QueueCounters> {
  /** Percent, or undefined before any call finished waiting. */
  readonly serviceLevel: number | undefined;
  /** Average speed of answer (s). */
  readonly asaSeconds: number | undefined;
  /** Average handle time (s). */
  readonly ahtSeconds: number | undefined;
  /** Abandoned ÷ finished waiting, percent. */
  readonly abandonRate: number | undefined;
}

export function zeroCounters(): QueueCounters {
  return {
    offered: 0,
    answered: 0,
    answeredWithinSl: 0,
    abandoned: 0,
    abandonedWithinSl: 0,
    overflowed: 0,
    timedOut: 0,
    answeredElsewhere: 0,
    removed: 0,
    answeredWaitMs: 0,
    handled: 0,
    handleMs: 0,
  };
}

function apply(c: QueueCounters, o: QueueOutcome, slMs: number): void {
  switch (o.kind) {
    case 'offered':
      c.offered++;
      return;
    case 'answered':
      c.answered++;
      c.answeredWaitMs += o.waitMs;
      if (o.waitMs <= slMs) c.answeredWithinSl++;
      return;
    case 'abandoned':
      c.abandoned++;
      if (o.waitMs <= slMs) c.abandonedWithinSl++;
      return;
    case 'overflowed':
      c.overflowed++;
      return;
    case 'timedOut':
      c.timedOut++;
      return;
    case 'answeredElsewhere':
      c.answeredElsewhere++;
      return;
    case 'removed':
      c.removed++;
      return;
    case 'handled':
      c.handled++;
      c.handleMs += o.handleMs;
      return;
  }
}

function add(into: QueueCounters, from: QueueCounters): void {
  for (const k of Object.keys(into) as (keyof QueueCounters)[]) into[k] += from[k];
}

export function figures(c: QueueCounters): QueueFigures {
  const finished = c.answered + c.abandoned - c.abandonedWithinSl + c.overflowed + c.timedOut;
  const ended = c.answered + c.abandoned + c.overflowed + c.timedOut;
  return {
    ...c,
    serviceLevel: finished > 0 ? (100 * c.answeredWithinSl) / finished : undefined,
    asaSeconds: c.answered > 0 ? c.answeredWaitMs / c.answered / 1000 : undefined,
    ahtSeconds: c.handled > 0 ? c.handleMs / c.handled / 1000 : undefined,
    abandonRate: ended > 0 ? (100 * c.abandoned) / ended : undefined,
  };
}

export interface QueueStatsOptions {
  readonly serviceLevelSeconds: number;
  /** Length of the recent window (default 15 minutes). */
  readonly windowMs?: number;
  /** Slot size of the recent window (default one minute). */
  readonly slotMs?: number;
}

/** Counters of one queue: today and the recent window. */
export class QueueStats {
  private today = zeroCounters();
  private readonly slots: { start: number; c: QueueCounters }[] = [];
  private readonly windowMs: number;
  private readonly slotMs: number;
  serviceLevelSeconds: number;

  constructor(opts: QueueStatsOptions) {
    this.serviceLevelSeconds = opts.serviceLevelSeconds;
    this.windowMs = opts.windowMs ?? 15 * 60_000;
    this.slotMs = opts.slotMs ?? 60_000;
  }

  record(now: number, outcome: QueueOutcome): void {
    const slMs = this.serviceLevelSeconds * 1000;
    apply(this.today, outcome, slMs);
    const start = now - (now % this.slotMs);
    let slot = this.slots[this.slots.length - 1];
    if (slot === undefined || slot.start !== start) {
      slot = { start, c: zeroCounters() };
      this.slots.push(slot);
    }
    apply(slot.c, outcome, slMs);
    this.prune(now);
  }

  /** Starts a new day (the adapter calls this at local midnight). */
  resetToday(): void {
    this.today = zeroCounters();
  }

  todayFigures(): QueueFigures {
    return figures({ ...this.today });
  }

  recentFigures(now: number): QueueFigures {
    this.prune(now);
    const sum = zeroCounters();
    for (const s of this.slots) add(sum, s.c);
    return figures(sum);
  }

  private prune(now: number): void {
    const oldest = now - this.windowMs;
    while (this.slots.length > 0 && this.slots[0]!.start + this.slotMs <= oldest) this.slots.shift();
  }
}
