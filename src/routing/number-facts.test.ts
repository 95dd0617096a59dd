import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { pino } from 'pino';
import { RoutingError } from './errors.js';
import { packageGeoDataFiles } from './geo-data.js';
import { memoryGeoSource, workerGeoSource, type GeoAnswer, type GeoSource } from './geo-source.js';
import { createNumberFacts, lookupNumber, preloadNumberFacts, withGeo } from './number-facts.js';
import { PROVINCES, splitRegion } from './region.js';

/** The real data, in memory on this thread (the default source). */
const real = createNumberFacts();
before(() => real.preload());

/** A source that answers from a table and counts its calls. */
function fakeSource(answer: (e164: string) => GeoAnswer | Error) {
  const calls: string[] = [];
  const source: GeoSource = {
    async describe(e164) {
      calls.push(e164);
      const a = answer(e164);
      if (a instanceof Error) throw a;
      return a;
    },
    close: async () => undefined,
  };
  return { source, calls };
}

const BEIJING_MOBILE: GeoAnswer = { region: '北京市', carrier: '中国移动' };

describe('lookupNumber with the real data', () => {
  it('places 13800138000 in Beijing on China Mobile', async () => {
    assert.deepEqual(await real.lookup('13800138000'), {
      kind: 'mobile',
      number: '13800138000',
      region: '北京市',
      province: '北京市',
      city: '北京市',
      carrier: '中国移动',
    });
  });

  it('places a 020 number in Guangzhou, Guangdong, with its area code', async () => {
    assert.deepEqual(await real.lookup('+86 20 8333 4444'), {
      kind: 'fixed',
      number: '02083334444',
      areaCode: '020',
      region: '广东省广州市',
      province: '广东省',
      city: '广州市',
    });
  });

  it('splits autonomous regions into their official name and the city', async () => {
    const nanning = await real.lookup('0771-5555555');
    assert.deepEqual([nanning.province, nanning.city], ['广西壮族自治区', '南宁市']);
    const hohhot = await real.lookup('047112345678');
    assert.deepEqual([hohhot.province, hohhot.city], ['内蒙古自治区', '呼和浩特市']);
  });

  it('does not geocode service numbers (the data would misread 95588 as an area code)', async () => {
    assert.deepEqual(await real.lookup('95588'), { kind: 'service', number: '95588' });
    assert.deepEqual(await real.lookup('400-820-8820'), { kind: 'service', number: '4008208820' });
  });

  it('answers junk and foreign numbers with kind unknown, without throwing', async () => {
    for (const junk of [
      '',
      'anonymous',
      '12',
      '+',
      '+14155552671',
      '12800138000',
      '0000000000000000000000',
    ]) {
      const facts = await real.lookup(junk);
      assert.equal(facts.kind, 'unknown', junk);
      assert.equal(facts.province, undefined, junk);
    }
    assert.equal((await real.lookup(undefined as unknown as string)).kind, 'unknown');
  });
});

describe('lookupNumber in a worker thread', () => {
  const worker = workerGeoSource();
  after(() => worker.close());

  it('gives the same facts as the tables on this thread', async () => {
    const facts = createNumberFacts({ source: worker });
    await facts.preload();
    for (const n of ['13800138000', '18912345678', '020-8888-8888', '0771-5555555', '95588', 'anonymous']) {
      assert.deepEqual(await facts.lookup(n), await real.lookup(n), n);
    }
  });
});

describe('the shared service behind lookupNumber', () => {
  it('is preloaded once at start and then answers', async () => {
    const info = await preloadNumberFacts();
    assert.equal(info?.version, packageGeoDataFiles().version);
    assert.equal((await lookupNumber('18912345678')).city, '常州市');
  });
});

describe('number facts without their data', () => {
  const files = packageGeoDataFiles();
  const missing = { geocodes: files.geocodes, carriers: join(files.carriers, '..', 'gone.bson') };

  it('reject preload with ROUTING_GEO_DATA, and still give each number its kind', async () => {
    const lines: string[] = [];
    const log = pino({ level: 'warn' }, { write: (line: string) => void lines.push(line) });
    const facts = createNumberFacts({ source: memoryGeoSource({ files: missing, log }) });
    await assert.rejects(
      facts.preload(),
      (err: unknown) => err instanceof RoutingError && err.code === 'ROUTING_GEO_DATA',
    );
    assert.deepEqual(await facts.lookup('13800138000'), { kind: 'mobile', number: '13800138000' });
    assert.deepEqual(await facts.lookup('020-8888-8888'), {
      kind: 'fixed',
      number: '02088888888',
      areaCode: '020',
    });
    assert.equal(lines.length, 1, 'the failure is logged once, not on every call');
  });
});

describe('a source that answers from memory', () => {
  it('is asked on every lookup, without a cache in front of it', async () => {
    const calls: string[] = [];
    const source: GeoSource = {
      describe: async () => BEIJING_MOBILE,
      describeSync: (e164) => (calls.push(e164), BEIJING_MOBILE),
      close: async () => undefined,
    };
    const facts = createNumberFacts({ source, maxPending: 0 });
    assert.equal((await facts.lookup('13800138000')).carrier, '中国移动');
    assert.equal((await facts.lookup('13800138000')).carrier, '中国移动');
    assert.deepEqual(calls, ['+8613800138000', '+8613800138000']);
  });

  it('routes without region when it throws, and logs it', async () => {
    const lines: string[] = [];
    const log = pino({ level: 'warn' }, { write: (line: string) => void lines.push(line) });
    const source: GeoSource = {
      describe: async () => BEIJING_MOBILE,
      describeSync: () => {
        throw new Error('bad table');
      },
      close: async () => undefined,
    };
    const facts = createNumberFacts({ source, log });
    assert.deepEqual(await facts.lookup('13800138000'), { kind: 'mobile', number: '13800138000' });
    assert.match(lines.join(''), /number facts lookup failed/);
  });
});

