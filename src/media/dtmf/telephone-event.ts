/**
 * RFC 4733 §2.3 telephone-event payload, four bytes:
 *
 *    0                   1                   2                   3
 *    0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *   |     event     |E|R| volume    |          duration             |
 *   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 */
import { DtmfError } from './errors.js';
import type { TelephoneEvent } from './types.js';

export const TELEPHONE_EVENT_LENGTH = 4;
/** The largest duration one payload can carry (RFC 4733 §2.5.1.3 long-duration events). */
export const MAX_EVENT_DURATION = 0xffff;

/**
 * Decodes a payload. RFC 4733 §2.5.1.5 multiple events in one packet only occur through
 * RFC 2198 redundancy, which arrives under its own payload type, so exactly four bytes are
 * required here: anything else is a malformed packet, not something to guess at.
 */
export function parseTelephoneEvent(payload: Uint8Array): TelephoneEvent {
  if (payload.length !== TELEPHONE_EVENT_LENGTH) {
    throw new DtmfError(
      'DTMF_INVALID_PAYLOAD',
      `telephone-event payload is ${payload.length} bytes, want 4`,
      {
        length: payload.length,
      },
    );
  }
  const flags = payload[1] as number;
  return {
    event: payload[0] as number,
    end: (flags & 0x80) !== 0,
    reserved: (flags & 0x40) !== 0,
    volume: flags & 0x3f,
    duration: (((payload[2] as number) << 8) | (payload[3] as number)) >>> 0,
  };
}

/** Encodes a payload into `out` (4 bytes at `offset`), or a new array. The R bit is sent as 0. */
export function serializeTelephoneEvent(ev: TelephoneEvent, out = new Uint8Array(4), offset = 0): Uint8Array {
  checkField('event', ev.event, 0xff);
  checkField('volume', ev.volume, 0x3f);
  checkField('duration', ev.duration, MAX_EVENT_DURATION);
  if (offset < 0 || offset + TELEPHONE_EVENT_LENGTH > out.length) {
    throw new DtmfError('DTMF_INVALID_PAYLOAD', 'output buffer too small for a telephone-event payload', {
      offset,
      length: out.length,
    });
  }
  out[offset] = ev.event;
  out[offset + 1] = (ev.end ? 0x80 : 0) | ev.volume;
  out[offset + 2] = ev.duration >>> 8;
  out[offset + 3] = ev.duration & 0xff;
  return out;
}

function checkField(name: string, value: number, max: number): void {
  if (!Number.isInteger(value) || value < 0 || value > max) {
    throw new DtmfError('DTMF_INVALID_PAYLOAD', `telephone-event ${name} ${value} is outside 0–${max}`, {
      field: name,
      value,
    });
  }
}
