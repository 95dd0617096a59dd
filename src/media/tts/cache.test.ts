import assert from 'node:assert/strict';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { nodeFileOps, type AtomicFileOps } from './atomic.js';
import { TtsCache, ttsCacheDir } from './cache.js';
import { TtsError } from './errors.js';
import { FakeTtsProvider } from './testing.js';
import { decodeWavPcm16Mono } from './wav.js';

let root: string;
let n = 0;

before(async () => {
  root = await mkdtemp(join(tmpdir(), 'hotline-tts-cache-'));
});
after(async () => {
  await rm(root, { recursive: true, force: true });
});

function setup(provider = new FakeTtsProvider(), fileOps?: AtomicFileOps) {
  const dir = ttsCacheDir(join(root, `data-${++n}`));
  return { provider, dir, cache: new TtsCache({ dir, provider, ...(fileOps ? { fileOps } : {}) }) };
}

async function listFiles(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true }).catch(() => []);
  return entries.filter((e) => e.isFile()).map((e) => e.name);
}

describe('TtsCache', () => {
  it('synthesizes on a miss and stores an 8 kHz mono PCM16 WAV under ${dataDir}/tts/<k0k1>/<key>.wav', async () => {
    const { cache, dir, provider } = setup();
    const got = await cache.get({ text: 'hello', lang: 'en' });
    assert.equal(got.fromCache, false);
    assert.equal(got.sampleRate, 8000);
    assert.equal(provider.calls.length, 1);
    assert.match(got.key, /^[0-9a-f]{64}$/);
    assert.equal(got.path, join(dir, got.key.slice(0, 2), `${got.key}.wav`));
    // 5 characters × 50 ms at 16 kHz, resampled to 8 kHz.
    assert.equal(got.samples.length, 2000);
    const wav = decodeWavPcm16Mono(await readFile(got.path));
    assert.ok(wav.ok);
    assert.equal(wav.sampleRate, 8000);
    assert.deepEqual(wav.samples, got.samples);
  });

  it('serves a hit from disk without calling the provider, also from a new cache instance', async () => {
    const { cache, dir, provider } = setup();
    const first = await cache.get({ text: '请稍候', lang: 'zh-CN' });
    const again = await cache.get({ text: '请稍候', lang: 'zh-CN' });
    assert.equal(again.fromCache, true);
    assert.deepEqual(again.samples, first.samples);
    const fresh = new FakeTtsProvider();
    const reopened = new TtsCache({ dir, provider: fresh });
    const third = await reopened.get({ text: '请稍候', lang: 'zh-CN' });
    assert.equal(third.fromCache, true);
    assert.equal(provider.calls.length, 1);
    assert.equal(fresh.calls.length, 0);
    assert.equal(await reopened.has({ text: '请稍候', lang: 'zh-CN' }), true);
    assert.equal(await reopened.has({ text: 'other', lang: 'zh-CN' }), false);
    assert.deepEqual(cache.stats, { hits: 1, misses: 1, coalesced: 0, writeFailures: 0 });
  });

  it('coalesces concurrent requests for the same key into one synthesis', async () => {
    const { cache, provider } = setup();
    provider.hold = true;
    const reqs = [1, 2, 3].map(() => cache.get({ text: 'please hold', lang: 'en' }));
    const other = cache.get({ text: 'goodbye', lang: 'en' });
    await new Promise((r) => setImmediate(r));
    provider.release();
    const results = await Promise.all(reqs);
    await other;
    assert.equal(provider.calls.filter((c) => c.text === 'please hold').length, 1);
    assert.equal(provider.calls.length, 2);
    assert.equal(cache.stats.coalesced, 2);
    for (const r of results) assert.deepEqual(r.samples, results[0]!.samples);
  });

  it('keys on voice, rate, pitch, language, text and provider id, with defaults filled in', () => {
    const { cache } = setup();
    const base = { text: 'hello', lang: 'en' } as const;
    const k = cache.keyOf(base);
    assert.equal(cache.keyOf({ ...base, rate: 1, pitch: 50, voice: 'fake-en' }), k, 'defaults are explicit');
    assert.equal(cache.keyOf({ ...base, text: '  hello ' }), k, 'surrounding space is not part of the text');
    const variants = [
      cache.keyOf({ ...base, voice: 'other' }),
      cache.keyOf({ ...base, rate: 1.2 }),
      cache.keyOf({ ...base, pitch: 60 }),
      cache.keyOf({ ...base, lang: 'zh-CN' }),
      cache.keyOf({ ...base, text: 'Hello' }),
      new TtsCache({ dir: 'x', provider: new FakeTtsProvider('fake@2') }).keyOf(base),
    ];
    assert.equal(new Set([k, ...variants]).size, variants.length + 1);
  });

  it('writes atomically: a temp file renamed into place, nothing left behind', async () => {
    const renames: [string, string][] = [];
    const spy: AtomicFileOps = {
      ...nodeFileOps,
      rename: (a, b) => (renames.push([a, b]), nodeFileOps.rename(a, b)),
    };
    const { cache } = setup(undefined, spy);
    const got = await cache.get({ text: 'atomic', lang: 'en' });
    assert.equal(renames.length, 1);
    assert.equal(renames[0]![1], got.path);
    assert.equal(dirname(renames[0]![0]), dirname(got.path), 'the temp file is in the same directory');
    assert.match(renames[0]![0], /\.tmp$/);
    assert.deepEqual(await listFiles(dirname(got.path)), [`${got.key}.wav`]);
  });

  it('still answers when the entry cannot be stored, leaves no temp file, and retries next time', async () => {
    const failing: AtomicFileOps = {
      ...nodeFileOps,
      rename: () => Promise.reject(Object.assign(new Error('disk full'), { code: 'ENOSPC' })),
    };
    const { cache, dir, provider } = setup(undefined, failing);
    const got = await cache.get({ text: 'no room', lang: 'en' });
    assert.equal(got.fromCache, false);
    assert.ok(got.samples.length > 0);
    assert.equal(cache.stats.writeFailures, 1);
    assert.deepEqual(await listFiles(dir), []);
    await cache.get({ text: 'no room', lang: 'en' });
    assert.equal(provider.calls.length, 2);
  });

  it('replaces a corrupt entry instead of serving it', async () => {
    const { cache, provider } = setup();
    const path = (await cache.get({ text: 'corrupt me', lang: 'en' })).path;
    await writeFile(path, Buffer.from('RIFF....WAVEjunk'));
    const got = await cache.get({ text: 'corrupt me', lang: 'en' });
    assert.equal(got.fromCache, false);
    assert.equal(provider.calls.length, 2);
    assert.ok(decodeWavPcm16Mono(await readFile(path)).ok);
  });

  it('rejects invalid requests before touching the provider', async () => {
    const { cache, provider } = setup();
    for (const req of [
      { text: '   ', lang: 'en' },
      { text: 'x', lang: 'fr' },
      { text: 'x', lang: 'en', rate: 5 },
      { text: 'x', lang: 'en', pitch: -1 },
      { text: 'x', lang: 'en', voice: 'en us"' },
      { text: 'x'.repeat(2001), lang: 'en' },
    ]) {
      await assert.rejects(cache.get(req as never), (e: TtsError) => e.code === 'TTS_INVALID_REQUEST');
    }
    assert.equal(provider.calls.length, 0);
  });

  it('lets one caller abort its wait while the shared synthesis completes and is stored', async () => {
    const { cache, provider } = setup();
    provider.hold = true;
    const ac = new AbortController();
    const leaving = cache.get({ text: 'shared', lang: 'en' }, ac.signal);
    const staying = cache.get({ text: 'shared', lang: 'en' });
    ac.abort();
    await assert.rejects(leaving, (e: TtsError) => e.code === 'TTS_ABORTED');
    provider.release();
    assert.equal((await staying).fromCache, false);
    assert.equal(await cache.has({ text: 'shared', lang: 'en' }), true);
  });

  it('passes provider errors through with their code and caches nothing', async () => {
    const { cache, provider } = setup();
    provider.failWith = new TtsError('TTS_UNKNOWN_VOICE', 'no such voice');
    await assert.rejects(
      cache.get({ text: 'x', lang: 'en' }),
      (e: TtsError) => e.code === 'TTS_UNKNOWN_VOICE',
    );
    assert.equal(await cache.has({ text: 'x', lang: 'en' }), false);
  });
});
