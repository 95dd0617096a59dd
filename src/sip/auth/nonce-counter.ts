/**
 * Replay protection for qop=auth (RFC 7616 §3.4, §5.5): the nonce count of each nonce
 * must increase. Memory is bounded: the table is an LRU of at most `maxNonces` entries.
 *
 * Forgetting a nonce must not reopen it to replays, so the counter remembers the latest
 * issue time among the nonces it evicted (the watermark). A nonce that is not in the
 * table and was issued at or before the watermark may have been seen already: it is
 * reported `forgotten`, and the server answers it as stale, so an honest client simply
 * retries with a fresh nonce. Nonces only enter the table after a correct password, so
 * an attacker without credentials cannot flush it.
 */
import { BoundedLru } from './lru.js';

export type NonceCountCheck = 'ok' | 'replay' | 'forgotten';

interface Entry {
  nc: number;
  readonly issuedAt: number;
}

export class NonceCounter {
  private readonly entries: BoundedLru<string, Entry>;
  private watermark = -Infinity;

  constructor(maxNonces: number) {
    this.entries = new BoundedLru(maxNonces, (_nonce, entry) => {
      this.watermark = Math.max(this.watermark, entry.issuedAt);
    });
  }

  /** Records `nc` for `nonce` when it is higher than any count seen before. */
  accept(nonce: string, issuedAt: number, nc: number): NonceCountCheck {
    const entry = this.entries.get(nonce);
    if (entry !== undefined) {
      if (nc <= entry.nc) return 'replay';
      entry.nc = nc;
      this.entries.set(nonce, entry); // most recently used
      return 'ok';
    }
    if (issuedAt <= this.watermark) return 'forgotten';
    this.entries.set(nonce, { nc, issuedAt });
    return 'ok';
  }

  get size(): number {
    return this.entries.size;
  }
}
