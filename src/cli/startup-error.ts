/**
 * Turns whatever stopped `hotline start` into one paragraph that names what failed and
 * what to do about it. Branches on error codes (HotlineError codes, errno codes, SQLite
 * and PostgreSQL codes), never on message text.
 */
import { HotlineError } from '../platform/errors.js';
import { describeDatabase } from './banner.js';

export interface StartupContext {
  /** The configuration file in use, when known. */
  readonly configPath?: string;
  /** The `database` setting, when the configuration loaded. */
  readonly database?: string;
  readonly dataDir: string;
  /** Append the stack trace (log level debug or trace). */
  readonly showStack: boolean;
}

interface CodedError {
  readonly code?: unknown;
  readonly message?: unknown;
  readonly address?: unknown;
  readonly port?: unknown;
  readonly cause?: unknown;
  readonly errors?: unknown;
}

/** The error and everything it wraps (`cause`, AggregateError `errors`, HotlineError `details.cause`). */
function chain(err: unknown, depth = 0): CodedError[] {
  if (err === null || typeof err !== 'object' || depth > 5) return [];
  const e = err as CodedError;
  const nested = [e.cause, ...(Array.isArray(e.errors) ? e.errors : [])];
  if (err instanceof HotlineError) nested.push(err.details?.['cause']);
  return [e, ...nested.flatMap((n) => chain(n, depth + 1))];
}

function findCode(err: unknown, test: (code: string) => boolean): CodedError | undefined {
  return chain(err).find((e) => typeof e.code === 'string' && test(e.code));
}

function where(e: CodedError): string {
  if (typeof e.port !== 'number') return 'the SIP port';
  return typeof e.address === 'string' ? `${e.address}:${e.port}` : `port ${e.port}`;
}

function configHint(ctx: StartupContext): string {
  return ctx.configPath === undefined ? 'the configuration' : ctx.configPath;
}

function describeConfig(err: HotlineError, ctx: StartupContext): string | undefined {
  if (err.code === 'CONFIG_UNREADABLE') {
    return `${err.message}. Check the path given to --config, or leave --config out to use the demo configuration in ${ctx.dataDir}.`;
  }
  if (err.code !== 'CONFIG_INVALID') return undefined;
  const problems = err.details?.['problems'];
  const lines = Array.isArray(problems) ? problems.map((p) => `  ${String(p)}`) : [err.message];
  const file = String(err.details?.['source'] ?? configHint(ctx));
  return [
    `the configuration in ${file} is invalid:`,
    ...lines,
    `Fix these lines and start again; \`hotline check-config ${file}\` checks a file without starting.`,
  ].join('\n');
}

function describeListen(err: unknown, ctx: StartupContext): string | undefined {
  const inUse = findCode(err, (c) => c === 'EADDRINUSE');
  if (inUse !== undefined) {
    return (
      `${where(inUse)} is already in use by another program: often another SIP server ` +
      `(Asterisk, FreeSWITCH, Kamailio) or an earlier Hotline still running. Stop it ` +
      `(\`ss -lntup | grep ${String(inUse.port ?? 5060)}\` shows who holds the port), or choose other ports ` +
      `with sip.udpPort / sip.tcpPort / sip.wsPort in ${configHint(ctx)}.`
    );
  }
  const denied = findCode(err, (c) => c === 'EACCES');
  if (denied !== undefined && typeof denied.port === 'number') {
    return (
      `not allowed to listen on ${where(denied)}. Ports below 1024 need root or the ` +
      `CAP_NET_BIND_SERVICE capability; use a port such as 5060 in ${configHint(ctx)}.`
    );
  }
  const absent = findCode(err, (c) => c === 'EADDRNOTAVAIL');
  if (absent !== undefined) {
    return `${where(absent)} is not an address of this machine. Check sip.bindAddress in ${configHint(ctx)} (0.0.0.0 listens on every address).`;
  }
  return undefined;
}

const NETWORK_CODES = new Set([
  'ECONNREFUSED',
  'ENOTFOUND',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ECONNRESET',
  'EAI_AGAIN',
]);
/** PostgreSQL SQLSTATEs: bad password, no such database, no such role. */
const POSTGRES_CODES = new Set(['28P01', '28000', '3D000']);

function describeDatabaseError(err: unknown, ctx: StartupContext): string | undefined {
  const sqlite = findCode(err, (c) => c.startsWith('SQLITE_'));
  if (sqlite !== undefined) {
    return `cannot open the SQLite database in ${ctx.dataDir} (${String(sqlite.code)}). Check that the directory exists and is writable by this user, and that no other program holds hotline.db locked.`;
  }
  if (ctx.database === undefined || ctx.database === 'sqlite') return undefined;
  const pg = findCode(err, (c) => NETWORK_CODES.has(c) || POSTGRES_CODES.has(c));
  if (pg === undefined) return undefined;
  return (
    `cannot reach the database (${describeDatabase(ctx.database)}): ${String(pg.code)}. ` +
    `Check that PostgreSQL is running and reachable, and that the user, password and database ` +
    `named in the \`database\` URL of ${configHint(ctx)} exist.`
  );
}

function describeOther(err: unknown): string {
  if (err instanceof HotlineError) return `${err.message} [${err.code}]`;
  if (err instanceof Error) return err.message;
  return String(err);
}

/** One paragraph (and, for an invalid configuration, one line per problem). */
export function describeStartupError(err: unknown, ctx: StartupContext): string {
  const specific =
    (err instanceof HotlineError ? describeConfig(err, ctx) : undefined) ??
    describeListen(err, ctx) ??
    describeDatabaseError(err, ctx);
  const text = `Hotline could not start: ${specific ?? describeOther(err)}`;
  const stack = ctx.showStack && err instanceof Error ? err.stack : undefined;
  return stack === undefined ? text : `${text}\n\n${stack}`;
}
