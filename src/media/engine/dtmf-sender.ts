/**
 * Sends digits to a party, one 20 ms tick at a time, either way a phone understands:
 *
 * - RFC 4733 (the format negotiated telephone-event): the packets planTelephoneEvent
 *   lays out — start with the marker, updates every 50 ms, three End packets — sent on the
 *   first tick at or after each one's time. Audio is paused from the first packet to the
 *   last End packet (§2.5.1.1: a sender does not send audio of the tone it reports).
 * - In-band: the digit's two tones (Q.23) at −8 dBm0 each for the duration, mixed into
 *   whatever the party hears, with 2 ms ramps at the edges.
 *
 * Between digits: a 50 ms gap (audio flows). The sender is a pure state machine; the
 * stream owns the packetizer that puts the packets on the wire.
 */
import { tonesOf } from '../dtmf/digits.js';
import { planTelephoneEvent, type TelephoneEventPacket } from '../dtmf/rfc4733-sender.js';
import type { DtmfDigit } from '../dtmf/types.js';
import { compileTone, renderTone, type CompiledTone } from '../tones/generator.js';
import type { EventPacket } from './packetizer.js';
import { FRAME, FRAME_MS, RATE } from './types.js';

export const DTMF_GAP_MS = 50;
/** Level of each of the two tones (a usual telephone keypad's level). */
export const INBAND_DTMF_DBM0 = -8;

export interface DtmfSendContext {
  /** The stream's RTP timestamp for this tick. */
  timestamp: number;
  /** Sequence numbers are shared with audio: read at the start of an event, written back. */
  sequenceNumber: number;
  readonly ssrc: number;
  /** Negotiated telephone-event payload type, or null for in-band tones. */
  telephoneEvent: number | null;
  readonly sendEvent: (packet: EventPacket) => void;
}

/** What the tick's audio should do: go on, go on with `tone` mixed in, or pause. */
export type DtmfTickResult = 'none' | 'tone' | 'pause';

interface Current {
  readonly digit: DtmfDigit;
  readonly durationMs: number;
  elapsedMs: number;
  packets: readonly TelephoneEventPacket[] | null;
  next: number;
  tone: CompiledTone | null;
}

export class DtmfSender {
  /** The tone to mix in when tick() said 'tone'. */
  readonly tone = new Int16Array(FRAME);
  private readonly queue: Array<{ readonly digit: DtmfDigit; readonly durationMs: number }> = [];
  private current: Current | null = null;
  private gapMs = 0;

  get busy(): boolean {
    return this.current !== null || this.queue.length > 0 || this.gapMs > 0;
  }

  /** True while an RFC 4733 event is on the wire or an in-band tone plays. */
  get sounding(): boolean {
    return this.current !== null;
  }

  enqueue(digits: readonly DtmfDigit[], durationMs: number): void {
    for (const digit of digits) this.queue.push({ digit, durationMs });
  }

  clear(): void {
    this.queue.length = 0;
    this.current = null;
    this.gapMs = 0;
  }

  /** Advances one frame. */
  tick(ctx: DtmfSendContext): DtmfTickResult {
    if (this.current === null) {
      if (this.gapMs > 0) {
        this.gapMs -= FRAME_MS;
        return 'none';
      }
      const next = this.queue.shift();
      if (next === undefined) return 'none';
      this.current = this.begin(next.digit, next.durationMs, ctx);
    }
    const c = this.current;
    const result = c.packets !== null ? this.sendDue(c, ctx) : this.renderDue(c);
    c.elapsedMs += FRAME_MS;
    return result;
  }

  private begin(digit: DtmfDigit, durationMs: number, ctx: DtmfSendContext): Current {
    if (ctx.telephoneEvent !== null) {
      const plan = planTelephoneEvent({
        digit,
        durationMs,
        timestamp: ctx.timestamp,
        sequenceNumber: ctx.sequenceNumber,
        ssrc: ctx.ssrc,
        payloadType: ctx.telephoneEvent,
      });
      ctx.sequenceNumber = plan.nextSequenceNumber;
      return { digit, durationMs, elapsedMs: 0, packets: plan.packets, next: 0, tone: null };
    }
    const { lowHz, highHz } = tonesOf(digit);
    const tone = compileTone(
      {
        frequencies: [lowHz, highHz],
        levelDbm0: INBAND_DTMF_DBM0,
        cadence: [{ onMs: durationMs, offMs: DTMF_GAP_MS }],
        repeat: false,
      },
      RATE,
    );
    return { digit, durationMs, elapsedMs: 0, packets: null, next: 0, tone };
  }

  private sendDue(c: Current, ctx: DtmfSendContext): DtmfTickResult {
    const packets = c.packets!;
    while (c.next < packets.length && packets[c.next]!.atMs <= c.elapsedMs) {
      ctx.sendEvent(packets[c.next++]!);
    }
    if (c.next >= packets.length) this.finish();
    return 'pause';
  }

  private renderDue(c: Current): DtmfTickResult {
    const start = Math.round((c.elapsedMs * RATE) / 1000);
    renderTone(c.tone!, start, this.tone);
    if (c.elapsedMs + FRAME_MS >= c.durationMs) this.finish();
    return 'tone';
  }

  private finish(): void {
    this.current = null;
    this.gapMs = DTMF_GAP_MS;
  }
}
