/**
 * Calendar dates and clock ranges as operators write them in the configuration:
 * `2027-02-05`, `2027-02-05..2027-02-11`, `08:00-20:00`. Pure and dependency-free, so the
 * configuration checks can use it without loading the rest of routing.
 */

/** A calendar date `YYYY-MM-DD` (local to a schedule's time zone). */
export type IsoDate = string;

/** The longest date range accepted, so a typo in a year cannot expand to millions of days. */
export const MAX_RANGE_DAYS = 366;
const DAY_MS = 86_400_000;

/** Days since 1970-01-01 of a valid `YYYY-MM-DD`, or undefined (2027-02-30 is not a date). */
export function dayNumber(date: string): number | undefined {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date);
  if (m === null) return undefined;
  const [year, month, day] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const ms = Date.UTC(year, month - 1, day);
  const back = new Date(ms);
  if (back.getUTCFullYear() !== year || back.getUTCMonth() !== month - 1 || back.getUTCDate() !== day) {
    return undefined;
  }
  return ms / DAY_MS;
}

export function dateOfDayNumber(n: number): IsoDate {
  return new Date(n * DAY_MS).toISOString().slice(0, 10);
}

export type DateEntryResult =
  | { readonly ok: true; readonly first: IsoDate; readonly last: IsoDate; readonly days: readonly IsoDate[] }
  | { readonly ok: false; readonly message: string };

/** A date or an inclusive range `first..last`, expanded to its days. */
export function parseDateEntry(entry: string): DateEntryResult {
  const [first = '', last = first, extra] = entry.split('..');
  if (extra !== undefined) return { ok: false, message: `"${entry}" has more than one ".."` };
  const a = dayNumber(first);
  if (a === undefined) return { ok: false, message: `"${first}" is not a date (YYYY-MM-DD)` };
  const b = dayNumber(last);
  if (b === undefined) return { ok: false, message: `"${last}" is not a date (YYYY-MM-DD)` };
  if (b < a) return { ok: false, message: `range "${entry}" ends before it starts` };
  if (b - a + 1 > MAX_RANGE_DAYS)
    return { ok: false, message: `range "${entry}" is longer than ${MAX_RANGE_DAYS} days` };
  const days: IsoDate[] = [];
  for (let d = a; d <= b; d++) days.push(dateOfDayNumber(d));
  return { ok: true, first, last, days };
}

/** Minutes since local midnight; a range is [start, end), and end may be 24:00 (1440). */
export interface TimeRange {
  readonly start: number;
  readonly end: number;
}

export type TimeRangeResult =
  ({ readonly ok: true } & TimeRange) | { readonly ok: false; readonly message: string };

function clockMinutes(text: string, allow24: boolean): number | undefined {
  const m = /^(\d{2}):(\d{2})$/.exec(text);
  if (m === null) return undefined;
  const [h, min] = [Number(m[1]), Number(m[2])];
  if (allow24 && h === 24 && min === 0) return 1440;
  if (h > 23 || min > 59) return undefined;
  return h * 60 + min;
}

/** `HH:MM-HH:MM`. Hours do not run past midnight: write 22:00-24:00 and 00:00-06:00 instead. */
export function parseTimeRange(text: string): TimeRangeResult {
  const [from = '', to = '', extra] = text.split('-');
  const start = clockMinutes(from, false);
  const end = clockMinutes(to, true);
  if (extra !== undefined || start === undefined || end === undefined) {
    return { ok: false, message: `"${text}" is not a time range HH:MM-HH:MM (00:00 to 24:00)` };
  }
  if (end <= start) {
    return {
      ok: false,
      message: `"${text}" ends before it starts; hours past midnight go in two ranges (22:00-24:00 and 00:00-06:00 of the next day)`,
    };
  }
  return { ok: true, start, end };
}

/** `HH:MM` of a minute of the day. */
export function formatMinutes(minutes: number): string {
  const h = Math.floor(minutes / 60);
  const m = minutes % 60;
  return `${String(h).padStart(2, '0')}:${String(m).padStart(2, '0')}`;
}
