/**
 * The digits a party presses, from telephone-event packets and from its audio, merged by
 * DtmfCollector into one press per key: RFC 4733 wins (the first telephone-event packet
 * switches in-band detection off for the leg), and the same digit from both within
 * 300 ms is reported once.
 *
 * In-band detection is on by default when the format has no telephone-event and off when
 * it has one; setInbandDtmf() overrides the default either way. The Goertzel detector is
 * created on first use and reset whenever detection is switched back on.
 */
import { DtmfCollector } from '../dtmf/collector.js';
import { DtmfDetector } from '../dtmf/detector.js';
import { Rfc4733Receiver } from '../dtmf/rfc4733-receiver.js';
import type { DigitEvent, RtpEventPacket } from '../dtmf/types.js';

const NONE: readonly DigitEvent[] = Object.freeze([]);

export class DtmfInput {
  /** setInbandDtmf's choice; null follows the format. */
  inbandOverride: boolean | null = null;
  private telephoneEvent: number | null = null;
  private receiver: Rfc4733Receiver | null = null;
  private detector: DtmfDetector | null = null;
  private collector: DtmfCollector;
  private detecting = false;

  constructor(private readonly legId: string) {
    this.collector = new DtmfCollector({ legId });
  }

  /** The format's telephone-event payload type changed (or was set). */
  configure(telephoneEvent: number | null): void {
    if (telephoneEvent === this.telephoneEvent && (telephoneEvent === null) === (this.receiver === null))
      return;
    this.telephoneEvent = telephoneEvent;
    this.receiver = telephoneEvent === null ? null : new Rfc4733Receiver({ payloadType: telephoneEvent });
    this.collector = new DtmfCollector({ legId: this.legId });
  }

  /** Whether audio frames should go through the detector now. */
  get inbandActive(): boolean {
    const wanted = this.inbandOverride ?? this.telephoneEvent === null;
    return wanted && this.collector.inbandEnabled;
  }

  /** The key held down right now, from telephone-events (for barge-in). */
  get pressed(): boolean {
    return this.receiver?.pressed !== undefined;
  }

  onEventPacket(packet: RtpEventPacket): readonly DigitEvent[] {
    const receiver = this.receiver;
    if (receiver === null) return NONE;
    this.collector.noteTelephoneEvent();
    return this.accept(receiver.push(packet));
  }

  /** One decoded frame whose first sample is from `timeMs`. */
  onFrame(frame: Int16Array, timeMs: number): readonly DigitEvent[] {
    if (!this.inbandActive) {
      this.detecting = false;
      return NONE;
    }
    if (!this.detecting) {
      this.detector ??= new DtmfDetector();
      this.detector.reset();
      this.detecting = true;
    }
    return this.accept(this.detector!.process(frame, timeMs));
  }

  /** Closes a telephone-event press whose End packets were lost. */
  poll(nowMs: number): readonly DigitEvent[] {
    return this.receiver === null ? NONE : this.accept(this.receiver.poll(nowMs));
  }

  private accept(events: readonly DigitEvent[]): readonly DigitEvent[] {
    if (events.length === 0) return NONE;
    const out: DigitEvent[] = [];
    for (const e of events) {
      if (this.collector.accept(e) !== undefined) out.push(e);
    }
    return out;
  }
}
