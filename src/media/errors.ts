import { HotlineError } from '../platform/errors.js';

/**
 * Stable codes of the media module (STYLE principle 9). Callers branch on `code`; the
 * message is for people.
 */
export type MediaErrorCode =
  /** Every even port of [portMin, portMax] is in use. */
  | 'MEDIA_PORTS_EXHAUSTED'
  /** A socket could not be bound (address not local, or ports taken by another process). */
  | 'MEDIA_BIND_FAILED'
  /** No endpoint with this id (never created, or already closed). */
  | 'MEDIA_UNKNOWN_ENDPOINT'
  /** A malformed argument: bad address, port out of range, endpoint connected to itself. */
  | 'MEDIA_INVALID_ARGUMENT'
  /** The relay was shut down; no further requests are accepted. */
  | 'MEDIA_RELAY_CLOSED'
  /** The worker thread that owns the endpoint crashed or exited. */
  | 'MEDIA_WORKER_FAILED'
  /** The worker did not answer a request in time. */
  | 'MEDIA_WORKER_TIMEOUT'
  /** The endpoint has no negotiated format (configure() first) for what was asked. */
  | 'MEDIA_NOT_CONFIGURED'
  /** No mixer with this id (never created, or closed). */
  | 'MEDIA_UNKNOWN_MIXER'
  /** No recording with this id (never started, or already stopped). */
  | 'MEDIA_UNKNOWN_RECORDING'
  /** The recording file could not be created or written. */
  | 'MEDIA_RECORDING_FAILED'
  /** The endpoint cannot move to another worker now (it is recording, or in a mixer). */
  | 'MEDIA_BUSY';

export class MediaError extends HotlineError {
  declare readonly code: MediaErrorCode;

  constructor(code: MediaErrorCode, message: string, details?: Readonly<Record<string, unknown>>) {
    super(code, message, details);
    this.name = 'MediaError';
  }
}

const CODES: ReadonlySet<string> = new Set<MediaErrorCode>([
  'MEDIA_PORTS_EXHAUSTED',
  'MEDIA_BIND_FAILED',
  'MEDIA_UNKNOWN_ENDPOINT',
  'MEDIA_INVALID_ARGUMENT',
  'MEDIA_RELAY_CLOSED',
  'MEDIA_WORKER_FAILED',
  'MEDIA_WORKER_TIMEOUT',
  'MEDIA_NOT_CONFIGURED',
  'MEDIA_UNKNOWN_MIXER',
  'MEDIA_UNKNOWN_RECORDING',
  'MEDIA_RECORDING_FAILED',
  'MEDIA_BUSY',
]);

export function isMediaErrorCode(code: string): code is MediaErrorCode {
  return CODES.has(code);
}
