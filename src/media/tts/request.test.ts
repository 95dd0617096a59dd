import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { TtsError } from './errors.js';
import { resolveRequest } from './request.js';

const voiceFor = (lang: string): string => (lang === 'en' ? 'en-us' : 'cmn');

describe('resolveRequest', () => {
  it('fills in voice, rate 1 and pitch 50, and normalises the text', () => {
    assert.deepEqual(resolveRequest({ text: ' 请稍候\n ', lang: 'zh-CN' }, voiceFor), {
      text: '请稍候',
      lang: 'zh-CN',
      voice: 'cmn',
      rate: 1,
      pitch: 50,
    });
    // U+0065 U+0301 (e + combining acute) and U+00E9 are the same text.
    const a = resolveRequest({ text: 'cafe\u0301', lang: 'en' }, voiceFor);
    const b = resolveRequest({ text: 'caf\u00e9', lang: 'en' }, voiceFor);
    assert.equal(a.text, b.text);
  });

  it('keeps an explicit voice, rate and pitch', () => {
    const r = resolveRequest({ text: 'x', lang: 'en', voice: 'en-gb+f3', rate: 0.8, pitch: 70 }, voiceFor);
    assert.deepEqual([r.voice, r.rate, r.pitch], ['en-gb+f3', 0.8, 70]);
  });

  it('rejects what no engine should be asked, with TTS_INVALID_REQUEST', () => {
    for (const bad of [
      { text: '', lang: 'en' },
      { text: 'x', lang: 'de' },
      { text: 'x', lang: 'en', rate: 0.1 },
      { text: 'x', lang: 'en', rate: Number.NaN },
      { text: 'x', lang: 'en', pitch: 101 },
      { text: 'x', lang: 'en', voice: '' },
      { text: 42, lang: 'en' },
    ]) {
      assert.throws(
        () => resolveRequest(bad as never, voiceFor),
        (e: TtsError) => e.code === 'TTS_INVALID_REQUEST',
        JSON.stringify(bad),
      );
    }
  });
});
