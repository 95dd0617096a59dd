/**
 * Rules of the routing sections that span several keys: dates and hours that must parse
 * and not overlap, patterns that must compile, names that must exist. Each reports with a
 * path relative to the section it is attached to, as checks.ts does.
 *
 * The pattern, date and number parsers come from src/routing (pattern.ts, dates.ts,
 * numbering.ts): pure leaves without imports, so checking a configuration loads no other
 * routing code.
 */
import { compilePattern, compilePrefix } from '../../routing/pattern.js';
import { formatMinutes, parseDateEntry, parseTimeRange } from '../../routing/dates.js';
import { normalizeNumber } from '../../routing/numbering.js';
import type { IssueSink } from './checks.js';

type Path = (string | number)[];

function report(ctx: IssueSink, path: Path, message: string): void {
  ctx.addIssue({ code: 'custom', path, message });
}

/** Names of schedules and outbound routes. */
export const ROUTE_NAME = /^[A-Za-z0-9_-]{1,64}$/;

export function isTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone });
    return true;
  } catch (err) {
    return !(err instanceof RangeError); // RangeError: unknown zone; anything else is not ours to judge
  }
}

/** Checks date entries under `path`; returns every day named, with the index that named it. */
function checkDates(
  entries: readonly string[],
  ctx: IssueSink,
  path: Path,
  year?: string,
): Map<string, number> {
  const days = new Map<string, number>();
  entries.forEach((entry, i) => {
    const parsed = parseDateEntry(entry);
    if (!parsed.ok) return report(ctx, [...path, i], parsed.message);
    if (year !== undefined && (!parsed.first.startsWith(year) || !parsed.last.startsWith(year))) {
      return report(
        ctx,
        [...path, i],
        `"${entry}" is not in ${year}: list it under holidays."${parsed.first.slice(0, 4)}"`,
      );
    }
    for (const day of parsed.days) if (!days.has(day)) days.set(day, i);
  });
  return days;
}

function reportBoth(
  ctx: IssueSink,
  a: Map<string, number>,
  b: Map<string, number>,
  path: Path,
  other: string,
): void {
  for (const [day, i] of b) {
    if (a.has(day)) report(ctx, [...path, i], `${day} is also listed in ${other}`);
  }
}

interface HolidayYear {
  readonly off: readonly string[];
  readonly work: readonly string[];
}

export function checkHolidays(years: Readonly<Record<string, HolidayYear>>, ctx: IssueSink): void {
  for (const [year, entry] of Object.entries(years)) {
    const off = checkDates(entry.off, ctx, [year, 'off'], year);
    const work = checkDates(entry.work, ctx, [year, 'work'], year);
    reportBoth(ctx, off, work, [year, 'work'], `holidays."${year}".off`);
  }
}

interface ScheduleShape {
  readonly hours: Readonly<Record<string, readonly string[] | undefined>>;
  readonly closedDates: readonly string[];
  readonly openDates: readonly string[];
}

function checkDayHours(ranges: readonly string[], ctx: IssueSink, path: Path): void {
  const seen: { start: number; end: number; text: string }[] = [];
  ranges.forEach((text, i) => {
    const r = parseTimeRange(text);
    if (!r.ok) return report(ctx, [...path, i], r.message);
    const clash = seen.find((s) => r.start < s.end && s.start < r.end);
    if (clash !== undefined) {
      const overlap = `${formatMinutes(Math.max(r.start, clash.start))}-${formatMinutes(Math.min(r.end, clash.end))}`;
      return report(ctx, [...path, i], `"${text}" overlaps "${clash.text}" (${overlap})`);
    }
    seen.push({ start: r.start, end: r.end, text });
  });
}

export function checkSchedule(schedule: ScheduleShape, ctx: IssueSink): void {
  for (const [day, ranges] of Object.entries(schedule.hours)) {
    if (ranges !== undefined) checkDayHours(ranges, ctx, ['hours', day]);
  }
  const closed = checkDates(schedule.closedDates, ctx, ['closedDates']);
  const open = checkDates(schedule.openDates, ctx, ['openDates']);
  reportBoth(ctx, closed, open, ['openDates'], 'closedDates');
}

interface ListEntry {
  readonly number?: string | undefined;
  readonly prefix?: string | undefined;
}

function checkEntries(entries: readonly ListEntry[], ctx: IssueSink, list: string): void {
  const seen = new Map<string, number>();
  entries.forEach((entry, i) => {
    if ((entry.number === undefined) === (entry.prefix === undefined)) {
      return report(ctx, [list, i], 'give either number or prefix (one of them)');
    }
    const key =
      entry.number !== undefined ? `number ${entry.number.replace(/[\s-]/g, '')}` : `prefix ${entry.prefix}`;
    const first = seen.get(key);
    if (first !== undefined) report(ctx, [list, i], `duplicate ${key} (also ${list}[${first}])`);
    else seen.set(key, i);
  });
}

