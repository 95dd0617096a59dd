/**
 * 号段/归属地: what kind of number a caller has (from its digits, numbering.ts) and, for
 * mobile and fixed numbers, its province, city and original carrier (from the geocoding
 * and carrier data of Google libphonenumber, geo-source.ts). A source that answers from
 * memory on this thread (the default) is asked directly; for an asynchronous one (the
 * worker) results are kept in a small LRU cache, concurrent lookups of one number share one
 * request, and lookups in flight are bounded.
 *
 * Never throws: junk, foreign and service numbers get what their digits say; a failing
 * data source gives the facts without region (and is logged).
 */
import type { Logger } from '../platform/log.js';
import type { GeoDataInfo } from './geo-data.js';
import { memoryGeoSource, type GeoSource } from './geo-source.js';
import { nationalSignificantNumber, NO_ANSWER, type GeoAnswer } from './geo-tables.js';
import { parseChineseNumber, type ChineseNumber } from './numbering.js';
import { splitRegion, type NumberFacts } from './region.js';

export type { NumberFacts } from './region.js';

export interface NumberFactsOptions {
  /** Where region and carrier come from; default the tables in memory on this thread (memoryGeoSource). */
  readonly source?: GeoSource;
  /** Numbers remembered from an asynchronous source (the worker); default 10,000. */
  readonly cacheSize?: number;
  /**
   * Lookups allowed in flight at once; beyond it a number gets its kind without region
   * (not cached) rather than wait in a queue. Default 32.
   */
  readonly maxPending?: number;
  readonly log?: Logger;
}

export interface NumberFactsService {
  lookup(number: string): Promise<NumberFacts>;
  /**
   * Loads the source's data now (about half a second for the default source): await it
   * before taking calls. Rejects with a RoutingError (ROUTING_GEO_DATA) naming the file when
   * the data is missing or corrupt; lookups then still answer, without region or carrier.
   */
  preload(): Promise<GeoDataInfo | undefined>;
  /** Stops the data source (its worker). */
  close(): Promise<void>;
}

/** A map that forgets its least recently used entry beyond `capacity`. */
class LruCache<K, V> {
  private readonly map = new Map<K, V>();
  constructor(private readonly capacity: number) {}

  get(key: K): V | undefined {
    const value = this.map.get(key);
    if (value === undefined) return undefined;
    this.map.delete(key);
    this.map.set(key, value);
    return value;
  }

  set(key: K, value: V): void {
    this.map.delete(key);
    this.map.set(key, value);
    if (this.map.size > this.capacity) {
      const oldest = this.map.keys().next();
      if (oldest.done !== true) this.map.delete(oldest.value);
    }
  }

  delete(key: K): void {
    this.map.delete(key);
  }
}

function baseFacts(parsed: ChineseNumber): NumberFacts {
  switch (parsed.kind) {
    case 'mobile':
      return { kind: 'mobile', number: parsed.number };
    case 'fixed':
      return {
        kind: 'fixed',
        number: parsed.number,
        ...(parsed.areaCode ? { areaCode: parsed.areaCode } : {}),
      };
    case 'toll-free':
    case 'service':
      return { kind: 'service', number: parsed.number };
    default:
      // Subscriber numbers without an area code cannot be placed; foreign numbers are not ours.
      return { kind: 'unknown', number: parsed.number };
  }
}

/**
 * E.164 of a mobile or fixed number. The shapes numbering.ts accepts are the check:
 * libphonenumber's validation (25 µs a number) rejected none of them in our tests.
 */
function e164Of(parsed: ChineseNumber): string | undefined {
  const nsn = nationalSignificantNumber(parsed);
  return nsn === undefined ? undefined : `+86${nsn}`;
}

/**
 * splitRegion of each place text seen: the data has a few hundred distinct places, and
 * splitting one (a scan of the province names, ~0.4 µs) would be redone on every call.
 */
const regionParts = new Map<string, { province?: string; city?: string }>();
const REGION_PARTS_MAX = 4096;

