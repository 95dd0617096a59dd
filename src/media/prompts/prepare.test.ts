import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { TtsCache, TtsError, ttsCacheDir } from '../tts/index.js';
import { FakeTtsProvider } from '../tts/testing.js';
import { preparePrompts, systemPrompts } from './prepare.js';
import { promptRequest } from './text.js';

let root: string;
let n = 0;
before(async () => {
  root = await mkdtemp(join(tmpdir(), 'hotline-prompts-'));
});
after(async () => {
  await rm(root, { recursive: true, force: true });
});

function setup() {
  const provider = new FakeTtsProvider();
  const cache = new TtsCache({ dir: ttsCacheDir(join(root, `data-${++n}`)), provider });
  return { provider, cache };
}

describe('systemPrompts', () => {
  it('lists the 16 keys, the fixed sentences and the counted announcements per language', () => {
    const list = systemPrompts(['zh-CN', 'en'], { queuePositions: 3, waitMinutes: 2 });
    const perLang = 16 + 7 + 3 + 3 + 3;
    assert.equal(list.length, 2 * perLang);
    assert.equal(new Set(list.map((e) => `${e.lang}|${e.text}`)).size, list.length, 'no duplicates');
    const hold = list.find((e) => e.id === 'please-hold' && e.lang === 'zh-CN');
    assert.equal(hold?.text, '请稍候。');
    assert.deepEqual(
      list.filter((e) => e.id === 'callers-ahead' && e.lang === 'zh-CN').map((e) => e.text),
      ['您是下一位。', '您前面还有一位。', '您前面还有两位。'],
    );
  });
});

describe('preparePrompts', () => {
  it('synthesizes every prompt on first use and nothing on the next run', async () => {
    const { provider, cache } = setup();
    const first = await preparePrompts(cache, ['zh-CN', 'en'], { queuePositions: 2, waitMinutes: 1 });
    const total = 2 * (16 + 7 + 2 + 2 + 2);
    assert.equal(first.generated.length, total);
    assert.equal(first.cached, 0);
    assert.deepEqual(first.failed, []);
    assert.equal(provider.calls.length, total);
    const hold = first.generated.find((g) => g.id === 'please-hold' && g.lang === 'en')!;
    assert.equal(hold.text, 'Please hold.');
    assert.equal(hold.key, cache.keyOf(promptRequest('please-hold', 'en')), 'playback finds the same entry');
    assert.ok(hold.durationMs > 0);

    const second = await preparePrompts(cache, ['zh-CN', 'en'], { queuePositions: 2, waitMinutes: 1 });
    assert.equal(second.generated.length, 0);
    assert.equal(second.cached, total);
    assert.equal(provider.calls.length, total);
  });

  it('reports a prompt that fails and carries on with the rest', async () => {
    const { provider, cache } = setup();
    const real = provider.synthesize.bind(provider);
    provider.synthesize = (req, signal) =>
      req.text === '请稍候。' ? Promise.reject(new TtsError('TTS_TIMEOUT', 'slow')) : real(req, signal);
    const report = await preparePrompts(cache, ['zh-CN'], { queuePositions: 1, waitMinutes: 0 });
    assert.equal(report.failed.length, 1);
    assert.deepEqual([report.failed[0]!.id, report.failed[0]!.code], ['please-hold', 'TTS_TIMEOUT']);
    assert.equal(report.generated.length, 16 + 7 + 1 + 1 + 1 - 1);
  });

  it('stops with TTS_ABORTED when its signal fires, keeping what it made', async () => {
    const { provider, cache } = setup();
    const ac = new AbortController();
    const real = provider.synthesize.bind(provider);
    provider.synthesize = (req, signal) => {
      if (provider.calls.length === 4) ac.abort();
      return real(req, signal);
    };
    await assert.rejects(
      preparePrompts(cache, ['en'], { signal: ac.signal }),
      (e: TtsError) => e.code === 'TTS_ABORTED',
    );
    assert.equal(await cache.has(promptRequest('digit', 'en', { key: '0' })), true);
  });
});
