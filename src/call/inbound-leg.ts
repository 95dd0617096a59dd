import type { Logger } from '../platform/log.js';
import { Dialog, type DialogId } from '../sip/dialog/index.js';
import { createResponse, newTag } from '../sip/message/index.js';
import type { Endpoint, Header, NameAddr, SipRequest, SipResponse } from '../sip/message/types.js';
import type {
  Ack2xxRetransmitter,
  ServerInviteTransaction,
  ServerTransaction,
} from '../sip/transaction/index.js';
import type { DialogUsage } from '../sip/ua/index.js';
import type { SipContext } from './context.js';
import {
  acceptInDialog,
  sendBye,
  sendInDialog,
  type RequestOptions,
  type FinalOutcome,
} from './in-dialog.js';
import { inboundTransition, type InboundEvent, type InboundState } from './leg-machines.js';

export type EndCause = 'local' | 'remote' | 'cancelled' | 'ack-timeout' | 'rejected';

export interface InboundLegEvents {
  /** The caller cancelled before we answered. */
  onCancel(): void;
  /** The leg ended after answer: BYE from the caller, or our own hangup, or no ACK. */
  onEnd(cause: EndCause): void;
  /** An in-dialog request other than BYE/ACK (re-INVITE, UPDATE, INFO): the owner answers `txn`. */
  onRequest(req: SipRequest, txn: ServerTransaction): void;
  /** The ACK of our 2xx (the first one only): it carries the SDP answer when the INVITE had no offer. */
  onAck?(ack: SipRequest): void;
}

const SDP = 'application/sdp';

/**
 * The caller's side of a call: we are the UAS of its INVITE (RFC 3261 §13.3). Sends
 * provisional and final responses, retransmits the 2xx until the ACK (§13.3.1.4), and
 * answers BYE. State changes only through `inboundTransition`.
 */
export class InboundLeg implements DialogUsage {
  private state: InboundState = 'offered';
  readonly localTag = newTag();
  private dialog: Dialog | undefined;
  private retransmitter: Ack2xxRetransmitter | undefined;
  readonly log: Logger;

  constructor(
    private readonly ctx: SipContext,
    readonly invite: SipRequest,
    private readonly txn: ServerInviteTransaction,
    private readonly events: InboundLegEvents,
  ) {
    this.log = ctx.logger.child({ callId: invite.callId, leg: 'in' });
    ctx.ua.onCancelOf(txn, { onCancel: () => this.cancelled() });
  }

  get localContact(): NameAddr | undefined {
    return this.dialog?.localContact;
  }

  /** The dialog's identity once it exists (for Replaces, RFC 3891). */
  get dialogId(): DialogId | undefined {
    const d = this.dialog;
    return d ? { callId: d.callId, localTag: d.localTag, remoteTag: d.remoteTag } : undefined;
  }

  get current(): InboundState {
    return this.state;
  }

  get source(): Endpoint {
    return this.txn.source;
  }

  private move(event: InboundEvent): void {
    this.state = inboundTransition(this.state, event);
  }

  private contact(): NameAddr {
    const local = this.ctx.localAddress(this.txn.source.transport);
    return {
      uri: {
        scheme: 'sip',
        user: this.invite.uri.user,
        host: local.host,
        port: local.port,
        params:
          this.txn.source.transport === 'UDP' ? {} : { transport: this.txn.source.transport.toLowerCase() },
        headers: {},
      },
      params: {},
    };
  }

  private ensureDialog(): Dialog {
    if (!this.dialog) {
      const local = this.ctx.localAddress(this.txn.source.transport);
      this.dialog = Dialog.asUas(this.invite, this.localTag, this.contact(), this.txn.source, {
        transport: this.txn.source.transport,
        host: local.host,
        port: local.port,
      });
      this.ctx.ua.addDialog(this.dialog.key, this);
    }
    return this.dialog;
  }

