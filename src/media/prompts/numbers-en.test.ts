import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { readDigitsEn, readNumberEn } from './numbers-en.js';

describe('readNumberEn', () => {
  const table: [number, string][] = [
    [0, 'zero'],
    [7, 'seven'],
    [13, 'thirteen'],
    [20, 'twenty'],
    [21, 'twenty-one'],
    [99, 'ninety-nine'],
    [100, 'one hundred'],
    [105, 'one hundred and five'],
    [110, 'one hundred and ten'],
    [999, 'nine hundred and ninety-nine'],
    [1000, 'one thousand'],
    [1001, 'one thousand and one'],
    [1100, 'one thousand one hundred'],
    [1234, 'one thousand two hundred and thirty-four'],
    [2001, 'two thousand and one'],
    [10000, 'ten thousand'],
    [20005, 'twenty thousand and five'],
    [100000, 'one hundred thousand'],
    [1000105, 'one million one hundred and five'],
    [100000000, 'one hundred million'],
    [1000000005, 'one billion and five'],
    [-42, 'minus forty-two'],
  ];
  for (const [n, text] of table) {
    it(`reads ${n} as "${text}"`, () => assert.equal(readNumberEn(n), text));
  }

  it('reaches the largest safe integer and refuses beyond', () => {
    assert.match(readNumberEn(Number.MAX_SAFE_INTEGER), /^nine quadrillion seven trillion .* ninety-one$/);
    assert.throws(() => readNumberEn(0.5), RangeError);
  });

  it('reads digit strings one digit at a time', () => {
    assert.equal(readDigitsEn('8001'), 'eight zero zero one');
  });
});
