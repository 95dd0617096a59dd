/**
 * RFC 4733 telephone-event sender as data: given a digit, how long to hold it and where
 * the audio stream stands (timestamp, sequence number, SSRC), it returns every packet
 * to send and when, relative to the start. The media scheduler sends them on its tick
 * and suppresses audio from the first packet until the last End packet.
 *
 *   t = 0           marker, duration 0          (§2.5.1.2: the start of the event)
 *   t = 50, 100 …   updates, duration = t        (§2.5.1.2: state refreshed every 50 ms)
 *   t = D           End bit, duration = D        (§2.5.1.4: the final packet …
 *   t = D+20, D+40  End bit, same content         … retransmitted twice)
 *
 * Every packet carries the event's start timestamp; each gets its own sequence number
 * (RTP requires it; sipp's captures reuse one for the End copies, our receiver accepts
 * both). Holds longer than 0xFFFF units are split into segments as §2.5.1.3 describes:
 * a segment's last update says 0xFFFF, and the next segment's timestamp is the previous
 * one plus 0xFFFF, without the marker.
 */
import { eventOfDigit, isDtmfDigit } from './digits.js';
import { DtmfError } from './errors.js';
import { MAX_EVENT_DURATION, serializeTelephoneEvent } from './telephone-event.js';
import type { DtmfDigit } from './types.js';

export interface TelephoneEventPlanInput {
  readonly digit: DtmfDigit;
  /** How long the key is held, ms (40 … 60 000; 100–250 is usual). */
  readonly durationMs: number;
  /** The stream's current RTP timestamp: the event starts here. */
  readonly timestamp: number;
  /** The next RTP sequence number to use. */
  readonly sequenceNumber: number;
  readonly ssrc: number;
  readonly payloadType: number;
  /** Power level in −dBm0, 0–63 (default 10, i.e. −10 dBm0). */
  readonly volume?: number;
  readonly clockRate?: number;
  /** Interval between updates, ms (default 50). */
  readonly updateIntervalMs?: number;
  /** Copies of the End packet (default 3) and their spacing (default 20 ms). */
  readonly endPackets?: number;
  readonly endSpacingMs?: number;
}

/** One packet of the plan: RTP header fields plus the 4-byte payload. */
export interface TelephoneEventPacket {
  /** When to send it, ms after the first packet. */
  readonly atMs: number;
  readonly marker: boolean;
  readonly payloadType: number;
  readonly sequenceNumber: number;
  readonly timestamp: number;
  readonly ssrc: number;
  readonly payload: Uint8Array;
}

export interface TelephoneEventPlan {
  readonly packets: readonly TelephoneEventPacket[];
  /** The sequence number the stream continues with. */
  readonly nextSequenceNumber: number;
  /** Timestamp units the event covered; audio resumes at timestamp + this. */
  readonly durationUnits: number;
}

export const MIN_SEND_DURATION_MS = 40;
export const MAX_SEND_DURATION_MS = 60_000;

/** Builds the packets of one key press. Throws DTMF_INVALID_ARGUMENT on bad input. */
export function planTelephoneEvent(input: TelephoneEventPlanInput): TelephoneEventPlan {
  const o = resolve(input);
  const total = Math.round(o.durationMs * o.unitsPerMs);
  const packets: TelephoneEventPacket[] = [];
  let seq = input.sequenceNumber & 0xffff;
  const add = (atMs: number, elapsed: number, end: boolean, marker: boolean): void => {
    // A packet exactly on a segment boundary still reports the old segment, full (0xFFFF).
    const k = elapsed === 0 ? 0 : Math.floor((elapsed - 1) / MAX_EVENT_DURATION);
    packets.push({
      atMs,
      marker,
      payloadType: input.payloadType,
      sequenceNumber: seq,
      timestamp: (input.timestamp + k * MAX_EVENT_DURATION) >>> 0,
      ssrc: input.ssrc >>> 0,
      payload: serializeTelephoneEvent({
        event: o.event,
        end,
        reserved: false,
        volume: o.volume,
        duration: elapsed - k * MAX_EVENT_DURATION,
      }),
    });
    seq = (seq + 1) & 0xffff;
  };
  add(0, 0, false, true);
  for (let t = o.updateIntervalMs; t < o.durationMs; t += o.updateIntervalMs) {
    const elapsed = Math.round(t * o.unitsPerMs);
    // Close a full segment with an explicit 0xFFFF update before the next one starts.
    const boundary = Math.floor(elapsed / MAX_EVENT_DURATION) * MAX_EVENT_DURATION;
    const prev = Math.round((t - o.updateIntervalMs) * o.unitsPerMs);
    if (boundary > prev && boundary < elapsed) add(boundary / o.unitsPerMs, boundary, false, false);
    add(t, elapsed, false, false);
  }
  for (let i = 0; i < o.endPackets; i++) add(o.durationMs + i * o.endSpacingMs, total, true, false);
  return { packets, nextSequenceNumber: seq, durationUnits: total };
}

interface Resolved {
  readonly event: number;
  readonly durationMs: number;
  readonly volume: number;
  readonly unitsPerMs: number;
  readonly updateIntervalMs: number;
  readonly endPackets: number;
  readonly endSpacingMs: number;
}

function resolve(input: TelephoneEventPlanInput): Resolved {
  const bad = (why: string): never => {
    throw new DtmfError('DTMF_INVALID_ARGUMENT', why, { digit: input.digit, durationMs: input.durationMs });
  };
  if (!isDtmfDigit(input.digit)) bad(`not a DTMF digit: ${String(input.digit)}`);
  const { durationMs } = input;
  if (!(durationMs >= MIN_SEND_DURATION_MS && durationMs <= MAX_SEND_DURATION_MS)) {
    bad(`duration ${durationMs} ms is outside ${MIN_SEND_DURATION_MS}–${MAX_SEND_DURATION_MS} ms`);
  }
  const volume = input.volume ?? 10;
  if (!Number.isInteger(volume) || volume < 0 || volume > 63) bad(`volume ${volume} is outside 0–63`);
  if (!Number.isInteger(input.payloadType) || input.payloadType < 0 || input.payloadType > 127) {
    bad(`payload type ${input.payloadType} is not 0–127`);
  }
  const clockRate = input.clockRate ?? 8000;
  const updateIntervalMs = input.updateIntervalMs ?? 50;
  const endPackets = input.endPackets ?? 3;
  const endSpacingMs = input.endSpacingMs ?? 20;
  if (!(clockRate > 0) || !(updateIntervalMs >= 10) || !(endSpacingMs >= 0)) {
    bad('clockRate must be positive, updateIntervalMs ≥ 10 and endSpacingMs ≥ 0');
  }
  if (!Number.isInteger(endPackets) || endPackets < 1 || endPackets > 5) bad('endPackets must be 1–5');
  return {
    event: eventOfDigit(input.digit),
    durationMs,
    volume,
    unitsPerMs: clockRate / 1000,
    updateIntervalMs,
    endPackets,
    endSpacingMs,
  };
}
