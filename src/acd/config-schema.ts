/**
 * The `acd` section of the configuration: queues and not-ready reason codes. Kept in the
 * ACD module until the lead wires it into src/platform/config/schema.ts; every field has a
 * default, so `{ name: sales }` is a complete queue.
 */
import { z } from 'zod';
import { destinationSchema, promptListSchema } from '../platform/config/routing-schema.js';
import { STRATEGY_NAMES, SYSTEM_REASONS, type OverflowTarget, type QueueConfig } from './types.js';

const NAME = /^[A-Za-z0-9_.-]{1,64}$/;
const queueName = z.string().regex(NAME, 'must be 1 to 64 letters, digits, _ . or -');
const seconds = z.number().int().min(0).max(86_400);
const percent = z.number().min(0).max(100);

const overflowTargetSchema: z.ZodType<OverflowTarget> = z.union([
  z.strictObject({ type: z.literal('callback') }),
  destinationSchema,
]);

const overflowRuleSchema = z.strictObject({
  when: z.union([
    z.strictObject({ waitedSeconds: seconds.min(1) }),
    z.strictObject({ lengthAtLeast: z.number().int().min(1) }),
    z.strictObject({ serviceLevelBelow: percent, minCalls: z.number().int().min(1).default(10) }),
  ]),
  to: overflowTargetSchema,
});

export const queueSchema = z.strictObject({
  name: queueName,
  strategy: z.enum(STRATEGY_NAMES).default('longestIdle'),
  wrapUpSeconds: z.union([seconds, z.literal('manual')]).default(10),
  ringTimeoutSeconds: seconds.min(1).default(20),
  maxWaitSeconds: seconds.default(0),
  onMaxWait: overflowTargetSchema.optional(),
  maxLength: z.number().int().min(0).default(0),
  overflow: z.array(overflowRuleSchema).default([]),
  serviceLevelSeconds: seconds.min(1).default(20),
  aging: z
    .strictObject({
      perMinute: z.number().min(0).max(100).default(0),
      max: percent.default(100),
      afterSeconds: seconds.default(0),
    })
    .prefault({}),
  vipPriority: percent.default(90),
  lastAgent: z
    .strictObject({
      hours: z
        .number()
        .min(0)
        .max(24 * 90),
      waitSeconds: seconds,
    })
    .optional(),
  announce: z
    .strictObject({
      everySeconds: seconds.default(0),
      position: z.boolean().default(true),
      estimatedWait: z.boolean().default(true),
    })
    .prefault({}),
  defaultHandleSeconds: z.number().min(1).max(86_400).default(180),
  /** Played once to a caller entering the queue, before the music (runtime/, docs/acd.md "At run time"). */
  greeting: promptListSchema.optional(),
  /** Music-on-hold class the waiting caller hears; default: the `musicOnHold` default class. */
  musicOnHold: z.string().min(1).max(64).optional(),
  /** A key the waiting caller may press to leave the queue for `to`. */
  exit: z
    .strictObject({
      key: z.string().regex(/^[0-9*#]$/, 'must be one key: 0-9, * or #'),
      to: destinationSchema,
    })
    .optional(),
});

const AGENT = /^[0-9]{1,32}$/;

/** An agent of the ACD: an extension number, its skills and the queues it logs in to. */
export const agentSchema = z.strictObject({
  agent: z.string().regex(AGENT, 'must be an extension number (1 to 32 digits)'),
  skills: z.record(z.string().regex(NAME), z.number().int().min(1).max(10)).default({}),
  queues: z
    .array(
      z.strictObject({
        queue: queueName,
        tier: z.number().int().min(1).max(100).default(1),
        position: z.number().int().min(0).optional(),
        weight: z.number().min(0).optional(),
      }),
    )
    .default([]),
});

/** Desk-phone codes for agents (签入/签出/置闲/置忙). */
export const acdFeatureCodesSchema = z
  .strictObject({
    login: z
      .string()
      .regex(/^[0-9*#]{1,16}$/)
      .default('*60'),
    logout: z
      .string()
      .regex(/^[0-9*#]{1,16}$/)
      .default('*61'),
    ready: z
      .string()
      .regex(/^[0-9*#]{1,16}$/)
      .default('*62'),
    notReady: z
      .string()
      .regex(/^[0-9*#]{1,16}$/)
      .default('*63'),
  })
  .refine((c) => new Set(Object.values(c)).size === 4, 'the four codes must differ');

const REASON = /^[A-Z0-9_]{1,32}$/;

export const acdSchema = z
  .strictObject({
    queues: z.array(queueSchema).default([]),
    agents: z.array(agentSchema).default([]),
    featureCodes: acdFeatureCodesSchema.prefault({}),
    /** Not-ready reason codes agents may choose; labels come from i18n. */
    reasonCodes: z
      .array(z.string().regex(REASON, 'must be 1 to 32 capital letters, digits or _'))
      .default(['BREAK', 'LUNCH', 'TRAINING', 'MEETING', 'AFTER_CALL']),
  })
  .superRefine((acd, ctx) => {
    const names = new Set<string>();
    acd.queues.forEach((q, i) => {
      if (names.has(q.name))
        ctx.addIssue({ code: 'custom', path: ['queues', i, 'name'], message: `duplicate queue "${q.name}"` });
      names.add(q.name);
    });
    acd.queues.forEach((q, i) => {
      const targets = [
        ...q.overflow.map((r, j) => ({ to: r.to, path: ['overflow', j, 'to'] })),
        { to: q.onMaxWait, path: ['onMaxWait'] },
      ];
      for (const { to, path } of targets) {
        if (to?.type === 'queue' && !names.has(to.queue)) {
          ctx.addIssue({
            code: 'custom',
            path: ['queues', i, ...path, 'queue'],
            message: `no queue "${to.queue}"`,
          });
        }
      }
    });
    const agents = new Set<string>();
    acd.agents.forEach((a, i) => {
      if (agents.has(a.agent))
        ctx.addIssue({
          code: 'custom',
          path: ['agents', i, 'agent'],
          message: `duplicate agent "${a.agent}"`,
        });
      agents.add(a.agent);
      a.queues.forEach((m, j) => {
        if (!names.has(m.queue))
          ctx.addIssue({
            code: 'custom',
            path: ['agents', i, 'queues', j, 'queue'],
            message: `no queue "${m.queue}"`,
          });
      });
    });
    acd.reasonCodes.forEach((code, i) => {
      if ((Object.values(SYSTEM_REASONS) as string[]).includes(code)) {
        ctx.addIssue({
          code: 'custom',
          path: ['reasonCodes', i],
          message: `"${code}" is reserved for the ACD itself`,
        });
      }
    });
  });

export type AcdConfig = z.output<typeof acdSchema>;

/** A full queue configuration from a partial one (defaults filled in, values checked). */
export function queueConfig(input: z.input<typeof queueSchema>): QueueConfig {
  return queueSchema.parse(input);
}