describe('withGeo', () => {
  it('adds place, province, city and carrier to the facts from the digits', () => {
    assert.deepEqual(
      withGeo(
        { kind: 'fixed', number: '07715555555', areaCode: '0771' },
        { region: ' 广西南宁市 ', carrier: null },
      ),
      {
        kind: 'fixed',
        number: '07715555555',
        areaCode: '0771',
        region: '广西南宁市',
        province: '广西壮族自治区',
        city: '南宁市',
      },
    );
  });

  it('leaves the facts as they are when the data says nothing', () => {
    const base = { kind: 'mobile', number: '19912345678' } as const;
    assert.deepEqual(withGeo(base, { region: null, carrier: '' }), base);
  });
});

describe('the number facts cache', () => {
  it('asks the source once per number, in E.164', async () => {
    const { source, calls } = fakeSource(() => BEIJING_MOBILE);
    const facts = createNumberFacts({ source });
    await facts.lookup('13800138000');
    await facts.lookup('+86 138 0013 8000');
    assert.deepEqual(calls, ['+8613800138000']);
  });

  it('shares one request among concurrent lookups of a number', async () => {
    const { source, calls } = fakeSource(() => BEIJING_MOBILE);
    const facts = createNumberFacts({ source });
    const [a, b] = await Promise.all([facts.lookup('13800138000'), facts.lookup('13800138000')]);
    assert.equal(calls.length, 1);
    assert.deepEqual(a, b);
  });

  it('forgets the least recently used number beyond its size', async () => {
    const { source, calls } = fakeSource(() => BEIJING_MOBILE);
    const facts = createNumberFacts({ source, cacheSize: 2 });
    for (const n of [
      '13800138000',
      '13800138001',
      '13800138000',
      '13800138002',
      '13800138000',
      '13800138001',
    ]) {
      await facts.lookup(n);
    }
    // 001 was least recently used when 002 came in, so it is asked for again; 000 never is.
    assert.deepEqual(calls, ['+8613800138000', '+8613800138001', '+8613800138002', '+8613800138001']);
  });

  it('routes without region when the source fails, logs it, and tries again next time', async () => {
    let fail = true;
    const { source, calls } = fakeSource(() => (fail ? new Error('disk gone') : BEIJING_MOBILE));
    const lines: string[] = [];
    const log = pino({ level: 'warn' }, { write: (line: string) => void lines.push(line) });
    const facts = createNumberFacts({ source, log });
    assert.deepEqual(await facts.lookup('13800138000'), { kind: 'mobile', number: '13800138000' });
    assert.match(lines.join(''), /number facts lookup failed/);
    fail = false;
    assert.equal((await facts.lookup('13800138000')).province, '北京市');
    assert.equal(calls.length, 2);
  });

  it('answers without region rather than queue when too many lookups are in flight', async () => {
    const { source, calls } = fakeSource(() => BEIJING_MOBILE);
    const facts = createNumberFacts({ source, maxPending: 1 });
    const first = facts.lookup('13800138000');
    const second = await facts.lookup('13900139000');
    assert.deepEqual(second, { kind: 'mobile', number: '13900139000' });
    assert.equal((await first).carrier, '中国移动');
    assert.equal(calls.length, 1);
  });
});

describe('splitRegion', () => {
  it('knows the 34 provincial-level divisions', () => {
    assert.equal(new Set(PROVINCES.map((p) => p.name)).size, 34);
  });

  it('splits the forms the geocoding data uses', () => {
    const cases: Record<string, ReturnType<typeof splitRegion>> = {
      北京市: { province: '北京市', city: '北京市' },
      天津: { province: '天津市', city: '天津市' },
      江苏省常州市: { province: '江苏省', city: '常州市' },
      黑龙江省哈尔滨市: { province: '黑龙江省', city: '哈尔滨市' },
      广西南宁市: { province: '广西壮族自治区', city: '南宁市' },
      广西壮族自治区南宁市: { province: '广西壮族自治区', city: '南宁市' },
      内蒙古呼和浩特市: { province: '内蒙古自治区', city: '呼和浩特市' },
      内蒙古自治区锡林郭勒盟: { province: '内蒙古自治区', city: '锡林郭勒盟' },
      宁夏银川市: { province: '宁夏回族自治区', city: '银川市' },
      新疆伊犁哈萨克自治州: { province: '新疆维吾尔自治区', city: '伊犁哈萨克自治州' },
      '西藏日喀则地区、仲巴县': { province: '西藏自治区', city: '日喀则地区' },
      广东省: { province: '广东省' },
      'San Francisco, CA': {},
    };
    for (const [text, want] of Object.entries(cases)) assert.deepEqual(splitRegion(text), want, text);
  });
});
