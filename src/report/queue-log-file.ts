/**
 * The queue log as a file in the classic pipe-separated format (queue-log.ts), for
 * queue-report tools that read Asterisk's /var/log/asterisk/queue_log. Lines are appended
 * in batches: every entry that arrives while a write is under way goes out in the next
 * single write, followed by one fdatasync, and each `append` resolves only after the
 * sync that made its line durable (DESIGN principle 5).
 *
 * No rotation of its own: the file is held open, so rotate it with logrotate's
 * `copytruncate` (appends land at the new end of the truncated file).
 */
import { mkdir, open, type FileHandle } from 'node:fs/promises';
import { dirname, isAbsolute, resolve } from 'node:path';
import { HotlineError } from '../platform/errors.js';
import type { Logger } from '../platform/log.js';
import { formatQueueLogLine, type QueueLogEntry, type QueueLogSink } from './queue-log.js';

export const queueLogFileErrorCodes = {
  QUEUE_LOG_FILE_OPEN_FAILED: 'the queue log file cannot be opened',
  QUEUE_LOG_FILE_WRITE_FAILED: 'writing or syncing the queue log file failed',
  QUEUE_LOG_FILE_CLOSED: 'the queue log file is closed',
} as const;

export type QueueLogFileErrorCode = keyof typeof queueLogFileErrorCodes;

export class QueueLogFileError extends HotlineError {
  declare readonly code: QueueLogFileErrorCode;
  constructor(code: QueueLogFileErrorCode, message: string, cause?: unknown) {
    super(code, message);
    this.name = 'QueueLogFileError';
    if (cause !== undefined) this.cause = cause;
  }
}

/** `queueLog.file` from the configuration: relative paths are under the data directory. */
export function resolveQueueLogPath(file: string, dataDir: string): string {
  return isAbsolute(file) ? file : resolve(dataDir, file);
}

interface Pending {
  readonly line: string;
  readonly resolve: () => void;
  readonly reject: (err: unknown) => void;
}

const messageOf = (err: unknown): string => (err instanceof Error ? err.message : String(err));

export class QueueLogFile implements QueueLogSink {
  private queue: Pending[] = [];
  private writing: Promise<void> | undefined;
  private closed = false;
  private closing: Promise<void> | undefined;

  private constructor(
    readonly path: string,
    private readonly handle: FileHandle,
    private readonly logger: Logger | undefined,
  ) {}

  /** Opens (creating it and its folder if needed) `path` for appending. */
  static async open(path: string, logger?: Logger): Promise<QueueLogFile> {
    try {
      await mkdir(dirname(path), { recursive: true });
      const handle = await open(path, 'a', 0o640);
      return new QueueLogFile(path, handle, logger);
    } catch (err) {
      throw new QueueLogFileError(
        'QUEUE_LOG_FILE_OPEN_FAILED',
        `cannot open queue log ${path}: ${messageOf(err)}`,
        err,
      );
    }
  }

  append(entry: QueueLogEntry): Promise<void> {
    if (this.closed) {
      return Promise.reject(
        new QueueLogFileError('QUEUE_LOG_FILE_CLOSED', `queue log ${this.path} is closed`),
      );
    }
    const line = formatQueueLogLine(entry);
    return new Promise<void>((resolve, reject) => {
      this.queue.push({ line, resolve, reject });
      this.writing ??= this.drain();
    });
  }

  /** Writes what was accepted, then closes the file. Idempotent. */
  close(): Promise<void> {
    this.closed = true;
    this.closing ??= (async () => {
      while (this.writing !== undefined) await this.writing;
      await this.handle.close();
    })();
    return this.closing;
  }

  private async drain(): Promise<void> {
    while (this.queue.length > 0) {
      const batch = this.queue;
      this.queue = [];
      try {
        await this.writeAll(Buffer.from(batch.map((p) => `${p.line}\n`).join(''), 'utf8'));
        await this.handle.datasync();
        for (const p of batch) p.resolve();
      } catch (err) {
        const failure = new QueueLogFileError(
          'QUEUE_LOG_FILE_WRITE_FAILED',
          `writing ${batch.length} line(s) to queue log ${this.path} failed: ${messageOf(err)}`,
          err,
        );
        this.logger?.error({ err, path: this.path, lines: batch.length }, 'queue log file write failed');
        for (const p of batch) p.reject(failure);
      }
    }
    this.writing = undefined;
  }

  private async writeAll(buffer: Buffer): Promise<void> {
    let offset = 0;
    while (offset < buffer.length) {
      // With O_APPEND the position is ignored: every write lands at the end of the file.
      const { bytesWritten } = await this.handle.write(buffer, offset, buffer.length - offset);
      offset += bytesWritten;
    }
  }
}

/** Appends to every sink (the store and the file); resolves when all have it. */
export function teeQueueLog(...sinks: readonly QueueLogSink[]): QueueLogSink {
  return {
    async append(entry) {
      await Promise.all(sinks.map((s) => s.append(entry)));
    },
  };
}
