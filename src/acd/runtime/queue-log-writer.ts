/**
 * Writes queue log entries to every sink (the database table, the optional file). A sink
 * that fails is logged, never thrown into call handling: the call goes on.
 */
import type { Logger } from '../../platform/log.js';
import type { QueueLogEntry, QueueLogSink } from '../../report/queue-log.js';

export class QueueLogWriter {
  private pending = new Set<Promise<void>>();

  constructor(
    private readonly sinks: readonly QueueLogSink[],
    private readonly logger: Logger,
  ) {}

  write(entry: QueueLogEntry): void {
    for (const sink of this.sinks) {
      const p = sink
        .append(entry)
        .catch((err: unknown) =>
          this.logger.error({ err, event: entry.event }, 'queue log entry not written'),
        );
      this.pending.add(p);
      void p.finally(() => this.pending.delete(p));
    }
  }

  /** Resolves once every entry written so far is durable (or failed and was logged). */
  async flush(): Promise<void> {
    await Promise.all([...this.pending]);
  }
}
