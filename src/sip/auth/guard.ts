/**
 * The abuse guard in front of the registrar and the INVITE handler: counts failed
 * authentications per source address, blocks an address after `maxFailures` failures
 * within `windowMs` for `blockMs`, and recognises the User-Agent strings of common SIP
 * scanners.
 *
 * Memory stays bounded under a flood from many addresses: failures and blocks live in two
 * LRU tables, each holding at most `maxTrackedAddresses` entries and evicting the entry
 * written longest ago when full. Blocks have their own table so that a flood of addresses
 * failing once cannot push a blocked address out and unblock it.
 */
import type { Clock } from '../../platform/clock.js';
import { DEFAULT_BLOCKED_USER_AGENTS } from '../../platform/config/schema.js';
import { BoundedLru } from './lru.js';

/** The scanner User-Agents refused by default: the configuration's list, the one source. */
export const DEFAULT_SCANNER_USER_AGENTS: readonly string[] = DEFAULT_BLOCKED_USER_AGENTS;

export interface AbuseGuardOptions {
  readonly clock: Clock;
  /** Failures within the window that trigger a block. Default 5. */
  readonly maxFailures?: number;
  /** Failures older than this no longer count. Default 60 s. */
  readonly windowMs?: number;
  /** How long a block lasts. Default 600 s. */
  readonly blockMs?: number;
  /** Case-insensitive substrings of scanner User-Agents. Default `DEFAULT_SCANNER_USER_AGENTS`. */
  readonly blockedUserAgents?: readonly string[];
  /** Bound on each of the failure and block tables. Default 100 000. */
  readonly maxTrackedAddresses?: number;
}

export interface AbuseGuardStats {
  /** Addresses with failures counted and not blocked. */
  readonly tracked: number;
  /** Addresses currently in the block table (some may have just expired). */
  readonly blocked: number;
  /** Blocks imposed since start. */
  readonly blocksTotal: number;
  /** Entries dropped to keep memory bounded since start. */
  readonly evictions: number;
}

interface FailureEntry {
  count: number;
  readonly windowStart: number;
}

export class AbuseGuard {
  private readonly clock: Clock;
  private readonly maxFailures: number;
  private readonly windowMs: number;
  private readonly blockMs: number;
  private readonly scannerPatterns: readonly string[];
  private readonly failures: BoundedLru<string, FailureEntry>;
  /** Address → blocked until (ms since the epoch). */
  private readonly blocks: BoundedLru<string, number>;
  private blocksTotal = 0;
  private evictions = 0;

  constructor(opts: AbuseGuardOptions) {
    this.clock = opts.clock;
    this.maxFailures = opts.maxFailures ?? 5;
    this.windowMs = opts.windowMs ?? 60_000;
    this.blockMs = opts.blockMs ?? 600_000;
    if (this.maxFailures < 1) throw new RangeError('maxFailures must be ≥ 1');
    const maxTracked = opts.maxTrackedAddresses ?? 100_000;
    const countEviction = (): void => void this.evictions++;
    this.failures = new BoundedLru(maxTracked, countEviction);
    this.blocks = new BoundedLru(maxTracked, countEviction);
    this.scannerPatterns = (opts.blockedUserAgents ?? DEFAULT_SCANNER_USER_AGENTS)
      .map((p) => p.toLowerCase())
      .filter((p) => p !== '');
  }

  isBlocked(address: string): boolean {
    const until = this.blocks.get(address);
    if (until === undefined) return false;
    if (until > this.clock.now()) return true;
    this.blocks.delete(address);
    return false;
  }

  /** Counts one failed authentication; `'blocked'` when the address is (now) blocked. */
  recordFailure(address: string): 'counted' | 'blocked' {
    if (this.isBlocked(address)) return 'blocked';
    const now = this.clock.now();
    let entry = this.failures.get(address);
    if (entry === undefined || now - entry.windowStart >= this.windowMs) {
      entry = { count: 0, windowStart: now };
    }
    entry.count++;
    if (entry.count >= this.maxFailures) {
      this.block(address);
      return 'blocked';
    }
    this.failures.set(address, entry);
    return 'counted';
  }

  /** Forgets the failures of an address that authenticated. An active block stays. */
  recordSuccess(address: string): void {
    this.failures.delete(address);
  }

  /** Blocks an address now for `blockMs`, e.g. after a scanner User-Agent was seen. */
  block(address: string): void {
    this.failures.delete(address);
    this.blocks.set(address, this.clock.now() + this.blockMs);
    this.blocksTotal++;
  }

  isScanner(userAgent?: string): boolean {
    if (userAgent === undefined || userAgent === '') return false;
    const ua = userAgent.toLowerCase();
    return this.scannerPatterns.some((p) => ua.includes(p));
  }

  /** Drops expired blocks and failure windows; returns how many entries went. Call periodically. */
  sweep(): number {
    const now = this.clock.now();
    return (
      this.blocks.deleteWhere((until) => until <= now) +
      this.failures.deleteWhere((entry) => now - entry.windowStart >= this.windowMs)
    );
  }

  stats(): AbuseGuardStats {
    return {
      tracked: this.failures.size,
      blocked: this.blocks.size,
      blocksTotal: this.blocksTotal,
      evictions: this.evictions,
    };
  }
}
