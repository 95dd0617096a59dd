import { makeTransition, type TransitionTable } from '../../../platform/machine.js';

/*
 * A trunk's health from its OPTIONS pings. Any answer (even 404 or 503) shows the far end
 * is there; `downAfter` unanswered pings in a row mark it down, and one answer brings it back.
 *
 *   unknown ──reply──▶ up ──miss──▶ up ──lost──▶ down ──reply──▶ up
 *      │                                          │
 *      └──────────────lost──────────────────────▶ ┘   (miss: stays where it is)
 *
 * `unknown` (no ping answered or missed enough yet, or checks off) counts as usable.
 */
export type HealthPhase = 'unknown' | 'up' | 'down';
type HealthEventType = 'reply' | 'miss' | 'lost';

const table: TransitionTable<HealthPhase, HealthEventType> = {
  unknown: { reply: 'up', miss: 'unknown', lost: 'down' },
  up: { reply: 'up', miss: 'up', lost: 'down' },
  down: { reply: 'up', miss: 'down', lost: 'down' },
};

export const healthTransition = makeTransition('trunk health', table);

export interface HealthState {
  readonly phase: HealthPhase;
  /** Unanswered pings in a row. */
  readonly misses: number;
  /** When the last answer came (ms since the epoch), 0 for never. */
  readonly lastReplyAt: number;
  /** Status of the last answer, for the admin API. */
  readonly lastStatus?: number;
}

export const INITIAL_HEALTH: HealthState = { phase: 'unknown', misses: 0, lastReplyAt: 0 };

export type PingResult = { readonly answered: true; readonly status: number } | { readonly answered: false };

/** The state after one ping's outcome, and whether the phase changed (worth a log line). */
export function stepHealth(
  state: HealthState,
  result: PingResult,
  downAfter: number,
  now: number,
): { readonly state: HealthState; readonly changed: boolean } {
  if (result.answered) {
    const phase = healthTransition(state.phase, 'reply');
    return {
      state: { phase, misses: 0, lastReplyAt: now, lastStatus: result.status },
      changed: phase !== state.phase,
    };
  }
  const misses = state.misses + 1;
  const phase = healthTransition(state.phase, misses >= downAfter ? 'lost' : 'miss');
  return { state: { ...state, phase, misses }, changed: phase !== state.phase };
}
