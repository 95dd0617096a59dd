import type { Dialog } from '../sip/dialog/index.js';
import type { Endpoint, Header, SipRequest, SipResponse } from '../sip/message/types.js';
import { createResponse } from '../sip/message/index.js';
import type {
  ClientTransaction,
  ClientTransactionUser,
  ServerTransaction,
} from '../sip/transaction/index.js';
import type { SipContext } from './context.js';

/** What an in-dialog request carries beyond its body (SDP unless said otherwise). */
export interface RequestOptions {
  readonly contentType?: string;
  readonly headers?: readonly Header[];
}

/** The final outcome of an in-dialog request: the status, and the response when one arrived. */
export type FinalOutcome = (status: number, resp?: SipResponse) => void;

/**
 * Sends a request inside a dialog and reports its final outcome: 408 on timeout and 503 on a
 * transport failure (§8.1.3.1), as if the far end had answered so. A 2xx to a re-INVITE is
 * ACKed here (§13.2.2.4).
 */
export function sendInDialog(
  ctx: SipContext,
  dialog: Dialog,
  method: string,
  body: Buffer | undefined,
  onFinal: FinalOutcome,
  opts: RequestOptions = {},
): void {
  const req = dialog.createRequest(method, {
    ...(body && body.length > 0 ? { body, contentType: opts.contentType ?? 'application/sdp' } : {}),
    ...(opts.headers ? { headers: [...opts.headers] } : {}),
  });
  trySend(ctx, req, dialog.remoteEndpoint, onFinal, {
    onResponse: (resp) => {
      if (resp.status < 200) return;
      if (method === 'INVITE' && resp.status < 300) {
        dialog.refreshTarget(resp);
        ctx.sender.send(dialog.createRequest('ACK', { cseq: req.cseq.seq }), dialog.remoteEndpoint);
      }
      onFinal(resp.status, resp);
    },
    onTimeout: () => onFinal(408),
    onTransportError: () => onFinal(503),
  });
}

/**
 * Starts a client transaction; if the layer refuses (closed during shutdown, or a bad
 * request), the outcome is a synthesized 503 instead of an exception in a timer callback.
 */
export function trySend(
  ctx: SipContext,
  req: SipRequest,
  dest: Endpoint,
  onFinal: FinalOutcome,
  user: ClientTransactionUser,
): ClientTransaction | undefined {
  try {
    return ctx.transactions.sendRequest(req, dest, user);
  } catch (err) {
    ctx.logger.warn({ err, callId: req.callId, method: req.method }, 'request not sent');
    queueMicrotask(() => onFinal(503));
    return undefined;
  }
}

/** Sends a BYE; its outcome changes nothing, the leg is over either way (§15.1.1). */
export function sendBye(ctx: SipContext, dialog: Dialog): void {
  sendInDialog(ctx, dialog, 'BYE', undefined, (status) => {
    if (status >= 300) ctx.logger.debug({ callId: dialog.callId, status }, 'BYE not accepted');
  });
}

/**
 * What every leg does first with a request inside its dialog (RFC 3261 §12.2.2): refuse one
 * out of CSeq order with 500, answer a BYE with 200, follow a target refresh. Returns what is
 * left to the leg: ending on 'bye', handing 'other' requests to its owner, nothing if 'refused'.
 */
export function acceptInDialog(
  ctx: SipContext,
  dialog: Dialog | undefined,
  req: SipRequest,
  txn: ServerTransaction,
): 'bye' | 'other' | 'refused' {
  if (!dialog || !dialog.acceptRemoteSeq(req)) {
    txn.respond(createResponse(req, 500, 'Out of order CSeq', { headers: [ctx.serverHeader] }));
    return 'refused';
  }
  if (req.method === 'BYE') {
    txn.respond(createResponse(req, 200, 'OK', { headers: [ctx.serverHeader] }));
    return 'bye';
  }
  if (req.method === 'INVITE' || req.method === 'UPDATE') dialog.refreshTarget(req);
  return 'other';
}
