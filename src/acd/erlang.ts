/**
 * Erlang C (M/M/N, callers wait forever): probability of waiting, service level and average
 * speed of answer. Computed through the Erlang B recurrence
 *   B(0) = 1,  B(n) = A·B(n−1) / (n + A·B(n−1))
 * and C = N·B / (N − A·(1 − B)), which never forms A^N or N! and so stays exact for
 * thousands of agents.
 */
import { AcdError } from './errors.js';

export interface ErlangLoad {
  /** Calls per hour. */
  readonly callsPerHour: number;
  /** Average handle time in seconds (talk + hold + wrap-up). */
  readonly ahtSeconds: number;
  readonly agents: number;
}

export interface ErlangResult {
  /** Offered traffic A in erlangs. */
  readonly erlangs: number;
  /** Probability that a call waits at all. */
  readonly probabilityWait: number;
  /** Fraction answered within the threshold. */
  readonly serviceLevel: number;
  readonly asaSeconds: number;
  /** A / N. */
  readonly occupancy: number;
}

function check(name: string, value: number, min: number): void {
  if (!Number.isFinite(value) || value < min) {
    throw new AcdError(
      'ACD_INVALID',
      `Erlang C: ${name} must be a finite number ≥ ${min}, got ${String(value)}`,
      {
        name,
        value,
      },
    );
  }
}

export function erlangB(erlangs: number, agents: number): number {
  check('traffic', erlangs, 0);
  check('agents', agents, 0);
  let b = 1;
  for (let n = 1; n <= agents; n++) b = (erlangs * b) / (n + erlangs * b);
  return b;
}

/** Probability of waiting; 1 when the agents cannot keep up (A ≥ N). */
export function erlangC(erlangs: number, agents: number): number {
  if (agents <= erlangs) return 1;
  const b = erlangB(erlangs, agents);
  return (agents * b) / (agents - erlangs * (1 - b));
}

export function erlangCLoad(load: ErlangLoad, serviceLevelSeconds: number): ErlangResult {
  check('calls per hour', load.callsPerHour, 0);
  check('AHT', load.ahtSeconds, 1e-9);
  check('agents', load.agents, 0);
  const erlangs = (load.callsPerHour * load.ahtSeconds) / 3600;
  const n = Math.floor(load.agents);
  if (n <= erlangs) {
    return { erlangs, probabilityWait: 1, serviceLevel: 0, asaSeconds: Infinity, occupancy: 1 };
  }
  const pw = erlangC(erlangs, n);
  const spare = n - erlangs;
  return {
    erlangs,
    probabilityWait: pw,
    serviceLevel: 1 - pw * Math.exp((-spare * serviceLevelSeconds) / load.ahtSeconds),
    asaSeconds: (pw * load.ahtSeconds) / spare,
    occupancy: erlangs / n,
  };
}

/** The fewest agents that reach `target` (0–1) service level within `serviceLevelSeconds`. */
export function agentsForServiceLevel(
  callsPerHour: number,
  ahtSeconds: number,
  serviceLevelSeconds: number,
  target: number,
): number {
  const erlangs = (callsPerHour * ahtSeconds) / 3600;
  let n = Math.max(1, Math.floor(erlangs) + 1);
  while (erlangCLoad({ callsPerHour, ahtSeconds, agents: n }, serviceLevelSeconds).serviceLevel < target) n++;
  return n;
}
