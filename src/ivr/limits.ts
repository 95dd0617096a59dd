/** The interpreter's limits (documented in docs/ivr.md). */

/** Nodes one call may visit before the loop guard hangs up. */
export const DEFAULT_MAX_STEPS = 1000;
/** Nodes the onHangup chain may visit: it only records and notifies. */
export const MAX_HANGUP_STEPS = 100;
