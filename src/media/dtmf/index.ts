/**
 * DTMF for Hotline's media engine: pure processors, no sockets or timers.
 *
 * - RFC 4733 telephone-event: `Rfc4733Receiver` (packets → one DigitEvent per press) and
 *   `planTelephoneEvent` (a press → the packets to send, as data for the scheduler).
 * - SIP INFO: `parseSipInfoDtmf` (application/dtmf-relay and application/dtmf bodies).
 * - In-band: `DtmfDetector`, Goertzel-based, ITU-T Q.24-style rules, 8 kHz Int16 frames.
 * - `DtmfCollector` merges the three for one leg (RFC 4733 disables in-band).
 */
export type {
  DigitEvent,
  DigitSource,
  DtmfDigit,
  InbandDigitEvent,
  InfoDigitEvent,
  Rfc4733DigitEvent,
  RtpEventPacket,
  TelephoneEvent,
} from './types.js';
export { DtmfError, type DtmfErrorCode } from './errors.js';
export { DTMF_DIGITS, FLASH_EVENT, digitOfEvent, eventOfDigit, isDtmfDigit, tonesOf } from './digits.js';
export { dbm0ToPeak, dbm0ToPower, powerToDbm0, DBM0_POWER, DBM0_SINE_PEAK } from './levels.js';
export {
  MAX_EVENT_DURATION,
  TELEPHONE_EVENT_LENGTH,
  parseTelephoneEvent,
  serializeTelephoneEvent,
} from './telephone-event.js';
export {
  Rfc4733Receiver,
  type Rfc4733ReceiverOptions,
  type Rfc4733ReceiverStats,
} from './rfc4733-receiver.js';
export {
  MAX_SEND_DURATION_MS,
  MIN_SEND_DURATION_MS,
  planTelephoneEvent,
  type TelephoneEventPacket,
  type TelephoneEventPlan,
  type TelephoneEventPlanInput,
} from './rfc4733-sender.js';
export {
  DEFAULT_INFO_DURATION_MS,
  MAX_INFO_BODY_BYTES,
  isDtmfInfoContentType,
  parseSipInfoDtmf,
} from './sip-info.js';
export { DtmfDetector, type DetectorStats, type DtmfDetectorOptions } from './detector.js';
export type { RejectReason } from './tone-rules.js';
export {
  DtmfCollector,
  type DtmfCollectorOptions,
  type DtmfCollectorStats,
  type LegDigitEvent,
} from './collector.js';