  private response(status: number, reason?: string, sdp?: Buffer, headers: Header[] = []): SipResponse {
    const withTag = status > 100;
    return createResponse(this.invite, status, reason, {
      ...(withTag ? { toTag: this.localTag } : {}),
      headers: [this.ctx.serverHeader, ...headers],
      ...(status < 300 && status > 100 ? { contacts: [this.contact()] } : {}),
      ...(sdp ? { body: sdp, contentType: SDP } : {}),
    });
  }

  /** 180 Ringing, or 183 Session Progress when early media SDP is given. */
  ring(earlySdp?: Buffer): void {
    if (this.state === 'ended') return;
    this.move('ring');
    this.ensureDialog();
    this.txn.respond(this.response(earlySdp ? 183 : 180, undefined, earlySdp));
  }

  answer(sdp: Buffer): void {
    this.move('answer');
    this.ensureDialog();
    const ok = this.response(200, 'OK', sdp);
    this.txn.respond(ok);
    this.ctx.ua.forgetCancelOf(this.txn);
    this.startRetransmit(ok);
  }

  reject(status: number, reason?: string, headers: Header[] = []): void {
    if (this.state === 'ended') return;
    this.move('reject');
    this.txn.respond(this.response(status, reason, undefined, headers));
    this.cleanup();
  }

  /** Ends an answered leg with BYE (a no-op if it has already ended). */
  hangup(): void {
    if (this.state === 'ended') return;
    if (this.state === 'offered' || this.state === 'early') {
      this.reject(480, 'Temporarily Unavailable');
      return;
    }
    this.move('hangup');
    this.sendBye();
    this.cleanup();
    this.events.onEnd('local');
  }

  /** Sends a request inside the dialog (re-INVITE, INFO, UPDATE) and reports the final outcome. */
  request(method: string, body: Buffer | undefined, onFinal: FinalOutcome, opts?: RequestOptions): void {
    if (!this.dialog || this.state === 'ended') return onFinal(481);
    sendInDialog(this.ctx, this.dialog, method, body, onFinal, opts);
  }

  private sendBye(): void {
    if (this.dialog) sendBye(this.ctx, this.dialog);
  }

  // §13.3.1.4: the UAS core retransmits the 2xx (T1 doubling to T2) until the ACK; without
  // an ACK after 64*T1 the session is ended with a BYE.
  private startRetransmit(ok: SipResponse): void {
    this.retransmitter = this.ctx.transactions.retransmit2xx(this.txn, ok, () => {
      if (this.state !== 'answered') return;
      this.log.info('no ACK for 2xx; ending the call');
      this.move('ackTimeout');
      this.sendBye();
      this.cleanup();
      this.events.onEnd('ack-timeout');
    });
  }

  private stopRetransmit(): void {
    this.retransmitter?.stop();
    this.retransmitter = undefined;
  }

  private cancelled(): void {
    if (this.state !== 'offered' && this.state !== 'early') return;
    this.move('cancel');
    this.txn.respond(this.response(487, 'Request Terminated'));
    this.cleanup();
    this.events.onCancel();
  }

  onAck(ack: SipRequest): void {
    if (this.state === 'answered') {
      this.move('ack');
      this.retransmitter?.ack();
      this.retransmitter = undefined;
      this.events.onAck?.(ack);
    }
  }

  onRetransmitted2xx(): void {
    // We never send INVITEs on this dialog's behalf that another transaction would not absorb.
  }

  onRequest(req: SipRequest, txn: ServerTransaction): void {
    const kind = acceptInDialog(this.ctx, this.dialog, req, txn);
    if (kind === 'bye') {
      if (this.state === 'answered' || this.state === 'confirmed') {
        this.move('bye');
        this.cleanup();
        this.events.onEnd('remote');
      } else {
        this.cancelled(); // §15.1.2: a BYE in the early dialog ends the pending INVITE with 487
      }
      return;
    }
    if (kind === 'other') this.events.onRequest(req, txn);
  }

  private cleanup(): void {
    this.ctx.ua.forgetCancelOf(this.txn);
    this.stopRetransmit();
    if (this.dialog) this.ctx.ua.removeDialog(this.dialog.key);
  }
}
