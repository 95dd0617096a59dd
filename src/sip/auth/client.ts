/**
 * The digest client side, for trunks that challenge us and for tests (RFC 3261 §22.2,
 * RFC 7616 §3.4, RFC 8760 §2.4 on choosing among several challenges).
 */
import { randomBytes } from 'node:crypto';
import { parseChallenge } from './challenge.js';
import { formatCredentials } from './credentials.js';
import { baseAlgorithm, computeResponse, isSessionAlgorithm } from './digest.js';
import { AuthError } from './errors.js';
import { BoundedLru } from './lru.js';
import type { DigestChallenge, Qop } from './types.js';

export interface PickOptions {
  /** Take a SHA-256 challenge when one is offered; otherwise the first supported one. Default false. */
  readonly preferSha256?: boolean;
}

function answerableQop(ch: DigestChallenge): Qop | undefined | null {
  if (ch.qop.length === 0) return undefined; // RFC 2069 form
  if (ch.qop.includes('auth')) return 'auth';
  if (ch.qop.includes('auth-int')) return 'auth-int';
  return null; // offers only qop values we do not know
}

/** The challenge to answer among several header values, or undefined when none is usable. */
export function pickChallenge(
  headerValues: readonly string[],
  opts: PickOptions = {},
): DigestChallenge | undefined {
  const usable: DigestChallenge[] = [];
  for (const value of headerValues) {
    const parsed = parseChallenge(value);
    if (parsed.ok && answerableQop(parsed.value) !== null) usable.push(parsed.value);
  }
  if (opts.preferSha256 === true) {
    const sha = usable.find((ch) => baseAlgorithm(ch.algorithm) === 'SHA-256');
    if (sha !== undefined) return sha;
  }
  return usable[0];
}

export interface DigestClientOptions extends PickOptions {
  /** Random source for client nonces; injectable for tests. */
  readonly random?: (size: number) => Buffer;
  /** How many server nonces to keep a count for. Default 64. */
  readonly maxNonces?: number;
}

export interface AuthorizeInput {
  /** One challenge value, several (the best is picked), or one already parsed. */
  readonly challengeHeader: string | readonly string[] | DigestChallenge;
  readonly method: string;
  /** The Request-URI, as it will be sent (RFC 3261 §22.4: the digest-uri). */
  readonly uri: string;
  readonly username: string;
  readonly password: string;
  /** The request body, for qop=auth-int. */
  readonly body?: Buffer;
}

export class DigestClient {
  private readonly random: (size: number) => Buffer;
  private readonly preferSha256: boolean;
  /** Nonce → last nonce count used. */
  private readonly counts: BoundedLru<string, number>;

  constructor(opts: DigestClientOptions = {}) {
    this.random = opts.random ?? randomBytes;
    this.counts = new BoundedLru(opts.maxNonces ?? 64);
    this.preferSha256 = opts.preferSha256 ?? false;
  }

  /** The Authorization / Proxy-Authorization value answering the challenge. Throws AuthError when it cannot. */
  authorize(input: AuthorizeInput): string {
    const ch = this.resolveChallenge(input.challengeHeader);
    const qop = answerableQop(ch);
    if (qop === null) throw new AuthError('AUTH_BAD_CHALLENGE', `no supported qop in ${ch.qop.join(',')}`);
    const nc = qop === undefined ? undefined : this.nextCount(ch.nonce);
    const needsCnonce = qop !== undefined || isSessionAlgorithm(ch.algorithm);
    const cnonce = needsCnonce ? this.random(16).toString('hex') : undefined;
    const response = computeResponse({
      algorithm: ch.algorithm,
      username: input.username,
      realm: ch.realm,
      password: input.password,
      method: input.method,
      uri: input.uri,
      nonce: ch.nonce,
      nc,
      cnonce,
      qop,
      body: input.body,
    });
    return formatCredentials({
      username: input.username,
      realm: ch.realm,
      nonce: ch.nonce,
      uri: input.uri,
      response,
      algorithm: ch.algorithm,
      cnonce,
      opaque: ch.opaque,
      qop,
      nc,
    });
  }

  private resolveChallenge(header: AuthorizeInput['challengeHeader']): DigestChallenge {
    if (typeof header === 'string') {
      const parsed = parseChallenge(header);
      if (!parsed.ok) throw new AuthError('AUTH_BAD_CHALLENGE', parsed.reason);
      return parsed.value;
    }
    if (Array.isArray(header)) {
      const picked = pickChallenge(header as readonly string[], { preferSha256: this.preferSha256 });
      if (picked === undefined) throw new AuthError('AUTH_BAD_CHALLENGE', 'no usable Digest challenge');
      return picked;
    }
    return header as DigestChallenge;
  }

  private nextCount(nonce: string): number {
    const nc = (this.counts.get(nonce) ?? 0) + 1;
    this.counts.set(nonce, nc);
    return nc;
  }
}
