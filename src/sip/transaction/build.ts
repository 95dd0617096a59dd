/**
 * The messages the transaction layer builds itself: the ACK for a non-2xx final response
 * (§17.1.1.3), the CANCEL (§9.1) and the automatic 100 Trying (§17.2.1, §8.2.6.1).
 */
import type { Header, SipRequest, SipResponse } from '../message/types.js';

const EMPTY_BODY = Buffer.alloc(0);
const MAX_FORWARDS = 70;

/**
 * RFC 3261 §17.1.1.3: same Request-URI, Call-ID, From and CSeq number as the INVITE, the
 * To of the response (it carries the UAS tag), one Via equal to the INVITE's top Via (so
 * the ACK has the INVITE's branch), and the INVITE's Route set.
 */
export function buildAckForFailure(invite: SipRequest, response: SipResponse): SipRequest {
  return {
    kind: 'request',
    method: 'ACK',
    uri: invite.uri,
    vias: invite.vias.slice(0, 1),
    from: invite.from,
    to: response.to,
    callId: invite.callId,
    cseq: { seq: invite.cseq.seq, method: 'ACK' },
    maxForwards: MAX_FORWARDS,
    contacts: [],
    routes: invite.routes,
    recordRoutes: [],
    headers: [],
    body: EMPTY_BODY,
  };
}

/**
 * RFC 3261 §9.1: same Request-URI, Call-ID, To, From and CSeq number as the request
 * cancelled, one Via equal to its top Via (same branch, so §9.2 matching works hop by
 * hop), and its Route set. `headers` carries e.g. a Reason (RFC 3326) such as
 * `SIP;cause=200;text="Call completed elsewhere"` for ring-all queues.
 */
export function buildCancel(request: SipRequest, headers: readonly Header[] = []): SipRequest {
  return {
    kind: 'request',
    method: 'CANCEL',
    uri: request.uri,
    vias: request.vias.slice(0, 1),
    from: request.from,
    to: request.to,
    callId: request.callId,
    cseq: { seq: request.cseq.seq, method: 'CANCEL' },
    maxForwards: MAX_FORWARDS,
    contacts: [],
    routes: request.routes,
    recordRoutes: [],
    headers,
    body: EMPTY_BODY,
  };
}

/**
 * The 100 Trying a server INVITE transaction sends on its own (§17.2.1). §8.2.6: Via,
 * From, To, Call-ID and CSeq are copied; a 100 need not carry a To tag; a Timestamp is
 * echoed (§8.2.6.1).
 */
export function buildTrying(request: SipRequest): SipResponse {
  const timestamp = request.headers.find(isTimestamp);
  return {
    kind: 'response',
    status: 100,
    reason: 'Trying',
    vias: request.vias,
    from: request.from,
    to: request.to,
    callId: request.callId,
    cseq: request.cseq,
    contacts: [],
    routes: [],
    recordRoutes: [],
    headers: timestamp === undefined ? [] : [timestamp],
    body: EMPTY_BODY,
  };
}

function isTimestamp(header: Header): boolean {
  return header.name.toLowerCase() === 'timestamp';
}
