import type { Clock } from '../platform/clock.js';

export interface AdmissionLimits {
  /** Calls in progress at most. */
  readonly maxCalls: number;
  /** New calls admitted per second at most. */
  readonly maxCallsPerSecond: number;
}

export type AdmissionVerdict = { admit: true } | { admit: false; why: 'too-many-calls' | 'call-rate' };

/**
 * Overload control for new calls: past either limit, a new INVITE is refused at once with
 * 503 and Retry-After, so calls already up keep their share of the CPU and nothing piles up.
 * The rate is a token bucket refilled continuously (burst = one second's worth).
 */
export class Admission {
  private active = 0;
  private tokens: number;
  private last: number;

  constructor(
    private limits: AdmissionLimits,
    private readonly clock: Clock,
  ) {
    this.tokens = limits.maxCallsPerSecond;
    this.last = clock.now();
  }

  setLimits(limits: AdmissionLimits): void {
    this.limits = limits;
  }

  tryAdmit(): AdmissionVerdict {
    if (this.active >= this.limits.maxCalls) return { admit: false, why: 'too-many-calls' };
    const now = this.clock.now();
    const rate = this.limits.maxCallsPerSecond;
    this.tokens = Math.min(rate, this.tokens + ((now - this.last) / 1000) * rate);
    this.last = now;
    if (this.tokens < 1) return { admit: false, why: 'call-rate' };
    this.tokens -= 1;
    this.active++;
    return { admit: true };
  }

  /** Each admitted call calls this exactly once when it ends. */
  release(): void {
    if (this.active > 0) this.active--;
  }

  get activeCalls(): number {
    return this.active;
  }
}
