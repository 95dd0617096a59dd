/**
 * Per-source receiver statistics, as RFC 3550 Appendix A specifies them:
 * A.1 sequence validation (probation, dropouts, restarts, cycle counting), A.3 expected
 * and lost packets with the per-interval fraction lost, and A.8 interarrival jitter.
 * Time is passed in (milliseconds, any epoch); nothing here reads a clock.
 */
import { msToNtpShort, ntpMiddle } from './ntp.js';
import { tsDelta } from './seq.js';

const SEQ_MOD = 0x10000;
/** RFC 3550 A.1 constants. */
const MAX_DROPOUT = 3000;
const MAX_MISORDER = 100;
const MIN_SEQUENTIAL = 2;

/** One report block of an SR or RR (RFC 3550 §6.4.1). */
export interface ReportBlock {
  readonly ssrc: number;
  /** Fraction lost since the previous report, in 1/256 (0…255). */
  readonly fractionLost: number;
  /** Cumulative packets lost, a signed 24-bit value (duplicates can make it negative). */
  readonly cumulativeLost: number;
  /** Extended highest sequence number received (cycles × 65536 + highest). */
  readonly highestSeq: number;
  /** Interarrival jitter in timestamp units. */
  readonly jitter: number;
  /** Middle 32 bits of the last SR's NTP timestamp, 0 if none. */
  readonly lsr: number;
  /** Delay since that SR, in 1/65536 s, 0 if none. */
  readonly dlsr: number;
}

export interface ReceiverStatsSnapshot {
  readonly received: number;
  readonly expected: number;
  readonly lost: number;
  readonly highestSeq: number;
  readonly jitter: number;
  readonly jitterMs: number;
}

export class ReceiverStats {
  /** Packets accepted as valid (A.1 counts duplicates too). */
  received = 0;
  private baseSeq = 0;
  private maxSeq = 0;
  private cycles = 0;
  private badSeq = SEQ_MOD + 1;
  private probation = MIN_SEQUENTIAL;
  private started = false;
  private expectedPrior = 0;
  private receivedPrior = 0;
  /** A.8 jitter estimate, in timestamp units (kept as a float; reported rounded). */
  private jitterUnits = 0;
  private lastTs = 0;
  private lastArrivalMs = Number.NaN;
  private lsr = 0;
  private lsrArrivalMs = 0;

  /** @param clockRate the RTP clock of the payload (8000 for G.711). */
  constructor(private readonly clockRate: number) {}

  private initSeq(seq: number): void {
    this.baseSeq = seq;
    this.maxSeq = seq;
    this.badSeq = SEQ_MOD + 1;
    this.cycles = 0;
    this.received = 0;
    this.receivedPrior = 0;
    this.expectedPrior = 0;
  }

  /**
   * Records one packet; returns false while the source is on probation or when the
   * packet is refused as a jump (RFC 3550 A.1 `update_seq`). Jitter is updated for every
   * valid packet.
   */
  update(seq: number, timestamp: number, arrivalMs: number): boolean {
    if (!this.started) {
      this.started = true;
      this.initSeq(seq);
      this.maxSeq = (seq - 1) & 0xffff;
      this.probation = MIN_SEQUENTIAL;
    }
    if (!this.updateSeq(seq)) return false;
    this.updateJitter(timestamp, arrivalMs);
    return true;
  }

  private updateSeq(seq: number): boolean {
    const udelta = (seq - this.maxSeq) & 0xffff;
    if (this.probation > 0) {
      // A source is valid only after MIN_SEQUENTIAL packets in sequence.
      if (seq === ((this.maxSeq + 1) & 0xffff)) {
        this.probation--;
        this.maxSeq = seq;
        if (this.probation === 0) {
          this.initSeq(seq);
          this.received++;
          return true;
        }
      } else {
        this.probation = MIN_SEQUENTIAL - 1;
        this.maxSeq = seq;
      }
      return false;
    }
    if (udelta < MAX_DROPOUT) {
      if (seq < this.maxSeq) this.cycles += SEQ_MOD; // wrapped
      this.maxSeq = seq;
    } else if (udelta <= SEQ_MOD - MAX_MISORDER) {
      // A large jump: accept it only when the next packet confirms it (the source restarted).
      if (seq !== this.badSeq) {
        this.badSeq = (seq + 1) & 0xffff;
        return false;
      }
      this.initSeq(seq);
      this.lastArrivalMs = Number.NaN;
    }
    // else: a duplicate or a reordered packet, counted as received.
    this.received++;
    return true;
  }

  private updateJitter(timestamp: number, arrivalMs: number): void {
    if (!Number.isNaN(this.lastArrivalMs)) {
      // D(i−1, i) = (Rj − Ri) − (Sj − Si), wraparound-safe on the RTP timestamps.
      const arrivalUnits = ((arrivalMs - this.lastArrivalMs) * this.clockRate) / 1000;
      const d = Math.abs(arrivalUnits - tsDelta(timestamp, this.lastTs));
      this.jitterUnits += (d - this.jitterUnits) / 16;
    }
    this.lastTs = timestamp;
    this.lastArrivalMs = arrivalMs;
  }

  /** Remembers a received sender report for the LSR/DLSR fields of the next block. */
  onSenderReport(ntpSeconds: number, ntpFraction: number, arrivalMs: number): void {
    this.lsr = ntpMiddle(ntpSeconds, ntpFraction);
    this.lsrArrivalMs = arrivalMs;
  }

  /** Extended highest sequence number received (A.3 `extended_max`). */
  get highestSeq(): number {
    return this.cycles + this.maxSeq;
  }

  /** A.3 `expected`: packets the source sent from the first valid one to the highest. */
  get expected(): number {
    return this.received === 0 ? 0 : this.highestSeq - this.baseSeq + 1;
  }

  get jitter(): number {
    return this.jitterUnits;
  }

  snapshot(): ReceiverStatsSnapshot {
    const expected = this.expected;
    return {
      received: this.received,
      expected,
      lost: expected - this.received,
      highestSeq: this.highestSeq,
      jitter: this.jitterUnits,
      jitterMs: (this.jitterUnits * 1000) / this.clockRate,
    };
  }

  /**
   * The report block about this source for an SR or RR sent at `nowMs`; starts a new
   * interval for the fraction lost (A.3).
   */
  takeReportBlock(ssrc: number, nowMs: number): ReportBlock {
    const expected = this.expected;
    const expectedInterval = expected - this.expectedPrior;
    const receivedInterval = this.received - this.receivedPrior;
    this.expectedPrior = expected;
    this.receivedPrior = this.received;
    const lostInterval = expectedInterval - receivedInterval;
    const fractionLost =
      expectedInterval === 0 || lostInterval <= 0 ? 0 : Math.floor((lostInterval * 256) / expectedInterval);
    const lost = Math.max(-0x800000, Math.min(0x7fffff, expected - this.received));
    return {
      ssrc,
      fractionLost: Math.min(255, fractionLost),
      cumulativeLost: lost,
      highestSeq: this.highestSeq >>> 0,
      jitter: Math.min(0xffffffff, Math.round(this.jitterUnits)),
      lsr: this.lsr,
      dlsr: this.lsr === 0 ? 0 : msToNtpShort(nowMs - this.lsrArrivalMs),
    };
  }
}
