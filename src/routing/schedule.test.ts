import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { RoutingError } from './errors.js';
import { chinaHolidayCalendar, NO_HOLIDAYS } from './holidays.js';
import { evaluateSchedule, localTimeAt, type Schedule } from './schedule.js';

/** Epoch ms of a wall time in China (UTC+8 all year). */
const cst = (wall: string) => Date.parse(`${wall}:00+08:00`);

const china = chinaHolidayCalendar();

/** A 96110-style hotline: 08:00-20:00 every day, closed on public holidays. */
const HOTLINE: Schedule = { hours: { daily: ['08:00-20:00'] }, holidays: 'china' };
/** An office: Monday to Friday 09:00-12:00 and 13:30-18:00. */
const OFFICE: Schedule = { hours: { weekdays: ['09:00-12:00', '13:30-18:00'] } };

const state = (schedule: Schedule, wall: string, calendar = china) => {
  const s = evaluateSchedule(schedule, calendar, cst(wall));
  return `${s.open ? 'open' : 'closed'}/${s.reason}`;
};

describe('evaluateSchedule: weekly hours', () => {
  it('opens at the first minute of a range and closes at its end minute', () => {
    assert.deepEqual(
      ['2026-03-03T07:59', '2026-03-03T08:00', '2026-03-03T19:59', '2026-03-03T20:00'].map((w) =>
        state(HOTLINE, w),
      ),
      ['closed/outside-hours', 'open/hours', 'open/hours', 'closed/outside-hours'],
    );
  });

  it('counts seconds within the last open minute as open', () => {
    const s = evaluateSchedule(HOTLINE, china, Date.parse('2026-03-03T19:59:59+08:00'));
    assert.equal(s.open, true);
  });

  it('closes over lunch between two ranges of a day', () => {
    assert.deepEqual(
      ['2026-03-04T11:59', '2026-03-04T12:00', '2026-03-04T13:30'].map((w) => state(OFFICE, w)),
      ['open/hours', 'closed/outside-hours', 'open/hours'],
    );
  });

  it('is closed on a day without hours (an office on Saturday)', () => {
    assert.equal(state(OFFICE, '2026-03-07T10:00'), 'closed/outside-hours');
  });

  it('lets a weekday key win over weekdays, and weekend over daily', () => {
    const s: Schedule = {
      hours: { daily: ['08:00-20:00'], weekdays: ['09:00-18:00'], fri: ['09:00-12:00'], weekend: [] },
    };
    assert.deepEqual(
      ['2026-03-04T08:30', '2026-03-04T17:00', '2026-03-06T13:00', '2026-03-07T10:00'].map((w) =>
        state(s, w),
      ),
      ['closed/outside-hours', 'open/hours', 'closed/outside-hours', 'closed/outside-hours'],
    );
  });

  it('stays open across midnight with 22:00-24:00 and 00:00-06:00 of the next day', () => {
    const night: Schedule = { hours: { mon: ['22:00-24:00'], tue: ['00:00-06:00'] }, holidays: 'none' };
    assert.deepEqual(
      [
        '2026-03-02T21:59',
        '2026-03-02T23:59',
        '2026-03-03T00:00',
        '2026-03-03T05:59',
        '2026-03-03T06:00',
      ].map((w) => state(night, w)),
      ['closed/outside-hours', 'open/hours', 'open/hours', 'open/hours', 'closed/outside-hours'],
    );
  });

  it('reads the weekday and date in the time zone, not in UTC', () => {
    // 16:30 UTC on Monday 2 March is 00:30 on Tuesday 3 March in Shanghai.
    const instant = Date.parse('2026-03-02T16:30:00Z');
    const night: Schedule = { hours: { tue: ['00:00-06:00'] }, holidays: 'none' };
    const shanghai = evaluateSchedule(night, NO_HOLIDAYS, instant);
    assert.deepEqual(shanghai.localTime, {
      timeZone: 'Asia/Shanghai',
      date: '2026-03-03',
      time: '00:30',
      weekday: 'tue',
      minuteOfDay: 30,
    });
    assert.equal(shanghai.open, true);
    assert.equal(evaluateSchedule(night, NO_HOLIDAYS, instant, 'UTC').open, false);
    assert.equal(
      evaluateSchedule({ ...night, timeZone: 'UTC' }, NO_HOLIDAYS, instant, 'Asia/Shanghai').open,
      false,
    );
  });
});

