/**
 * Wall-clock time in a time zone, with Intl only (no time-zone library): the DATE, TIME
 * and DATETIME variables, and the simulator's `--at 2026-10-01T09:00` read in the flow's
 * zone.
 */

export const DEFAULT_TIME_ZONE = 'Asia/Shanghai';

export interface WallTime {
  readonly year: number;
  readonly month: number;
  readonly day: number;
  readonly hour: number;
  readonly minute: number;
  readonly second: number;
}

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (f === undefined) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    formatters.set(timeZone, f);
  }
  return f;
}

/** The wall-clock time at `instant` (epoch ms) in `timeZone`. */
export function wallTime(instant: number, timeZone: string): WallTime {
  const parts: Record<string, number> = {};
  for (const p of formatter(timeZone).formatToParts(new Date(instant))) {
    if (p.type !== 'literal') parts[p.type] = Number(p.value);
  }
  return {
    year: parts['year']!,
    month: parts['month']!,
    day: parts['day']!,
    hour: parts['hour']! % 24,
    minute: parts['minute']!,
    second: parts['second']!,
  };
}

const pad = (n: number, width = 2) => String(n).padStart(width, '0');

/** DATE, TIME and DATETIME as the IVR's variables hold them: 20261001, 090000, 20261001090000. */
export function clockVariables(
  instant: number,
  timeZone: string,
): { DATE: string; TIME: string; DATETIME: string } {
  const t = wallTime(instant, timeZone);
  const date = `${pad(t.year, 4)}${pad(t.month)}${pad(t.day)}`;
  const time = `${pad(t.hour)}${pad(t.minute)}${pad(t.second)}`;
  return { DATE: date, TIME: time, DATETIME: date + time };
}

const LOCAL = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2}))?)?$/;

/**
 * The instant of a wall-clock time in `timeZone`: `2026-10-01T09:00` (seconds and the time
 * optional). A text with a zone of its own (`Z`, `+08:00`) is read as such. Returns null for
 * text that is neither. In a gap (a daylight-saving jump) the later offset is used.
 */
export function parseLocalTime(text: string, timeZone: string): number | null {
  const m = LOCAL.exec(text.trim());
  if (!m) {
    if (!/(Z|[+-]\d{2}:?\d{2})$/.test(text.trim())) return null;
    const t = Date.parse(text);
    return Number.isNaN(t) ? null : t;
  }
  const [y, mo, d, h, mi, s] = [1, 2, 3, 4, 5, 6].map((i) => Number(m[i] ?? '0')) as [
    number,
    number,
    number,
    number,
    number,
    number,
  ];
  const asUtc = Date.UTC(y, mo - 1, d, h, mi, s);
  const check = new Date(asUtc);
  if (check.getUTCMonth() !== mo - 1 || check.getUTCDate() !== d || h > 23 || mi > 59 || s > 59) return null;
  // The zone's offset at the guess, applied twice to settle near offset changes.
  let instant = asUtc;
  for (let i = 0; i < 2; i++) instant = asUtc - offsetAt(instant, timeZone);
  return instant;
}

function offsetAt(instant: number, timeZone: string): number {
  const t = wallTime(instant, timeZone);
  const asUtc = Date.UTC(t.year, t.month - 1, t.day, t.hour, t.minute, t.second);
  return asUtc - Math.floor(instant / 1000) * 1000;
}
