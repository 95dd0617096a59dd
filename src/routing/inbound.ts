/**
 * Inbound routing: where a call to one of our numbers (a DID) goes. In order:
 *
 *   1. the caller's verdict (lists.ts): refused → hang up with its cause; warned → the
 *      warning, then hang up
 *   2. the DID table: an exact number, else the most specific pattern; none → the default
 *   3. the number's schedule: on a holiday or closed date → `holiday` (else `closed`);
 *      outside hours → `closed`
 *   4. a region rule that routes elsewhere replaces the number's destination (open hours only)
 *   5. a priority from the verdict (VIP, region rule) raises a queue destination's priority
 *
 * DIDs are compared in normalised form (normalizeNumber), so +86 10 8888 0000, 010-88880000
 * and 01088880000 are one number; patterns see the normalised form too.
 */
import { RoutingError } from './errors.js';
import type { HolidayCalendar } from './holidays.js';
import type { CallerVerdict } from './lists.js';
import { normalizeNumber } from './numbering.js';
import { bestMatch, compilePattern, type CompiledPattern } from './pattern.js';
import { evaluateSchedule, type Schedule, type ScheduleState } from './schedule.js';
import type { Destination } from './types.js';

export interface InboundNumber {
  /** The called number, exact (any written form) or a dial pattern `_…`. */
  readonly number: string;
  readonly name?: string;
  readonly destination: Destination;
  /** A schedule name; without one the number is always open. */
  readonly schedule?: string;
  /** Where calls go when the schedule is closed. */
  readonly closed?: Destination;
  /** Where calls go on holidays and closed dates (else `closed`). */
  readonly holiday?: Destination;
}

export interface InboundTable {
  readonly numbers: readonly InboundNumber[];
  /** For DIDs not in the table. */
  readonly default: Destination;
}

export type InboundReason =
  | 'caller-rejected'
  | 'caller-warned'
  | 'open'
  | 'no-schedule'
  | 'closed'
  | 'holiday'
  | 'region-route'
  | 'default';

export interface InboundDecision {
  readonly destination: Destination;
  readonly reason: InboundReason;
  /** The table entry that matched (its number as written), if any. */
  readonly matched?: string;
  readonly schedule?: ScheduleState;
}

/** When a number has a schedule but no `closed` destination (the configuration refuses that). */
const UNAVAILABLE: Destination = { type: 'hangup', cause: 480 };

interface CompiledEntry {
  readonly entry: InboundNumber;
  readonly pattern: CompiledPattern;
}

const compiledTables = new WeakMap<readonly InboundNumber[], readonly CompiledEntry[]>();

function compileTable(numbers: readonly InboundNumber[]): readonly CompiledEntry[] {
  const cached = compiledTables.get(numbers);
  if (cached !== undefined) return cached;
  const compiled = numbers.map((entry) => {
    const text = entry.number.startsWith('_') ? entry.number : normalizeNumber(entry.number);
    const result = compilePattern(text);
    if (!result.ok) {
      throw new RoutingError('ROUTING_BAD_PATTERN', `inbound number "${entry.number}": ${result.message}`);
    }
    return { entry, pattern: result.pattern };
  });
  compiledTables.set(numbers, compiled);
  return compiled;
}

function withPriority(destination: Destination, priority: number | undefined): Destination {
  if (priority === undefined || destination.type !== 'queue') return destination;
  if (destination.priority !== undefined && destination.priority >= priority) return destination;
  return { ...destination, priority };
}

/** The table entry for `did`, if any. */
export function findInboundNumber(did: string, table: InboundTable): InboundNumber | undefined {
  return bestMatch(normalizeNumber(did), compileTable(table.numbers), (c) => [c.pattern])?.item.entry;
}

export function routeInbound(
  did: string,
  verdict: CallerVerdict,
  schedules: Readonly<Record<string, Schedule>>,
  calendar: HolidayCalendar,
  instant: number,
  table: InboundTable,
  timeZone?: string,
): InboundDecision {
  if (verdict.action === 'reject') {
    return { destination: { type: 'hangup', cause: verdict.cause }, reason: 'caller-rejected' };
  }
  if (verdict.action === 'warn') {
    return { destination: { type: 'announcement', prompts: verdict.prompts }, reason: 'caller-warned' };
  }
  const priority = verdict.priority;
  const entry = findInboundNumber(did, table);
  if (entry === undefined) {
    const destination = verdict.action === 'route' ? verdict.destination : table.default;
    return {
      destination: withPriority(destination, priority),
      reason: verdict.action === 'route' ? 'region-route' : 'default',
    };
  }
  const matched = entry.number;
  let state: ScheduleState | undefined;
  if (entry.schedule !== undefined) {
    if (!Object.hasOwn(schedules, entry.schedule)) {
      throw new RoutingError(
        'ROUTING_UNKNOWN_SCHEDULE',
        `inbound number "${matched}" names unknown schedule "${entry.schedule}"`,
      );
    }
    state = evaluateSchedule(schedules[entry.schedule] as Schedule, calendar, instant, timeZone);
    if (!state.open) {
      const dayOff = state.reason === 'holiday' || state.reason === 'closed-date';
      const destination = (dayOff ? entry.holiday : undefined) ?? entry.closed ?? UNAVAILABLE;
      const reason = dayOff && entry.holiday !== undefined ? 'holiday' : 'closed';
      return { destination: withPriority(destination, priority), reason, matched, schedule: state };
    }
  }
  const routed = verdict.action === 'route';
  return {
    destination: withPriority(routed ? verdict.destination : entry.destination, priority),
    reason: routed ? 'region-route' : state === undefined ? 'no-schedule' : 'open',
    matched,
    ...(state === undefined ? {} : { schedule: state }),
  };
}
