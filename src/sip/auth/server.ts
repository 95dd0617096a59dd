/**
 * The digest server side for REGISTER and INVITE challenges (RFC 3261 §22.4, RFC 7616 §3.3–3.4).
 *
 * Every failure must look the same from the outside — the caller answers 401/407 with
 * `challengeAfter(result)` — and the work done for an unknown user matches the work for a
 * known user with a wrong password, so neither the response nor its timing tells which
 * extensions exist. `reason` separates them for logs and the abuse guard only.
 */
import { randomBytes, timingSafeEqual } from 'node:crypto';
import type { Clock } from '../../platform/clock.js';
import { quote } from './auth-params.js';
import { formatChallenge } from './challenge.js';
import { parseCredentials } from './credentials.js';
import { computeResponse } from './digest.js';
import { NonceCodec } from './nonce.js';
import { NonceCounter } from './nonce-counter.js';
import type { DigestAlgorithm, DigestCredentials, Qop, VerifyFailureReason, VerifyResult } from './types.js';

export interface DigestServerOptions {
  readonly realm: string;
  /**
   * One challenge per algorithm, in this order. Default `['MD5', 'SHA-256']`: sipp 3.6.1 and
   * most phones answer only the first challenge and know only MD5 (RFC 8760 §2.4 allows several).
   */
  readonly algorithms?: readonly DigestAlgorithm[];
  /** How long a nonce is accepted before the server answers stale=TRUE. Default 5 minutes. */
  readonly nonceLifetimeMs?: number;
  readonly clock: Clock;
  /** HMAC key for nonces. Default: random per process (nonces then die with a restart). */
  readonly secret?: Buffer;
  /** The qop values offered. Default `['auth']`. */
  readonly qop?: readonly Qop[];
  /**
   * Accept the RFC 2069 form without qop, which RFC 3261 §22.4 asks servers to support
   * for old clients. It has no nonce count, so replays are limited only by the nonce
   * lifetime. Default true.
   */
  readonly acceptNoQop?: boolean;
  /** Bound on the nonce-count table (replay protection). Default 100 000. */
  readonly maxTrackedNonces?: number;
  /** Random source for nonce salts and the dummy password; injectable for tests. */
  readonly random?: (size: number) => Buffer;
}

export interface VerifyInput {
  /** The request method, e.g. `REGISTER` (goes into HA2). */
  readonly method: string;
  /** The raw Authorization / Proxy-Authorization value, undefined when absent. */
  readonly credentialsHeader: string | undefined;
  /** The plain password of a user, undefined for an unknown user. */
  readonly lookupPassword: (username: string) => string | undefined;
  /** The request body, for qop=auth-int. */
  readonly body?: Buffer;
}

const DEFAULT_NONCE_LIFETIME_MS = 5 * 60_000;

export class DigestServer {
  readonly realm: string;
  readonly algorithms: readonly DigestAlgorithm[];
  readonly nonceLifetimeMs: number;
  private readonly clock: Clock;
  private readonly qop: readonly Qop[];
  private readonly acceptNoQop: boolean;
  private readonly nonces: NonceCodec;
  private readonly counter: NonceCounter;
  /** Hashed for unknown users so they cost the same work as known ones. */
  private readonly dummyPassword: string;

  constructor(opts: DigestServerOptions) {
    const random = opts.random ?? randomBytes;
    this.realm = opts.realm;
    this.algorithms = opts.algorithms ?? ['MD5', 'SHA-256'];
    if (this.algorithms.length === 0) throw new RangeError('DigestServer needs at least one algorithm');
    quote(opts.realm); // fails now, at boot, on a realm that cannot be written into a header
    this.nonceLifetimeMs = opts.nonceLifetimeMs ?? DEFAULT_NONCE_LIFETIME_MS;
    this.clock = opts.clock;
    this.qop = opts.qop ?? ['auth'];
    this.acceptNoQop = opts.acceptNoQop ?? true;
    this.nonces = new NonceCodec(opts.secret ?? random(32), opts.realm, random);
    this.counter = new NonceCounter(opts.maxTrackedNonces ?? 100_000);
    this.dummyPassword = random(24).toString('base64url');
  }

  /** One WWW-Authenticate / Proxy-Authenticate value per configured algorithm, sharing a fresh nonce. */
  challenge(stale = false): string[] {
    const nonce = this.nonces.mint(this.clock.now());
    return this.algorithms.map((algorithm) =>
      formatChallenge({ realm: this.realm, nonce, algorithm, qop: this.qop, stale }),
    );
  }

  /**
   * The challenges to send after a failed `verify`. stale=TRUE only when the password was
   * right (RFC 7616 §3.3), so unknown-user and bad-password answers are identical.
   */
  challengeAfter(result: VerifyResult): string[] {
    return this.challenge(!result.ok && (result.reason === 'stale' || result.reason === 'replay'));
  }

  verify(input: VerifyInput): VerifyResult {
    if (input.credentialsHeader === undefined || input.credentialsHeader.trim() === '') {
      return { ok: false, reason: 'missing' };
    }
    const parsed = parseCredentials(input.credentialsHeader);
    if (!parsed.ok) return { ok: false, reason: 'malformed' };
    const cr = parsed.value;
    const fail = (reason: VerifyFailureReason): VerifyResult => ({
      ok: false,
      reason,
      username: cr.username,
    });
    // We never offer userhash, so a hashed user name cannot be looked up.
    if (cr.userhash) return fail('malformed');
    if (cr.qop === undefined ? !this.acceptNoQop : !this.qop.includes(cr.qop)) return fail('malformed');
    if (cr.realm !== this.realm) return fail('realm-mismatch');
    if (!this.algorithms.includes(cr.algorithm)) return fail('algorithm');
    const nonce = this.nonces.check(cr.nonce, this.clock.now(), this.nonceLifetimeMs);
    if (nonce.status === 'bad') return fail('bad-nonce');

    const password = input.lookupPassword(cr.username);
    const matches = this.responseMatches(cr, input, password ?? this.dummyPassword);
    if (password === undefined) return fail('unknown-user');
    if (!matches) return fail('bad-password');
    if (nonce.status === 'expired') return fail('stale');
    if (cr.qop !== undefined) {
      const count = this.counter.accept(cr.nonce, nonce.issuedAt, cr.nc ?? 0);
      if (count === 'replay') return fail('replay');
      if (count === 'forgotten') return fail('stale');
    }
    return { ok: true, username: cr.username };
  }

  /** Size of the replay-protection table, for metrics. */
  get trackedNonces(): number {
    return this.counter.size;
  }

  private responseMatches(cr: DigestCredentials, input: VerifyInput, password: string): boolean {
    const expected = computeResponse({
      algorithm: cr.algorithm,
      username: cr.username,
      realm: cr.realm,
      password,
      method: input.method,
      uri: cr.uri,
      nonce: cr.nonce,
      nc: cr.nc,
      cnonce: cr.cnonce,
      qop: cr.qop,
      body: input.body,
    });
    // The parser checked the length against the algorithm, so lengths are equal here.
    const a = Buffer.from(expected, 'latin1');
    const b = Buffer.from(cr.response, 'latin1');
    return a.length === b.length && timingSafeEqual(a, b);
  }
}
