/**
 * The geocoding and carrier tables of China in memory, and the longest-prefix match that
 * answers a lookup from them. Pure: the tables come in as plain objects (geo-data.ts reads
 * them from the package's files).
 *
 * A table maps a prefix of the national significant number (the digits after +86, without
 * the trunk 0) to a text: `10` → 北京市, `1380013` → 北京市, `138` → 中国移动. The geocoding
 * table has about 130,000 prefixes of 2 to 7 digits but only a few hundred distinct places,
 * so each length gets its own Map keyed by the prefix's numeric value (a small integer, not
 * a string) and equal texts are shared: half the heap of a Map of strings, and a fraction
 * of the work for the garbage collector, which visits the tables on every full collection.
 */
import { RoutingError } from './errors.js';
import type { ChineseNumber } from './numbering.js';

/** What the data says of one number; null where it says nothing. */
export interface GeoAnswer {
  /** Chinese place name as the data writes it: `北京市`, `广东省广州市`. */
  readonly region: string | null;
  /** Original carrier of the number block, in Chinese: `中国移动`. */
  readonly carrier: string | null;
}

export const NO_ANSWER: GeoAnswer = Object.freeze({ region: null, carrier: null });

/** Beyond 15 digits a prefix no longer fits a double exactly (and E.164 ends at 15). */
const MAX_PREFIX_DIGITS = 15;
const DIGITS = /^\d+$/;

/** A prefix → text table answering longest-prefix matches. */
export class PrefixTable {
  /** byLength[n]: prefixes of n digits, by numeric value. */
  private readonly byLength: ReadonlyArray<ReadonlyMap<number, string> | undefined>;
  /** Longest prefix in the table (digits). */
  readonly maxLength: number;
  /** Number of prefixes. */
  readonly size: number;

  private constructor(byLength: Array<Map<number, string> | undefined>, size: number) {
    this.byLength = byLength;
    this.maxLength = byLength.length - 1;
    this.size = size;
  }

  /**
   * Builds a table from the decoded data. `name` says which table in errors. Entries with
   * an empty text are left out: the package skips them and goes on to a shorter prefix.
   * Throws ROUTING_GEO_DATA when a key is not a prefix of digits, a value is not text, or
   * nothing is left.
   */
  static fromRecord(name: string, record: Readonly<Record<string, unknown>>): PrefixTable {
    const byLength: Array<Map<number, string> | undefined> = [];
    const texts = new Map<string, string>();
    let size = 0;
    for (const [key, value] of Object.entries(record)) {
      if (!DIGITS.test(key) || key.length > MAX_PREFIX_DIGITS) {
        throw new RoutingError('ROUTING_GEO_DATA', `${name}: key "${key}" is not a prefix of 1–15 digits`);
      }
      if (typeof value !== 'string') {
        throw new RoutingError(
          'ROUTING_GEO_DATA',
          `${name}: the value of "${key}" is a ${typeof value}, not text`,
        );
      }
      if (value === '') continue;
      let text = texts.get(value);
      if (text === undefined) {
        text = value;
        texts.set(value, value);
      }
      let map = byLength[key.length];
      if (map === undefined) {
        map = new Map();
        byLength[key.length] = map;
      }
      map.set(Number(key), text);
      size++;
    }
    if (size === 0) throw new RoutingError('ROUTING_GEO_DATA', `${name}: the table has no entries`);
    return new PrefixTable(byLength, size);
  }

  /**
   * The text of the longest prefix of `digits` in the table, or null. Within one length the
   * numeric value of a prefix identifies it (leading zeros included), so the Map is exact.
   */
  lookup(digits: string): string | null {
    const longest = Math.min(this.maxLength, digits.length);
    let value = 0; // the first `n` digits as a number, from n = longest down
    for (let i = 0; i < longest; i++) {
      const d = digits.charCodeAt(i) - 48;
      if (d < 0 || d > 9) return null;
      value = value * 10 + d;
    }
    for (let n = longest; n >= 1; n--) {
      const text = this.byLength[n]?.get(value);
      if (text !== undefined) return text;
      value = (value - (value % 10)) / 10;
    }
    return null;
  }
}

/** The two tables of one country (China). */
export interface GeoTables {
  readonly geocodes: PrefixTable;
  readonly carriers: PrefixTable;
}

/** Region and carrier of a national significant number (`13800138000`, `2083334444`). */
export function describeNational(tables: GeoTables, nsn: string): GeoAnswer {
  if (!DIGITS.test(nsn)) return NO_ANSWER;
  return { region: tables.geocodes.lookup(nsn), carrier: tables.carriers.lookup(nsn) };
}

/**
 * The national significant number of an E.164 number of China (`+8613800138000` →
 * `13800138000`); undefined for other countries and for text that is not `+86` and digits.
 */
export function chinaNsnOfE164(e164: string): string | undefined {
  if (!e164.startsWith('+86')) return undefined;
  const nsn = e164.slice(3);
  return nsn.length > 0 && DIGITS.test(nsn) ? nsn : undefined;
}

/**
 * The national significant number of a mobile or fixed number in national form: a mobile
 * number as it is (`13800138000`), a fixed number without its trunk 0 (`02083334444` →
 * `2083334444`). Undefined for every other kind: they are not geocoded.
 */
export function nationalSignificantNumber(parsed: ChineseNumber): string | undefined {
  if (parsed.kind === 'mobile') return parsed.number;
  if (parsed.kind === 'fixed' && parsed.number.startsWith('0')) return parsed.number.slice(1);
  return undefined;
}
