import assert from 'node:assert/strict';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { after, before, describe, it } from 'node:test';
import { pino } from 'pino';
import { RoutingError } from './errors.js';
import { packageGeoDataFiles } from './geo-data.js';
import { memoryGeoSource, workerGeoSource, type GeoSource } from './geo-source.js';

const files = packageGeoDataFiles();
const missing = { geocodes: join(files.geocodes, '..', 'no-such-file.bson'), carriers: files.carriers };
const NUMBERS = [
  '+8613800138000',
  '+8618912345678',
  '+862088888888',
  '+867715555555',
  '+8619212345678',
  '+14155552671',
];

function capture() {
  const lines: { level: number; msg: string }[] = [];
  const log = pino({ level: 'info' }, { write: (line: string) => void lines.push(JSON.parse(line)) });
  return { log, lines };
}

async function rejectsWithDataError(promise: Promise<unknown>, pattern: RegExp): Promise<void> {
  await assert.rejects(promise, (err: unknown) => {
    assert.ok(err instanceof RoutingError, String(err));
    assert.equal(err.code, 'ROUTING_GEO_DATA');
    assert.match(err.message, pattern);
    return true;
  });
}

describe('memoryGeoSource', () => {
  const { log, lines } = capture();
  const memory = memoryGeoSource({ log });
  before(() => memory.preload());

  it('loads the tables once, however often preload is called', async () => {
    const first = await memory.preload();
    assert.equal(await memory.preload(), first);
    assert.equal(first.version, files.version);
    assert.equal(lines.filter((l) => l.msg === 'number facts data loaded').length, 1);
  });

  it('answers from memory, with or without a promise', async () => {
    assert.deepEqual(memory.describeSync('+8613800138000'), { region: '北京市', carrier: '中国移动' });
    for (const n of NUMBERS) assert.deepEqual(await memory.describe(n), memory.describeSync(n), n);
  });

  it('answers nothing for another country or for text that is not E.164', () => {
    for (const n of ['+14155552671', '13800138000', '+86', '']) {
      assert.deepEqual(memory.describeSync(n), { region: null, carrier: null }, n);
    }
  });

  it('loads on the first lookup when not preloaded, and warns that it held the thread', () => {
    const { log: lazyLog, lines: lazyLines } = capture();
    const lazy = memoryGeoSource({ log: lazyLog });
    assert.equal(lazy.describeSync('+8613800138000').carrier, '中国移动');
    assert.match(lazyLines.map((l) => l.msg).join('\n'), /loaded on the first lookup/);
  });

  it('with a missing file: preload rejects naming it, logs once, and lookups answer nothing', async () => {
    const { log: badLog, lines: badLines } = capture();
    const broken = memoryGeoSource({ files: missing, log: badLog });
    await rejectsWithDataError(broken.preload(), /cannot read the geocoding table .*no-such-file\.bson/);
    await rejectsWithDataError(broken.preload(), /no-such-file\.bson/);
    assert.deepEqual(await broken.describe('+8613800138000'), { region: null, carrier: null });
    assert.deepEqual(broken.describeSync('+8618912345678'), { region: null, carrier: null });
    const errors = badLines.filter((l) => l.level === 50);
    assert.equal(errors.length, 1);
    assert.match(errors[0]?.msg ?? '', /could not be loaded/);
  });
});

describe('workerGeoSource', () => {
  const memory = memoryGeoSource();
  const worker = workerGeoSource();
  before(() => memory.preload());
  after(() => worker.close());

  it('loads the tables in its thread and answers as the tables in memory do', async () => {
    const info = await worker.preload?.();
    assert.equal(info?.geocodePrefixes, (await memory.preload()).geocodePrefixes);
    for (const n of NUMBERS) assert.deepEqual(await worker.describe(n), memory.describeSync(n), n);
  });

  it('answers lookups sent before its tables are loaded, once they are', async () => {
    const fresh = workerGeoSource();
    try {
      const answers = await Promise.all(NUMBERS.map((n) => fresh.describe(n)));
      assert.deepEqual(
        answers,
        NUMBERS.map((n) => memory.describeSync(n)),
      );
    } finally {
      await fresh.close();
    }
  });

  it('with a missing file: preload rejects naming it and lookups answer nothing', async () => {
    const broken = workerGeoSource({ files: missing });
    try {
      await rejectsWithDataError(broken.preload?.() ?? Promise.resolve(), /no-such-file\.bson/);
      assert.deepEqual(await broken.describe('+8613800138000'), { region: null, carrier: null });
    } finally {
      await broken.close();
    }
  });

  it('fails the lookups in flight when its worker dies, and starts a new one for the next', async () => {
    // Stand-in workers speaking the protocol: the first dies at once, the second answers.
    const scripts = [
      'process.exit(3)',
      `const { parentPort } = require('node:worker_threads');
       parentPort.postMessage({ type: 'ready', info: { geocodePrefixes: 1, carrierPrefixes: 0, loadMs: 0 } });
       parentPort.on('message', (m) => parentPort.postMessage({ type: 'answer', id: m.id, region: '测试市', carrier: null }));`,
    ];
    let spawned = 0;
    const source: GeoSource = workerGeoSource({
      spawn: () => new Worker(scripts[spawned++] ?? '', { eval: true }),
    });
    try {
      await assert.rejects(source.describe('+8613800138000'), (err: unknown) => {
        assert.ok(err instanceof RoutingError);
        assert.equal(err.code, 'ROUTING_GEO_FAILED');
        assert.match(err.message, /exited with code 3/);
        return true;
      });
      assert.deepEqual(await source.describe('+8613800138000'), { region: '测试市', carrier: null });
      assert.equal(spawned, 2);
    } finally {
      await source.close();
    }
  });
});
