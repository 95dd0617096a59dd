/**
 * Transaction matching keys (RFC 3261 §17.1.3, §17.2.3). Strings, so that matching is one
 * Map lookup. Fields are joined with a space, which no token, host or Call-ID contains.
 */
import type { SipRequest, SipUri, Via } from '../message/types.js';

/** §8.1.1.7: a branch starting with this was built by an RFC 3261 element. */
export const MAGIC_COOKIE = 'z9hG4bK';

/**
 * §17.1.3: a response matches a client transaction when its top Via branch equals the
 * request's and its CSeq method equals the request's method (so a CANCEL, which shares the
 * INVITE's branch, has its own transaction).
 */
export function clientKey(branch: string, method: string): string {
  return branch + ' ' + method;
}

/**
 * The method-independent part of a server transaction key, or undefined when the request
 * has no Via. Append the method with `serverKey`; an ACK is looked up with method INVITE,
 * and a CANCEL's target INVITE with the CANCEL's prefix (§9.2).
 */
export function serverKeyPrefix(req: SipRequest): string | undefined {
  const via = req.vias[0];
  if (via === undefined) return undefined;
  const branch = via.params.branch;
  // §17.2.3: branch + sent-by + method when the branch carries the magic cookie.
  if (branch && branch.startsWith(MAGIC_COOKIE)) return branch + ' ' + sentBy(via) + ' ';
  // §17.2.3, RFC 2543 fallback, loosely: Request-URI, From tag, Call-ID, CSeq number and top
  // Via. The To tag is left out so that the ACK (which carries the tag of our response) and
  // a CANCEL (§9.2) find their INVITE.
  return (
    '2543 ' +
    uriKey(req.uri) +
    ' ' +
    (req.from.params.tag ?? '') +
    ' ' +
    req.callId +
    ' ' +
    req.cseq.seq +
    ' ' +
    sentBy(via) +
    ' ' +
    (branch ?? '') +
    ' '
  );
}

export function serverKey(prefix: string, method: string): string {
  return prefix + method;
}

function sentBy(via: Via): string {
  return via.host.toLowerCase() + ':' + (via.port ?? '');
}

function uriKey(uri: SipUri): string {
  return uri.scheme + ':' + (uri.user ?? '') + '@' + uri.host.toLowerCase() + ':' + (uri.port ?? '');
}
