/**
 * The `voicemail` section of the configuration: the codes that reach voicemail, how long a
 * message may be, and the mailboxes that differ from the default one every extension has
 * (a PIN, a recorded greeting) or that belong to no extension (a department's box).
 * Kept apart from schema.ts, which assembles every section.
 */
import { z } from 'zod';
import type { IssueSink } from './checks.js';

/** Names a mailbox: also its folder name and the user part of `sip:BOX@domain`, so no `.` or `/`. */
export const MAILBOX_NAME = /^[A-Za-z0-9_-]{1,32}$/;
export const VOICEMAIL_PIN = /^[0-9]{4,12}$/;
/** The codes of the voicemail section, in the order they are checked against each other. */
export const VOICEMAIL_CODE_KEYS = ['listenCode', 'otherBoxCode', 'depositCode'] as const;

const count = (min: number) => z.number().int().min(min);
const featureCode = (fallback: string) =>
  z
    .string()
    .regex(/^[0-9*#]{1,12}$/, 'must be 1 to 12 characters among 0-9, * and #')
    .default(fallback);

export const voicemailBoxSchema = z.strictObject({
  mailbox: z.string().regex(MAILBOX_NAME, 'must be 1 to 32 letters, digits, _ or -'),
  pin: z.string().regex(VOICEMAIL_PIN, 'must be 4 to 12 digits').optional(),
  greeting: z.string().min(1).optional(),
  email: z.email('must be an e-mail address').optional(),
});

type VoicemailCodes = Readonly<Record<(typeof VOICEMAIL_CODE_KEYS)[number], string>>;

interface VoicemailRules extends VoicemailCodes {
  readonly maxMessageSeconds: number;
  readonly minMessageSeconds: number;
  readonly boxes: readonly { readonly mailbox: string }[];
}

/** Rules inside the section: codes apart, a minimum below the maximum, no box twice. */
export function checkVoicemail(vm: VoicemailRules, ctx: IssueSink): void {
  VOICEMAIL_CODE_KEYS.forEach((key, i) => {
    const owner = VOICEMAIL_CODE_KEYS.slice(0, i).find((other) => vm[other] === vm[key]);
    if (owner !== undefined) {
      ctx.addIssue({ code: 'custom', path: [key], message: `"${vm[key]}" is already voicemail.${owner}` });
    }
  });
  if (vm.minMessageSeconds > vm.maxMessageSeconds) {
    ctx.addIssue({
      code: 'custom',
      path: ['minMessageSeconds'],
      message: `must be at most voicemail.maxMessageSeconds (${vm.maxMessageSeconds})`,
    });
  }
  const seen = new Map<string, number>();
  vm.boxes.forEach((box, i) => {
    const first = seen.get(box.mailbox);
    if (first !== undefined) {
      ctx.addIssue({
        code: 'custom',
        path: ['boxes', i, 'mailbox'],
        message: `duplicate mailbox "${box.mailbox}" (also voicemail.boxes[${first}])`,
      });
    } else {
      seen.set(box.mailbox, i);
    }
  });
}

export const voicemailSchema = z
  .strictObject({
    enabled: z.boolean().default(true),
    listenCode: featureCode('*97'),
    otherBoxCode: featureCode('*98'),
    depositCode: featureCode('*96'),
    maxMessageSeconds: count(1).max(3600).default(120),
    minMessageSeconds: count(0).max(3600).default(1),
    boxes: z.array(voicemailBoxSchema).default(() => []),
  })
  .superRefine(checkVoicemail);

export type VoicemailConfig = z.output<typeof voicemailSchema>;
export type VoicemailBoxConfig = VoicemailConfig['boxes'][number];

interface WholeConfigWithVoicemail {
  readonly voicemail: VoicemailCodes & { readonly enabled: boolean };
  readonly calls: Readonly<Record<string, unknown>>;
  readonly extensions: readonly { readonly number: string }[];
}

/**
 * Rules between sections, for configSchema's superRefine: a voicemail code must not be a
 * code of `calls` or an extension number, or one of them could never be reached. The
 * deposit code is a prefix (`*96` + mailbox), so an extension starting with it is refused too.
 */
export function checkVoicemailCrossSection(cfg: WholeConfigWithVoicemail, ctx: IssueSink): void {
  if (!cfg.voicemail.enabled) return;
  const callCodes = Object.entries(cfg.calls).filter(
    (entry): entry is [string, string] => entry[0].endsWith('Code') && typeof entry[1] === 'string',
  );
  for (const key of VOICEMAIL_CODE_KEYS) {
    const code = cfg.voicemail[key];
    const call = callCodes.find(([, value]) => value === code);
    if (call)
      ctx.addIssue({
        code: 'custom',
        path: ['voicemail', key],
        message: `"${code}" is also calls.${call[0]}`,
      });
    const clash = cfg.extensions.findIndex((ext) =>
      key === 'depositCode' ? ext.number.startsWith(code) : ext.number === code,
    );
    if (clash !== -1) {
      ctx.addIssue({
        code: 'custom',
        path: ['voicemail', key],
        message: `"${code}" clashes with extensions[${clash}].number`,
      });
    }
  }
}
