import { pino, type Logger as PinoLogger, type LevelWithSilent } from 'pino';

/** The structured logger every module receives. Child loggers carry callId, legId, agentId, queueId. */
export type Logger = PinoLogger;

export interface LogOptions {
  readonly level: LevelWithSilent;
  /** Write to this file descriptor or path instead of stdout. */
  readonly destination?: string | number;
}

export function createLogger(opts: LogOptions): Logger {
  return pino(
    { level: opts.level, base: { app: 'hotline' } },
    opts.destination === undefined ? undefined : pino.destination(opts.destination),
  );
}

/** A logger that drops everything, for unit tests. */
export function silentLogger(): Logger {
  return pino({ level: 'silent' });
}
