/**
 * The extension features' part of the configuration: per-extension forwarding, do not
 * disturb, call waiting, find-me and pickup groups (fields spread into `extensionSchema`),
 * the top-level `ringGroups`, and the `features` codes dialled from phones. Kept apart from
 * schema.ts, which assembles every section. The rules that tie these to the extension list
 * (a forward to an unknown extension, a code used twice) are in checkFeatureConfig.
 */
import { z } from 'zod';
import type { IssueSink } from './checks.js';
import { destinationSchema } from './routing-schema.js';

type Path = (string | number)[];

/**
 * Fewest digits of a number that is not an extension or a ring group and is therefore taken
 * as an external number (it goes out through a trunk): a Chinese local subscriber number has
 * 7 or 8 digits, a mobile 11. Anything shorter is a mistyped extension and is refused.
 */
export const EXTERNAL_MIN_DIGITS = 7;

/** Whether a number not known inside Hotline may be dialled outside (a `+` number, or 7+ digits). */
export function isExternalNumber(number: string): boolean {
  return /^\+[0-9]{2,20}$/.test(number) || /^[0-9]{7,20}$/.test(number);
}

export const RING_GROUP_STRATEGIES = ['all', 'ordered'] as const;
export const FIND_ME_MODES = ['sequential', 'parallel'] as const;

const count = (min: number) => z.number().int().min(min);
const dialNumber = z
  .string()
  .regex(/^\+?[0-9]{2,20}$/, 'must be a number: 2 to 20 digits, optionally after +');
