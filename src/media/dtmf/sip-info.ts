/**
 * DTMF carried in SIP INFO bodies. Two formats occur in the field, neither standardised
 * by the IETF but both universal:
 *
 *   Content-Type: application/dtmf-relay        Content-Type: application/dtmf
 *   Signal=5                                    5
 *   Duration=160
 *
 * Signal is a key (0–9 * # A–D, case-insensitive) or, as some gateways send, its RFC 4733
 * event code (10 = *, 11 = #, 12–15 = A–D). Hook flash (`!` or 16) is recognised and
 * returns null: it is not a digit and call control does not act on it. Duration is in
 * milliseconds; when absent or 0 the press is reported as DEFAULT_INFO_DURATION_MS.
 * Unknown keys are ignored (vendors add their own); anything else is an error whose code
 * tells the UAS what to answer (400 malformed, 415 other content types).
 */
import { digitOfEvent, FLASH_EVENT, isDtmfDigit } from './digits.js';
import { DtmfError } from './errors.js';
import type { DtmfDigit, InfoDigitEvent } from './types.js';

export const MAX_INFO_BODY_BYTES = 1024;
export const DEFAULT_INFO_DURATION_MS = 250;
export const MAX_INFO_DURATION_MS = 60_000;

const RELAY = 'application/dtmf-relay';
const PLAIN = 'application/dtmf';

/** True when an INFO with this Content-Type carries DTMF we can read. */
export function isDtmfInfoContentType(contentType: string): boolean {
  const type = mediaType(contentType);
  return type === RELAY || type === PLAIN;
}

/**
 * Reads the digit of an INFO body. `receivedMs` becomes the event's time. Returns null for
 * hook flash; throws DtmfError (DTMF_INFO_MALFORMED / DTMF_INFO_UNSUPPORTED_TYPE) otherwise.
 */
export function parseSipInfoDtmf(
  contentType: string,
  body: string | Uint8Array,
  receivedMs: number,
): InfoDigitEvent | null {
  const type = mediaType(contentType);
  if (type !== RELAY && type !== PLAIN) {
    throw new DtmfError('DTMF_INFO_UNSUPPORTED_TYPE', `INFO body of type ${contentType} carries no DTMF`, {
      contentType,
    });
  }
  const length = typeof body === 'string' ? Buffer.byteLength(body) : body.length;
  if (length > MAX_INFO_BODY_BYTES) malformed(`body of ${length} bytes exceeds ${MAX_INFO_BODY_BYTES}`);
  const text =
    typeof body === 'string'
      ? body
      : Buffer.from(body.buffer, body.byteOffset, body.length).toString('latin1');
  const { signal, durationMs } =
    type === RELAY ? readRelay(text) : { signal: text.trim(), durationMs: undefined };
  const digit = signalToDigit(signal);
  if (digit === null) return null;
  return { source: 'info', digit, timeMs: receivedMs, durationMs: durationMs || DEFAULT_INFO_DURATION_MS };
}

function readRelay(text: string): { signal: string; durationMs: number | undefined } {
  let signal: string | undefined;
  let duration: string | undefined;
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trim();
    if (line === '') continue;
    const eq = line.indexOf('=');
    if (eq <= 0) malformed(`line without key=value: ${JSON.stringify(line.slice(0, 40))}`);
    const key = line.slice(0, eq).trim().toLowerCase();
    const value = line.slice(eq + 1).trim();
    if (key === 'signal') {
      if (signal !== undefined) malformed('Signal appears twice');
      signal = value;
    } else if (key === 'duration') {
      if (duration !== undefined) malformed('Duration appears twice');
      duration = value;
    }
  }
  if (signal === undefined) return malformed('no Signal line');
  if (duration === undefined) return { signal, durationMs: undefined };
  if (!/^\d{1,6}$/.test(duration) || Number(duration) > MAX_INFO_DURATION_MS) {
    malformed(`Duration ${JSON.stringify(duration.slice(0, 20))} is not 0–${MAX_INFO_DURATION_MS} ms`);
  }
  return { signal, durationMs: Number(duration) };
}

function signalToDigit(signal: string): DtmfDigit | null {
  if (signal === '!') return null;
  const upper = signal.toUpperCase();
  if (isDtmfDigit(upper)) return upper;
  if (/^\d{2}$/.test(signal)) {
    const code = Number(signal);
    if (code === FLASH_EVENT) return null;
    const digit = digitOfEvent(code);
    if (digit !== undefined) return digit;
  }
  return malformed(`Signal ${JSON.stringify(signal.slice(0, 20))} is not a DTMF key`);
}

function mediaType(contentType: string): string {
  return (contentType.split(';')[0] ?? '').trim().toLowerCase();
}

function malformed(why: string): never {
  throw new DtmfError('DTMF_INFO_MALFORMED', `bad DTMF INFO body: ${why}`);
}
