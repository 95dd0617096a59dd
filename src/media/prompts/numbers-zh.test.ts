import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { readCountZh, readDigitsZh, readNumberZh } from './numbers-zh.js';

describe('readNumberZh', () => {
  const table: [number, string][] = [
    [0, '零'],
    [1, '一'],
    [2, '二'],
    [9, '九'],
    [10, '十'],
    [11, '十一'],
    [12, '十二'],
    [19, '十九'],
    [20, '二十'],
    [22, '二十二'],
    [99, '九十九'],
    [100, '一百'],
    [101, '一百零一'],
    [105, '一百零五'],
    [110, '一百一十'],
    [111, '一百一十一'],
    [200, '二百'],
    [999, '九百九十九'],
    [1000, '一千'],
    [1001, '一千零一'],
    [1010, '一千零一十'],
    [1100, '一千一百'],
    [2000, '两千'],
    [2002, '两千零二'],
    [9999, '九千九百九十九'],
    [10000, '一万'],
    [10001, '一万零一'],
    [10010, '一万零一十'],
    [10100, '一万零一百'],
    [11000, '一万一千'],
    [12300, '一万二千三百'],
    [20000, '两万'],
    [20005, '两万零五'],
    [22000, '两万二千'],
    [100000, '十万'],
    [100010, '十万零一十'],
    [101000, '十万一千'],
    [110000, '十一万'],
    [120000, '十二万'],
    [1000000, '一百万'],
    [10000000, '一千万'],
    [20000000, '两千万'],
    [100000000, '一亿'],
    [100000001, '一亿零一'],
    [100001000, '一亿零一千'],
    [100010000, '一亿零一万'],
    [110000000, '一亿一千万'],
    [200000000, '两亿'],
    [1000000000, '十亿'],
    [1000100000000, '一万零一亿'],
    [1000000000000, '一万亿'],
    [123456789, '一亿二千三百四十五万六千七百八十九'],
    [Number.MAX_SAFE_INTEGER, '九千零七万一千九百九十二亿五千四百七十四万零九百九十一'],
    [-3, '负三'],
    [-10, '负十'],
  ];
  for (const [n, text] of table) {
    it(`reads ${n} as ${text}`, () => assert.equal(readNumberZh(n), text));
  }

  it('refuses what is not a safe integer', () => {
    for (const n of [1.5, Number.NaN, Infinity, 2 ** 53]) assert.throws(() => readNumberZh(n), RangeError);
  });
});

describe('readDigitsZh', () => {
  it('reads digit by digit with 1 as 幺, as phone numbers are read', () => {
    assert.equal(readDigitsZh('110'), '幺幺零');
    assert.equal(readDigitsZh('8001'), '八零零幺');
    assert.throws(() => readDigitsZh('12a'), RangeError);
  });
});

describe('readCountZh', () => {
  it('says 两 for a bare 2 before a measure word, and reads other counts as numbers', () => {
    assert.equal(readCountZh(2), '两');
    assert.equal(readCountZh(12), '十二');
    assert.equal(readCountZh(22), '二十二');
    assert.equal(readCountZh(2000), '两千');
    assert.equal(readCountZh(0), '零');
  });
});
