/**
 * Reading a registrar's answer to our REGISTER as a registration event (pure): how long it
 * granted, whether it challenged (and whether the challenge only says our nonce went stale),
 * refused, asked for a longer interval, or failed with a time to come back.
 */
import { pickChallenge } from '../../../sip/auth/index.js';
import { getHeader, getHeaders } from '../../../sip/message/index.js';
import type { SipResponse, SipUri } from '../../../sip/message/types.js';
import type { RegistrationEvent } from './registration.js';

/** The challenge header a 401 or 407 carries, and the credentials header that answers it. */
export function challengeHeaders(status: 401 | 407): { challenge: string; credentials: string } {
  return status === 401
    ? { challenge: 'WWW-Authenticate', credentials: 'Authorization' }
    : { challenge: 'Proxy-Authenticate', credentials: 'Proxy-Authorization' };
}

function seconds(value: string | undefined): number | undefined {
  const m = value === undefined ? null : /^\s*(\d{1,9})/.exec(value);
  return m ? Number(m[1]) : undefined;
}

function sameContact(a: SipUri, b: SipUri): boolean {
  return (
    a.user === b.user &&
    a.host.toLowerCase() === b.host.toLowerCase() &&
    (a.port ?? 5060) === (b.port ?? 5060)
  );
}

/**
 * The expiry granted to our Contact (RFC 3261 §10.2.4): its `expires` parameter in the 200,
 * else the Expires header, else what we asked for. A registrar may shorten but never extend.
 */
export function grantedExpires(resp: SipResponse, ours: SipUri, requested: number): number {
  const mine = resp.contacts.find((c) => sameContact(c.uri, ours));
  const param = mine?.params.expires;
  const granted = seconds(param ?? undefined) ?? seconds(getHeader(resp, 'Expires'));
  if (granted === undefined || granted <= 0) return requested;
  return granted;
}

/** The registration event a final response means. */
export function registerEvent(resp: SipResponse, ours: SipUri, requested: number): RegistrationEvent {
  const status = resp.status;
  if (status >= 200 && status < 300) return { type: 'ok', granted: grantedExpires(resp, ours, requested) };
  if (status === 401 || status === 407) {
    const challenge = pickChallenge(getHeaders(resp, challengeHeaders(status).challenge));
    if (challenge === undefined) return { type: 'reject', status };
    return { type: challenge.stale ? 'staleChallenge' : 'challenge' };
  }
  if (status === 403) return { type: 'forbidden' };
  if (status === 423) {
    const minExpires = seconds(getHeader(resp, 'Min-Expires'));
    if (minExpires !== undefined) return { type: 'tooBrief', minExpires };
  }
  const retryAfter = seconds(getHeader(resp, 'Retry-After'));
  return { type: 'reject', status, ...(retryAfter !== undefined ? { retryAfter } : {}) };
}
