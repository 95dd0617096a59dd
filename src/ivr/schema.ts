/**
 * The flow document: what an operator writes (JSON, or YAML inside the configuration) and
 * what validate.ts checks on save. A flow is a set of named nodes; each node has a `type`,
 * typed parameters and named exits that name other nodes of the same flow.
 *
 * Exits are optional in these shapes on purpose: which exits a node must have is checked
 * by validate.ts (IVR_EXIT_MISSING), so that a missing exit is reported as such rather
 * than as a missing parameter.
 */
import { z } from 'zod';
import {
  comparisonFields,
  flowRef,
  FLOW_ID,
  jsonTemplateSchema,
  LANGS,
  MENU_KEY,
  nodeRef,
  NODE_ID,
  operand,
  promptsSchema,
  seconds,
  setExprSchema,
  template,
  terminatorKey,
  transferDestinationSchema,
  variableName,
} from './schema-values.js';

/** Every node may name an `error` exit: where the call goes when the node fails. */
const errorExit = { error: nodeRef.optional(), description: z.string().max(500).optional() };

/** Keys of an input node's retry behaviour, shared by menu, collect and survey. */
const retryFields = {
  retries: z.number().int().min(0).max(9).default(2),
  /** Seconds to wait for the first key (the exit of that name is `timeout`). */
  inputTimeout: seconds(5, 60),
  invalidPrompts: promptsSchema.optional(),
  timeoutPrompts: promptsSchema.optional(),
};

export const playNodeSchema = z.strictObject({
  type: z.literal('play'),
  prompts: promptsSchema.min(1),
  bargeIn: z.boolean().default(false),
  next: nodeRef.optional(),
  ...errorExit,
});

export const menuNodeSchema = z.strictObject({
  type: z.literal('menu'),
  prompts: promptsSchema.min(1),
  options: z.record(z.string().regex(MENU_KEY, 'must be one key 0-9, * or #'), nodeRef),
  ...retryFields,
  invalid: nodeRef.optional(),
  timeout: nodeRef.optional(),
  ...errorExit,
});

export const collectNodeSchema = z.strictObject({
  type: z.literal('collect'),
  prompts: promptsSchema.min(1),
  into: variableName,
  min: z.number().int().min(1).max(64).default(1),
  max: z.number().int().min(1).max(64).default(20),
  terminator: terminatorKey.default('#'),
  interDigitTimeout: seconds(3, 60),
  /** A regular expression the whole input must match (anchored). */
  pattern: z.string().min(1).optional(),
  ...retryFields,
  ok: nodeRef.optional(),
  invalid: nodeRef.optional(),
  timeout: nodeRef.optional(),
  ...errorExit,
});

export const setNodeSchema = z.strictObject({
  type: z.literal('set'),
  assign: z.record(variableName, setExprSchema),
  next: nodeRef.optional(),
  ...errorExit,
});

const caseSchema = z.strictObject({ ...comparisonFields, next: nodeRef });

export const conditionNodeSchema = z.strictObject({
  type: z.literal('condition'),
  left: comparisonFields.left.optional(),
  op: comparisonFields.op.optional(),
  right: comparisonFields.right.optional(),
  compare: comparisonFields.compare,
  true: nodeRef.optional(),
  false: nodeRef.optional(),
  cases: z.array(caseSchema).min(1).optional(),
  default: nodeRef.optional(),
  ...errorExit,
});

export const scheduleNodeSchema = z.strictObject({
  type: z.literal('schedule'),
  schedule: z.string().min(1).max(64),
  open: nodeRef.optional(),
  closed: nodeRef.optional(),
  holiday: nodeRef.optional(),
  ...errorExit,
});

export const HTTP_METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'] as const;

export const httpNodeSchema = z.strictObject({
  type: z.literal('http'),
  method: z.enum(HTTP_METHODS).default('GET'),
  url: template.min(1),
  headers: z
    .record(z.string().regex(/^[A-Za-z0-9-]{1,64}$/, 'must be an HTTP header name'), template)
    .optional(),
  body: jsonTemplateSchema.optional(),
  timeout: seconds(5, 60),
  /** Variable → path into the JSON answer (`data.items[0].name`, an optional leading `$.`). */
  result: z.record(variableName, z.string().min(1)).optional(),
  statusInto: variableName.optional(),
  ok: nodeRef.optional(),
  ...errorExit,
});

export const lookupNodeSchema = z.strictObject({
  type: z.literal('lookup'),
  by: template.min(1).default('${ANI}'),
  /** Variable → field of the customer record. */
  fields: z.record(variableName, z.string().min(1)),
  found: nodeRef.optional(),
  notFound: nodeRef.optional(),
  ...errorExit,
});

export const languageNodeSchema = z.strictObject({
  type: z.literal('language'),
  lang: z.enum(LANGS),
  next: nodeRef.optional(),
  ...errorExit,
});