describe('evaluateSchedule: Chinese holidays', () => {
  it('is closed on National Day 2026-10-01 and names the holiday', () => {
    const s = evaluateSchedule(HOTLINE, china, cst('2026-10-01T10:00'));
    assert.deepEqual([s.open, s.reason, s.holidayName], [false, 'holiday', '国庆节']);
  });

  it('is closed on a weekend day that belongs to a holiday (2026-10-03, Saturday)', () => {
    assert.equal(state(HOTLINE, '2026-10-03T10:00'), 'closed/holiday');
  });

  it('opens on a make-up working day with Monday’s hours (Saturday 2026-10-10)', () => {
    const s = evaluateSchedule(OFFICE, china, cst('2026-10-10T10:00'));
    assert.deepEqual([s.open, s.reason, s.holidayName], [true, 'makeup-workday', '国庆节']);
    assert.equal(state(OFFICE, '2026-10-10T12:30'), 'closed/outside-hours');
    assert.equal(state(OFFICE, '2026-10-17T10:00'), 'closed/outside-hours'); // an ordinary Saturday
  });

  it('keeps the hours of the weekday named by makeupWorkdayAs (Sunday 2026-01-04 as Friday)', () => {
    const s: Schedule = { hours: { mon: ['09:00-18:00'], fri: ['09:00-12:00'] }, makeupWorkdayAs: 'fri' };
    assert.equal(state(s, '2026-01-04T11:00'), 'open/makeup-workday');
    assert.equal(state(s, '2026-01-04T15:00'), 'closed/outside-hours');
  });

  it('ignores the calendar with holidays: none', () => {
    const s: Schedule = { ...HOTLINE, holidays: 'none' };
    assert.equal(state(s, '2026-10-01T10:00'), 'open/hours');
    assert.equal(state({ ...OFFICE, holidays: 'none' }, '2026-10-10T10:00'), 'closed/outside-hours');
  });

  it('follows an operator-entered year the package does not have (2027)', () => {
    const calendar = chinaHolidayCalendar({
      '2027': { off: ['2027-01-01', '2027-02-05..2027-02-11'], work: ['2027-02-14'] },
    });
    assert.equal(state(HOTLINE, '2027-02-08T10:00', calendar), 'closed/holiday');
    assert.equal(state(HOTLINE, '2027-02-12T10:00', calendar), 'open/hours');
    assert.equal(state(OFFICE, '2027-02-14T10:00', calendar), 'open/makeup-workday');
    assert.equal(state(HOTLINE, '2027-02-08T10:00'), 'open/hours'); // the package alone knows nothing of 2027
  });
});

describe('evaluateSchedule: closed and open dates', () => {
  it('closes on a closed date, before every other rule', () => {
    const s: Schedule = { ...HOTLINE, closedDates: ['2026-03-05', '2026-10-10'] };
    assert.equal(state(s, '2026-03-05T10:00'), 'closed/closed-date');
    assert.equal(state({ ...OFFICE, closedDates: ['2026-10-10'] }, '2026-10-10T10:00'), 'closed/closed-date');
  });

  it('opens on an open date with the make-up weekday’s hours, even on a holiday', () => {
    const s: Schedule = { ...OFFICE, openDates: ['2026-03-08', '2026-10-01..2026-10-02'] };
    assert.equal(state(s, '2026-03-08T10:00'), 'open/open-date');
    assert.equal(state(s, '2026-10-02T10:00'), 'open/open-date');
    assert.equal(state(s, '2026-10-02T20:00'), 'closed/outside-hours');
    assert.equal(state(s, '2026-10-03T10:00'), 'closed/holiday');
  });

  it('refuses hours it cannot read with a coded error', () => {
    const bad: Schedule = { hours: { mon: ['20:00-08:00'] } };
    assert.throws(
      () => evaluateSchedule(bad, NO_HOLIDAYS, cst('2026-03-02T10:00')),
      (err: unknown) => err instanceof RoutingError && err.code === 'ROUTING_BAD_SCHEDULE',
    );
  });
});

describe('localTimeAt', () => {
  it('follows daylight saving time through Intl (New York, 8 March 2026)', () => {
    const before = localTimeAt(Date.parse('2026-03-08T06:30:00Z'), 'America/New_York');
    const after = localTimeAt(Date.parse('2026-03-08T07:30:00Z'), 'America/New_York');
    assert.deepEqual([before.time, after.time, after.weekday], ['01:30', '03:30', 'sun']);
  });

  it('reports midnight as 00:00, not 24:00', () => {
    assert.equal(localTimeAt(cst('2026-03-03T00:00')).time, '00:00');
  });

  it('refuses an unknown time zone with a coded error', () => {
    assert.throws(
      () => localTimeAt(0, 'Mars/Olympus_Mons'),
      (err: unknown) => err instanceof RoutingError && err.code === 'ROUTING_BAD_TIME_ZONE',
    );
  });
});
