/**
 * Outbound routes: which route a dialled number takes, what is sent to the carrier
 * (strip, prepend), which trunks to try in order, and whether the caller may dial it.
 * Trunk selection itself (health, channels, load sharing) belongs to routing/trunks.
 */
import { RoutingError } from './errors.js';
import { normalizeAreaCode, parseChineseNumber, type ChineseNumberKind } from './numbering.js';
import {
  bestMatch,
  compilePattern,
  compilePrefix,
  type CompiledPattern,
  type PatternResult,
} from './pattern.js';

/** What an extension may dial, least to most privileged. */
export const PERMISSION_CLASSES = ['internal', 'local', 'national', 'international'] as const;
export type PermissionClass = (typeof PERMISSION_CLASSES)[number];

/** 110 police, 119 fire, 120 ambulance, 122 traffic accidents. */
export const DEFAULT_EMERGENCY_NUMBERS: readonly string[] = ['110', '119', '120', '122'];

export interface OutboundRoute {
  readonly name: string;
  /** Dial patterns (`_0[1-9]X.`) or literal numbers. */
  readonly patterns?: readonly string[];
  /** A plain prefix such as `9`: numbers that start with it. */
  readonly prefix?: string;
  /** Characters removed from the front of the dialled number. */
  readonly strip?: number;
  /** Characters put in front after stripping. */
  readonly prepend?: string;
  /** Trunk or trunk-group names, in the order to try. */
  readonly trunks: readonly string[];
  /** The class a caller needs; `auto` (the default) classifies the number (classifyNumber). */
  readonly permission?: PermissionClass | 'auto';
}

export interface NumberingOptions {
  /** Our own area code (`010`): fixed numbers there are local. */
  readonly areaCode?: string;
  /** Numbers always allowed, whatever the caller's class. */
  readonly emergencyNumbers?: readonly string[];
  /** Whether a number is one of our extensions. */
  readonly isExtension?: (number: string) => boolean;
}

export type NumberCategory = 'emergency' | 'extension' | 'fixed-local' | ChineseNumberKind;

export interface NumberClass {
  readonly category: NumberCategory;
  /** The class a caller needs to dial it (emergency numbers: `internal`, i.e. everyone). */
  readonly permission: PermissionClass;
  /** The number as classified (normalised). */
  readonly number: string;
}

const CATEGORY_PERMISSION: Readonly<Record<NumberCategory, PermissionClass>> = {
  emergency: 'internal',
  extension: 'internal',
  'fixed-local': 'local',
  subscriber: 'local',
  service: 'local',
  fixed: 'national',
  mobile: 'national',
  'toll-free': 'national',
  international: 'international',
  // A number we cannot place needs the widest class, so that no lower class reaches it.
  unknown: 'international',
};

/** The class of permission a number needs, by Chinese numbering. */
export function classifyNumber(number: string, opts: NumberingOptions = {}): NumberClass {
  const parsed = parseChineseNumber(number);
  const emergency = opts.emergencyNumbers ?? DEFAULT_EMERGENCY_NUMBERS;
  let category: NumberCategory = parsed.kind;
  if (emergency.includes(parsed.number)) category = 'emergency';
  else if (opts.isExtension?.(parsed.number) === true) category = 'extension';
  else if (
    parsed.kind === 'fixed' &&
    opts.areaCode !== undefined &&
    parsed.areaCode === normalizeAreaCode(opts.areaCode)
  ) {
    category = 'fixed-local';
  }
  return { category, permission: CATEGORY_PERMISSION[category], number: parsed.number };
}

/** Whether `caller` is at least `needed`. */
export function permits(caller: PermissionClass, needed: PermissionClass): boolean {
  return PERMISSION_CLASSES.indexOf(caller) >= PERMISSION_CLASSES.indexOf(needed);
}

export type OutboundResult =
  | {
      readonly ok: true;
      readonly route: OutboundRoute;
      /** The number to send: dialled number after strip and prepend. */
      readonly dial: string;
      readonly trunks: readonly string[];
      /** The class the number needed, and how it was classified. */
      readonly permission: PermissionClass;
      readonly category: NumberCategory | 'route';
      /** Allowed as an emergency number whatever the caller's class. */
      readonly emergency: boolean;
    }
  | {
      readonly ok: false;
      readonly code: 'NO_ROUTE' | 'NOT_PERMITTED';
      readonly reason: string;
      readonly route?: OutboundRoute;
      readonly permission?: PermissionClass;
    };

interface CompiledRoute {
  readonly route: OutboundRoute;
  readonly patterns: readonly CompiledPattern[];
}

const compiledRoutes = new WeakMap<readonly OutboundRoute[], readonly CompiledRoute[]>();

function mustCompile(result: PatternResult, route: string): CompiledPattern {
  if (result.ok) return result.pattern;
  throw new RoutingError('ROUTING_BAD_PATTERN', `outbound route "${route}": ${result.message}`, {
    route,
    code: result.code,
    column: result.column,
  });
}

/** Compiles a route table once per table object (configuration is frozen, so that is per load). */
export function compileRoutes(routes: readonly OutboundRoute[]): readonly CompiledRoute[] {
  const cached = compiledRoutes.get(routes);
  if (cached !== undefined) return cached;
  const compiled = routes.map((route) => {
    const patterns = (route.patterns ?? []).map((p) => mustCompile(compilePattern(p), route.name));
    if (route.prefix !== undefined) patterns.push(mustCompile(compilePrefix(route.prefix), route.name));
    return { route, patterns };
  });
  compiledRoutes.set(routes, compiled);
  return compiled;
}

/**
 * The route for `number` dialled by a caller of `callerClass`: the most specific matching
 * pattern wins (pattern.ts), and its route alone decides — a less specific route is not
 * tried when the caller may not use the best one. Emergency numbers (as dialled, or after
 * the route's strip) are allowed to every caller.
 */
export function routeOutbound(
  number: string,
  callerClass: PermissionClass,
  routes: readonly OutboundRoute[],
  opts: NumberingOptions = {},
): OutboundResult {
  const best = bestMatch(number, compileRoutes(routes), (r) => r.patterns);
  if (best === undefined)
    return { ok: false, code: 'NO_ROUTE', reason: `no outbound route matches ${number}` };
  const route = best.item.route;
  const stripped = number.slice(route.strip ?? 0);
  if (stripped === '') {
    const reason = `route "${route.name}" strips ${route.strip} characters, leaving nothing of ${number}`;
    return { ok: false, code: 'NO_ROUTE', reason, route };
  }
  const dial = `${route.prepend ?? ''}${stripped}`;
  const emergencyList = opts.emergencyNumbers ?? DEFAULT_EMERGENCY_NUMBERS;
  const emergency = emergencyList.includes(number) || emergencyList.includes(stripped);
  const classified = classifyNumber(stripped, opts);
  const routeClass = route.permission === 'auto' ? undefined : route.permission;
  const byRoute = routeClass !== undefined;
  const needed = routeClass ?? classified.permission;
  const category = byRoute ? 'route' : classified.category;
  if (emergency || permits(callerClass, needed)) {
    return { ok: true, route, dial, trunks: route.trunks, permission: needed, category, emergency };
  }
  const why = byRoute
    ? `route "${route.name}" needs ${needed}`
    : `${stripped} is ${classified.category} and needs ${needed}`;
  return {
    ok: false,
    code: 'NOT_PERMITTED',
    reason: `${why}; the caller's class is ${callerClass}`,
    route,
    permission: needed,
  };
}
