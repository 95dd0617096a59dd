import { isAbsolute, join } from 'node:path';
import { StoreError } from '../errors.js';

/** Where the data lives, parsed from the `database` setting. */
export type StoreTarget =
  | { readonly kind: 'sqlite'; readonly path: string; readonly label: string }
  | {
      readonly kind: 'postgres';
      /** The URL as given, password included: only ever handed to the driver. */
      readonly url: string;
      /** The URL without its password, safe for logs and error messages. */
      readonly label: string;
    };

export const SQLITE_FILE_NAME = 'hotline.db';

/**
 * `sqlite` → `${dataDir}/hotline.db`; `sqlite:PATH` → PATH, relative paths taken from
 * dataDir (the one directory an operator configures for data), `sqlite::memory:` for a
 * throw-away database; `postgres://` or `postgresql://` URLs → PostgreSQL.
 */
export function parseTarget(database: string, dataDir: string): StoreTarget {
  const setting = database.trim();
  if (setting === 'sqlite') return sqliteTarget(join(dataDir, SQLITE_FILE_NAME));
  if (setting.startsWith('sqlite:')) {
    const path = setting.slice('sqlite:'.length);
    if (path === '')
      throw badTarget(setting, 'sqlite: needs a file path, e.g. sqlite:/var/lib/hotline/hotline.db');
    if (path === ':memory:') return sqliteTarget(path);
    return sqliteTarget(isAbsolute(path) ? path : join(dataDir, path));
  }
  if (/^postgres(ql)?:\/\//i.test(setting)) return postgresTarget(setting);
  throw badTarget(redact(setting), 'expected "sqlite", "sqlite:PATH" or a postgres:// or postgresql:// URL');
}

function sqliteTarget(path: string): StoreTarget {
  return { kind: 'sqlite', path, label: `sqlite:${path}` };
}

function postgresTarget(url: string): StoreTarget {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    // The WHATWG parser's message repeats the input, password included: give our own.
    throw badTarget(redact(url), 'not a valid URL');
  }
  if (parsed.hostname === '' && !parsed.searchParams.has('host')) {
    throw badTarget(redact(url), 'the URL names no host');
  }
  if (parsed.pathname.length <= 1) throw badTarget(redact(url), 'the URL names no database, e.g. /hotline');
  return { kind: 'postgres', url, label: redact(url) };
}

/** Removes the password from anything that looks like a URL with credentials. */
export function redact(target: string): string {
  return target.replace(/^([a-z][a-z0-9+.-]*:\/\/[^:/@]*):[^@/]*@/i, '$1:***@');
}

function badTarget(label: string, why: string): StoreError {
  return new StoreError('STORE_BAD_TARGET', `bad database setting "${label}": ${why}`, { target: label });
}
