/**
 * Caller priority (ACD-4). Routing's convention: 0–100, larger is answered sooner. A VIP
 * call starts at least at the queue's VIP priority; waiting raises it by the queue's aging
 * formula; a supervisor's override replaces both and no longer ages.
 */
import { AcdError } from './errors.js';
import type { AgingFormula } from './types.js';

export const MIN_PRIORITY = 0;
export const MAX_PRIORITY = 100;

export const NO_AGING: AgingFormula = { perMinute: 0, max: MAX_PRIORITY, afterSeconds: 0 };

export function checkPriority(value: number, what = 'priority'): number {
  if (!Number.isFinite(value) || value < MIN_PRIORITY || value > MAX_PRIORITY) {
    throw new AcdError('ACD_INVALID', `${what} must be a number from 0 to 100, got ${String(value)}`, {
      what,
      value,
    });
  }
  return value;
}

/** The priority a call enters a queue with. */
export function basePriority(priority: number, vip: boolean, vipPriority: number): number {
  return vip ? Math.max(priority, vipPriority) : priority;
}

/** base + perMinute × minutes waited past `afterSeconds`, capped at `max` (never below base). */
export function agedPriority(base: number, waitedMs: number, aging: AgingFormula): number {
  const minutes = (waitedMs - aging.afterSeconds * 1000) / 60_000;
  if (minutes <= 0 || aging.perMinute <= 0) return base;
  return Math.max(base, Math.min(aging.max, base + aging.perMinute * minutes));
}

export interface PriorityState {
  readonly base: number;
  /** Set by a supervisor: a fixed priority that no longer ages. */
  readonly override: number | undefined;
}

export function effectivePriority(
  p: PriorityState,
  enteredAt: number,
  now: number,
  aging: AgingFormula,
): number {
  return p.override ?? agedPriority(p.base, now - enteredAt, aging);
}
