import { systemClock, type Clock, type TimerHandle } from '../../platform/clock.js';

export interface BatcherOptions {
  /** Most items written by one `write` call (bounded by the dialect's parameter limit). */
  readonly maxBatch: number;
  /** How long the first item of a batch waits for company before the batch is written. */
  readonly maxDelayMs: number;
  /** How many `write` calls may run at once (1 for SQLite's single writer). */
  readonly maxInFlight: number;
  /** The error `add` rejects with once the batcher is closed. */
  readonly closedError: () => Error;
  /** Told when a multi-item write failed and the items are being retried one by one. */
  readonly onBatchFailed?: (err: unknown, size: number) => void;
  readonly timers?: Pick<Clock, 'setTimer'>;
}

interface Pending<T> {
  readonly item: T;
  readonly resolve: () => void;
  readonly reject: (err: unknown) => void;
}

/**
 * Group commit: concurrent `add` calls are gathered into one `write` (one multi-row
 * INSERT), so a thousand CDRs a second cost a few statements and fsyncs instead of a
 * thousand. Each `add` resolves only after the write holding its item succeeded —
 * durable before acknowledged (DESIGN principle 5).
 *
 * While every write slot is busy, new items queue and go out as soon as a slot frees:
 * the batch size follows the load without tuning.
 */
export class WriteBatcher<T> {
  private queue: Pending<T>[] = [];
  private timer: TimerHandle | undefined;
  private inFlight = 0;
  private closed = false;
  private idleWaiters: (() => void)[] = [];
  private readonly timers: Pick<Clock, 'setTimer'>;

  constructor(
    private readonly write: (items: readonly T[]) => Promise<void>,
    private readonly opts: BatcherOptions,
  ) {
    if (opts.maxBatch < 1 || opts.maxInFlight < 1)
      throw new RangeError('maxBatch and maxInFlight must be ≥ 1');
    this.timers = opts.timers ?? systemClock;
  }

  add(item: T): Promise<void> {
    if (this.closed) return Promise.reject(this.opts.closedError());
    return new Promise<void>((resolve, reject) => {
      this.queue.push({ item, resolve, reject });
      this.schedule();
    });
  }

  /** Items accepted but not yet written. */
  get pendingCount(): number {
    return this.queue.length;
  }

  /** Refuses new items, writes everything already accepted, then resolves. Idempotent. */
  async close(): Promise<void> {
    this.closed = true;
    this.pump();
    while (this.queue.length > 0 || this.inFlight > 0) {
      await new Promise<void>((resolve) => this.idleWaiters.push(resolve));
    }
  }

  private schedule(): void {
    if (this.queue.length >= this.opts.maxBatch || this.closed) {
      this.pump();
    } else if (this.timer === undefined) {
      this.timer = this.timers.setTimer(this.opts.maxDelayMs, () => {
        this.timer = undefined;
        this.pump();
      });
    }
  }

  private pump(): void {
    this.timer?.cancel();
    this.timer = undefined;
    while (this.inFlight < this.opts.maxInFlight && this.queue.length > 0) {
      const batch = this.queue.splice(0, this.opts.maxBatch);
      this.inFlight++;
      void this.run(batch);
    }
  }

  private async run(batch: readonly Pending<T>[]): Promise<void> {
    try {
      await this.write(batch.map((p) => p.item));
      for (const p of batch) p.resolve();
    } catch (err) {
      if (batch.length === 1) {
        batch[0]!.reject(err);
      } else {
        // One bad row must not sink its neighbours: retry each alone so only it fails.
        this.opts.onBatchFailed?.(err, batch.length);
        await this.writeEach(batch);
      }
    } finally {
      this.inFlight--;
      this.afterRun();
    }
  }

  private async writeEach(batch: readonly Pending<T>[]): Promise<void> {
    for (const p of batch) {
      try {
        await this.write([p.item]);
        p.resolve();
      } catch (err) {
        p.reject(err);
      }
    }
  }

  private afterRun(): void {
    // Items that queued while the slots were busy have waited a whole write already.
    if (this.queue.length > 0) {
      this.pump();
    } else if (this.inFlight === 0) {
      const waiters = this.idleWaiters;
      this.idleWaiters = [];
      for (const wake of waiters) wake();
    }
  }
}