export const recordNodeSchema = z.strictObject({
  type: z.literal('record'),
  prompts: promptsSchema.default([]),
  into: variableName,
  maxSeconds: z.number().int().min(1).max(600).default(60),
  beep: z.boolean().default(true),
  terminator: terminatorKey.default('#'),
  ok: nodeRef.optional(),
  ...errorExit,
});

export const surveyNodeSchema = z.strictObject({
  type: z.literal('survey'),
  prompts: promptsSchema.min(1),
  /** The keys accepted as a score, e.g. "12345". */
  accept: z
    .string()
    .regex(/^[0-9*#]{1,12}$/, 'must be 1 to 12 keys of 0-9, * or #')
    .default('12345'),
  into: variableName,
  ...retryFields,
  retries: z.number().int().min(0).max(9).default(1),
  thanks: promptsSchema.optional(),
  next: nodeRef.optional(),
  ...errorExit,
});

export const transferNodeSchema = z.strictObject({
  type: z.literal('transfer'),
  to: transferDestinationSchema,
  /** Extra associated data, added to (and overriding) the call's variables. */
  data: z
    .record(z.string().regex(/^[A-Za-z0-9_.-]{1,64}$/, 'must be 1 to 64 letters, digits, _ . or -'), operand)
    .optional(),
  failed: nodeRef.optional(),
  busy: nodeRef.optional(),
  noAnswer: nodeRef.optional(),
  ...errorExit,
});

export const gotoNodeSchema = z.strictObject({
  type: z.literal('goto'),
  flow: flowRef,
  ...errorExit,
});

export const hangupNodeSchema = z.strictObject({
  type: z.literal('hangup'),
  /** Q.850 cause passed to call control; 16 is normal clearing. */
  cause: z.number().int().min(1).max(127).default(16),
  description: errorExit.description,
});

export const NODE_SCHEMAS = {
  play: playNodeSchema,
  menu: menuNodeSchema,
  collect: collectNodeSchema,
  set: setNodeSchema,
  condition: conditionNodeSchema,
  schedule: scheduleNodeSchema,
  http: httpNodeSchema,
  lookup: lookupNodeSchema,
  language: languageNodeSchema,
  record: recordNodeSchema,
  survey: surveyNodeSchema,
  transfer: transferNodeSchema,
  goto: gotoNodeSchema,
  hangup: hangupNodeSchema,
} as const;

export type NodeType = keyof typeof NODE_SCHEMAS;
export const NODE_TYPES = Object.keys(NODE_SCHEMAS) as NodeType[];

export const nodeSchema = z.discriminatedUnion('type', [
  playNodeSchema,
  menuNodeSchema,
  collectNodeSchema,
  setNodeSchema,
  conditionNodeSchema,
  scheduleNodeSchema,
  httpNodeSchema,
  lookupNodeSchema,
  languageNodeSchema,
  recordNodeSchema,
  surveyNodeSchema,
  transferNodeSchema,
  gotoNodeSchema,
  hangupNodeSchema,
]);

export type FlowNode = z.output<typeof nodeSchema>;
export type NodeOf<T extends NodeType> = Extract<FlowNode, { type: T }>;

/** The document without its nodes, which validate.ts parses one by one. */
export const flowHeaderSchema = z.strictObject({
  id: z.string().regex(FLOW_ID, 'must be a flow id: 1 to 64 letters, digits, _ or -'),
  name: z.string().max(200).optional(),
  description: z.string().max(2000).optional(),
  lang: z.enum(LANGS).default('zh-CN'),
  /** IANA time zone of DATE, TIME and DATETIME; the engine's default when absent. */
  timeZone: z.string().refine(isTimeZone, 'must be an IANA time zone such as Asia/Shanghai').optional(),
  start: nodeRef,
  onHangup: nodeRef.optional(),
  onError: nodeRef.optional(),
  /**
   * The flow's own named prompts, one text per language: `{ "prompt": "mainMenu" }` plays
   * the text in the caller's language. A name here also overrides a system prompt.
   */
  texts: z
    .record(
      z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, 'must be a prompt name: 1 to 64 letters, digits, _ or -'),
      z
        .strictObject({ 'zh-CN': template.min(1).optional(), en: template.min(1).optional() })
        .refine((t) => t['zh-CN'] !== undefined || t.en !== undefined, 'needs a text for zh-CN or en'),
    )
    .default({}),
  variables: z
    .record(variableName, z.union([z.string(), z.number().transform((n) => String(n))]))
    .default({}),
  nodes: z.record(
    z.string().regex(NODE_ID, 'must be a node id: 1 to 64 letters, digits, _ or -'),
    z.unknown(),
  ),
});

export const flowSchema = flowHeaderSchema.extend({ nodes: z.record(nodeRef, nodeSchema) });

/** A flow that passed validation: plain, readonly data. */
export type Flow = z.output<typeof flowSchema>;
export type FlowInput = z.input<typeof flowSchema>;

export function isTimeZone(tz: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}
