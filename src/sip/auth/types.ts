/**
 * The digest authentication contract (RFC 7616, RFC 2617, RFC 8760, RFC 3261 §22.4).
 *
 * Parsed challenges and credentials are readonly values. Parsers never throw on bad
 * input: they return a `ParseResult` with a reason, because these headers come from the
 * network.
 */

/** The algorithms we can compute. `-sess` variants hash the client nonce into HA1 (RFC 7616 §3.4.2). */
export type DigestAlgorithm =
  'MD5' | 'MD5-sess' | 'SHA-256' | 'SHA-256-sess' | 'SHA-512-256' | 'SHA-512-256-sess';

/** Quality of protection (RFC 7616 §3.3). */
export type Qop = 'auth' | 'auth-int';

export type ParseResult<T> =
  { readonly ok: true; readonly value: T } | { readonly ok: false; readonly reason: string };

/** A `WWW-Authenticate` / `Proxy-Authenticate` Digest challenge. */
export interface DigestChallenge {
  readonly realm: string;
  readonly nonce: string;
  readonly opaque?: string;
  /** Absent in the header means MD5 (RFC 7616 §3.3); the parser fills in `'MD5'`. */
  readonly algorithm: DigestAlgorithm;
  /** Offered qop values, in the server's order; empty for a legacy RFC 2069 challenge. */
  readonly qop: readonly string[];
  readonly stale: boolean;
  /** Parsed only: we neither offer nor send hashed user names (RFC 7616 §3.4.4). */
  readonly userhash: boolean;
  /** Space-separated URIs of the protection space, kept verbatim when present. */
  readonly domain?: string;
}

/** An `Authorization` / `Proxy-Authorization` Digest credentials value. */
export interface DigestCredentials {
  readonly username: string;
  readonly realm: string;
  readonly nonce: string;
  readonly uri: string;
  readonly response: string;
  /** Absent in the header means MD5; the parser fills in `'MD5'`. */
  readonly algorithm: DigestAlgorithm;
  readonly cnonce?: string;
  readonly opaque?: string;
  /** Absent for the legacy RFC 2069 form; then `nc` and `cnonce` are absent too. */
  readonly qop?: Qop;
  /** Nonce count, as the number the 8 hex digits encode. */
  readonly nc?: number;
  readonly userhash: boolean;
}

export type VerifyFailureReason =
  | 'missing'
  | 'malformed'
  | 'unknown-user'
  | 'bad-password'
  | 'stale'
  | 'bad-nonce'
  | 'realm-mismatch'
  | 'algorithm'
  /** Correct password, but a nonce count that did not increase: a replayed request. */
  | 'replay';

/**
 * What `DigestServer.verify` concluded. `reason` is for logs only: callers must answer
 * every failure the same way (a 401/407 with fresh challenges), so that an unknown user
 * cannot be told apart from a wrong password from the outside.
 */
export type VerifyResult =
  | { readonly ok: true; readonly username: string }
  | { readonly ok: false; readonly reason: VerifyFailureReason; readonly username?: string };
