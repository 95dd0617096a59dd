/**
 * The value shapes a flow's nodes share: names, templates, prompts, set-expressions,
 * comparisons and transfer destinations. Node shapes are in schema.ts.
 *
 * Shapes told apart by which key they carry (a prompt is `{file}` or `{tts}` or `{say}` …)
 * are parsed by `keyed()`, so that a mistake is reported inside the right shape
 * (`prompts[0].lang: expected one of zh-CN, en`) rather than as "matches no alternative".
 */
import { z } from 'zod';
import type { Destination, Lang, PromptSpec, SayKind } from '../routing/types.js';

export const LANGS = ['zh-CN', 'en'] as const satisfies readonly Lang[];
export const SAY_KINDS = ['number', 'digits', 'date', 'time', 'money'] as const satisfies readonly SayKind[];

/** Node ids: they appear in step logs and reports, so they stay plain. */
export const NODE_ID = /^[A-Za-z0-9_-]{1,64}$/;
/** Flow ids: also used as configuration keys and file names. */
export const FLOW_ID = /^[A-Za-z0-9_-]{1,64}$/;
export const VARIABLE_NAME = /^[A-Za-z_][A-Za-z0-9_]{0,63}$/;
/** Keys a menu option or a survey score can be. */
export const MENU_KEY = /^[0-9*#]$/;

export const nodeRef = z.string().regex(NODE_ID, 'must be a node id: 1 to 64 letters, digits, _ or -');
export const flowRef = z.string().regex(FLOW_ID, 'must be a flow id: 1 to 64 letters, digits, _ or -');
export const variableName = z
  .string()
  .regex(VARIABLE_NAME, 'must be a variable name: a letter or _, then letters, digits or _ (at most 64)');
/** Text in which `${NAME}` is replaced by the variable's value when the node runs. */
export const template = z.string().max(4000);
/** Seconds, as every time in Hotline's configuration; fractions allowed. */
export const seconds = (fallback: number, max: number) => z.number().positive().max(max).default(fallback);
/** One DTMF key, or the empty string for "none". */
export const terminatorKey = z.union([
  z.literal(''),
  z.string().regex(/^[0-9*#]$/, 'must be one key 0-9, * or #'),
]);

/**
 * A union of strict objects told apart by a key each owns. The first form whose key is
 * present parses the value; a value with none of the keys gets one clear problem.
 */
function keyed<T>(forms: Readonly<Record<string, z.ZodType<T>>>, what: string) {
  const keys = Object.keys(forms);
  return z.unknown().transform((value, ctx): T => {
    if (value === null || typeof value !== 'object' || Array.isArray(value)) {
      ctx.addIssue({ code: 'custom', message: `expected a mapping (${what})`, input: value });
      return z.NEVER;
    }
    const key = keys.find((k) => Object.hasOwn(value, k));
    if (key === undefined) {
      ctx.addIssue({
        code: 'custom',
        message: `needs one of the keys ${keys.join(', ')} (${what})`,
        input: value,
      });
      return z.NEVER;
    }
    const parsed = forms[key]!.safeParse(value);
    if (parsed.success) return parsed.data;
    for (const issue of parsed.error.issues) ctx.addIssue(issue as Parameters<typeof ctx.addIssue>[0]);
    return z.NEVER;
  });
}

export const promptSpecSchema: z.ZodType<PromptSpec, unknown> = keyed<PromptSpec>(
  {
    file: z.strictObject({ file: template.min(1) }),
    tts: z.strictObject({ tts: template.min(1), lang: z.enum(LANGS).optional() }),
    say: z.strictObject({ say: z.enum(SAY_KINDS), value: template.min(1) }),
    prompt: z.strictObject({ prompt: z.string().min(1) }),
    silenceMs: z.strictObject({ silenceMs: z.number().int().min(1).max(60_000) }),
  },
  'a prompt: file, tts, say, prompt or silenceMs',
);
export const promptsSchema = z.array(promptSpecSchema);

/** The value of a `set` assignment: a template, a number, or an expression over them. */
export type SetExpr =
  | string
  | { readonly concat: readonly SetExpr[] }
  | { readonly substring: { readonly of: SetExpr; readonly start: number; readonly length?: number } }
  | { readonly add: readonly SetExpr[] };

const literal = z.union([template, z.number().transform((n) => String(n))]);
export const setExprSchema: z.ZodType<SetExpr, unknown> = z.lazy(() =>
  z.union([
    literal,
    keyed<SetExpr>(
      {
        concat: z.strictObject({ concat: z.array(setExprSchema).min(1) }),
        substring: z.strictObject({
          substring: z.strictObject({
            of: setExprSchema,
            start: z.number().int().min(0),
            length: z.number().int().min(0).optional(),
          }),
        }),
        add: z.strictObject({ add: z.array(setExprSchema).min(1) }),
      },
      'an expression: concat, substring or add',
    ),
  ]),
);

export const COMPARE_OPS = [
  'eq',
  'ne',
  'lt',
  'le',
  'gt',
  'ge',
  'startsWith',
  'contains',
  'matches',
  'in',
] as const;
export type CompareOp = (typeof COMPARE_OPS)[number];

/** One side of a comparison: text with templates, or a number. */
export const operand = literal;
export const comparisonFields = {
  left: operand,
  op: z.enum(COMPARE_OPS),
  /** A list only for `in`; a regular expression for `matches`. */
  right: z.union([operand, z.array(operand)]),
  /** `auto` compares as numbers when both sides are numbers; `text` always as text. */
  compare: z.enum(['auto', 'text']).default('auto'),
};

const skillName = z.string().regex(/^[A-Za-z0-9_.-]{1,64}$/, 'must be 1 to 64 letters, digits, _ . or -');

/** Where a transfer node sends the call: the Destination kinds that leave the IVR for a person. */
export const transferDestinationSchema = z.discriminatedUnion('type', [
  z.strictObject({
    type: z.literal('queue'),
    queue: template.min(1),
    priority: z.number().int().min(0).max(100).optional(),
    skills: z.record(skillName, z.number().int().min(1).max(10)).optional(),
  }),
  z.strictObject({ type: z.literal('extension'), number: template.min(1) }),
  z.strictObject({
    type: z.literal('external'),
    number: template.min(1),
    trunkGroup: z.string().min(1).optional(),
  }),
  z.strictObject({ type: z.literal('voicemail'), mailbox: template.min(1) }),
  z.strictObject({ type: z.literal('ringGroup'), group: template.min(1) }),
]);
export type TransferDestination = Extract<
  Destination,
  { type: 'queue' | 'extension' | 'external' | 'voicemail' | 'ringGroup' }
>;

/** A JSON value whose strings are templates (an HTTP body). */
export type JsonTemplate =
  string | number | boolean | null | readonly JsonTemplate[] | { readonly [key: string]: JsonTemplate };
export const jsonTemplateSchema: z.ZodType<JsonTemplate, unknown> = z.lazy(() =>
  z.union([
    z.string(),
    z.number(),
    z.boolean(),
    z.null(),
    z.array(jsonTemplateSchema),
    z.record(z.string(), jsonTemplateSchema),
  ]),
);
