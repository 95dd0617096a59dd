import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { FakeClock } from '../../../platform/clock.js';
import { TtsError } from '../errors.js';
import type { SynthesizedAudio } from '../types.js';
import { EspeakProvider } from './provider.js';

/**
 * Runs the real espeak-ng WASM engine in its worker thread. It stays in the unit suite
 * because it is fast: about 0.3 s to start a worker and load the engine, 10–300 ms per
 * sentence; the whole file takes about 2 s.
 */

function rms(x: Int16Array): number {
  let sum = 0;
  for (const s of x) sum += s * s;
  return Math.sqrt(sum / Math.max(1, x.length));
}

function seconds(a: SynthesizedAudio): number {
  return a.samples.length / a.sampleRate;
}

const tick = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

describe('EspeakProvider (espeak-ng WASM)', () => {
  // Timeouts and idle run on a fake clock: they fire only when a test moves it.
  const clock = new FakeClock();
  const provider = new EspeakProvider({ clock, timeoutMs: 5000, idleMs: 60_000 });
  after(() => provider.close());

  it('names itself by engine and version, and maps zh-CN to Mandarin and en to English', () => {
    assert.match(provider.id, /^espeak-ng@\d+\.\d+\.\d+$/);
    assert.equal(provider.voiceFor('zh-CN'), 'cmn');
    assert.equal(provider.voiceFor('en'), 'en-us');
  });

  it('speaks an English sentence: audible, of plausible length', async () => {
    const a = await provider.synthesize({ text: 'Please hold, you are number three in line.', lang: 'en' });
    assert.equal(a.sampleRate, 22_050);
    assert.ok(seconds(a) > 0.5 && seconds(a) < 10, `${seconds(a)} s`);
    assert.ok(rms(a.samples) > 500, `RMS ${rms(a.samples)}`);
  });

  it('speaks a Mandarin sentence: audible, of plausible length', async () => {
    const a = await provider.synthesize({ text: '请稍候，您前面还有三位。', lang: 'zh-CN' });
    assert.ok(seconds(a) > 0.5 && seconds(a) < 10, `${seconds(a)} s`);
    assert.ok(rms(a.samples) > 500, `RMS ${rms(a.samples)}`);
  });

  it('speaks slower at a lower rate', async () => {
    const normal = await provider.synthesize({ text: '预计等待五分钟', lang: 'zh-CN' });
    const slow = await provider.synthesize({ text: '预计等待五分钟', lang: 'zh-CN', rate: 0.6 });
    assert.ok(seconds(slow) > seconds(normal) * 1.3, `${seconds(slow)} vs ${seconds(normal)} s`);
  });

  it('serializes concurrent requests and answers each with its own audio', async () => {
    const texts = ['one', 'two two two two two two', 'three three'];
    const out = await Promise.all(texts.map((text) => provider.synthesize({ text, lang: 'en' })));
    assert.ok(seconds(out[1]!) > seconds(out[2]!) && seconds(out[2]!) > seconds(out[0]!));
  });

  it('rejects an unknown voice with TTS_UNKNOWN_VOICE and carries on', async () => {
    await assert.rejects(
      provider.synthesize({ text: 'x', lang: 'en', voice: 'no-such-voice' }),
      (e: TtsError) => e.code === 'TTS_UNKNOWN_VOICE',
    );
    assert.ok(seconds(await provider.synthesize({ text: 'still here', lang: 'en' })) > 0.3);
  });

  it('drops a queued request whose signal fires, with TTS_ABORTED', async () => {
    const ac = new AbortController();
    const first = provider.synthesize({ text: 'first in line', lang: 'en' });
    const second = provider.synthesize({ text: 'second', lang: 'en' }, ac.signal);
    ac.abort();
    await assert.rejects(second, (e: TtsError) => e.code === 'TTS_ABORTED');
    await first;
  });

  it('times out a synthesis with TTS_TIMEOUT, restarts the engine, and ends it when idle', async () => {
    const slow = provider.synthesize({ text: 'a fairly long sentence. '.repeat(40), lang: 'en' });
    await tick();
    clock.advance(5000);
    await assert.rejects(slow, (e: TtsError) => e.code === 'TTS_TIMEOUT');
    assert.equal(provider.workerRunning, false);
    assert.ok(seconds(await provider.synthesize({ text: 'back again', lang: 'en' })) > 0.3);
    assert.equal(provider.workerRunning, true);
    clock.advance(60_000);
    assert.equal(provider.workerRunning, false, 'idle worker ended');
  });

  it('rejects pending and later requests with TTS_CLOSED once closed; close is idempotent', async () => {
    const p = new EspeakProvider();
    const pending = assert.rejects(
      p.synthesize({ text: 'never spoken', lang: 'en' }),
      (e: TtsError) => e.code === 'TTS_CLOSED',
    );
    const closing = p.close();
    assert.equal(p.close(), closing);
    await closing;
    await pending;
    await assert.rejects(p.synthesize({ text: 'x', lang: 'en' }), (e: TtsError) => e.code === 'TTS_CLOSED');
  });
});
