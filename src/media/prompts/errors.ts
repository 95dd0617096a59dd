import { HotlineError } from '../../platform/errors.js';

/** Stable codes of the system prompts (STYLE principle 9). */
export type PromptErrorCode =
  /** No prompt of that id, or no text for that language. */
  | 'PROMPT_UNKNOWN'
  /** A parameter is missing or out of range (negative count, non-integer, not a DTMF key). */
  | 'PROMPT_INVALID_PARAMS';

export class PromptError extends HotlineError {
  constructor(
    override readonly code: PromptErrorCode,
    message: string,
    details?: Readonly<Record<string, unknown>>,
  ) {
    super(code, message, details);
    this.name = 'PromptError';
  }
}
