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
  /**
   * Queue callback (回呼): a waiting caller presses `key` (or an overflow / max-wait rule
   * sends them to `{type: callback}`), hangs up and keeps their place; once an agent is
   * reserved and answers, Hotline dials the caller back and connects them.
   */
  callback: z
    .strictObject({
      key: z
        .string()
        .regex(/^[0-9*#]$/, 'must be one key: 0-9, * or #')
        .optional(),
      attempts: z.number().int().min(1).max(10).default(3),
      retrySeconds: seconds.min(10).default(300),
      ringSeconds: seconds.min(5).max(300).default(30),
      callerId: z
        .string()
        .regex(/^\+?[0-9]{1,32}$/, 'must be a phone number')
        .optional(),
    })
    .optional(),
  /** Agent number announcement (座席报号): the caller hears who answers before the bridge. */
  announceAgent: z.boolean().default(false),
  /** A key the waiting caller may press to leave the queue for `to`. */
  exit: z
    .strictObject({
      key: z.string().regex(/^[0-9*#]$/, 'must be one key: 0-9, * or #'),
      to: destinationSchema,
    })
    .optional(),
});

const AGENT = /^[0-9]{1,32}$/;

/**
 * How an agent is reached (docs/acd.md "Agent devices"): the registered phones of its
 * extension (or of `number`, another extension), or a number outside through the outbound
 * routes; either rung per call, or called once and kept connected (`persistent`, 常摘机).
 */
export const agentDeviceSchema = z
  .strictObject({
    type: z.enum(['phone', 'external']).default('phone'),
    number: z
      .string()
      .regex(/^\+?[0-9]{1,32}$/, 'must be a phone number')
      .optional(),
    persistent: z
      .strictObject({
        /** Calls are connected this long after the beep; absent: only by `answer` from the desktop. */
        autoAnswerMs: z.number().int().min(0).max(60_000).optional(),
        /** What the agent hears between calls. */
        idle: z.enum(['silence', 'music']).default('silence'),
      })
      .optional(),
  })
  .refine((d) => d.type !== 'external' || d.number !== undefined, {
    message: 'an external device needs its number',
    path: ['number'],
  });

/** An agent of the ACD: an extension number, its skills and the queues it logs in to. */
export const agentSchema = z.strictObject({
  agent: z.string().regex(AGENT, 'must be an extension number (1 to 32 digits)'),
  skills: z.record(z.string().regex(NAME), z.number().int().min(1).max(10)).default({}),
  /** The number `announceAgent` reads to callers (工号); default the agent id. */
  workNumber: z
    .string()
    .regex(/^[0-9]{1,16}$/, 'must be 1 to 16 digits')
    .optional(),
  device: agentDeviceSchema.optional(),
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
    /** Opens a persistent connection (常摘机) from the phone dialling it: logged in, ready, kept up. */
    connect: z
      .string()
      .regex(/^[0-9*#]{1,16}$/)
      .default('*64'),
  })
  .refine((c) => new Set(Object.values(c)).size === 5, 'the five codes must differ');

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
      if (q.callback?.key !== undefined && q.callback.key === q.exit?.key)
        ctx.addIssue({
          code: 'custom',
          path: ['queues', i, 'callback', 'key'],
          message: `the callback key "${q.callback.key}" is also the exit key`,
        });
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
        // The dispatcher moves an overflowing call into one queue; several are for routes.
        if (to?.type === 'queue' && to.queues !== undefined) {
          ctx.addIssue({
            code: 'custom',
            path: ['queues', i, ...path, 'queues'],
            message: 'an overflow or max-wait target names one queue (route to several queues instead)',
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
