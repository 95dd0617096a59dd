import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { PromptError } from './errors.js';
import { ordinalEn, readYearEn, sayDate, sayDecimal, sayDigits, sayMoney, sayTime, sayValue } from './say.js';

describe('sayDate', () => {
  it('reads a zh-CN date with the year digit by digit and 号 for the day', () => {
    assert.equal(sayDate('20261001', 'zh-CN'), '二零二六年十月一号');
    assert.equal(sayDate('2019-12-31', 'zh-CN'), '二零一九年十二月三十一号');
    assert.equal(sayDate('20000220', 'zh-CN'), '二零零零年二月二十号');
  });

  it('reads an en date as month, ordinal day and spoken year', () => {
    assert.equal(sayDate('20261001', 'en'), 'October first, twenty twenty-six');
    assert.equal(sayDate('2005-03-22', 'en'), 'March twenty-second, two thousand and five');
    assert.equal(sayDate('19991130', 'en'), 'November thirtieth, nineteen ninety-nine');
  });

  it('refuses malformed dates and dates missing from the calendar', () => {
    for (const bad of ['2026101', '20261301', '20260230', 'tomorrow', '']) {
      assert.throws(
        () => sayDate(bad, 'zh-CN'),
        (err: unknown) => err instanceof PromptError && err.code === 'PROMPT_INVALID_PARAMS',
        bad,
      );
    }
  });
});

describe('readYearEn and ordinalEn', () => {
  const years: [number, string][] = [
    [1900, 'nineteen hundred'],
    [1905, 'nineteen oh five'],
    [2000, 'two thousand'],
    [2009, 'two thousand and nine'],
    [2010, 'twenty ten'],
    [2026, 'twenty twenty-six'],
  ];
  for (const [y, words] of years)
    it(`reads the year ${y} as "${words}"`, () => assert.equal(readYearEn(y), words));

  it('makes the last word ordinal', () => {
    assert.deepEqual([1, 2, 3, 4, 5, 8, 9, 12, 20, 21, 23, 30, 31].map(ordinalEn), [
      'first',
      'second',
      'third',
      'fourth',
      'fifth',
      'eighth',
      'ninth',
      'twelfth',
      'twentieth',
      'twenty-first',
      'twenty-third',
      'thirtieth',
      'thirty-first',
    ]);
  });
});

describe('sayTime', () => {
  const zh: [string, string][] = [
    ['090000', '九点整'],
    ['0930', '九点三十分'],
    ['14:05', '十四点零五分'],
    ['020000', '两点整'],
    ['000000', '零点整'],
    ['235959', '二十三点五十九分五十九秒'],
    ['100015', '十点零分十五秒'],
  ];
  for (const [t, words] of zh)
    it(`reads ${t} in zh-CN as ${words}`, () => assert.equal(sayTime(t, 'zh-CN'), words));

  const en: [string, string][] = [
    ['090000', 'nine a.m.'],
    ['0930', 'nine thirty a.m.'],
    ['14:05', 'two oh five p.m.'],
    ['120000', 'twelve noon'],
    ['000000', 'twelve midnight'],
    ['001500', 'twelve fifteen a.m.'],
    ['233001', 'eleven thirty p.m. and one second'],
  ];
  for (const [t, words] of en)
    it(`reads ${t} in en as "${words}"`, () => assert.equal(sayTime(t, 'en'), words));

  it('refuses hours past 23 and malformed times', () => {
    assert.throws(() => sayTime('246000', 'en'), PromptError);
    assert.throws(() => sayTime('9:30', 'en'), PromptError);
  });
});

describe('sayMoney', () => {
  const zh: [string, string][] = [
    ['12.50', '十二元五角'],
    ['12.5', '十二元五角'],
    ['12.05', '十二元零五分'],
    ['12.55', '十二元五角五分'],
    ['12', '十二元整'],
    ['100.00', '一百元整'],
    ['2', '两元整'],
    ['0.5', '五角'],
    ['0.05', '五分'],
    ['0', '零元'],
    ['-3.2', '负三元两角'],
  ];
  for (const [v, words] of zh)
    it(`reads ${v} in zh-CN as ${words}`, () => assert.equal(sayMoney(v, 'zh-CN'), words));

  const en: [string, string][] = [
    ['12.50', 'twelve yuan fifty'],
    ['12.05', 'twelve yuan oh five'],
    ['12', 'twelve yuan'],
    ['0.5', 'fifty fen'],
    ['1001.99', 'one thousand and one yuan ninety-nine'],
    ['-0.00', 'zero yuan'],
  ];
  for (const [v, words] of en)
    it(`reads ${v} in en as "${words}"`, () => assert.equal(sayMoney(v, 'en'), words));

  it('refuses more than two decimals and text', () => {
    assert.throws(() => sayMoney('1.005', 'zh-CN'), PromptError);
    assert.throws(() => sayMoney('¥12', 'en'), PromptError);
  });
});

describe('sayDecimal and sayDigits', () => {
  it('reads decimals digit by digit after the point', () => {
    assert.equal(sayDecimal('12.05', 'zh-CN'), '十二点零五');
    assert.equal(sayDecimal('-3.5', 'en'), 'minus three point five');
    assert.equal(sayDecimal('105', 'zh-CN'), '一百零五');
  });

  it('reads a phone number key by key with 幺 for one', () => {
    assert.equal(sayDigits('13800138000', 'zh-CN'), '幺三八零零幺三八零零零');
    assert.equal(sayDigits('110#', 'en'), 'one, one, zero, pound');
    assert.throws(() => sayDigits('', 'en'), PromptError);
    assert.throws(() => sayDigits('12a', 'en'), PromptError);
  });

  it('dispatches on the kind of value', () => {
    assert.equal(sayValue('money', '12.50', 'en'), 'twelve yuan fifty');
    assert.equal(sayValue('date', '20261001', 'zh-CN'), '二零二六年十月一号');
    assert.equal(sayValue('number', '7', 'en'), 'seven');
    assert.throws(() => sayValue('number', 'abc', 'en'), PromptError);
  });
});
