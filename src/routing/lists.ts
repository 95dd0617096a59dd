/**
 * Screening a caller against the operator's lists, before anything else happens to the
 * call. In order:
 *
 *   1. whitelist  → allowed, past the blacklist and region rules (VIP priority still applies)
 *   2. blacklist  → refused with a SIP cause (603 by default), or a warning played and then
 *                   hang-up (骚扰电话警示)
 *   3. region rules, first that matches → refuse, warn, send elsewhere, or set a priority
 *   4. VIP list   → allowed with a priority
 *
 * Numbers are compared in the form normalizeNumber gives; an exact number wins over a
 * prefix, and a longer prefix over a shorter one.
 */
import { normalizeNumber } from './numbering.js';
import { carrierKey, cityKey, provinceKey, type NumberFacts } from './region.js';
import type { Destination, PromptSpec } from './types.js';

/** An entry matches one number (any written form) or every number starting with a prefix. */
export interface ListMatch {
  readonly number?: string;
  /** Digits of the normalised number: `170`, `0085`. */
  readonly prefix?: string;
}

export interface BlacklistEntry extends ListMatch {
  /** `reject` (default) refuses with `cause`; `warn` plays `prompts` and hangs up. */
  readonly action?: 'reject' | 'warn';
  /** SIP status of the refusal, default 603 Decline. */
  readonly cause?: number;
  readonly prompts?: readonly PromptSpec[];
}

export interface VipEntry extends ListMatch {
  /** Larger is answered sooner; default 10. */
  readonly priority?: number;
}

export interface RegionRule {
  readonly name?: string;
  readonly province?: string;
  readonly city?: string;
  readonly carrier?: string;
  readonly action: 'reject' | 'warn' | 'route' | 'priority';
  readonly cause?: number;
  readonly prompts?: readonly PromptSpec[];
  readonly destination?: Destination;
  readonly priority?: number;
}

export interface CallerLists {
  readonly blacklist?: readonly BlacklistEntry[];
  readonly whitelist?: readonly ListMatch[];
  readonly vip?: readonly VipEntry[];
  readonly regionRules?: readonly RegionRule[];
  /** Played to a `warn` entry that has no prompts of its own. */
  readonly warningPrompts?: readonly PromptSpec[];
}

export const DEFAULT_REJECT_CAUSE = 603;
export const DEFAULT_VIP_PRIORITY = 10;
export const DEFAULT_WARNING_PROMPTS: readonly PromptSpec[] = [
  { tts: '您的来电已被识别为骚扰电话，请停止拨打。本次通话将被挂断。', lang: 'zh-CN' },
];

/** Which list decided: `region` names the rule by its name or its index. */
export type ListName = 'blacklist' | 'region';

export type CallerVerdict =
  | {
      readonly action: 'allow';
      readonly priority?: number;
      readonly vip?: true;
      readonly whitelisted?: true;
      /** The region rule (action priority) that set the priority. */
      readonly rule?: string;
    }
  | { readonly action: 'reject'; readonly cause: number; readonly list: ListName; readonly matched: string }
  | {
      readonly action: 'warn';
      readonly prompts: readonly PromptSpec[];
      readonly list: ListName;
      readonly matched: string;
    }
  | {
      readonly action: 'route';
      readonly destination: Destination;
      readonly rule: string;
      readonly priority?: number;
      readonly vip?: true;
    };

interface ListIndex<E> {
  readonly exact: ReadonlyMap<string, E>;
  /** Longest prefix first. */
  readonly prefixes: readonly E[];
}

const indexes = new WeakMap<readonly ListMatch[], ListIndex<ListMatch>>();

function indexOf<E extends ListMatch>(entries: readonly E[]): ListIndex<E> {
  const cached = indexes.get(entries) as ListIndex<E> | undefined;
  if (cached !== undefined) return cached;
  const exact = new Map<string, E>();
  for (const entry of entries) {
    if (entry.number === undefined) continue;
    const key = normalizeNumber(entry.number);
    if (!exact.has(key)) exact.set(key, entry);
  }
  const prefixes = entries
    .filter((e) => e.prefix !== undefined && e.prefix !== '')
    .sort((a, b) => (b.prefix ?? '').length - (a.prefix ?? '').length);
  const index = { exact, prefixes };
  indexes.set(entries, index);
  return index;
}

