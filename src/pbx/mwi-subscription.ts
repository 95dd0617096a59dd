/**
 * One message-summary subscription (RFC 6665 notifier side): the dialog a SUBSCRIBE made,
 * how long it runs, and the NOTIFYs sent in it.
 *
 *   SUBSCRIBE ─► active ──refresh SUBSCRIBE──► active
 *                  │  └──Expires: 0 / timer──► terminated (last NOTIFY) ─► gone
 *                  └──NOTIFY refused (481, 408, …)──────────────────────► gone
 */
import { sendInDialog, type SipContext } from '../call/index.js';
import type { TimerHandle } from '../platform/clock.js';
import type { Dialog } from '../sip/dialog/index.js';
import { createResponse } from '../sip/message/index.js';
import type { SipRequest } from '../sip/message/types.js';
import type { ServerTransaction } from '../sip/transaction/index.js';
import type { DialogUsage } from '../sip/ua/index.js';
import { eventHeaderValue, MWI_CONTENT_TYPE } from './mwi-body.js';

/** What a subscription asks of the service that owns it. */
export interface SubscriptionOwner {
  readonly ctx: SipContext;
  /** A SUBSCRIBE inside the dialog (refresh or unsubscribe): the owner answers `txn`. */
  refreshed(sub: MwiSubscription, req: SipRequest, txn: ServerTransaction): void;
  /** The subscription ran out: the owner sends the last NOTIFY. */
  expired(sub: MwiSubscription): void;
  /** The subscription is over and its dialog gone. */
  removed(sub: MwiSubscription): void;
}

export type TerminationReason = 'timeout' | 'noresource' | 'deactivated';

export class MwiSubscription implements DialogUsage {
  private timer: TimerHandle | undefined;
  private expiresAt = 0;
  private closed = false;

  constructor(
    private readonly owner: SubscriptionOwner,
    readonly dialog: Dialog,
    readonly mailbox: string,
    /** The Event header's id parameter, echoed in every NOTIFY. */
    readonly eventId: string | undefined,
  ) {}

  get isClosed(): boolean {
    return this.closed;
  }

  /** Seconds left, rounded up (what `Subscription-State: active;expires=` says). */
  get remainingSeconds(): number {
    return Math.max(0, Math.ceil((this.expiresAt - this.owner.ctx.clock.now()) / 1000));
  }

  /** Runs the subscription `seconds` from now (a refresh restarts the count). */
  extend(seconds: number): void {
    this.timer?.cancel();
    this.expiresAt = this.owner.ctx.clock.now() + seconds * 1000;
    this.timer = this.owner.ctx.clock.setTimer(seconds * 1000, () => {
      this.timer = undefined;
      if (!this.closed) this.owner.expired(this);
    });
  }

  /** Sends the state while the subscription lasts. */
  notify(body: string): void {
    this.send(body, `active;expires=${this.remainingSeconds}`);
  }

  /** Sends the last NOTIFY (RFC 6665 §4.2.2) and ends the subscription. */
  terminate(body: string, reason: TerminationReason): void {
    if (this.closed) return;
    this.send(body, `terminated;reason=${reason}`);
    this.close();
  }

  /** Ends the subscription without a word (its NOTIFY was refused, or Hotline stops). */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.timer?.cancel();
    this.owner.ctx.ua.removeDialog(this.dialog.key);
    this.owner.removed(this);
  }

  private send(body: string, state: string): void {
    const { ctx } = this.owner;
    sendInDialog(
      ctx,
      this.dialog,
      'NOTIFY',
      Buffer.from(body),
      (status) => {
        // RFC 6665 §4.2.2: a NOTIFY refused (481 above all) or unanswered ends the subscription.
        if (status >= 300 && !this.closed) {
          ctx.logger.info({ mailbox: this.mailbox, status }, 'MWI subscription ended by a refused NOTIFY');
          this.close();
        }
      },
      {
        contentType: MWI_CONTENT_TYPE,
        headers: [
          { name: 'Event', value: eventHeaderValue(this.eventId) },
          { name: 'Subscription-State', value: state },
          { name: 'User-Agent', value: ctx.serverHeader.value },
        ],
      },
    );
  }

  // --- DialogUsage: requests inside the subscription's dialog ---------------------------

  onRequest(req: SipRequest, txn: ServerTransaction): void {
    const { ctx } = this.owner;
    const reply = (status: number, reason?: string) =>
      txn.respond(createResponse(req, status, reason, { headers: [ctx.serverHeader] }));
    // RFC 3261 §12.2.2: a request older than the last one is out of order.
    if (!this.dialog.acceptRemoteSeq(req)) return reply(500, 'Out of order CSeq');
    if (req.method !== 'SUBSCRIBE') {
      return txn.respond(
        createResponse(req, 405, 'Method Not Allowed', {
          headers: [ctx.serverHeader, { name: 'Allow', value: 'SUBSCRIBE' }],
        }),
      );
    }
    // RFC 6665 §4.1.2.1: SUBSCRIBE is a target refresh request.
    this.dialog.refreshTarget(req);
    this.owner.refreshed(this, req, txn);
  }

  onAck(): void {}

  onRetransmitted2xx(): void {}
}
