import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { assertEnd, doc, ends, path, played, sim } from './testing.js';

const menu = (extra: Record<string, unknown> = {}) =>
  doc({
    m: {
      type: 'menu',
      prompts: [{ tts: '请选择' }],
      options: { '1': 'one', '2': 'two' },
      invalid: 'bad',
      timeout: 'silent',
      ...extra,
    },
    ...ends('one'),
    ...ends('two'),
    ...ends('bad'),
    ...ends('silent'),
  });

describe('play node', () => {
  it('plays TTS, files, say-values and system prompts, then leaves by next', async () => {
    const r = await sim(
      doc({
        p: {
          type: 'play',
          prompts: [
            { tts: '来电号码' },
            { say: 'digits', value: '${ANI}' },
            { file: 'prompts/${LANG}/beep.wav' },
            { say: 'money', value: '12.50' },
            { say: 'date', value: '${DATE}' },
            { prompt: 'goodbye' },
            { silenceMs: 300 },
          ],
          next: 'end',
        },
        ...ends('end'),
      }),
    );
    assert.deepEqual(path(r), ['p→next', 'end→∎']);
    assert.deepEqual(played(r), [
      '来电号码',
      '幺三八零零幺三八零零零 [say digits 13800138000]',
      '[file prompts/zh-CN/beep.wav]',
      '十二元五角 [say money 12.50]',
      '二零二六年十月九号 [say date 20261009]',
      '感谢您的来电，再见。',
      '[silence 300 ms]',
    ]);
  });

  it('takes the error exit when a say-value cannot be read', async () => {
    const r = await sim(
      doc(
        {
          p: { type: 'play', prompts: [{ say: 'date', value: '${X}' }], next: 'end', error: 'oops' },
          ...ends('end'),
          ...ends('oops'),
        },
        { variables: { X: 'not-a-date' } },
      ),
    );
    assert.deepEqual(path(r), ['p→error', 'oops→∎']);
    assert.equal(r.result.failures[0]?.code, 'IVR_PROMPT_FAILED');
  });
});

describe('menu node', () => {
  it('leaves by the option pressed', async () => {
    assert.deepEqual(path(await sim(menu(), { dtmf: ['1'] })), ['m→1', 'one→∎']);
    assert.deepEqual(path(await sim(menu(), { dtmf: ['2'] })), ['m→2', 'two→∎']);
  });

  it('replays after a wrong key and leaves by invalid when the retries are used up', async () => {
    const r = await sim(menu({ retries: 1 }), { dtmf: ['9', '8'] });
    assert.deepEqual(path(r), ['m→invalid', 'bad→∎']);
    assert.equal(r.steps[0]!.step.digits, '8');
    assert.deepEqual(played(r), ['请选择', '输入有误，请重新输入。', '请选择']);
  });

  it('leaves by timeout after silent attempts, playing the timeout prompts between them', async () => {
    const r = await sim(menu({ retries: 2, timeoutPrompts: [{ tts: '您没有输入' }] }), {
      dtmf: ['', '', ''],
    });
    assert.deepEqual(path(r), ['m→timeout', 'silent→∎']);
    assert.equal(r.steps[0]!.step.digits, null);
    assert.deepEqual(played(r), ['请选择', '您没有输入', '请选择', '您没有输入', '请选择']);
  });

  it('accepts a right key after a wrong one', async () => {
    assert.deepEqual(path(await sim(menu(), { dtmf: ['7', '2'] })), ['m→2', 'two→∎']);
  });

  it('hangs up politely at an exit the flow leaves open', async () => {
    const r = await sim(
      doc({
        m: { type: 'menu', prompts: [{ tts: '请选择' }], options: { '1': 'one' }, retries: 0 },
        ...ends('one'),
      }),
      { dtmf: [''] },
    );
    assert.deepEqual(path(r), ['m→timeout']);
    assert.deepEqual(r.result.end, { kind: 'hangup', cause: 16, reason: 'noExit' });
    assert.deepEqual(played(r).at(-1), '感谢您的来电，再见。');
  });
});

