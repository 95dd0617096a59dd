/**
 * The `cti` section: the WebSocket server agent desktops, supervisor seats and other
 * systems connect to (src/cti, docs/cti.md). Kept apart from schema.ts, which assembles
 * every section. Tokens live here until the admin API issues them.
 */
import { isIP } from 'node:net';
import { z } from 'zod';
import { checkUnique, type IssueSink } from './checks.js';

export const CTI_ROLES = ['agent', 'supervisor', 'integration'] as const;
/** Shorter tokens are guessable; 16 characters of a random source is the floor. */
export const MIN_CTI_TOKEN_LENGTH = 16;

const count = (min: number) => z.number().int().min(min);

export const ctiTokenSchema = z.strictObject({
  token: z
    .string()
    .min(MIN_CTI_TOKEN_LENGTH, `must be at least ${MIN_CTI_TOKEN_LENGTH} characters`)
    .regex(/^[\x21-\x7e]+$/, 'must be printable ASCII without spaces'),
  agent: z
    .string()
    .regex(/^[^\s\p{Cc}]{1,128}$/u, 'must be 1 to 128 characters without spaces')
    .optional(),
  role: z.enum(CTI_ROLES),
  name: z.string().min(1).max(64),
});

interface TokenLike {
  readonly token: string;
  readonly agent?: string;
  readonly role: string;
  readonly name: string;
}

/** Every token is unique and named once; an agent token says which agent it is. */
export function checkCtiTokens(tokens: readonly TokenLike[], ctx: IssueSink): void {
  tokens.forEach((t, i) => {
    if (t.role === 'agent' && t.agent === undefined) {
      ctx.addIssue({ code: 'custom', path: [i, 'agent'], message: 'an agent token must name its agent' });
    }
    if (tokens.findIndex((o) => o.token === t.token) !== i) {
      // The value is a secret: the message names the other entry, never the token.
      const first = tokens.findIndex((o) => o.token === t.token);
      ctx.addIssue({ code: 'custom', path: [i, 'token'], message: `same token as cti.tokens[${first}]` });
    }
  });
  checkUnique(
    tokens.map((t) => t.name),
    'token name',
    { addIssue: (issue) => ctx.addIssue({ ...issue, path: [...issue.path, 'name'] }) },
  );
}

export const ctiSchema = z.strictObject({
  enabled: z.boolean().default(false),
  port: z.number().int().min(1).max(65535).default(8090),
  bindAddress: z
    .string()
    .refine((s) => isIP(s) !== 0, 'must be an IP address such as 0.0.0.0 or ::')
    .default('0.0.0.0'),
  tokens: z
    .array(ctiTokenSchema)
    .superRefine(checkCtiTokens)
    .default(() => []),
  /** Seconds between pings; a client missing 4 pongs in a row is disconnected. */
  pingInterval: count(1).max(300).default(10),
  /** Unsent bytes a client may fall behind by before it is disconnected. */
  maxBufferedBytes: count(65_536).default(1_048_576),
});

export type CtiConfig = z.output<typeof ctiSchema>;
