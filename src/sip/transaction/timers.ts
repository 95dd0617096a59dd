import type { TimerValues } from './types.js';

/** RFC 3261 Table 4 defaults. */
export const DEFAULT_TIMERS: TimerValues = Object.freeze({ T1: 500, T2: 4_000, T4: 5_000 });

/** Timer D on an unreliable transport: "at least 32 seconds" (§17.1.1.2). */
export const TIMER_D_MS = 32_000;

/** §17.2.1: a server INVITE transaction sends 100 Trying unless the TU answers within 200 ms. */
export const TRYING_DELAY_MS = 200;

/** Timers B, F, H, J, L, M: 64*T1. */
export function timeout64(t: TimerValues): number {
  return 64 * t.T1;
}

/** Timers E and G (and the §13.3.1.4 2xx retransmission): double, capped at T2. */
export function backoff(ms: number, t: TimerValues): number {
  return Math.min(ms * 2, t.T2);
}
