import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { RoutingError } from './errors.js';
import { chinaHolidayCalendar, chineseDaysData, type ChineseDaysData } from './holidays.js';

describe('chinaHolidayCalendar', () => {
  const china = chinaHolidayCalendar();

  it('knows the 2026 National Day holiday and its make-up working days from chinese-days', () => {
    assert.deepEqual(china.day('2026-10-01'), { kind: 'holiday', name: '国庆节', nameEn: 'National Day' });
    assert.deepEqual(china.day('2026-10-07'), { kind: 'holiday', name: '国庆节', nameEn: 'National Day' });
    assert.deepEqual(china.day('2026-09-20'), {
      kind: 'makeup-workday',
      name: '国庆节',
      nameEn: 'National Day',
    });
    assert.equal(china.day('2026-10-08'), undefined);
  });

  it('knows the 2026 Spring Festival (nine days) and its two make-up Saturdays', () => {
    const days = ['2026-02-14', '2026-02-15', '2026-02-23', '2026-02-24', '2026-02-28'].map(
      (d) => china.day(d)?.kind,
    );
    assert.deepEqual(days, ['makeup-workday', 'holiday', 'holiday', undefined, 'makeup-workday']);
  });

  it('covers the package’s years, 2004 to 2026, and says so', () => {
    assert.deepEqual(
      [2003, 2004, 2026, 2027].map((y) => china.covers(y)),
      [false, true, true, false],
    );
    assert.equal(china.source(2026), 'package');
    assert.equal(china.source(2027), undefined);
  });

  it('adds an operator-entered year, expanding ranges', () => {
    const cal = chinaHolidayCalendar({
      '2027': { off: ['2027-01-01', '2027-02-05..2027-02-11'], work: ['2027-02-14'] },
    });
    assert.deepEqual(cal.day('2027-02-05'), { kind: 'holiday' });
    assert.deepEqual(cal.day('2027-02-11'), { kind: 'holiday' });
    assert.equal(cal.day('2027-02-12'), undefined);
    assert.deepEqual(cal.day('2027-02-14'), { kind: 'makeup-workday' });
    assert.equal(cal.covers(2027), true);
    assert.equal(cal.source(2027), 'operator');
  });

  it('replaces the whole of a year the operator enters, leaving other years alone', () => {
    const cal = chinaHolidayCalendar({ '2026': { off: ['2026-12-25'] } });
    assert.equal(cal.day('2026-10-01'), undefined);
    assert.equal(cal.day('2026-09-20'), undefined);
    assert.deepEqual(cal.day('2026-12-25'), { kind: 'holiday' });
    assert.equal(cal.day('2025-10-01')?.kind, 'holiday');
    assert.equal(cal.source(2026), 'operator');
  });

  it('takes its built-in data as a parameter', () => {
    const data: ChineseDaysData = { holidays: { '2030-01-01': "New Year's Day,元旦,1" }, workdays: {} };
    const cal = chinaHolidayCalendar({}, data);
    assert.equal(cal.day('2030-01-01')?.name, '元旦');
    assert.equal(cal.covers(2026), false);
  });

  it('refuses an operator date that is not a date, naming the key', () => {
    assert.throws(
      () => chinaHolidayCalendar({ '2027': { off: ['2027-02-30'] } }),
      (err: unknown) =>
        err instanceof RoutingError &&
        err.code === 'ROUTING_BAD_HOLIDAYS' &&
        err.message.startsWith('holidays."2027".off[0]'),
    );
  });

  it('reads the package data once', () => {
    assert.equal(chineseDaysData(), chineseDaysData());
  });
});