function regionPartsOf(region: string): { province?: string; city?: string } {
  let parts = regionParts.get(region);
  if (parts === undefined) {
    parts = splitRegion(region);
    if (regionParts.size < REGION_PARTS_MAX) regionParts.set(region, parts);
  }
  return parts;
}

/**
 * Adds what the data says to the facts from the digits. The object is built field by field
 * in one order (not spread and then extended, which is some 100 times slower in V8).
 */
export function withGeo(base: NumberFacts, answer: GeoAnswer): NumberFacts {
  const region = answer.region?.trim() || undefined;
  const carrier = answer.carrier?.trim() || base.carrier;
  const parts = region !== undefined ? regionPartsOf(region) : {};
  const province = parts.province ?? base.province;
  const city = parts.city ?? base.city;
  const facts: { -readonly [K in keyof NumberFacts]: NumberFacts[K] } = {
    kind: base.kind,
    number: base.number,
  };
  if (base.areaCode !== undefined) facts.areaCode = base.areaCode;
  if (region !== undefined) facts.region = region;
  else if (base.region !== undefined) facts.region = base.region;
  if (province !== undefined) facts.province = province;
  if (city !== undefined) facts.city = city;
  if (carrier !== undefined) facts.carrier = carrier;
  return facts;
}

export function createNumberFacts(opts: NumberFactsOptions = {}): NumberFactsService {
  const source = opts.source ?? memoryGeoSource(opts.log !== undefined ? { log: opts.log } : {});
  const cache = new LruCache<string, Promise<NumberFacts>>(opts.cacheSize ?? 10_000);
  const maxPending = opts.maxPending ?? 32;
  let inFlight = 0;

  const fetch = async (base: NumberFacts, e164: string): Promise<{ facts: NumberFacts; failed: boolean }> => {
    inFlight++;
    try {
      return { facts: withGeo(base, await source.describe(e164)), failed: false };
    } catch (err) {
      opts.log?.warn({ err, number: base.number }, 'number facts lookup failed; routing without region');
      return { facts: base, failed: true };
    } finally {
      inFlight--;
    }
  };

  /** Answers at once from memory: no cache, no counting in flight (a lookup is a few µs). */
  const sync = (base: NumberFacts, e164: string): NumberFacts => {
    try {
      return withGeo(base, source.describeSync?.(e164) ?? NO_ANSWER);
    } catch (err) {
      opts.log?.warn({ err, number: base.number }, 'number facts lookup failed; routing without region');
      return base;
    }
  };

  return {
    lookup(number) {
      const parsed = parseChineseNumber(typeof number === 'string' ? number : '');
      const base = baseFacts(parsed);
      const e164 = e164Of(parsed);
      if (e164 === undefined) return Promise.resolve(base);
      if (source.describeSync !== undefined) return Promise.resolve(sync(base, e164));
      const cached = cache.get(parsed.number);
      if (cached !== undefined) return cached;
      if (inFlight >= maxPending) {
        opts.log?.warn(
          { number: parsed.number, inFlight },
          'number facts lookups saturated; routing without region',
        );
        return Promise.resolve(base);
      }
      const result: Promise<NumberFacts> = fetch(base, e164).then(({ facts, failed }) => {
        if (failed) cache.delete(parsed.number); // not remembered: the next call tries again
        return facts;
      });
      cache.set(parsed.number, result);
      return result;
    },
    async preload() {
      if (source.preload === undefined) return undefined;
      return source.preload();
    },
    close: () => source.close(),
  };
}

let shared: NumberFactsService | undefined;

/** Facts of a number from the shared service (the tables in memory on this thread). */
export function lookupNumber(number: string): Promise<NumberFacts> {
  shared ??= createNumberFacts();
  return shared.lookup(number);
}

/**
 * Loads the data of the shared service behind lookupNumber: the server awaits it once
 * before it listens, so no call waits for (or stalls the thread with) the decoding. `log`
 * serves the shared service when this call creates it (call it before any lookupNumber).
 */
export function preloadNumberFacts(log?: Logger): Promise<GeoDataInfo | undefined> {
  shared ??= createNumberFacts(log !== undefined ? { log } : {});
  return shared.preload();
}
