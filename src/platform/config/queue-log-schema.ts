/**
 * The `queueLog` section: where the Asterisk-style queue log is written besides the
 * database (docs/queue-log.md). Kept apart from schema.ts, which assembles every section.
 */
import { z } from 'zod';

export const queueLogSchema = z.strictObject({
  /** A file to append classic pipe-separated lines to; relative paths are under the data directory. */
  file: z
    .string()
    .min(1)
    .refine((s) => !s.includes('\0'), 'must not contain a NUL character')
    .optional(),
});

export type QueueLogConfig = z.output<typeof queueLogSchema>;
