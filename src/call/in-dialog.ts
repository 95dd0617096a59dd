import type { Dialog } from '../sip/dialog/index.js';
import type { Endpoint, SipRequest, SipResponse } from '../sip/message/types.js';
import type { ClientTransaction, ClientTransactionUser } from '../sip/transaction/index.js';
import type { SipContext } from './context.js';

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
): void {
  const req = dialog.createRequest(
    method,
    body && body.length > 0 ? { body, contentType: 'application/sdp' } : {},
  );
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
