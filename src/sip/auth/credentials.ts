/**
 * `Authorization` / `Proxy-Authorization` Digest credentials (RFC 7616 §3.4,
 * RFC 3261 §25.1 `digest-response`).
 */
import { bare, parseAuthParams, quote } from './auth-params.js';
import { formatNc, isSessionAlgorithm, responseLength, toDigestAlgorithm } from './digest.js';
import type { DigestAlgorithm, DigestCredentials, ParseResult, Qop } from './types.js';

function fail(reason: string): { ok: false; reason: string } {
  return { ok: false, reason };
}

const REQUIRED = ['username', 'realm', 'nonce', 'uri', 'response'] as const;

function parseQopFields(
  params: ReadonlyMap<string, string>,
): ParseResult<{ qop?: Qop; nc?: number; cnonce?: string }> {
  const qopToken = params.get('qop');
  const cnonce = params.get('cnonce');
  if (qopToken === undefined) {
    // RFC 2069 form: nc without qop is a contradiction; a stray cnonce is harmless (used by -sess).
    if (params.has('nc')) return fail('nc without qop');
    return { ok: true, value: cnonce === undefined ? {} : { cnonce } };
  }
  const qop = qopToken.toLowerCase();
  if (qop !== 'auth' && qop !== 'auth-int') return fail(`unsupported qop ${qopToken}`);
  const ncText = params.get('nc');
  // RFC 7616 §3.4: nc is exactly 8 hex digits.
  if (ncText === undefined || !/^[0-9a-fA-F]{8}$/.test(ncText)) return fail('qop without a valid nc');
  if (cnonce === undefined || cnonce === '') return fail('qop without a cnonce');
  const nc = Number.parseInt(ncText, 16);
  if (nc === 0) return fail('nc must start at 1');
  return { ok: true, value: { qop, nc, cnonce } };
}

export function parseCredentials(headerValue: string): ParseResult<DigestCredentials> {
  const parsed = parseAuthParams(headerValue);
  if (!parsed.ok) return parsed;
  const { scheme, params } = parsed.value;
  if (scheme.toLowerCase() !== 'digest') return fail(`unsupported auth scheme ${scheme}`);
  for (const name of REQUIRED) {
    if (params.get(name) === undefined) return fail(`credentials have no ${name}`);
  }
  const algorithmToken = params.get('algorithm');
  const algorithm = algorithmToken === undefined ? 'MD5' : toDigestAlgorithm(algorithmToken);
  if (algorithm === undefined) return fail(`unsupported algorithm ${algorithmToken}`);
  const response = params.get('response')!.toLowerCase();
  if (response.length !== responseLength(algorithm) || !/^[0-9a-f]+$/.test(response)) {
    return fail(`response is not a ${algorithm} digest`);
  }
  const qopFields = parseQopFields(params);
  if (!qopFields.ok) return qopFields;
  // RFC 7616 §3.4.2: the -sess HA1 is keyed by the client nonce.
  if (isSessionAlgorithm(algorithm) && qopFields.value.cnonce === undefined)
    return fail(`${algorithm} without a cnonce`);
  const opaque = params.get('opaque');
  return {
    ok: true,
    value: {
      username: params.get('username')!,
      realm: params.get('realm')!,
      nonce: params.get('nonce')!,
      uri: params.get('uri')!,
      response,
      algorithm,
      userhash: params.get('userhash')?.toLowerCase() === 'true',
      ...qopFields.value,
      ...(opaque !== undefined && { opaque }),
    },
  };
}

/** What `formatCredentials` needs; `algorithm` defaults to MD5. */
export interface CredentialsInput {
  readonly username: string;
  readonly realm: string;
  readonly nonce: string;
  readonly uri: string;
  readonly response: string;
  readonly algorithm?: DigestAlgorithm;
  readonly cnonce?: string;
  readonly opaque?: string;
  readonly qop?: Qop;
  readonly nc?: number;
  readonly userhash?: boolean;
}

/** Writes `Digest username="…", …`. Throws AuthError on values that cannot be written safely. */
export function formatCredentials(cr: CredentialsInput): string {
  const parts = [
    `username=${quote(cr.username)}`,
    `realm=${quote(cr.realm)}`,
    `nonce=${quote(cr.nonce)}`,
    `uri=${quote(cr.uri)}`,
    `response=${quote(cr.response)}`,
    `algorithm=${bare(cr.algorithm ?? 'MD5')}`,
  ];
  if (cr.cnonce !== undefined) parts.push(`cnonce=${quote(cr.cnonce)}`);
  if (cr.opaque !== undefined) parts.push(`opaque=${quote(cr.opaque)}`);
  // RFC 3261 §25.1 message-qop and nonce-count are written unquoted.
  if (cr.qop !== undefined) parts.push(`qop=${bare(cr.qop)}`);
  if (cr.nc !== undefined) parts.push(`nc=${formatNc(cr.nc)}`);
  if (cr.userhash === true) parts.push('userhash=true');
  return `Digest ${parts.join(', ')}`;
}
