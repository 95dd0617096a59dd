/**
 * RFC 4733 telephone-event receiver as a pure processor: RTP packets and the time go in,
 * one DigitEvent per key press comes out when the press is over. No sockets, no timers —
 * the media scheduler calls `poll(now)` on its tick to close presses whose End was lost.
 *
 *          packet, new timestamp                       E bit
 *   idle ─────────────────────────▶ active(ts) ──────────────────▶ ended(ts) ─┐
 *    ▲                                │  │ poll: silent ≥ endTimeoutMs          │ later
 *    │                                │  └──────────────────────▶ ended(ts)    │ packets
 *    │                                │ packet, newer timestamp                │ of ts are
 *    │                                └──▶ emit 'superseded', active(ts')      │ dropped
 *    └──────────────────────────────────────────────────────────────────────────┘
 *
 * Identity: RFC 4733 §2.5.1.2 keeps the RTP timestamp of the event's start in every packet
 * of the event, so the timestamp (not the sequence number) identifies a press. This makes
 * the three redundant End packets of §2.5.1.4 — which sipp's captures send with one
 * sequence number, and others with three — harmless: the first closes the press, the
 * others carry an ended timestamp and are dropped. A lost start packet needs nothing: the
 * first packet seen, whatever it is, opens the press (its duration dates the start).
 *
 * Long presses (§2.5.1.3, §2.5.2.3): past 0xFFFF units the sender starts a new segment
 * whose timestamp is the old one plus the old segment's duration; such a packet continues
 * the press. A sender that instead lets the 16-bit duration wrap in place is also
 * followed (a drop of more than half the range is a wrap, not reordering).
 *
 * Events other than 0–15 (16 hook flash, RFC 4734 tones) are tracked so their packets are
 * deduplicated, counted in `stats.nonDigitEvents`, and not reported: call control has no
 * use for flash on a SIP leg, and a PBX must not turn a tone event into a digit.
 */
import { digitOfEvent } from './digits.js';
import { DtmfError } from './errors.js';
import { MAX_EVENT_DURATION, parseTelephoneEvent, TELEPHONE_EVENT_LENGTH } from './telephone-event.js';
import type { Rfc4733DigitEvent, RtpEventPacket, TelephoneEvent } from './types.js';

export interface Rfc4733ReceiverOptions {
  /** The negotiated telephone-event payload type (a=rtpmap:101 telephone-event/8000). */
  readonly payloadType: number;
  /** The telephone-event clock rate from the rtpmap; 8000 unless negotiated otherwise. */
  readonly clockRate?: number;
  /** Close a press whose End packets were all lost after this much silence (default 500). */
  readonly endTimeoutMs?: number;
}

export interface Rfc4733ReceiverStats {
  /** Telephone-event packets examined (other payload types are not counted). */
  packets: number;
  /** Payloads that were not 4 bytes. */
  malformed: number;
  /** Packets of a press already reported (redundant End packets, late updates). */
  duplicates: number;
  /** Packets older than the newest press (reordered from an earlier press). */
  stale: number;
  /** Presses of events other than 0–15, not reported. */
  nonDigitEvents: number;
  /** Presses closed by the silence timeout. */
  timeouts: number;
}

interface Press {
  readonly event: number;
  /** Timestamp of the current segment (the press's own timestamp until a long press). */
  segmentTs: number;
  readonly startTimestamp: number;
  readonly timeMs: number;
  lastArrivalMs: number;
  /** Units accounted for by earlier segments and in-place wraps. */
  base: number;
  /** Highest duration field seen in the current segment. */
  segmentMax: number;
  volume: number;
  ended: boolean;
}

const NONE: readonly Rfc4733DigitEvent[] = Object.freeze([]);
/** A timestamp this far behind the newest press is a restarted stream, not reordering. */
const RESTART_UNITS = 10 * 8000;
/** A segment that reached this many units may be continued by a new segment. */
const SEGMENT_NEAR_FULL = MAX_EVENT_DURATION - 8000;

export class Rfc4733Receiver {
  readonly stats: Rfc4733ReceiverStats = {
    packets: 0,
    malformed: 0,
    duplicates: 0,
    stale: 0,
    nonDigitEvents: 0,
    timeouts: 0,
  };
  private readonly payloadType: number;
  private readonly unitsPerMs: number;
  private readonly endTimeoutMs: number;
  private press: Press | undefined;
  private ssrc: number | undefined;

  constructor(options: Rfc4733ReceiverOptions) {
    const clockRate = options.clockRate ?? 8000;
    const endTimeoutMs = options.endTimeoutMs ?? 500;
    if (!Number.isInteger(options.payloadType) || options.payloadType < 0 || options.payloadType > 127) {
      throw new DtmfError('DTMF_INVALID_ARGUMENT', `payload type ${options.payloadType} is not 0–127`);
    }
    if (!(clockRate > 0) || !(endTimeoutMs > 0)) {
      throw new DtmfError('DTMF_INVALID_ARGUMENT', 'clockRate and endTimeoutMs must be positive', {
        clockRate,
        endTimeoutMs,
      });
    }
    this.payloadType = options.payloadType;
    this.unitsPerMs = clockRate / 1000;
    this.endTimeoutMs = endTimeoutMs;
  }

