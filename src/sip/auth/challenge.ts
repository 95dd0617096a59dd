/**
 * `WWW-Authenticate` / `Proxy-Authenticate` Digest challenges (RFC 7616 §3.3,
 * RFC 3261 §25.1 `digest-cln`).
 */
import { bare, parseAuthParams, quote } from './auth-params.js';
import { toDigestAlgorithm } from './digest.js';
import type { DigestAlgorithm, DigestChallenge, ParseResult } from './types.js';

function fail(reason: string): { ok: false; reason: string } {
  return { ok: false, reason };
}

/** Splits `"auth, auth-int"` into `['auth', 'auth-int']` (lower case, empties dropped). */
function splitQop(value: string): string[] {
  return value
    .split(',')
    .map((q) => q.trim().toLowerCase())
    .filter((q) => q !== '');
}

export function parseChallenge(headerValue: string): ParseResult<DigestChallenge> {
  const parsed = parseAuthParams(headerValue);
  if (!parsed.ok) return parsed;
  const { scheme, params } = parsed.value;
  if (scheme.toLowerCase() !== 'digest') return fail(`unsupported auth scheme ${scheme}`);
  const realm = params.get('realm');
  const nonce = params.get('nonce');
  if (realm === undefined) return fail('challenge has no realm');
  if (nonce === undefined || nonce === '') return fail('challenge has no nonce');
  const algorithmToken = params.get('algorithm');
  const algorithm = algorithmToken === undefined ? 'MD5' : toDigestAlgorithm(algorithmToken);
  if (algorithm === undefined) return fail(`unsupported algorithm ${algorithmToken}`);
  const qop = params.get('qop');
  const opaque = params.get('opaque');
  const domain = params.get('domain');
  return {
    ok: true,
    value: {
      realm,
      nonce,
      algorithm,
      qop: qop === undefined ? [] : splitQop(qop),
      stale: params.get('stale')?.toLowerCase() === 'true',
      userhash: params.get('userhash')?.toLowerCase() === 'true',
      ...(opaque !== undefined && { opaque }),
      ...(domain !== undefined && { domain }),
    },
  };
}

/** What `formatChallenge` needs; omitted fields take the defaults of the parsed form. */
export interface ChallengeInput {
  readonly realm: string;
  readonly nonce: string;
  readonly opaque?: string;
  /** Default MD5. Always written out, since some phones mis-handle its absence. */
  readonly algorithm?: DigestAlgorithm;
  readonly qop?: readonly string[];
  readonly stale?: boolean;
  readonly userhash?: boolean;
  readonly domain?: string;
}

/** Writes `Digest realm="…", nonce="…", …`. Throws AuthError on values that cannot be written safely. */
export function formatChallenge(ch: ChallengeInput): string {
  const parts = [`realm=${quote(ch.realm)}`];
  if (ch.domain !== undefined) parts.push(`domain=${quote(ch.domain)}`);
  parts.push(`nonce=${quote(ch.nonce)}`);
  if (ch.opaque !== undefined) parts.push(`opaque=${quote(ch.opaque)}`);
  parts.push(`algorithm=${bare(ch.algorithm ?? 'MD5')}`);
  // RFC 7616 §3.3: qop-options is a quoted, comma-separated list.
  if (ch.qop !== undefined && ch.qop.length > 0) parts.push(`qop=${quote(ch.qop.map(bare).join(','))}`);
  if (ch.stale === true) parts.push('stale=TRUE');
  if (ch.userhash === true) parts.push('userhash=true');
  return `Digest ${parts.join(', ')}`;
}
