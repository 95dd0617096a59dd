import type { Clock } from '../../platform/clock.js';

/** Keys a leg holds for the IVR to take (type-ahead), at most this many, the newest kept. */
const MAX_KEYS = 64;

/**
 * The keys a caller pressed and nobody took yet, and the one reader waiting for the next
 * (an IVR's nextDigit / collect). Split from leg.ts only to keep files small.
 */
export class DigitBuffer {
  private keys = '';
  private waiter: (() => void) | null = null;

  constructor(private readonly clock: Pick<Clock, 'setTimer'>) {}

  /** Keys pressed and not yet taken, oldest first. */
  get pending(): string {
    return this.keys;
  }

  push(digit: string): void {
    this.keys += digit;
    if (this.keys.length > MAX_KEYS) this.keys = this.keys.slice(-MAX_KEYS);
    this.waiter?.();
  }

  clear(): void {
    this.keys = '';
  }

  /** Wakes the waiting reader with nothing (the leg ended). */
  wake(): void {
    this.waiter?.();
  }

  /** The next key, waiting up to `timeoutMs` unless `ended`; null when none came. */
  async next(timeoutMs: number, ended: () => boolean): Promise<string | null> {
    if (this.keys.length === 0 && !ended()) {
      await new Promise<void>((resolve) => {
        const timer = this.clock.setTimer(timeoutMs, () => {
          this.waiter = null;
          resolve();
        });
        this.waiter = () => {
          timer.cancel();
          this.waiter = null;
          resolve();
        };
      });
    }
    if (this.keys.length === 0) return null;
    const digit = this.keys[0]!;
    this.keys = this.keys.slice(1);
    return digit;
  }
}
