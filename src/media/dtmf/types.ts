/**
 * The DTMF contract: digits as they reach call control, whichever way the phone sent
 * them. Every time here is in milliseconds on a clock the caller passes in (the media
 * worker's monotonic clock); nothing in this folder reads a clock of its own.
 */

/** The sixteen DTMF keys; A–D are the fourth column, rare on phones but valid. */
export type DtmfDigit =
  '0' | '1' | '2' | '3' | '4' | '5' | '6' | '7' | '8' | '9' | '*' | '#' | 'A' | 'B' | 'C' | 'D';

/** How a digit reached us: RTP telephone-event, SIP INFO, or tones in the audio. */
export type DigitSource = 'rfc4733' | 'info' | 'inband';

interface DigitEventBase {
  readonly digit: DtmfDigit;
  /** When the press began (first packet / first tone window / INFO receipt), in ms. */
  readonly timeMs: number;
  /** How long the key was held, in ms (INFO: as the sender declared, or a default). */
  readonly durationMs: number;
}

/** A key press carried as RFC 4733 telephone-event packets. */
export interface Rfc4733DigitEvent extends DigitEventBase {
  readonly source: 'rfc4733';
  /** The event's RTP timestamp (the same in every packet of one press). */
  readonly startTimestamp: number;
  /** RFC 4733 volume: the tone's power in dBm0 with the sign dropped (0 loudest … 63). */
  readonly volume: number;
  /**
   * How the press was closed: an End packet; `timeout` when every End packet was lost and
   * the stream stayed silent; `superseded` when a new event started before any End.
   */
  readonly endedBy: 'end' | 'timeout' | 'superseded';
}

/** A digit from a SIP INFO request (application/dtmf-relay or application/dtmf). */
export interface InfoDigitEvent extends DigitEventBase {
  readonly source: 'info';
}

/** A digit found by the Goertzel detector in the decoded audio. */
export interface InbandDigitEvent extends DigitEventBase {
  readonly source: 'inband';
  /** Measured power of the tone pair in dBm0 with the sign dropped (RFC 4733 convention). */
  readonly volume: number;
}

/** One key press, from any source. Discriminated by `source`. */
export type DigitEvent = Rfc4733DigitEvent | InfoDigitEvent | InbandDigitEvent;

/** The four bytes of an RFC 4733 §2.3 telephone-event payload, decoded. */
export interface TelephoneEvent {
  /** Event code: 0–9, 10 `*`, 11 `#`, 12–15 A–D, 16 flash, others per RFC 4734. */
  readonly event: number;
  /** E bit: this packet reports the end of the event. */
  readonly end: boolean;
  /** R bit: reserved, sent as 0 and ignored on receipt. */
  readonly reserved: boolean;
  /** Power level in dBm0 with the sign dropped, 0–63. */
  readonly volume: number;
  /** Duration so far, in timestamp units (8000 Hz clock → 8 units per ms), 0–0xFFFF. */
  readonly duration: number;
}

/** The parts of a received RTP packet that the telephone-event receiver needs. */
export interface RtpEventPacket {
  readonly payloadType: number;
  readonly marker: boolean;
  readonly sequenceNumber: number;
  readonly timestamp: number;
  /** Optional: a change of SSRC closes the event in progress. */
  readonly ssrc?: number;
  /** The RTP payload (header, CSRCs, extension and padding already removed). */
  readonly payload: Uint8Array;
  /** When it arrived, in ms on the caller's clock. */
  readonly arrivalMs: number;
}
