import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { PromptError } from './errors.js';
import { promptRequest, promptText, sayNumber } from './text.js';

describe('promptText', () => {
  it('gives the fixed prompts in Chinese and English', () => {
    assert.equal(promptText('please-hold', 'zh-CN'), '请稍候。');
    assert.equal(promptText('please-hold', 'en'), 'Please hold.');
    assert.equal(promptText('goodbye', 'zh-CN'), '感谢您的来电，再见。');
    assert.equal(promptText('goodbye', 'en', {}), 'Thank you for calling. Goodbye.');
    assert.equal(promptText('number-not-exist', 'zh-CN'), '您拨打的号码不存在，请查证后再拨。');
    assert.equal(promptText('invalid-input', 'en'), 'Invalid input. Please try again.');
    assert.equal(promptText('welcome', 'zh-CN'), '您好，欢迎致电。');
    assert.equal(promptText('please-enter', 'zh-CN'), '请输入。');
  });

  it('reads DTMF keys as words: 星号 and 井号, star and pound, 1 as 幺', () => {
    assert.equal(promptText('digit', 'zh-CN', { key: '*' }), '星号');
    assert.equal(promptText('digit', 'zh-CN', { key: '#' }), '井号');
    assert.equal(promptText('digit', 'zh-CN', { key: '1' }), '幺');
    assert.equal(promptText('digit', 'zh-CN', { key: '0' }), '零');
    assert.equal(promptText('digit', 'en', { key: '*' }), 'star');
    assert.equal(promptText('digit', 'en', { key: '7' }), 'seven');
    assert.equal(promptText('digits', 'zh-CN', { keys: '8001#' }), '八零零幺井号');
    assert.equal(promptText('digits', 'en', { keys: '12*' }), 'one, two, star');
  });

  it('puts numbers into queue and wait announcements in words', () => {
    assert.equal(promptText('queue-position', 'zh-CN', { position: 3 }), '您现在排在第三位。');
    assert.equal(promptText('queue-position', 'en', { position: 12 }), 'You are number twelve in line.');
    assert.equal(promptText('queue-position', 'en', { position: 1 }), 'You are next in line.');
    // A count before a measure word says 两, an ordinal says 二.
    assert.equal(promptText('callers-ahead', 'zh-CN', { count: 2 }), '您前面还有两位。');
    assert.equal(promptText('estimated-wait', 'zh-CN', { minutes: 2 }), '预计等待两分钟。');
    assert.equal(promptText('queue-position', 'zh-CN', { position: 2 }), '您现在排在第二位。');
    assert.equal(promptText('callers-ahead', 'zh-CN', { count: 12 }), '您前面还有十二位。');
    assert.equal(promptText('callers-ahead', 'zh-CN', { count: 15 }), '您前面还有十五位。');
    assert.equal(promptText('callers-ahead', 'zh-CN', { count: 0 }), '您是下一位。');
    assert.equal(promptText('callers-ahead', 'en', { count: 1 }), 'There is one caller ahead of you.');
    assert.equal(
      promptText('callers-ahead', 'en', { count: 21 }),
      'There are twenty-one callers ahead of you.',
    );
    assert.equal(promptText('estimated-wait', 'zh-CN', { minutes: 5 }), '预计等待五分钟。');
    assert.equal(promptText('estimated-wait', 'zh-CN', { minutes: 0 }), '预计等待不到一分钟。');
    assert.equal(promptText('estimated-wait', 'en', { minutes: 1 }), 'The estimated wait is one minute.');
    assert.equal(
      promptText('estimated-wait', 'en', { minutes: 105 }),
      'The estimated wait is one hundred and five minutes.',
    );
    assert.equal(promptText('number', 'zh-CN', { n: 20005 }), '两万零五');
  });

  it('reads an agent number digit by digit (座席报号)', () => {
    assert.equal(promptText('agent-number', 'zh-CN', { digits: '1002' }), '工号幺零零二为您服务。');
    assert.equal(
      promptText('agent-number', 'en', { digits: '1002' }),
      'Agent number one zero zero two is serving you.',
    );
    const untyped = promptText as (id: string, lang: string, p?: object) => string;
    assert.throws(() => untyped('agent-number', 'en', { digits: '10a2' }), /digits must be/);
  });

  it('rejects bad parameters and unknown prompts with coded errors', () => {
    const code = (c: string) => (e: PromptError) => e.code === c;
    const untyped = promptText as (id: string, lang: string, p?: object) => string;
    assert.throws(() => untyped('queue-position', 'en', { position: 0 }), code('PROMPT_INVALID_PARAMS'));
    assert.throws(() => untyped('callers-ahead', 'en', { count: -1 }), code('PROMPT_INVALID_PARAMS'));
    assert.throws(() => untyped('estimated-wait', 'en', { minutes: 2.5 }), code('PROMPT_INVALID_PARAMS'));
    assert.throws(() => untyped('estimated-wait', 'en'), code('PROMPT_INVALID_PARAMS'));
    assert.throws(() => untyped('digit', 'en', { key: 'E' }), code('PROMPT_INVALID_PARAMS'));
    assert.throws(() => untyped('digits', 'en', { keys: '' }), code('PROMPT_INVALID_PARAMS'));
    assert.throws(() => untyped('number', 'en', { n: '5' }), code('PROMPT_INVALID_PARAMS'));
    assert.throws(() => untyped('hello', 'en'), code('PROMPT_UNKNOWN'));
    assert.throws(() => untyped('goodbye', 'fr'), code('PROMPT_UNKNOWN'));
    assert.throws(() => untyped('toString', 'en'), code('PROMPT_UNKNOWN'));
  });

  it('does not compile with missing or wrong parameters', () => {
    // Type-level checks: each line must fail to compile (tsc --noEmit); at run time they throw.
    assert.throws(() =>
      // @ts-expect-error queue-position needs { position }
      promptText('queue-position', 'en'),
    );
    assert.throws(() =>
      // @ts-expect-error not a DTMF key
      promptText('digit', 'en', { key: 'E' }),
    );
    assert.throws(() =>
      // @ts-expect-error not a prompt language
      promptText('goodbye', 'ja'),
    );
  });
});

describe('promptRequest and sayNumber', () => {
  it('builds the TTS request playback and preparation share', () => {
    assert.deepEqual(promptRequest('callers-ahead', 'zh-CN', { count: 3 }), {
      text: '您前面还有三位。',
      lang: 'zh-CN',
    });
  });

  it('says a number as full text in either language', () => {
    assert.equal(sayNumber(105, 'zh-CN'), '一百零五');
    assert.equal(sayNumber(105, 'en'), 'one hundred and five');
    assert.throws(
      () => sayNumber(1.5, 'en'),
      (e: PromptError) => e.code === 'PROMPT_INVALID_PARAMS',
    );
  });
});
