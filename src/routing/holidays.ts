/**
 * China's public holidays and make-up working days (调休). The built-in years come from
 * the `chinese-days` package (its dist/chinese-days.json: 2004 to 2026 in version 1.5.7);
 * an operator enters later years, or corrects one, in the configuration, and an entered
 * year replaces the package's data for that whole year.
 */
import { createRequire } from 'node:module';
import { RoutingError } from './errors.js';
import { parseDateEntry, type IsoDate } from './dates.js';

/** What the calendar says of one day; a day it says nothing of is an ordinary day. */
export type CalendarDay =
  | { readonly kind: 'holiday'; readonly name?: string; readonly nameEn?: string }
  | { readonly kind: 'makeup-workday'; readonly name?: string; readonly nameEn?: string };

export interface HolidayCalendar {
  day(date: IsoDate): CalendarDay | undefined;
  /** Whether the calendar has data for the year (package or operator): warn when not. */
  covers(year: number): boolean;
  /** Where a year's data comes from. */
  source(year: number): 'package' | 'operator' | undefined;
}

/** One year as an operator writes it: `off` days and make-up `work` days, dates or `a..b` ranges. */
export interface HolidayYearInput {
  readonly off?: readonly string[];
  readonly work?: readonly string[];
}

/** The package's data: date → "English name,中文名,days". */
export interface ChineseDaysData {
  readonly holidays: Readonly<Record<string, string>>;
  readonly workdays: Readonly<Record<string, string>>;
}

let builtIn: ChineseDaysData | undefined;

/** The `chinese-days` data, read once. */
export function chineseDaysData(): ChineseDaysData {
  if (builtIn !== undefined) return builtIn;
  const require = createRequire(import.meta.url);
  const data = require('chinese-days/dist/chinese-days.json') as Partial<ChineseDaysData>;
  if (typeof data.holidays !== 'object' || typeof data.workdays !== 'object') {
    throw new RoutingError(
      'ROUTING_BAD_HOLIDAYS',
      'chinese-days/dist/chinese-days.json has no holidays/workdays',
    );
  }
  builtIn = { holidays: data.holidays, workdays: data.workdays };
  return builtIn;
}

function names(label: string): { name?: string; nameEn?: string } {
  const [en, zh] = label.split(',');
  return { ...(zh ? { name: zh } : {}), ...(en ? { nameEn: en } : {}) };
}

function yearOf(date: string): number {
  return Number(date.slice(0, 4));
}

function expand(entries: readonly string[] | undefined, year: string, key: string): IsoDate[] {
  const days: IsoDate[] = [];
  (entries ?? []).forEach((entry, i) => {
    const parsed = parseDateEntry(entry);
    if (!parsed.ok) {
      throw new RoutingError('ROUTING_BAD_HOLIDAYS', `holidays."${year}".${key}[${i}]: ${parsed.message}`);
    }
    days.push(...parsed.days);
  });
  return days;
}

/**
 * The Chinese holiday calendar: the package's years, with `operatorYears` replacing or
 * adding whole years. `data` is injectable for tests.
 */
export function chinaHolidayCalendar(
  operatorYears: Readonly<Record<string, HolidayYearInput>> = {},
  data: ChineseDaysData = chineseDaysData(),
): HolidayCalendar {
  const days = new Map<IsoDate, CalendarDay>();
  const packageYears = new Set<number>();
  const operator = new Set(Object.keys(operatorYears).map(Number));
  const addPackage = (table: Readonly<Record<string, string>>, kind: CalendarDay['kind']) => {
    for (const [date, label] of Object.entries(table)) {
      packageYears.add(yearOf(date));
      if (!operator.has(yearOf(date))) days.set(date, { kind, ...names(label) });
    }
  };
  addPackage(data.holidays, 'holiday');
  addPackage(data.workdays, 'makeup-workday');
  for (const [year, entry] of Object.entries(operatorYears)) {
    for (const date of expand(entry.off, year, 'off')) days.set(date, { kind: 'holiday' });
    for (const date of expand(entry.work, year, 'work')) days.set(date, { kind: 'makeup-workday' });
  }
  return {
    day: (date) => days.get(date),
    covers: (year) => operator.has(year) || packageYears.has(year),
    source: (year) => (operator.has(year) ? 'operator' : packageYears.has(year) ? 'package' : undefined),
  };
}

/** A calendar with no holidays at all. */
export const NO_HOLIDAYS: HolidayCalendar = {
  day: () => undefined,
  covers: () => true,
  source: () => undefined,
};
