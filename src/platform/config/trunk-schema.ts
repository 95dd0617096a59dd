/**
 * The `trunks` and `trunkGroups` sections: SIP trunks to carriers and FXO/E1 gateways, and
 * the groups outbound calls are spread over. Kept apart from schema.ts, which assembles every
 * section; `checkTrunkGroups` needs both lists and runs on the whole configuration.
 *
 * Defaults that depend on other sections (a trunk's codecs default to `media.codecs`, its
 * inbound allow-list to the addresses its host resolves to) are applied where the trunks are
 * built (src/routing/trunks/), so this file only says "not given".
 */
import { isIP } from 'node:net';
import { z } from 'zod';
import type { IssueSink } from './checks.js';
import { MEDIA_CODECS } from './media-schema.js';

type Path = (string | number)[];

function report(ctx: IssueSink, path: Path, message: string): void {
  ctx.addIssue({ code: 'custom', path, message });
}

const count = (min: number) => z.number().int().min(min);

const HOST_NAME = /^[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?(\.[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?)*$/;
const host = z
  .string()
  .refine((s) => isIP(s) !== 0 || HOST_NAME.test(s), 'must be an IP address or a host name');

/** No control characters (a CR/LF would split a SIP header), no `"` or `\` (quoted in digest). */
function isQuotable(s: string): boolean {
  for (const ch of s) {
    const code = ch.codePointAt(0) ?? 0;
    if (code < 0x20 || code === 0x7f || ch === '"' || ch === '\\') return false;
  }
  return true;
}
const quotable = (what: string) =>
  z.string().min(1).max(128).refine(isQuotable, `${what} must not contain control characters, " or \\`);

export const TRUNK_NAME = /^[A-Za-z0-9_-]{1,64}$/;
const trunkName = z.string().regex(TRUNK_NAME, 'must be 1 to 64 letters, digits, _ or -');
/** The user part of a SIP URI Hotline writes unescaped (RFC 3261 §25.1 unreserved, plus +). */
const sipUser = z.string().regex(/^[A-Za-z0-9._~+-]{1,64}$/, 'must be 1 to 64 letters, digits or . _ ~ + -');
const phoneNumber = z.string().regex(/^\+?[0-9]{1,20}$/, 'must be 1 to 20 digits, optionally after a +');

/** An IPv4/IPv6 address, or a CIDR block such as 203.0.113.0/24 or 2001:db8::/32. */
export function isAddressOrCidr(s: string): boolean {
  const slash = s.indexOf('/');
  if (slash === -1) return isIP(s) !== 0;
  const family = isIP(s.slice(0, slash));
  const bits = s.slice(slash + 1);
  if (family === 0 || !/^[0-9]{1,3}$/.test(bits)) return false;
  return Number(bits) <= (family === 4 ? 32 : 128);
}

export const TRUNK_TRANSPORTS = ['udp', 'tcp'] as const;
export const CALLER_ID_MODES = ['pass', 'fixed'] as const;
export const CALLER_ID_PRIVACY = ['none', 'id'] as const;
export const TRUNK_STRATEGIES = ['failover', 'roundRobin', 'weighted'] as const;

export const trunkRegisterSchema = z.strictObject({
  username: sipUser,
  password: quotable('password'),
  /** The digest user name when it differs from the account (the URI user). */
  authUsername: quotable('authUsername').optional(),
  expires: count(60).max(86400).default(300),
  /** The registrar's domain (AOR and Request-URI host); default the trunk's host. */
  domain: host.optional(),
});

export const trunkAuthSchema = z.strictObject({
  username: quotable('username'),
  password: quotable('password'),
});

export const trunkCallerIdSchema = z
  .strictObject({
    number: phoneNumber.optional(),
    name: quotable('name').max(100).optional(),
    mode: z.enum(CALLER_ID_MODES).default('pass'),
    privacy: z.enum(CALLER_ID_PRIVACY).default('none'),
  })
  .superRefine((c, ctx) => {
    if (c.mode === 'fixed' && c.number === undefined) report(ctx, ['number'], 'needed when mode is fixed');
  });

export const trunkOptionsSchema = z.strictObject({
  /** Seconds between OPTIONS pings; 0 turns health checks off. */
  interval: count(0).max(3600).default(30),
  /** Unanswered pings in a row that mark the trunk down. */
  downAfter: count(1).max(100).default(2),
});

export const trunkSchema = z.strictObject({
  name: trunkName,
  host,
  port: z.number().int().min(1).max(65535).default(5060),
  transport: z.enum(TRUNK_TRANSPORTS).default('udp'),
  register: trunkRegisterSchema.optional(),
  auth: trunkAuthSchema.optional(),
  allow: z
    .array(z.string().refine(isAddressOrCidr, 'must be an IP address or a CIDR block such as 203.0.113.0/24'))
    .optional(),
  codecs: z
    .array(z.enum(MEDIA_CODECS))
    .min(1)
    .superRefine((codecs, ctx) => checkUniqueValues(codecs, 'codec', ctx))
    .optional(),
  maxChannels: count(1).optional(),
  callerId: trunkCallerIdSchema.prefault({}),
  options: trunkOptionsSchema.prefault({}),
});

/** Reports every repeat of an earlier value, at the repeat's index. */
function checkUniqueValues(values: readonly string[], noun: string, ctx: IssueSink, path: Path = []): void {
  values.forEach((value, i) => {
    if (values.indexOf(value) !== i) report(ctx, [...path, i], `duplicate ${noun} "${value}"`);
  });
}

export const trunksSchema = z.array(trunkSchema).superRefine((trunks, ctx) => {
  const names = trunks.map((t) => t.name);
  names.forEach((name, i) => {
    if (names.indexOf(name) !== i) report(ctx, [i, 'name'], `duplicate trunk name "${name}"`);
  });
});

export const trunkGroupMemberSchema = z.strictObject({
  trunk: trunkName,
  weight: count(1).max(1000).default(1),
});

export const trunkGroupSchema = z
  .strictObject({
    name: trunkName,
    strategy: z.enum(TRUNK_STRATEGIES).default('failover'),
    trunks: z.array(trunkGroupMemberSchema).min(1),
  })
  .superRefine((g, ctx) => {
    const names = g.trunks.map((m) => m.trunk);
    names.forEach((name, i) => {
      if (names.indexOf(name) !== i) report(ctx, ['trunks', i, 'trunk'], `trunk "${name}" is listed twice`);
    });
  });

export const trunkGroupsSchema = z.array(trunkGroupSchema).superRefine((groups, ctx) => {
  const names = groups.map((g) => g.name);
  names.forEach((name, i) => {
    if (names.indexOf(name) !== i) report(ctx, [i, 'name'], `duplicate trunk group name "${name}"`);
  });
});

/** Groups must name trunks that exist; runs once both lists are valid on their own. */
export function checkTrunkGroups(
  cfg: {
    readonly trunks: readonly { readonly name: string }[];
    readonly trunkGroups: readonly { readonly trunks: readonly { readonly trunk: string }[] }[];
  },
  ctx: IssueSink,
): void {
  const known = new Set(cfg.trunks.map((t) => t.name));
  cfg.trunkGroups.forEach((group, g) => {
    group.trunks.forEach((member, m) => {
      if (known.has(member.trunk)) return;
      const list = known.size === 0 ? 'no trunks are configured' : `known: ${[...known].join(', ')}`;
      report(ctx, ['trunkGroups', g, 'trunks', m, 'trunk'], `no trunk "${member.trunk}" (${list})`);
    });
  });
}

type DeepReadonly<T> = T extends readonly (infer E)[]
  ? readonly DeepReadonly<E>[]
  : T extends object
    ? { readonly [K in keyof T]: DeepReadonly<T[K]> }
    : T;

/** One trunk as loaded: validated, defaults applied. */
export type TrunkConfig = DeepReadonly<z.output<typeof trunkSchema>>;
export type TrunkGroupConfig = DeepReadonly<z.output<typeof trunkGroupSchema>>;
export type TrunkRegisterConfig = NonNullable<TrunkConfig['register']>;
export type TrunkCallerIdConfig = TrunkConfig['callerId'];
export type TrunkTransport = (typeof TRUNK_TRANSPORTS)[number];
export type TrunkStrategy = (typeof TRUNK_STRATEGIES)[number];
