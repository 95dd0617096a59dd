/**
 * The routing sections of the configuration: time zone, holidays, schedules, caller lists,
 * inbound numbers (DIDs), outbound routes, and the per-extension permission class. Also
 * the schemas of the shared routing words (Destination, PromptSpec) that other sections
 * (IVR flows, overflow, extension features) reuse. Kept apart from schema.ts, which
 * assembles every section. Rules that span keys live in routing-checks.ts.
 */
import { z } from 'zod';
import {
  checkHolidays,
  checkInbound,
  checkLists,
  checkOutbound,
  checkRoutingCrossSection,
  checkSchedule,
  isTimeZone,
  ROUTE_NAME,
} from './routing-checks.js';

/** Matches PermissionClass in src/routing/outbound.ts, least to most privileged. */
export const PERMISSION_CLASSES = ['internal', 'local', 'national', 'international'] as const;
/** Matches SayKind and Lang in src/routing/types.ts. */
export const SAY_KINDS = ['number', 'digits', 'date', 'time', 'money'] as const;
export const PROMPT_LANGS = ['zh-CN', 'en'] as const;
export const WEEKDAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;
/** Matches DEFAULT_EMERGENCY_NUMBERS in src/routing/outbound.ts. */
export const DEFAULT_EMERGENCY_NUMBERS = ['110', '119', '120', '122'] as const;
export const DEFAULT_TIME_ZONE = 'Asia/Shanghai';
/** SIP 603 Decline: the usual answer to an unwanted caller. */
export const DEFAULT_REJECT_CAUSE = 603;
/** Matches DEFAULT_WARNING_PROMPTS in src/routing/lists.ts. */
export const DEFAULT_WARNING_TEXT = '您的来电已被识别为骚扰电话，请停止拨打。本次通话将被挂断。';