describe('collect node', () => {
  const collect = (extra: Record<string, unknown> = {}) =>
    doc({
      c: {
        type: 'collect',
        prompts: [{ tts: '请输入号码' }],
        into: 'NUM',
        min: 4,
        max: 6,
        retries: 0,
        ok: 'good',
        invalid: 'bad',
        timeout: 'silent',
        ...extra,
      },
      ...ends('good'),
      ...ends('bad'),
      ...ends('silent'),
    });

  it('stores digits ended by the terminator and leaves by ok', async () => {
    const r = await sim(collect(), { dtmf: ['1234#'] });
    assert.deepEqual(path(r), ['c→ok', 'good→∎']);
    assert.equal(r.result.data['NUM'], '1234');
    assert.equal(r.steps[0]!.step.digits, '1234');
  });

  it('ends at max keys and after a pause', async () => {
    assert.equal((await sim(collect(), { dtmf: ['12345678'] })).result.data['NUM'], '123456');
    assert.equal((await sim(collect(), { dtmf: ['12345'] })).result.data['NUM'], '12345');
  });

  it('leaves by invalid for too few keys or a pattern mismatch, without storing them', async () => {
    const short = await sim(collect(), { dtmf: ['12#'] });
    assert.deepEqual(path(short), ['c→invalid', 'bad→∎']);
    assert.equal(short.result.data['NUM'], undefined);
    assert.deepEqual(path(await sim(collect({ pattern: '9[0-9]+' }), { dtmf: ['1234#'] })), [
      'c→invalid',
      'bad→∎',
    ]);
    assert.deepEqual(path(await sim(collect({ pattern: '9[0-9]+' }), { dtmf: ['9234#'] })), [
      'c→ok',
      'good→∎',
    ]);
  });

  it('leaves by timeout when nothing is pressed', async () => {
    assert.deepEqual(path(await sim(collect(), { dtmf: [''] })), ['c→timeout', 'silent→∎']);
  });

  it('retries with the invalid prompts before giving up', async () => {
    const r = await sim(collect({ retries: 1, invalidPrompts: [{ tts: '位数不对' }] }), {
      dtmf: ['1#', '5678#'],
    });
    assert.deepEqual(path(r), ['c→ok', 'good→∎']);
    assert.deepEqual(played(r), ['请输入号码', '位数不对', '请输入号码']);
  });
});

describe('survey node', () => {
  const survey = doc({
    s: {
      type: 'survey',
      prompts: [{ tts: '请评分' }],
      accept: '123',
      into: 'SCORE',
      retries: 1,
      thanks: [{ tts: '谢谢' }],
      next: 'end',
    },
    ...ends('end'),
  });

  it('stores the score in the variable and the step log, and thanks the caller', async () => {
    const r = await sim(survey, { dtmf: ['2'] });
    assert.deepEqual(path(r), ['s→next', 'end→∎']);
    assert.equal(r.result.data['SCORE'], '2');
    assert.equal(r.steps[0]!.step.digits, '2');
    assert.deepEqual(played(r), ['请评分', '谢谢']);
  });

  it('asks again after a key it does not accept, and stores nothing without an answer', async () => {
    const r = await sim(survey, { dtmf: ['9', ''] });
    assert.deepEqual(path(r), ['s→next', 'end→∎']);
    assert.equal(r.result.data['SCORE'], '');
    assert.equal(r.steps[0]!.step.digits, null);
    assert.deepEqual(played(r), ['请评分', '输入有误，请重新输入。', '请评分']);
  });
});

describe('record node', () => {
  it('records after its prompt and puts the file path into the variable', async () => {
    const r = await sim(
      doc({
        rec: { type: 'record', prompts: [{ tts: '请留言' }], into: 'MSG', maxSeconds: 30, ok: 'end' },
        ...ends('end'),
      }),
    );
    assert.deepEqual(path(r), ['rec→ok', 'end→∎']);
    assert.equal(r.result.data['MSG'], 'recordings/sim-1-rec.wav');
    assert.deepEqual(r.steps[0]!.events.at(-1), {
      kind: 'record',
      path: 'recordings/sim-1-rec.wav',
      maxSeconds: 30,
    });
  });

  it('leaves by error when the recorder fails', async () => {
    const r = await sim(
      doc({
        rec: { type: 'record', into: 'MSG', ok: 'end', error: 'oops' },
        ...ends('end'),
        ...ends('oops'),
      }),
      { recordFails: true },
    );
    assert.deepEqual(path(r), ['rec→error', 'oops→∎']);
    assert.equal(r.result.failures[0]?.code, 'IVR_PORT_FAILED');
  });
});

describe('language node', () => {
  it('switches the language of every later prompt', async () => {
    const r = await sim(
      doc(
        {
          l: { type: 'language', lang: 'en', next: 'p' },
          p: { type: 'play', prompts: [{ prompt: 'hi' }, { say: 'number', value: '105' }], next: 'end' },
          ...ends('end'),
        },
        { texts: { hi: { 'zh-CN': '您好', en: 'Hello' } } },
      ),
    );
    assert.deepEqual(path(r), ['l→next', 'p→next', 'end→∎']);
    assert.deepEqual(played(r), ['Hello', 'one hundred and five [say number 105]']);
    assert.equal(r.result.data['LANG'], 'en');
  });

  it('falls back to the other language when a text has only one', async () => {
    const r = await sim(
      doc(
        {
          l: { type: 'language', lang: 'en', next: 'p' },
          p: { type: 'play', prompts: [{ prompt: 'hi' }], next: 'end' },
          ...ends('end'),
        },
        { texts: { hi: { 'zh-CN': '您好' } } },
      ),
    );
    assert.deepEqual(played(r), ['您好']);
  });
});

describe('the simulated caller', () => {
  it('hangs up when the scripted inputs run out', async () => {
    const r = await sim(menu(), { dtmf: [] });
    assertEnd(r, 'callerHangup');
    assert.deepEqual(path(r), ['m→∎']);
  });
});