const localNumber = z.string().regex(/^[0-9]{2,12}$/, 'must be 2 to 12 digits');
const groupName = z.string().regex(/^[A-Za-z0-9_-]{1,32}$/, 'must be 1 to 32 letters, digits, _ or -');
const code = (fallback: string) =>
  z
    .string()
    .regex(/^[0-9*#]{1,12}$/, 'must be 1 to 12 characters among 0-9, * and #')
    .default(fallback);

export const forwardSchema = z.strictObject({
  /** Every call goes there at once. */
  always: dialNumber.optional(),
  /** Calls that find the extension busy (or in do-not-disturb) go there. */
  busy: dialNumber.optional(),
  /** Calls not answered within noAnswerTimeout go there. */
  noAnswer: dialNumber.optional(),
  /** Seconds the extension's phones ring; default calls.noAnswerTimeout. */
  noAnswerTimeout: count(1).max(3600).optional(),
});

export const findMeStepSchema = z.strictObject({
  numbers: z
    .array(dialNumber)
    .min(1)
    .max(10)
    .superRefine((numbers, ctx) => unique(numbers, 'number', ctx)),
  ringTime: count(1).max(600).default(20),
});

export const findMeSchema = z.strictObject({
  mode: z.enum(FIND_ME_MODES).default('sequential'),
  steps: z.array(findMeStepSchema).min(1).max(10),
});

/** The per-extension fields, spread into extensionSchema. */
export const extensionFeatureFields = {
  forward: forwardSchema.optional(),
  dnd: z.boolean().default(false),
  callWaiting: z.boolean().default(true),
  /** Busy and unanswered calls end in the extension's mailbox (when voicemail is on). */
  voicemail: z.boolean().default(false),
  findMe: findMeSchema.optional(),
  pickupGroup: groupName.optional(),
};

export const ringGroupSchema = z.strictObject({
  number: localNumber,
  name: z.string().min(1).max(100).optional(),
  strategy: z.enum(RING_GROUP_STRATEGIES).default('all'),
  members: z
    .array(localNumber)
    .min(1)
    .max(100)
    .superRefine((members, ctx) => unique(members, 'member', ctx)),
  /** Seconds: each member's turn for `ordered`, the whole ringing for `all`. */
  ringTime: count(1).max(600).default(20),
  /** Where the call goes when nobody answered; default: refused with 480. */
  fallback: destinationSchema.optional(),
});

export const ringGroupsSchema = z.array(ringGroupSchema).superRefine((groups, ctx) =>
  groups.forEach((g, i) => {
    const first = groups.findIndex((other) => other.number === g.number);
    if (first !== i) report(ctx, [i, 'number'], `duplicate ring group number "${g.number}"`);
  }),
);

/** The codes dialled to reach each feature; the forward and directed pickup ones are prefixes. */
export const FEATURE_CODE_NAMES = ['dndOnCode', 'dndOffCode', 'forwardOffCode', 'groupPickupCode'] as const;
export const FEATURE_PREFIX_NAMES = ['forwardOnCode', 'directedPickupPrefix'] as const;

export const featuresSchema = z
  .strictObject({
    dndOnCode: code('*78'),
    dndOffCode: code('*79'),
    forwardOnCode: code('*72'),
    forwardOffCode: code('*73'),
    groupPickupCode: code('*8'),
    directedPickupPrefix: code('**'),
  })
  .superRefine(checkFeatureCodes);

type FeatureCodes = z.output<typeof featuresSchema>;

/** Two features on one code could never both be reached; a prefix hiding another is refused too. */
function checkFeatureCodes(codes: FeatureCodes, ctx: IssueSink): void {
  const all = [...FEATURE_CODE_NAMES, ...FEATURE_PREFIX_NAMES];
  all.forEach((key, i) => {
    const owner = all.slice(0, i).find((other) => codes[other] === codes[key]);
    if (owner !== undefined) report(ctx, [key], `"${codes[key]}" is already features.${owner}`);
  });
  const [fwd, directed] = [codes.forwardOnCode, codes.directedPickupPrefix];
  if (fwd !== directed && (fwd.startsWith(directed) || directed.startsWith(fwd))) {
    report(ctx, ['directedPickupPrefix'], `"${directed}" and features.forwardOnCode "${fwd}" overlap`);
  }
}

interface FeatureExtension {
  readonly number: string;
  readonly forward?: { readonly always?: string; readonly busy?: string; readonly noAnswer?: string };
  readonly findMe?: { readonly steps: readonly { readonly numbers: readonly string[] }[] };
}

interface FeatureWholeConfig {
  readonly extensions: readonly FeatureExtension[];
  readonly ringGroups: readonly {
    readonly number: string;
    readonly members: readonly string[];
    readonly fallback?: { readonly type: string; readonly number?: string; readonly group?: string };
  }[];
  readonly features: FeatureCodes;
  readonly calls: Readonly<Record<string, unknown>>;
  /** The voicemail section, whose codes must not collide with ours. */
  readonly voicemail?: Readonly<Record<string, unknown>>;
}

/**
 * Rules between the features and the rest: forwards, find-me numbers and ring group members
 * must name an extension, a ring group or (for forwards and find-me) an external number;
 * ring group numbers and feature codes must not be taken by an extension or another code.
 */
export function checkFeatureConfig(cfg: FeatureWholeConfig, ctx: IssueSink): void {
  const extensions = new Set(cfg.extensions.map((e) => e.number));
  const groups = new Set(cfg.ringGroups.map((g) => g.number));
  const target = (path: Path, number: string, self: string, allowGroup: boolean) => {
    if (number === self) return report(ctx, path, `"${number}" is the extension itself`);
    if (groups.has(number) && !allowGroup)
      return report(ctx, path, `"${number}" is a ring group: find-me rings extensions and external numbers`);
    if (extensions.has(number) || groups.has(number) || isExternalNumber(number)) return;
    const what = allowGroup ? 'extension or ring group' : 'extension';
    report(
      ctx,
      path,
      `no ${what} "${number}" (an external number needs at least ${EXTERNAL_MIN_DIGITS} digits or a leading +)`,
    );
  };
  cfg.extensions.forEach((ext, i) => {
    for (const key of ['always', 'busy', 'noAnswer'] as const) {
      const to = ext.forward?.[key];
      if (to !== undefined) target(['extensions', i, 'forward', key], to, ext.number, true);
    }
    ext.findMe?.steps.forEach((step, s) =>
      step.numbers.forEach((n, k) =>
        target(['extensions', i, 'findMe', 'steps', s, 'numbers', k], n, ext.number, false),
      ),
    );
  });
  cfg.ringGroups.forEach((g, i) => {
    if (extensions.has(g.number))
      report(ctx, ['ringGroups', i, 'number'], `"${g.number}" is also an extension`);
    g.members.forEach((m, k) => {
      if (!extensions.has(m)) report(ctx, ['ringGroups', i, 'members', k], `no extension "${m}"`);
    });
    const fb = g.fallback;
    if (fb?.type === 'extension' && fb.number !== undefined && !extensions.has(fb.number))
      report(ctx, ['ringGroups', i, 'fallback', 'number'], `no extension "${fb.number}"`);
    if (
      fb?.type === 'ringGroup' &&
      fb.group !== undefined &&
      (!groups.has(fb.group) || fb.group === g.number)
    )
      report(
        ctx,
        ['ringGroups', i, 'fallback', 'group'],
        fb.group === g.number ? 'a ring group cannot fall back to itself' : `no ring group "${fb.group}"`,
      );
  });
  checkCodesAgainstNumbers(cfg, ctx);
}

function checkCodesAgainstNumbers(cfg: FeatureWholeConfig, ctx: IssueSink): void {
  const taken = new Map<string, string>();
  for (const [key, value] of Object.entries(cfg.calls))
    if (typeof value === 'string' && key.endsWith('Code')) taken.set(value, `calls.${key}`);
  const vm = cfg.voicemail?.['enabled'] === false ? {} : (cfg.voicemail ?? {});
  for (const [key, value] of Object.entries(vm))
    if (typeof value === 'string' && key.endsWith('Code')) taken.set(value, `voicemail.${key}`);
  cfg.extensions.forEach((e, i) => taken.set(e.number, `extensions[${i}].number`));
  cfg.ringGroups.forEach((g, i) => taken.set(g.number, `ringGroups[${i}].number`));
  for (const key of [...FEATURE_CODE_NAMES, ...FEATURE_PREFIX_NAMES]) {
    const value = cfg.features[key];
    const owner = taken.get(value);
    if (owner !== undefined) report(ctx, ['features', key], `"${value}" is also ${owner}`);
  }
  for (const key of FEATURE_PREFIX_NAMES) {
    const prefix = cfg.features[key];
    const hidden = cfg.extensions.findIndex((e) => e.number.startsWith(prefix));
    if (hidden !== -1)
      report(
        ctx,
        ['features', key],
        `extensions[${hidden}].number "${cfg.extensions[hidden]!.number}" starts with "${prefix}"`,
      );
  }
}

function unique(values: readonly string[], noun: string, ctx: IssueSink): void {
  values.forEach((value, i) => {
    if (values.indexOf(value) !== i) report(ctx, [i], `duplicate ${noun} "${value}"`);
  });
}

function report(ctx: IssueSink, path: Path, message: string): void {
  ctx.addIssue({ code: 'custom', path, message });
}
