import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { normalizeAreaCode, normalizeNumber, parseChineseNumber } from './numbering.js';

describe('normalizeNumber', () => {
  it('writes every form of a mobile number as its 11 digits', () => {
    const forms = [
      '13800138000',
      '+86 138 0013 8000',
      '+8613800138000',
      '008613800138000',
      '8613800138000',
      '013800138000',
      '138-0013-8000',
    ];
    assert.deepEqual(new Set(forms.map(normalizeNumber)), new Set(['13800138000']));
  });

  it('gives a fixed number its trunk 0 back after +86', () => {
    assert.equal(normalizeNumber('+86 20 8333 4444'), '02083334444');
    assert.equal(normalizeNumber('+86 10 8888 0000'), '01088880000');
    assert.equal(normalizeNumber('+86 755 1234 5678'), '075512345678');
    assert.equal(normalizeNumber('(020) 8333-4444'), '02083334444');
  });

  it('keeps service and toll-free numbers without a 0 after +86', () => {
    assert.equal(normalizeNumber('+86 400 820 8820'), '4008208820');
    assert.equal(normalizeNumber('+8695588'), '95588');
  });

  it('writes foreign numbers with the international prefix 00', () => {
    assert.equal(normalizeNumber('+1 415 555 2671'), '0014155552671');
    assert.equal(normalizeNumber('+852 2123 4567'), '0085221234567');
  });

  it('does not take 86 off what is not a mobile number, nor 0 off Beijing', () => {
    assert.equal(normalizeNumber('862083334444'), '862083334444');
    assert.equal(normalizeNumber('01012345678'), '01012345678');
  });

  it('returns junk without separators and otherwise unchanged', () => {
    assert.equal(normalizeNumber(' anonymous '), 'anonymous');
    assert.equal(normalizeNumber(''), '');
    assert.equal(normalizeNumber('+'), '+');
  });
});

describe('parseChineseNumber', () => {
  it('tells the kind of a number from its digits', () => {
    const kinds = Object.fromEntries(
      [
        '13800138000',
        '19200000000',
        '02083334444',
        '01088880000',
        '075512345678',
        '03111234567',
        '4008208820',
        '8008208820',
        '95588',
        '96110',
        '12345',
        '114',
        '88886666',
        '2345678',
        '0014155552671',
        '12800138000',
        'abc',
        '',
      ].map((n) => [n, parseChineseNumber(n).kind]),
    );
    assert.deepEqual(kinds, {
      '13800138000': 'mobile',
      '19200000000': 'mobile',
      '02083334444': 'fixed',
      '01088880000': 'fixed',
      '075512345678': 'fixed',
      '03111234567': 'fixed',
      '4008208820': 'toll-free',
      '8008208820': 'toll-free',
      '95588': 'service',
      '96110': 'service',
      '12345': 'service',
      '114': 'service',
      '88886666': 'subscriber',
      '2345678': 'subscriber',
      '0014155552671': 'international',
      '12800138000': 'unknown',
      abc: 'unknown',
      '': 'unknown',
    });
  });

  it('finds the area code of a fixed number: two digits for 010 and 02X, else three', () => {
    assert.equal(parseChineseNumber('02083334444').areaCode, '020');
    assert.equal(parseChineseNumber('+86 10 8888 0000').areaCode, '010');
    assert.equal(parseChineseNumber('075512345678').areaCode, '0755');
    assert.equal(parseChineseNumber('07715555555').areaCode, '0771');
    assert.equal(parseChineseNumber('13800138000').areaCode, undefined);
  });
});

describe('normalizeAreaCode', () => {
  it('writes an area code with its leading 0', () => {
    assert.deepEqual(['10', '010', '0755', '755'].map(normalizeAreaCode), ['010', '010', '0755', '0755']);
  });
});