const NAME = /^[^\s\p{Cc}][^\p{Cc}]{0,63}$/u;
/** A name of a queue, flow, group or mailbox: 1–64 characters, no control characters. */
const name = (what: string) => z.string().regex(NAME, `must be a ${what} name of 1 to 64 characters`);
const dialString = z
  .string()
  .regex(/^\+?[0-9*#]{1,32}$/, 'must be 1 to 32 digits, * or #, optionally after +');
/** A SIP final response code, used as the reason a call is refused. */
const sipCause = z
  .number()
  .int()
  .refine((n) => n >= 400 && n <= 699, 'must be a SIP status 400-699');

// ---------------------------------------------------------------------------------------
// Shared words: PromptSpec and Destination (src/routing/types.ts)

/** The five forms of a prompt, told apart by their one required key. */
const PROMPT_FORMS = [
  ['file', z.strictObject({ file: z.string().min(1) })],
  ['tts', z.strictObject({ tts: z.string().min(1), lang: z.enum(PROMPT_LANGS).optional() })],
  ['say', z.strictObject({ say: z.enum(SAY_KINDS), value: z.string().min(1) })],
  ['prompt', z.strictObject({ prompt: z.string().min(1) })],
  ['silenceMs', z.strictObject({ silenceMs: z.number().int().min(1).max(60_000) })],
] as const;

type PromptSpecOutput = z.output<(typeof PROMPT_FORMS)[number][1]>;

/**
 * A prompt. The form is chosen by its key before it is checked, so that a mistake inside
 * one form (`lang: fr`) is reported as itself rather than as "matches no form".
 */
export const promptSpecSchema = z.unknown().transform((value, ctx): PromptSpecOutput => {
  const isMapping = typeof value === 'object' && value !== null && !Array.isArray(value);
  const form = isMapping ? PROMPT_FORMS.find(([key]) => Object.hasOwn(value, key)) : undefined;
  if (form === undefined) {
    ctx.addIssue({
      code: 'custom',
      message: 'expected a prompt: { file }, { tts, lang? }, { say, value }, { prompt } or { silenceMs }',
    });
    return z.NEVER;
  }
  const parsed = form[1].safeParse(value, { reportInput: true });
  if (parsed.success) return parsed.data;
  for (const issue of parsed.error.issues) ctx.addIssue(issue as Parameters<typeof ctx.addIssue>[0]);
  return z.NEVER;
});

export const promptListSchema = z.array(promptSpecSchema).min(1);

export const skillRequirementsSchema = z.record(
  name('skill'),
  z
    .number()
    .int()
    .refine((n) => n >= 1 && n <= 10, 'must be a proficiency 1-10'),
);

/** Queues a call may wait in besides a queue destination's own (`queues`). */
export const MAX_EXTRA_QUEUES = 10;

export const destinationSchema = z.discriminatedUnion(
  'type',
  [
    z.strictObject({ type: z.literal('ivr'), flow: name('flow') }),
    z.strictObject({
      type: z.literal('queue'),
      queue: name('queue'),
      queues: z.array(name('queue')).min(1).max(MAX_EXTRA_QUEUES).optional(),
      priority: z.number().int().min(0).max(100).optional(),
      skills: skillRequirementsSchema.optional(),
    }),
    z.strictObject({
      type: z.literal('extension'),
      number: z.string().regex(/^[0-9]{2,12}$/, 'must be 2 to 12 digits'),
    }),
    z.strictObject({ type: z.literal('ringGroup'), group: name('ring group') }),
    z.strictObject({ type: z.literal('voicemail'), mailbox: name('mailbox') }),
    z.strictObject({
      type: z.literal('external'),
      number: dialString,
      trunkGroup: name('trunk group').optional(),
    }),
    z.strictObject({ type: z.literal('announcement'), prompts: promptListSchema }),
    z.strictObject({ type: z.literal('hangup'), cause: sipCause.optional() }),
  ],
  {
    error: (issue) =>
      issue.code === 'invalid_union'
        ? 'must be one of ivr, queue, extension, ringGroup, voicemail, external, announcement, hangup'
        : undefined,
  },
);

// ---------------------------------------------------------------------------------------
// Time zone, holidays, schedules

export const timeZoneSchema = z
  .string()
  .refine(isTimeZone, 'must be an IANA time zone such as Asia/Shanghai')
  .default(DEFAULT_TIME_ZONE);

/** `2027-01-01` or an inclusive range `2027-02-05..2027-02-11`; read by routing-checks.ts. */
export const dateEntrySchema = z.string().min(1);

export const holidayYearSchema = z.strictObject({
  off: z.array(dateEntrySchema).default(() => []),
  work: z.array(dateEntrySchema).default(() => []),
});

/** Operator-entered years: "2027" → the days off and the make-up working days of that year. */
export const holidaysSchema = z
  .record(z.string().regex(/^\d{4}$/, 'must be a year such as "2027"'), holidayYearSchema)
  .superRefine(checkHolidays);

/** `HH:MM-HH:MM` ranges; read (and checked for overlaps) by routing-checks.ts. */
const dayHours = z.array(z.string());

export const weeklyHoursSchema = z.strictObject({
  daily: dayHours.optional(),
  weekdays: dayHours.optional(),
  weekend: dayHours.optional(),
  mon: dayHours.optional(),
  tue: dayHours.optional(),
  wed: dayHours.optional(),
  thu: dayHours.optional(),
  fri: dayHours.optional(),
  sat: dayHours.optional(),
  sun: dayHours.optional(),
});

export const scheduleSchema = z
  .strictObject({
    timeZone: z.string().refine(isTimeZone, 'must be an IANA time zone such as Asia/Shanghai').optional(),
    hours: weeklyHoursSchema.prefault({}),
    holidays: z.enum(['china', 'none']).default('china'),
    makeupWorkdayAs: z.enum(WEEKDAYS).default('mon'),
    closedDates: z.array(dateEntrySchema).default(() => []),
    openDates: z.array(dateEntrySchema).default(() => []),
  })
  .superRefine(checkSchedule);

export const schedulesSchema = z.record(
  z.string().regex(ROUTE_NAME, 'must be 1 to 64 letters, digits, _ or -'),
  scheduleSchema,
);

// ---------------------------------------------------------------------------------------
// Caller lists

const listNumber = z
  .string()
  .regex(/^\+?[0-9][0-9 -]{0,31}$/, 'must be a phone number (digits, optionally after +)');
const listPrefix = z
  .string()
  .regex(/^[0-9]{1,20}$/, 'must be 1 to 20 digits (write prefixes in national form)');

/** Either `number` (one caller, any written form) or `prefix` (digits of the normalised number). */
const matchShape = { number: listNumber.optional(), prefix: listPrefix.optional() };

export const blacklistEntrySchema = z.strictObject({
  ...matchShape,
  action: z.enum(['reject', 'warn']).default('reject'),
  cause: sipCause.default(DEFAULT_REJECT_CAUSE),
  prompts: promptListSchema.optional(),
  note: z.string().max(200).optional(),
});

export const whitelistEntrySchema = z.strictObject({ ...matchShape, note: z.string().max(200).optional() });

export const vipEntrySchema = z.strictObject({
  ...matchShape,
  priority: z.number().int().min(0).max(100).default(10),
  note: z.string().max(200).optional(),
});

export const regionRuleSchema = z.strictObject({
  name: z.string().max(64).optional(),
  province: z.string().min(1).optional(),
  city: z.string().min(1).optional(),
  carrier: z.string().min(1).optional(),
  action: z.enum(['reject', 'warn', 'route', 'priority']),
  cause: sipCause.default(DEFAULT_REJECT_CAUSE),
  prompts: promptListSchema.optional(),
  destination: destinationSchema.optional(),
  priority: z.number().int().min(0).max(100).optional(),
});

export const listsSchema = z
  .strictObject({
    blacklist: z.array(blacklistEntrySchema).default(() => []),
    whitelist: z.array(whitelistEntrySchema).default(() => []),
    vip: z.array(vipEntrySchema).default(() => []),
    regionRules: z.array(regionRuleSchema).default(() => []),
    warningPrompts: promptListSchema.default(() => [{ tts: DEFAULT_WARNING_TEXT, lang: 'zh-CN' as const }]),
  })
  .superRefine(checkLists);

// ---------------------------------------------------------------------------------------
// Inbound numbers (DIDs) and outbound routes

export const inboundNumberSchema = z.strictObject({
  number: z.string().min(1),
  name: z.string().max(64).optional(),
  destination: destinationSchema,
  schedule: z.string().min(1).optional(),
  closed: destinationSchema.optional(),
  holiday: destinationSchema.optional(),
});

export const inboundSchema = z
  .strictObject({
    numbers: z.array(inboundNumberSchema).default(() => []),
    default: destinationSchema.default(() => ({ type: 'hangup' as const, cause: 404 })),
  })
  .superRefine(checkInbound);

export const outboundRouteSchema = z.strictObject({
  name: z.string().regex(ROUTE_NAME, 'must be 1 to 64 letters, digits, _ or -'),
  patterns: z.array(z.string().min(1)).default(() => []),
  prefix: z
    .string()
    .regex(/^[0-9*#+]{1,16}$/, 'must be 1 to 16 digits, *, # or +')
    .optional(),
  strip: z.number().int().min(0).max(32).default(0),
  prepend: z
    .string()
    .regex(/^[0-9*#+]{0,32}$/, 'must be at most 32 digits, *, # or +')
    .default(''),
  trunks: z.array(z.string().min(1)).min(1),
  permission: z.enum([...PERMISSION_CLASSES, 'auto']).default('auto'),
});

export const outboundSchema = z
  .strictObject({
    routes: z.array(outboundRouteSchema).default(() => []),
    emergencyNumbers: z
      .array(z.string().regex(/^[0-9]{2,8}$/, 'must be 2 to 8 digits'))
      .default(() => [...DEFAULT_EMERGENCY_NUMBERS]),
    areaCode: z
      .string()
      .regex(/^0[1-9][0-9]{1,2}$/, 'must be a Chinese area code with its leading 0, such as "010" or "0755"')
      .optional(),
  })
  .superRefine(checkOutbound);

/** The per-extension `permission` field: what an extension may dial out to. */
export const permissionSchema = z.enum(PERMISSION_CLASSES).default('national');

/**
 * The routing sections as they sit at the top level of the configuration, for schema.ts
 * to spread into configSchema; checkRoutingCrossSection then runs over the whole file.
 */
export const routingSections = {
  timeZone: timeZoneSchema,
  holidays: holidaysSchema.default(() => ({})),
  schedules: schedulesSchema.default(() => ({})),
  lists: listsSchema.prefault({}),
  inbound: inboundSchema.prefault({}),
  outbound: outboundSchema.prefault({}),
};

/** The routing sections on their own, with their cross-checks (tests, the IVR simulator). */
export const routingConfigSchema = z.strictObject(routingSections).superRefine(checkRoutingCrossSection);

export { checkRoutingCrossSection };

export type RoutingConfigInput = z.input<typeof routingConfigSchema>;
export type RoutingConfig = z.output<typeof routingConfigSchema>;
export type DestinationConfig = z.output<typeof destinationSchema>;
export type PromptSpecConfig = z.output<typeof promptSpecSchema>;
