import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { RoutingError } from './errors.js';
import { chinaNsnOfE164, describeNational, nationalSignificantNumber, PrefixTable } from './geo-tables.js';
import { parseChineseNumber } from './numbering.js';

const places = PrefixTable.fromRecord('places', {
  '10': '北京市',
  '20': '广东省广州市',
  '771': '广西南宁市',
  '138': '移动138',
  '1380013': '北京市',
  '1380014': '',
  '0123': '前导零',
});
const carriers = PrefixTable.fromRecord('carriers', {
  '138': '中国移动',
  '15': '中国移动',
  '153': '中国电信',
});
const tables = { geocodes: places, carriers };

function dataError(fn: () => unknown): RoutingError {
  try {
    fn();
  } catch (err) {
    assert.ok(err instanceof RoutingError);
    assert.equal(err.code, 'ROUTING_GEO_DATA');
    return err;
  }
  assert.fail('expected a ROUTING_GEO_DATA error');
}

describe('PrefixTable', () => {
  it('answers the longest prefix in the table', () => {
    assert.equal(places.lookup('13800138000'), '北京市');
    assert.equal(places.lookup('13800150000'), '移动138');
    assert.equal(places.lookup('1088888888'), '北京市');
    assert.equal(places.lookup('7715555555'), '广西南宁市');
    assert.equal(carriers.lookup('15312345678'), '中国电信');
    assert.equal(carriers.lookup('15812345678'), '中国移动');
  });

  it('answers null when no prefix matches', () => {
    assert.equal(places.lookup('19912345678'), null);
    assert.equal(places.lookup('1'), null);
    assert.equal(places.lookup(''), null);
  });

  it('skips an empty text and goes on to a shorter prefix, as the package does', () => {
    assert.equal(places.lookup('13800140000'), '移动138');
    assert.equal(places.size, 6);
  });

  it('keeps prefixes with leading zeros apart from the same digits without them', () => {
    assert.equal(places.lookup('01234'), '前导零');
    assert.equal(places.lookup('1234'), null);
  });

  it('answers null for text that is not digits', () => {
    assert.equal(places.lookup('10abc'), null);
    assert.equal(places.lookup('+8610'), null);
  });

  it('reports its size and longest prefix', () => {
    assert.equal(places.maxLength, 7);
    assert.equal(carriers.maxLength, 3);
    assert.equal(carriers.size, 3);
  });

  it('rejects a key that is not digits, naming the table and the key', () => {
    const err = dataError(() => PrefixTable.fromRecord('the geocoding table x.bson', { '1a': '北京' }));
    assert.match(err.message, /the geocoding table x\.bson: key "1a"/);
  });

  it('rejects a key longer than 15 digits', () => {
    dataError(() => PrefixTable.fromRecord('t', { '1234567890123456': '北京' }));
  });

  it('rejects a value that is not text', () => {
    const err = dataError(() => PrefixTable.fromRecord('t', { '10': 42 }));
    assert.match(err.message, /the value of "10" is a number/);
  });

  it('rejects a table with no entries', () => {
    const err = dataError(() => PrefixTable.fromRecord('t', { '10': '' }));
    assert.match(err.message, /has no entries/);
  });
});

describe('describeNational', () => {
  it('gives the place and the carrier of a national significant number', () => {
    assert.deepEqual(describeNational(tables, '13800138000'), { region: '北京市', carrier: '中国移动' });
    assert.deepEqual(describeNational(tables, '2083334444'), { region: '广东省广州市', carrier: null });
  });

  it('gives nothing for text that is not digits', () => {
    assert.deepEqual(describeNational(tables, '138-0013-8000'), { region: null, carrier: null });
  });
});

describe('the national significant number', () => {
  it('of an E.164 number of China is the digits after +86', () => {
    assert.equal(chinaNsnOfE164('+8613800138000'), '13800138000');
    assert.equal(chinaNsnOfE164('+862083334444'), '2083334444');
  });

  it('of anything else is undefined', () => {
    for (const text of ['+14155552671', '8613800138000', '+86', '+86 138', '+86138x']) {
      assert.equal(chinaNsnOfE164(text), undefined, text);
    }
  });

  it('of a mobile number is the number, of a fixed one the number without its trunk 0', () => {
    assert.equal(nationalSignificantNumber(parseChineseNumber('+86 138 0013 8000')), '13800138000');
    assert.equal(nationalSignificantNumber(parseChineseNumber('020-8333-4444')), '2083334444');
    assert.equal(nationalSignificantNumber(parseChineseNumber('0771-5555555')), '7715555555');
    assert.equal(nationalSignificantNumber(parseChineseNumber('+86 10 6555 0000')), '1065550000');
  });

  it('of service, toll-free, local and foreign numbers is undefined', () => {
    for (const text of ['95588', '4008208820', '10086', '65550000', '+14155552671', 'anonymous']) {
      assert.equal(nationalSignificantNumber(parseChineseNumber(text)), undefined, text);
    }
  });
});
