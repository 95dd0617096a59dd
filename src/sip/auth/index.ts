/** Public surface of SIP digest authentication and the abuse guard. */
export type {
  DigestAlgorithm,
  DigestChallenge,
  DigestCredentials,
  ParseResult,
  Qop,
  VerifyFailureReason,
  VerifyResult,
} from './types.js';
export { AuthError, type AuthErrorCode } from './errors.js';
export { parseChallenge, formatChallenge, type ChallengeInput } from './challenge.js';
export { parseCredentials, formatCredentials, type CredentialsInput } from './credentials.js';
export { computeResponse, computeHa1, formatNc, toDigestAlgorithm, type ResponseInput } from './digest.js';
export { DigestServer, type DigestServerOptions, type VerifyInput } from './server.js';
export {
  DigestClient,
  pickChallenge,
  type AuthorizeInput,
  type DigestClientOptions,
  type PickOptions,
} from './client.js';
export {
  AbuseGuard,
  DEFAULT_SCANNER_USER_AGENTS,
  type AbuseGuardOptions,
  type AbuseGuardStats,
} from './guard.js';
