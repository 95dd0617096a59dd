import { closedError } from '../errors.js';

/** Shared by a store and its repositories so that every method rejects once closed (STYLE 8). */
export class StoreLifecycle {
  private closed = false;

  get isClosed(): boolean {
    return this.closed;
  }

  markClosed(): void {
    this.closed = true;
  }

  assertOpen(): void {
    if (this.closed) throw closedError();
  }
}
