/**
 * A day of call-center traffic, generated once from a seed so that every strategy sees the
 * same callers: Poisson arrivals with an hourly profile, a skill mix, lognormal handle
 * times and exponential caller patience.
 */
import { seededRandom } from '../../src/acd/index.js';

/** Share of the busy-hour rate per hour of the day (opening hours 08:00–20:00). */
export const HOURLY_PROFILE: readonly number[] = [
  0, 0, 0, 0, 0, 0, 0, 0, 0.45, 0.8, 1, 0.95, 0.7, 0.75, 0.9, 0.85, 0.7, 0.55, 0.4, 0.3, 0, 0, 0, 0,
];

export const SKILL_MIX: readonly { readonly skill: string; readonly share: number }[] = [
  { skill: 'general', share: 0.7 },
  { skill: 'billing', share: 0.2 },
  { skill: 'english', share: 0.1 },
];

export interface SimCall {
  readonly id: string;
  /** ms since midnight. */
  readonly at: number;
  readonly skill: string;
  readonly minLevel: number;
  readonly vip: boolean;
  readonly talkMs: number;
  readonly patienceMs: number;
}

export interface TrafficOptions {
  readonly callsPerHour: number;
  readonly talkSeconds: number;
  /** Coefficient of variation of the lognormal talk time. */
  readonly talkCv: number;
  readonly patienceSeconds: number;
  readonly seed: number;
}

const HOUR = 3_600_000;

export function generateDay(o: TrafficOptions): SimCall[] {
  const rng = seededRandom(o.seed);
  const exp = (mean: number) => -Math.log(1 - rng()) * mean;
  const normal = () => Math.sqrt(-2 * Math.log(1 - rng())) * Math.cos(2 * Math.PI * rng());
  const sigma2 = Math.log(1 + o.talkCv ** 2);
  const mu = Math.log(o.talkSeconds * 1000) - sigma2 / 2;
  const calls: SimCall[] = [];
  HOURLY_PROFILE.forEach((share, hour) => {
    const rate = o.callsPerHour * share;
    if (rate <= 0) return;
    for (let t = hour * HOUR + exp(HOUR / rate); t < (hour + 1) * HOUR; t += exp(HOUR / rate)) {
      let u = rng();
      const mix = SKILL_MIX.find((m) => (u -= m.share) < 0) ?? SKILL_MIX[0]!;
      calls.push({
        id: `c${calls.length + 1}`,
        at: Math.round(t),
        skill: mix.skill,
        minLevel: 1 + Math.floor(rng() * 5),
        vip: rng() < 0.05,
        talkMs: Math.round(Math.exp(mu + Math.sqrt(sigma2) * normal())),
        patienceMs: Math.round(exp(o.patienceSeconds * 1000)),
      });
    }
  });
  return calls;
}

export interface SimAgent {
  readonly id: string;
  readonly skills: Readonly<Record<string, number>>;
}

/** Everybody speaks to general callers; some also do billing, fewer English. */
export function generateAgents(count: number, seed: number): SimAgent[] {
  const rng = seededRandom(seed + 1);
  const level = () => 3 + Math.floor(rng() * 8);
  return Array.from({ length: count }, (_, i) => {
    const skills: Record<string, number> = { general: level() };
    if (rng() < 0.45) skills['billing'] = level();
    if (rng() < 0.3) skills['english'] = level();
    return { id: `agent${i + 1}`, skills };
  });
}