/** The best entry for a normalised `number`: exact match first, then the longest prefix. */
export function findEntry<E extends ListMatch>(
  number: string,
  entries: readonly E[] | undefined,
): E | undefined {
  if (entries === undefined || entries.length === 0 || number === '') return undefined;
  const index = indexOf(entries);
  return index.exact.get(number) ?? index.prefixes.find((e) => number.startsWith(e.prefix ?? ''));
}

function describe(entry: ListMatch): string {
  return entry.number !== undefined ? `number ${entry.number}` : `prefix ${entry.prefix ?? ''}`;
}

function ruleMatches(rule: RegionRule, facts: NumberFacts | undefined): boolean {
  if (facts === undefined) return false;
  if (rule.province === undefined && rule.city === undefined && rule.carrier === undefined) return false;
  const same = (want: string | undefined, have: string | undefined, key: (s: string) => string) =>
    want === undefined || (have !== undefined && key(want) === key(have));
  return (
    same(rule.province, facts.province, provinceKey) &&
    same(rule.city, facts.city, cityKey) &&
    same(rule.carrier, facts.carrier, carrierKey)
  );
}

function higher(a: number | undefined, b: number | undefined): number | undefined {
  if (a === undefined) return b;
  if (b === undefined) return a;
  return Math.max(a, b);
}

/**
 * The verdict on a caller. `facts` (from lookupNumber) feed the region rules; without
 * them the region rules are skipped.
 */
export function screenCaller(
  callerNumber: string,
  facts: NumberFacts | undefined,
  lists: CallerLists,
): CallerVerdict {
  const number = normalizeNumber(callerNumber);
  const vip = findEntry(number, lists.vip);
  const vipPriority = vip === undefined ? undefined : (vip.priority ?? DEFAULT_VIP_PRIORITY);
  const vipPart = vip === undefined ? {} : { vip: true as const, priority: vipPriority };
  if (findEntry(number, lists.whitelist) !== undefined) {
    return { action: 'allow', whitelisted: true, ...vipPart };
  }
  const black = findEntry(number, lists.blacklist);
  if (black !== undefined) {
    const matched = describe(black);
    if (black.action === 'warn') {
      const prompts = black.prompts ?? lists.warningPrompts ?? DEFAULT_WARNING_PROMPTS;
      return { action: 'warn', prompts, list: 'blacklist', matched };
    }
    return { action: 'reject', cause: black.cause ?? DEFAULT_REJECT_CAUSE, list: 'blacklist', matched };
  }
  const index = (lists.regionRules ?? []).findIndex((r) => ruleMatches(r, facts));
  const rule = lists.regionRules?.[index];
  if (rule !== undefined) {
    const matched = rule.name ?? `regionRules[${index}]`;
    switch (rule.action) {
      case 'reject':
        return { action: 'reject', cause: rule.cause ?? DEFAULT_REJECT_CAUSE, list: 'region', matched };
      case 'warn':
        return {
          action: 'warn',
          prompts: rule.prompts ?? lists.warningPrompts ?? DEFAULT_WARNING_PROMPTS,
          list: 'region',
          matched,
        };
      case 'route':
        if (rule.destination !== undefined)
          return { action: 'route', destination: rule.destination, rule: matched, ...vipPart };
        break; // a route rule without a destination (refused by the configuration) routes nowhere
      case 'priority': {
        const priority = higher(rule.priority, vipPriority);
        return {
          action: 'allow',
          ...(priority === undefined ? {} : { priority }),
          rule: matched,
          ...(vip ? { vip: true } : {}),
        };
      }
    }
  }
  return vip === undefined ? { action: 'allow' } : { action: 'allow', ...vipPart };
}
