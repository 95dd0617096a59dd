/**
 * RTCP for one processed stream (RFC 3550 §6): our periodic report, and the round trip
 * read from the phone's reports.
 *
 * Reports go out every `intervalMs` on average, randomised over [0.5, 1.5] × interval
 * (§6.3.1) and the first one sooner (§6.2: half the interval): an SR while we send our own
 * RTP, else an RR, each with a report block about what the phone sends us, and an SDES
 * CNAME (§6.1: every compound packet carries one).
 *
 * Round trip (§6.4.1): a report block's LSR names a sender report by the middle 32 bits of
 * its NTP time, DLSR says how long the phone held it. We remember when each SR left this
 * endpoint — our own, and those of the other phone that we relay (its NTP clock is not
 * ours, so A − LSR would be meaningless; our own departure time is what counts) — so
 *   RTT = arrival of the report − departure of that SR − DLSR
 * measures this leg alone, on our monotonic clock.
 */
import { ntpFromUnixMs, ntpMiddle } from '../rtp/ntp.js';
import type { ReportBlock } from '../rtp/receiver-stats.js';
import { serializeRtcp } from '../rtp/rtcp-build.js';
import { SDES_CNAME, type RtcpPacket } from '../rtp/rtcp-types.js';

/** SR departures remembered (a few minutes of reports). */
const REMEMBERED = 16;

export interface SenderInfo {
  readonly ssrc: number;
  readonly rtpTimestamp: number;
  readonly packetCount: number;
  readonly octetCount: number;
}

export class RtcpSession {
  /** Latest round trip, ms; null until a report answered one of our SRs. */
  rttMs: number | null = null;
  private readonly departures = new Map<number, number>();
  private nextAt: number;

  constructor(
    private readonly cname: string,
    private readonly intervalMs: number,
    monotonicNow: number,
    private readonly random: () => number = Math.random,
  ) {
    this.nextAt = monotonicNow + intervalMs * (0.25 + 0.5 * random());
  }

  /** True (once) when a report is due; schedules the next. */
  due(monotonicNow: number): boolean {
    if (monotonicNow < this.nextAt) return false;
    this.nextAt = monotonicNow + this.intervalMs * (0.5 + this.random());
    return true;
  }

  /**
   * Our compound report: SR (when `sender` is given) or RR, then SDES CNAME.
   * `ssrc` is ours; `block` describes the phone's stream, if it sent any.
   */
  build(
    ssrc: number,
    sender: SenderInfo | null,
    block: ReportBlock | null,
    wallNow: number,
    monotonicNow: number,
  ): Uint8Array {
    const reports = block === null ? [] : [block];
    const head: RtcpPacket =
      sender === null
        ? { type: 'rr', ssrc, reports }
        : {
            type: 'sr',
            ssrc,
            ...ntpParts(wallNow),
            rtpTimestamp: sender.rtpTimestamp >>> 0,
            packetCount: sender.packetCount >>> 0,
            octetCount: sender.octetCount >>> 0,
            reports,
          };
    if (head.type === 'sr') this.noteDeparture(ntpMiddle(head.ntpSeconds, head.ntpFraction), monotonicNow);
    return serializeRtcp([
      head,
      { type: 'sdes', chunks: [{ ssrc, items: [{ type: SDES_CNAME, text: this.cname }] }] },
    ]);
  }

  /** An SR (ours or relayed) left this endpoint now; `middle` is its NTP middle 32 bits. */
  noteDeparture(middle: number, monotonicNow: number): void {
    this.departures.set(middle >>> 0, monotonicNow);
    if (this.departures.size > REMEMBERED) {
      this.departures.delete(this.departures.keys().next().value!);
    }
  }

  /** Report blocks the phone sent: any answering a remembered SR gives the round trip. */
  onReportBlocks(blocks: readonly ReportBlock[], monotonicNow: number): void {
    for (const b of blocks) {
      if (b.lsr === 0) continue;
      const departed = this.departures.get(b.lsr >>> 0);
      if (departed === undefined) continue;
      const rtt = monotonicNow - departed - (b.dlsr * 1000) / 65536;
      // DLSR has 15 µs resolution: on a LAN the difference can come out a hair below 0.
      this.rttMs = Math.max(0, rtt);
    }
  }
}

function ntpParts(wallMs: number): { ntpSeconds: number; ntpFraction: number } {
  const t = ntpFromUnixMs(wallMs);
  return { ntpSeconds: t.seconds, ntpFraction: t.fraction };
}

/** The NTP middle 32 bits of the SR at the start of a raw RTCP datagram, or null if it is not an SR. */
export function srMiddleOf(msg: Uint8Array): number | null {
  // RFC 3550 §6.4.1: V=2 … PT=200, length, SSRC, NTP seconds (bytes 8–11), fraction (12–15).
  if (msg.length < 28 || msg[1] !== 200 || (msg[0]! & 0xc0) !== 0x80) return null;
  return ((msg[10]! << 24) | (msg[11]! << 16) | (msg[12]! << 8) | msg[13]!) >>> 0;
}
