/**
 * Estimated wait time for the caller at position N (ACD-6), from the queue's recent handle
 * times and its staffing, not a constant:
 *
 *   EWT(N) = max(0, N − idle) × AHT / staffed
 *
 * where `staffed` counts the queue's agents who are ready (talking or not) and `idle` those of
 * them free right now. With `staffed` agents each finishing a call every AHT seconds on
 * average, one frees up every AHT / staffed seconds, and the caller at position N waits for
 * the N-th such moment (after the idle agents have taken the first ones).
 */
export interface WaitEstimateInput {
  /** 1 = next in line. */
  readonly position: number;
  readonly staffedAgents: number;
  readonly idleAgents: number;
  readonly handleSeconds: number;
}

/** Seconds, or undefined when nobody is staffed (the wait cannot be estimated). */
export function estimateWaitSeconds(input: WaitEstimateInput): number | undefined {
  if (input.staffedAgents <= 0) return undefined;
  const ahead = Math.max(0, input.position - input.idleAgents);
  return (ahead * input.handleSeconds) / input.staffedAgents;
}

/** Average handle time to estimate with: the recent window if it has enough calls, else today, else the default. */
export function handleSecondsFor(
  recent: { readonly handled: number; readonly ahtSeconds: number | undefined },
  today: { readonly handled: number; readonly ahtSeconds: number | undefined },
  defaultSeconds: number,
  minCalls = 5,
): number {
  if (recent.handled >= minCalls && recent.ahtSeconds !== undefined) return recent.ahtSeconds;
  if (today.handled >= minCalls && today.ahtSeconds !== undefined) return today.ahtSeconds;
  return defaultSeconds;
}

/**
 * The whole minutes an announcement says for an estimate: rounded up, so a caller is not
 * promised less than the estimate; 0 (said as "less than a minute") under a minute.
 */
export function announcedMinutes(seconds: number): number {
  return seconds < 60 ? 0 : Math.ceil(seconds / 60);
}