interface RegionRuleShape {
  readonly province?: string | undefined;
  readonly city?: string | undefined;
  readonly carrier?: string | undefined;
  readonly action: 'reject' | 'warn' | 'route' | 'priority';
  readonly destination?: unknown;
  readonly priority?: number | undefined;
}

interface ListsShape {
  readonly blacklist: readonly ListEntry[];
  readonly whitelist: readonly ListEntry[];
  readonly vip: readonly ListEntry[];
  readonly regionRules: readonly RegionRuleShape[];
}

export function checkLists(lists: ListsShape, ctx: IssueSink): void {
  checkEntries(lists.blacklist, ctx, 'blacklist');
  checkEntries(lists.whitelist, ctx, 'whitelist');
  checkEntries(lists.vip, ctx, 'vip');
  lists.regionRules.forEach((rule, i) => {
    if (rule.province === undefined && rule.city === undefined && rule.carrier === undefined) {
      report(ctx, ['regionRules', i], 'give at least one of province, city, carrier');
    }
    if (rule.action === 'route' && rule.destination === undefined) {
      report(ctx, ['regionRules', i, 'destination'], 'action route needs a destination');
    }
    if (rule.action !== 'route' && rule.destination !== undefined) {
      report(
        ctx,
        ['regionRules', i, 'destination'],
        `is only used with action route (this rule's action is ${rule.action})`,
      );
    }
    if (rule.action === 'priority' && rule.priority === undefined) {
      report(ctx, ['regionRules', i, 'priority'], 'action priority needs a priority (0-100)');
    }
  });
}

interface InboundShape {
  readonly numbers: readonly {
    readonly number: string;
    readonly schedule?: string | undefined;
    readonly closed?: unknown;
    readonly holiday?: unknown;
  }[];
}

export function checkInbound(inbound: InboundShape, ctx: IssueSink): void {
  const seen = new Map<string, number>();
  inbound.numbers.forEach((entry, i) => {
    // Exact numbers are matched in normalised form (routing/inbound.ts), so compare them so.
    const text = entry.number.startsWith('_') ? entry.number : normalizeNumber(entry.number);
    const compiled = compilePattern(text);
    if (!compiled.ok) report(ctx, ['numbers', i, 'number'], compiled.message);
    const first = seen.get(text);
    if (first !== undefined)
      report(ctx, ['numbers', i, 'number'], `duplicate of inbound.numbers[${first}].number`);
    else seen.set(text, i);
    if (entry.schedule !== undefined && entry.closed === undefined) {
      report(
        ctx,
        ['numbers', i, 'closed'],
        'a number with a schedule needs closed: where calls go outside its hours',
      );
    }
    if (entry.schedule === undefined && (entry.closed !== undefined || entry.holiday !== undefined)) {
      const key = entry.closed !== undefined ? 'closed' : 'holiday';
      report(ctx, ['numbers', i, key], 'is only used with a schedule');
    }
  });
}

interface OutboundShape {
  readonly routes: readonly {
    readonly name: string;
    readonly patterns: readonly string[];
    readonly prefix?: string | undefined;
  }[];
}

export function checkOutbound(outbound: OutboundShape, ctx: IssueSink): void {
  const names = new Map<string, number>();
  const patterns = new Map<string, string>();
  outbound.routes.forEach((route, i) => {
    const first = names.get(route.name);
    if (first !== undefined)
      report(ctx, ['routes', i, 'name'], `duplicate route name "${route.name}" (also routes[${first}])`);
    else names.set(route.name, i);
    if (route.patterns.length === 0 && route.prefix === undefined) {
      report(ctx, ['routes', i], 'give patterns or a prefix: a route that matches nothing is never used');
    }
    route.patterns.forEach((text, j) => {
      const compiled = compilePattern(text);
      if (!compiled.ok) return report(ctx, ['routes', i, 'patterns', j], compiled.message);
      const owner = patterns.get(text);
      if (owner !== undefined)
        report(ctx, ['routes', i, 'patterns', j], `"${text}" is already ${owner}: this one is never chosen`);
      else patterns.set(text, `outbound.routes[${i}].patterns[${j}]`);
    });
    if (route.prefix !== undefined) {
      const compiled = compilePrefix(route.prefix);
      if (!compiled.ok) report(ctx, ['routes', i, 'prefix'], compiled.message);
    }
  });
}

interface RoutingWhole {
  readonly schedules: Readonly<Record<string, unknown>>;
  readonly inbound: InboundShape;
}

/** Rules between routing sections; these run once every section is valid on its own. */
export function checkRoutingCrossSection(cfg: RoutingWhole, ctx: IssueSink): void {
  const known = Object.keys(cfg.schedules);
  cfg.inbound.numbers.forEach((entry, i) => {
    if (entry.schedule === undefined || Object.hasOwn(cfg.schedules, entry.schedule)) return;
    const list = known.length === 0 ? 'none is defined' : `known: ${known.join(', ')}`;
    report(
      ctx,
      ['inbound', 'numbers', i, 'schedule'],
      `no schedule "${entry.schedule}" in schedules (${list})`,
    );
  });
}
