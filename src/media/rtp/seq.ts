/**
 * Wraparound-safe arithmetic on RTP sequence numbers (16 bits) and timestamps (32 bits),
 * in the serial-number sense of RFC 1982: `a` is newer than `b` when it lies less than
 * half the number space ahead of it.
 */

/** a − b as a signed distance in −32768…32767. */
export function seqDelta(a: number, b: number): number {
  return (((a - b) & 0xffff) << 16) >> 16;
}

/** True when sequence number `a` comes after `b`. */
export function seqIsNewer(a: number, b: number): boolean {
  return seqDelta(a, b) > 0;
}

/** The sequence number after `seq`. */
export function nextSeq(seq: number): number {
  return (seq + 1) & 0xffff;
}

/** a − b as a signed 32-bit distance. */
export function tsDelta(a: number, b: number): number {
  return (a - b) | 0;
}

/** True when timestamp `a` comes after `b`. */
export function tsIsNewer(a: number, b: number): boolean {
  return tsDelta(a, b) > 0;
}

/** `ts + n` modulo 2³². */
export function tsAdd(ts: number, n: number): number {
  return (ts + n) >>> 0;
}

/**
 * Extends 16-bit sequence numbers to a monotonic count (cycles × 65536 + seq) the way
 * RFC 3550 A.1 counts cycles, while placing late (reordered) packets from before a wrap
 * in the previous cycle rather than the next one.
 */
export class SequenceUnwrapper {
  private highest = -1;

  /** The extended value of `seq`; the first call returns `seq` itself. */
  unwrap(seq: number): number {
    if (this.highest < 0) {
      this.highest = seq;
      return seq;
    }
    const extended = this.highest + seqDelta(seq, this.highest & 0xffff);
    if (extended > this.highest) this.highest = extended;
    return extended;
  }

  /** The highest extended sequence number seen, or −1 before the first packet. */
  get highestExtended(): number {
    return this.highest;
  }

  reset(): void {
    this.highest = -1;
  }
}