  /** The digit held down right now (a press in progress), for barge-in; else undefined. */
  get pressed(): Rfc4733DigitEvent['digit'] | undefined {
    const p = this.press;
    return p && !p.ended ? digitOfEvent(p.event) : undefined;
  }

  /** Feeds one RTP packet; returns the presses it completed (usually none or one). */
  push(packet: RtpEventPacket): readonly Rfc4733DigitEvent[] {
    if (packet.payloadType !== this.payloadType) return NONE;
    this.stats.packets++;
    if (packet.payload.length !== TELEPHONE_EVENT_LENGTH) {
      this.stats.malformed++;
      return NONE;
    }
    const ev = parseTelephoneEvent(packet.payload);
    const out: Rfc4733DigitEvent[] = [];
    if (packet.ssrc !== undefined && packet.ssrc !== this.ssrc) {
      if (this.ssrc !== undefined) this.close('superseded', out);
      this.ssrc = packet.ssrc;
      this.press = undefined;
    }
    const p = this.press;
    if (p === undefined) {
      this.open(packet, ev, out);
      return out;
    }
    // Serial-number arithmetic (RFC 3550 timestamps wrap at 2^32).
    const delta = (packet.timestamp - p.segmentTs) | 0;
    if (delta === 0) {
      if (p.ended) this.stats.duplicates++;
      else this.update(p, packet, ev, out);
    } else if (delta < 0 && delta > -RESTART_UNITS) {
      this.stats.stale++;
    } else if (!p.ended && ev.event === p.event && this.continues(p, delta)) {
      p.base += delta;
      p.segmentTs = packet.timestamp >>> 0;
      p.segmentMax = 0;
      this.update(p, packet, ev, out);
    } else {
      this.close('superseded', out);
      this.open(packet, ev, out);
    }
    return out.length === 0 ? NONE : out;
  }

  /** Closes a press whose End packets were lost, once the stream has been silent long enough. */
  poll(nowMs: number): readonly Rfc4733DigitEvent[] {
    const p = this.press;
    if (p === undefined || p.ended || nowMs - p.lastArrivalMs < this.endTimeoutMs) return NONE;
    this.stats.timeouts++;
    const out: Rfc4733DigitEvent[] = [];
    this.close('timeout', out);
    return out;
  }

  /** Closes the press in progress, if any (the stream is going away). */
  flush(): readonly Rfc4733DigitEvent[] {
    const out: Rfc4733DigitEvent[] = [];
    this.close('timeout', out);
    return out.length === 0 ? NONE : out;
  }

  private continues(p: Press, delta: number): boolean {
    return p.segmentMax >= SEGMENT_NEAR_FULL && delta >= p.segmentMax && delta <= MAX_EVENT_DURATION + 1;
  }

  private open(packet: RtpEventPacket, ev: TelephoneEvent, out: Rfc4733DigitEvent[]): void {
    if (digitOfEvent(ev.event) === undefined) this.stats.nonDigitEvents++;
    // A lost start packet: the first packet seen says how long the key has been down.
    const press: Press = {
      event: ev.event,
      segmentTs: packet.timestamp >>> 0,
      startTimestamp: packet.timestamp >>> 0,
      timeMs: packet.arrivalMs - ev.duration / this.unitsPerMs,
      lastArrivalMs: packet.arrivalMs,
      base: 0,
      segmentMax: 0,
      volume: ev.volume,
      ended: false,
    };
    this.press = press;
    this.update(press, packet, ev, out);
  }

  private update(p: Press, packet: RtpEventPacket, ev: TelephoneEvent, out: Rfc4733DigitEvent[]): void {
    p.lastArrivalMs = Math.max(p.lastArrivalMs, packet.arrivalMs);
    p.volume = ev.volume;
    if (ev.duration < p.segmentMax - 0x8000) {
      // The 16-bit duration wrapped in place instead of starting a new segment.
      p.base += 0x10000;
      p.segmentMax = ev.duration;
    } else if (ev.duration > p.segmentMax) {
      p.segmentMax = ev.duration;
    }
    if (ev.end) this.close('end', out);
  }

  private close(endedBy: Rfc4733DigitEvent['endedBy'], out: Rfc4733DigitEvent[]): void {
    const p = this.press;
    if (p === undefined || p.ended) return;
    p.ended = true;
    const digit = digitOfEvent(p.event);
    if (digit === undefined) return;
    out.push({
      source: 'rfc4733',
      digit,
      startTimestamp: p.startTimestamp,
      timeMs: p.timeMs,
      durationMs: (p.base + p.segmentMax) / this.unitsPerMs,
      volume: p.volume,
      endedBy,
    });
  }
}
