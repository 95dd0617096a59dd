/**
 * The digest computation (RFC 7616 §3.4, RFC 2617 §3.2.2, RFC 2069 for the no-qop form),
 * with the SIP algorithms of RFC 8760. Pure functions over strings.
 */
import { createHash } from 'node:crypto';
import type { DigestAlgorithm, Qop } from './types.js';
import { AuthError } from './errors.js';

const ALGORITHMS: readonly DigestAlgorithm[] = [
  'MD5',
  'MD5-sess',
  'SHA-256',
  'SHA-256-sess',
  'SHA-512-256',
  'SHA-512-256-sess',
];

const NODE_HASH: Readonly<Record<string, string>> = {
  MD5: 'md5',
  'SHA-256': 'sha256',
  'SHA-512-256': 'sha512-256',
};

/** Maps a header token to our algorithm name; tokens are case-insensitive (RFC 7616 §3.3). */
export function toDigestAlgorithm(token: string): DigestAlgorithm | undefined {
  const upper = token.toUpperCase();
  return ALGORITHMS.find((a) => a.toUpperCase() === upper);
}

export function isSessionAlgorithm(algorithm: DigestAlgorithm): boolean {
  return algorithm.endsWith('-sess');
}

/** The hash function behind an algorithm: `SHA-256-sess` → `SHA-256`. */
export function baseAlgorithm(algorithm: DigestAlgorithm): 'MD5' | 'SHA-256' | 'SHA-512-256' {
  return algorithm.replace(/-sess$/, '') as 'MD5' | 'SHA-256' | 'SHA-512-256';
}

/** H(data) as lower-case hex, per the algorithm's hash function. */
export function digestHash(algorithm: DigestAlgorithm, data: string | Buffer): string {
  const name = NODE_HASH[baseAlgorithm(algorithm)];
  if (name === undefined) throw new AuthError('AUTH_INVALID_INPUT', `unknown algorithm ${algorithm}`);
  return createHash(name).update(data).digest('hex');
}

/** The hex length of a response for this algorithm (32 for MD5, 64 for the SHA-2 ones). */
export function responseLength(algorithm: DigestAlgorithm): number {
  return baseAlgorithm(algorithm) === 'MD5' ? 32 : 64;
}

/** H(username:realm:password), the value a server may store instead of the password. */
export function computeHa1(
  algorithm: DigestAlgorithm,
  username: string,
  realm: string,
  password: string,
): string {
  return digestHash(algorithm, `${username}:${realm}:${password}`);
}

/** The nonce count as written on the wire: 8 lower-case hex digits (RFC 7616 §3.4). */
export function formatNc(nc: number): string {
  if (!Number.isInteger(nc) || nc < 1 || nc > 0xffffffff) {
    throw new AuthError('AUTH_INVALID_INPUT', `nonce count out of range: ${nc}`);
  }
  return nc.toString(16).padStart(8, '0');
}

export interface ResponseInput {
  readonly algorithm: DigestAlgorithm;
  readonly username: string;
  readonly realm: string;
  /** Exactly one of `password` and `ha1` (H(username:realm:password), for stored hashes). */
  readonly password?: string;
  readonly ha1?: string;
  readonly method: string;
  /** The digest-uri as sent in the credentials. */
  readonly uri: string;
  readonly nonce: string;
  /** Required with `qop`, as a number (written as 8 hex digits). */
  readonly nc?: number;
  /** Required with `qop` and with the `-sess` algorithms. */
  readonly cnonce?: string;
  /** Absent for the RFC 2069 form. */
  readonly qop?: Qop;
  /** The message body, for `auth-int`; absent means empty. */
  readonly body?: Buffer | string;
}

function sessionHa1(input: ResponseInput): string {
  let ha1: string;
  if (input.ha1 !== undefined && input.password === undefined) ha1 = input.ha1;
  else if (input.password !== undefined && input.ha1 === undefined) {
    ha1 = computeHa1(input.algorithm, input.username, input.realm, input.password);
  } else throw new AuthError('AUTH_INVALID_INPUT', 'give exactly one of password and ha1');
  if (!isSessionAlgorithm(input.algorithm)) return ha1;
  // RFC 7616 §3.4.2: for -sess, HA1 = H(H(user:realm:password):nonce:cnonce).
  if (input.cnonce === undefined)
    throw new AuthError('AUTH_INVALID_INPUT', `${input.algorithm} needs a cnonce`);
  return digestHash(input.algorithm, `${ha1}:${input.nonce}:${input.cnonce}`);
}

function ha2(input: ResponseInput): string {
  // RFC 7616 §3.4.3: auth-int also covers H(entity-body).
  if (input.qop === 'auth-int') {
    const bodyHash = digestHash(input.algorithm, input.body ?? '');
    return digestHash(input.algorithm, `${input.method}:${input.uri}:${bodyHash}`);
  }
  return digestHash(input.algorithm, `${input.method}:${input.uri}`);
}

/** The `response` value, lower-case hex. Throws AuthError on inconsistent input. */
export function computeResponse(input: ResponseInput): string {
  const a1 = sessionHa1(input);
  const a2 = ha2(input);
  if (input.qop === undefined) {
    // RFC 2069 / RFC 2617 §3.2.2.1 without qop: H(HA1:nonce:HA2).
    return digestHash(input.algorithm, `${a1}:${input.nonce}:${a2}`);
  }
  if (input.nc === undefined || input.cnonce === undefined) {
    throw new AuthError('AUTH_INVALID_INPUT', 'qop needs nc and cnonce');
  }
  const nc = formatNc(input.nc);
  return digestHash(input.algorithm, `${a1}:${input.nonce}:${nc}:${input.cnonce}:${input.qop}:${a2}`);
}
