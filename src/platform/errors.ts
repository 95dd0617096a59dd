/**
 * Coded errors (STYLE principle 9): every module's errors carry a stable code; callers
 * branch on `code`, never on message text.
 */
export class HotlineError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly details?: Readonly<Record<string, unknown>>,
  ) {
    super(message);
    this.name = 'HotlineError';
  }
}
