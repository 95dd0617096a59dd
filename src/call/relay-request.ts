import type { Logger } from '../platform/log.js';
import { createResponse } from '../sip/message/index.js';
import type { Header, NameAddr, SipRequest } from '../sip/message/types.js';
import type { ServerTransaction } from '../sip/transaction/index.js';
import type { SipContext } from './context.js';
import type { FinalOutcome } from './in-dialog.js';
import { readSdp, type MediaAnchor } from './media-anchor.js';

/** One side of a bridged call as the relay of in-dialog requests sees it. */
export interface Peer {
  readonly leg: {
    request(method: string, body: Buffer | undefined, onFinal: FinalOutcome): void;
    readonly localContact: NameAddr | undefined;
  };
  readonly anchor: MediaAnchor;
}

/** Requests a B2BUA carries from one side to the other (hold is a re-INVITE; DTMF may be INFO). */
const RELAYED = new Set(['INVITE', 'UPDATE', 'INFO', 'MESSAGE', 'NOTIFY']);
const pendingOffer = new WeakSet<object>();

/**
 * Carries an in-dialog request across the bridge: the SDP is re-anchored on each side so
 * audio keeps flowing through our relay (a phone's own hold with sendonly/inactive passes
 * through untouched), and the far side's final answer comes back the same way.
 */
export function relayInDialog(
  ctx: SipContext,
  from: Peer | undefined,
  to: Peer | undefined,
  req: SipRequest,
  txn: ServerTransaction,
  log: Logger,
): void {
  const reply = (status: number, reason?: string, body?: Buffer, extra: Header[] = []) =>
    txn.respond(
      createResponse(req, status, reason, {
        headers: [ctx.serverHeader, ...extra],
        ...(status < 300 && from?.leg.localContact ? { contacts: [from.leg.localContact] } : {}),
        ...(body && body.length > 0 ? { body, contentType: 'application/sdp' } : {}),
      }),
    );
  if (req.method === 'OPTIONS') return reply(200);
  if (!RELAYED.has(req.method)) return reply(405, 'Method Not Allowed');
  if (!from || !to) return reply(491, 'Request Pending'); // the call is not yet up on both sides
  const isOffer = req.method === 'INVITE' || req.method === 'UPDATE';
  // RFC 3261 §14.2 glare: an offer of ours is still in progress on either dialog.
  // RFC 3261 §14.2: an offer crossing one of ours toward the same phone is glare (491); a
  // second offer from a phone whose first is still being carried gets 500 with Retry-After.
  if (isOffer && pendingOffer.has(from.leg)) return reply(491, 'Request Pending');
  if (isOffer && pendingOffer.has(to.leg)) {
    return reply(500, 'Previous Offer Pending', undefined, [
      { name: 'Retry-After', value: String(Math.floor(Math.random() * 10)) },
    ]);
  }
  const offer = isOffer && req.body.length > 0 ? readSdp(req.body) : undefined;
  if (offer && !offer.ok) return reply(488, 'Not Acceptable Here');
  const body = offer?.ok ? to.anchor.present(offer.sdp) : req.body.length > 0 ? req.body : undefined;

  if (isOffer) pendingOffer.add(to.leg);
  void (offer?.ok ? from.anchor.follow(offer.sdp) : Promise.resolve()).then(() =>
    to.leg.request(req.method, body, (status, resp) => {
      pendingOffer.delete(to.leg);
      if (!resp || status >= 300 || !isOffer || resp.body.length === 0) return reply(status, resp?.reason);
      const answer = readSdp(resp.body);
      if (!answer.ok) {
        log.warn({ reason: answer.reason }, 'unusable SDP answer to a re-INVITE');
        return reply(status, resp.reason);
      }
      void to.anchor
        .follow(answer.sdp)
        .then(() => reply(status, resp.reason, from.anchor.present(answer.sdp)));
    }),
  );
}
