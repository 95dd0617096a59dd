/**
 * Business hours: whether a schedule is open at an instant, and why. The instant is passed
 * in (epoch milliseconds) and turned into wall time in the schedule's time zone with
 * Intl.DateTimeFormat, so daylight saving and zones other than China's work without a
 * time-zone library.
 *
 * Order of the rules, first that applies wins:
 *   closedDates → closed all day          openDates → open with the make-up weekday's hours
 *   holiday (calendar) → closed all day   make-up working day → the make-up weekday's hours
 *   otherwise → the weekday's hours
 */
import { parseDateEntry, parseTimeRange, type IsoDate, type TimeRange } from './dates.js';
import { RoutingError } from './errors.js';
import type { HolidayCalendar } from './holidays.js';

export const WEEKDAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;
export type Weekday = (typeof WEEKDAYS)[number];

export const DEFAULT_TIME_ZONE = 'Asia/Shanghai';

/**
 * Opening hours per day as `HH:MM-HH:MM` ranges. A weekday's own key wins over `weekdays`
 * (mon–fri) or `weekend` (sat, sun), which win over `daily`; a day with none is closed.
 */
export interface WeeklyHours {
  readonly daily?: readonly string[];
  readonly weekdays?: readonly string[];
  readonly weekend?: readonly string[];
  readonly mon?: readonly string[];
  readonly tue?: readonly string[];
  readonly wed?: readonly string[];
  readonly thu?: readonly string[];
  readonly fri?: readonly string[];
  readonly sat?: readonly string[];
  readonly sun?: readonly string[];
}

export interface Schedule {
  /** Overrides the configuration's time zone for this schedule. */
  readonly timeZone?: string;
  readonly hours: WeeklyHours;
  /** `china`: closed on public holidays, open on make-up working days. Default `china`. */
  readonly holidays?: 'china' | 'none';
  /** Whose hours a make-up working day (and an open date) keeps. Default `mon`. */
  readonly makeupWorkdayAs?: Weekday;
  readonly closedDates?: readonly string[];
  readonly openDates?: readonly string[];
}

export interface LocalTime {
  readonly timeZone: string;
  /** `YYYY-MM-DD` in the time zone. */
  readonly date: IsoDate;
  /** `HH:MM`. */
  readonly time: string;
  readonly weekday: Weekday;
  /** Minutes since local midnight. */
  readonly minuteOfDay: number;
}

export type ScheduleReason =
  'hours' | 'outside-hours' | 'holiday' | 'makeup-workday' | 'closed-date' | 'open-date';

export interface ScheduleState {
  readonly open: boolean;
  readonly reason: ScheduleReason;
  /** The holiday's name (Chinese) on a holiday or a make-up working day, when known. */
  readonly holidayName?: string;
  readonly localTime: LocalTime;
}

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (f !== undefined) return f;
  try {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      weekday: 'short',
    });
  } catch (err) {
    throw new RoutingError('ROUTING_BAD_TIME_ZONE', `unknown time zone "${timeZone}"`, {
      cause: String(err),
    });
  }
  formatters.set(timeZone, f);
  return f;
}

/** Wall time at `instant` in `timeZone`. */
export function localTimeAt(instant: number, timeZone: string = DEFAULT_TIME_ZONE): LocalTime {
  const parts: Record<string, string> = {};
  for (const p of formatter(timeZone).formatToParts(new Date(instant))) parts[p.type] = p.value;
  const hour = Number(parts.hour);
  const minute = Number(parts.minute);
  const weekday = (parts.weekday ?? '').toLowerCase().slice(0, 3) as Weekday;
  return {
    timeZone,
    date: `${parts.year}-${parts.month}-${parts.day}`,
    time: `${parts.hour}:${parts.minute}`,
    weekday,
    minuteOfDay: hour * 60 + minute,
  };
}

/** The ranges that apply on `day`, as written. */
export function hoursFor(hours: WeeklyHours, day: Weekday): readonly string[] {
  const group = day === 'sat' || day === 'sun' ? hours.weekend : hours.weekdays;
  return hours[day] ?? group ?? hours.daily ?? [];
}

interface CompiledSchedule {
  readonly ranges: Readonly<Record<Weekday, readonly TimeRange[]>>;
  readonly closed: ReadonlySet<IsoDate>;
  readonly open: ReadonlySet<IsoDate>;
}

const compiled = new WeakMap<Schedule, CompiledSchedule>();

function dateSet(entries: readonly string[] | undefined, key: string): Set<IsoDate> {
  const out = new Set<IsoDate>();
  for (const entry of entries ?? []) {
    const parsed = parseDateEntry(entry);
    if (!parsed.ok) throw new RoutingError('ROUTING_BAD_SCHEDULE', `${key}: ${parsed.message}`);
    for (const day of parsed.days) out.add(day);
  }
  return out;
}

function compile(schedule: Schedule): CompiledSchedule {
  const cached = compiled.get(schedule);
  if (cached !== undefined) return cached;
  const ranges = {} as Record<Weekday, TimeRange[]>;
  for (const day of WEEKDAYS) {
    ranges[day] = hoursFor(schedule.hours, day).map((text) => {
      const r = parseTimeRange(text);
      if (!r.ok) throw new RoutingError('ROUTING_BAD_SCHEDULE', `hours of ${day}: ${r.message}`);
      return { start: r.start, end: r.end };
    });
  }
  const result = {
    ranges,
    closed: dateSet(schedule.closedDates, 'closedDates'),
    open: dateSet(schedule.openDates, 'openDates'),
  };
  compiled.set(schedule, result);
  return result;
}

function within(ranges: readonly TimeRange[], minute: number): boolean {
  return ranges.some((r) => minute >= r.start && minute < r.end);
}

/**
 * Whether `schedule` is open at `instant` (epoch ms). `defaultTimeZone` is the
 * configuration's `timeZone`, used unless the schedule names its own.
 */
export function evaluateSchedule(
  schedule: Schedule,
  calendar: HolidayCalendar,
  instant: number,
  defaultTimeZone: string = DEFAULT_TIME_ZONE,
): ScheduleState {
  const c = compile(schedule);
  const localTime = localTimeAt(instant, schedule.timeZone ?? defaultTimeZone);
  const minute = localTime.minuteOfDay;
  const makeupHours = c.ranges[schedule.makeupWorkdayAs ?? 'mon'];
  const byHours = (
    ranges: readonly TimeRange[],
    reason: ScheduleReason,
    holidayName?: string,
  ): ScheduleState => {
    const open = within(ranges, minute);
    const name = holidayName === undefined ? {} : { holidayName };
    return { open, reason: open ? reason : 'outside-hours', ...name, localTime };
  };
  if (c.closed.has(localTime.date)) return { open: false, reason: 'closed-date', localTime };
  if (c.open.has(localTime.date)) return byHours(makeupHours, 'open-date');
  const day = (schedule.holidays ?? 'china') === 'china' ? calendar.day(localTime.date) : undefined;
  if (day?.kind === 'holiday') {
    return { open: false, reason: 'holiday', ...(day.name ? { holidayName: day.name } : {}), localTime };
  }
  if (day?.kind === 'makeup-workday') return byHours(makeupHours, 'makeup-workday', day.name);
  return byHours(c.ranges[localTime.weekday], 'hours');
}
