import type { Logger } from '../platform/log.js';
import type { AbuseGuard, DigestServer } from '../sip/auth/index.js';
import { getHeader } from '../sip/message/index.js';
import type { Endpoint, SipRequest } from '../sip/message/types.js';
import type { ServerTransaction } from '../sip/transaction/index.js';
import type { UserAgentCore } from '../sip/ua/index.js';

export interface Authenticator {
  readonly digest: DigestServer;
  readonly guard: AbuseGuard;
  readonly passwordOf: (user: string) => string | undefined;
  readonly ua: UserAgentCore;
  readonly logger: Logger;
}

/**
 * Digest authentication of an extension's request (RFC 3261 §22). Returns the authenticated
 * extension, or answers the request itself and returns undefined: 401 with a challenge when
 * credentials are missing or stale, 403 when they are wrong. A known user with a wrong
 * password and an unknown user get byte-for-byte the same kind of answer, so extensions
 * cannot be enumerated; only the log tells them apart.
 */
export function authenticate(
  auth: Authenticator,
  req: SipRequest,
  txn: ServerTransaction,
): string | undefined {
  const result = auth.digest.verify({
    method: req.method,
    credentialsHeader: getHeader(req, 'Authorization'),
    lookupPassword: auth.passwordOf,
    body: req.body,
  });
  if (result.ok) {
    auth.guard.recordSuccess(txn.source.address);
    return result.username;
  }
  if (
    result.reason === 'missing' ||
    result.reason === 'stale' ||
    result.reason === 'replay' ||
    result.reason === 'bad-nonce'
  ) {
    challenge(auth, txn, result);
    return undefined;
  }
  noteFailure(auth, txn.source, req, result.reason, result.username);
  auth.ua.respond(txn, 403, 'Forbidden');
  return undefined;
}

function challenge(
  auth: Authenticator,
  txn: ServerTransaction,
  result: Parameters<DigestServer['challengeAfter']>[0],
): void {
  const headers = auth.digest.challengeAfter(result).map((value) => ({ name: 'WWW-Authenticate', value }));
  auth.ua.respond(txn, 401, 'Unauthorized', headers);
}

function noteFailure(
  auth: Authenticator,
  source: Endpoint,
  req: SipRequest,
  reason: string,
  username?: string,
): void {
  const verdict = auth.guard.recordFailure(source.address);
  auth.logger.warn(
    {
      address: source.address,
      port: source.port,
      method: req.method,
      username,
      reason,
      callId: req.callId,
      verdict,
    },
    verdict === 'blocked' ? 'authentication failed; address blocked' : 'authentication failed',
  );
}
