import { HotlineError } from '../../platform/errors.js';

/** Stable codes of text-to-speech (STYLE principle 9). Callers branch on `code`. */
export type TtsErrorCode =
  /** Empty or over-long text, an unknown language, rate or pitch out of range. */
  | 'TTS_INVALID_REQUEST'
  /** The engine has no voice of that name. */
  | 'TTS_UNKNOWN_VOICE'
  /** The engine did not answer in time; it was restarted. */
  | 'TTS_TIMEOUT'
  /** The caller's AbortSignal fired before the audio was ready. */
  | 'TTS_ABORTED'
  /** The engine could not be loaded, crashed, or returned nothing usable. */
  | 'TTS_ENGINE_FAILED'
  /** The provider was closed; no further requests are accepted. */
  | 'TTS_CLOSED'
  /** The cache directory could not be read or written. */
  | 'TTS_CACHE_IO';

export class TtsError extends HotlineError {
  constructor(
    override readonly code: TtsErrorCode,
    message: string,
    details?: Readonly<Record<string, unknown>>,
  ) {
    super(code, message, details);
    this.name = 'TtsError';
  }
}

const CODES: ReadonlySet<string> = new Set<TtsErrorCode>([
  'TTS_INVALID_REQUEST',
  'TTS_UNKNOWN_VOICE',
  'TTS_TIMEOUT',
  'TTS_ABORTED',
  'TTS_ENGINE_FAILED',
  'TTS_CLOSED',
  'TTS_CACHE_IO',
]);

export function isTtsErrorCode(code: string): code is TtsErrorCode {
  return CODES.has(code);
}
