import type { Logger } from '../platform/log.js';
import { Dialog, type DialogId } from '../sip/dialog/index.js';
import { DigestClient } from '../sip/auth/index.js';
import { formatUri, getHeaders, newBranch, newCallId, newTag } from '../sip/message/index.js';
import type { Endpoint, Header, NameAddr, SipRequest, SipResponse, SipUri } from '../sip/message/types.js';
import type { ClientTransaction, ServerTransaction } from '../sip/transaction/index.js';
import type { DialogUsage } from '../sip/ua/index.js';
import type { SipContext } from './context.js';
import {
  acceptInDialog,
  sendBye,
  sendInDialog,
  type RequestOptions,
  trySend,
  type FinalOutcome,
} from './in-dialog.js';
import { outboundTransition, type OutboundEvent, type OutboundState } from './leg-machines.js';
import type { EndCause } from './inbound-leg.js';

export interface OutboundTarget {
  readonly requestUri: SipUri;
  /** Where to send: for a registered phone, the flow its REGISTER came from. */
  readonly dest: Endpoint;
  readonly from: NameAddr;
  readonly to: NameAddr;
  readonly sdp: Buffer;
  readonly headers?: readonly Header[];
  /** Answers a 401/407 to the INVITE with digest credentials (a trunk's account). */
  readonly credentials?: SipCredentials;
}

/** A digest user name and password Hotline answers challenges with. */
export interface SipCredentials {
  readonly username: string;
  readonly password: string;
}

/** A challenged INVITE is sent again with credentials at most this often (a stale nonce, then a real refusal). */
const MAX_AUTH_RETRIES = 2;

export interface OutboundLegEvents {
  onProgress(status: number, sdp: Buffer | undefined): void;
  onAnswer(sdp: Buffer | undefined): void;
  /** A final failure before answer (3xx–6xx, or 408/503 synthesized on timeout / transport error). */
  onFailure(status: number, reason: string): void;
  onEnd(cause: EndCause): void;
  onRequest(req: SipRequest, txn: ServerTransaction): void;
}

/**
 * The callee's side of a call: we are the UAC of an INVITE we originate (RFC 3261 §13.2).
 * State changes only through `outboundTransition`.
 */
export class OutboundLeg implements DialogUsage {
  private state: OutboundState = 'calling';
  /** The INVITE as last sent: a challenge makes a new one (new CSeq and branch, same dialog ids). */
  private invite: SipRequest;
  private authRetries = 0;
  private digest: DigestClient | undefined;
  private txn: ClientTransaction | undefined;
  private dialog: Dialog | undefined;
  private ack: SipRequest | undefined;
  readonly log: Logger;

  constructor(
    private readonly ctx: SipContext,
    target: OutboundTarget,
    private readonly events: OutboundLegEvents,
  ) {
    const local = ctx.localAddress(target.dest.transport);
    const contact: NameAddr = {
      uri: {
        scheme: 'sip',
        user: target.from.uri.user,
        host: local.host,
        port: local.port,
        params: transportParam(target.dest),
        headers: {},
      },
      params: {},
    };
    this.invite = {
      kind: 'request',
      method: 'INVITE',
      uri: target.requestUri,
      vias: [
        {
          transport: target.dest.transport,
          host: local.host,
          port: local.port,
          params: { branch: newBranch(), rport: null },
        },
      ],
      from: { ...target.from, params: { ...target.from.params, tag: newTag() } },
      to: target.to,
      callId: newCallId(),
      cseq: { seq: 1, method: 'INVITE' },
      maxForwards: 70,
      contacts: [contact],
      routes: [],
      recordRoutes: [],
      contentType: 'application/sdp',
      headers: [{ name: 'User-Agent', value: ctx.serverHeader.value }, ...(target.headers ?? [])],
      body: target.sdp,
    };
    this.log = ctx.logger.child({ callId: this.invite.callId, leg: 'out' });
    this.dest = target.dest;
    this.credentials = target.credentials;
  }

  private readonly dest: Endpoint;
  private readonly credentials: SipCredentials | undefined;

  get callId(): string {
    return this.invite.callId;
  }

  get localContact(): NameAddr | undefined {
    return this.dialog?.localContact;
  }

  /** The dialog's identity once it exists (for Replaces, RFC 3891). */
  get dialogId(): DialogId | undefined {
    const d = this.dialog;
    return d ? { callId: d.callId, localTag: d.localTag, remoteTag: d.remoteTag } : undefined;
  }

  get current(): OutboundState {
    return this.state;
  }

  private move(event: OutboundEvent): void {
    this.state = outboundTransition(this.state, event);
  }

  start(): void {
    this.send();
  }

  private send(): void {
    const onFinal = (status: number) => this.failed(status, 'Service Unavailable');
    this.txn = trySend(this.ctx, this.invite, this.dest, onFinal, {
      onResponse: (resp) => this.onResponse(resp),
      onTimeout: () => this.failed(408, 'Request Timeout'),
      onTransportError: () => this.failed(503, 'Service Unavailable'),
    });
  }

  private onResponse(resp: SipResponse): void {
    if (this.state === 'ended') {
      // A 2xx after we gave up (e.g. it crossed our CANCEL): accept it, then end it (§15).
      if (resp.status >= 200 && resp.status < 300) this.acceptLate2xx(resp);
      return;
    }
    const sdp = resp.body.length > 0 ? resp.body : undefined;
    if (resp.status < 200) {
      if (resp.status === 100) return;
      this.move('provisional');
      if (this.state === 'proceeding') this.events.onProgress(resp.status, sdp);
      return;
    }
    if (resp.status < 300) return this.answered(resp, sdp);
    if ((resp.status === 401 || resp.status === 407) && this.authenticate(resp)) return;
    this.failed(resp.status, resp.reason);
  }

  /**
   * Sends the INVITE again with credentials answering a 401/407 (RFC 3261 §22.2): same
   * Call-ID, From tag and To, CSeq one higher, a new branch. False when there is nothing to
   * answer with, the challenge cannot be answered, or we already answered enough of them.
   */
  private authenticate(resp: SipResponse): boolean {
    const creds = this.credentials;
    if (!creds || this.authRetries >= MAX_AUTH_RETRIES) return false;
    if (this.state !== 'calling' && this.state !== 'proceeding') return false;
    const proxy = resp.status === 407;
    const challenges = getHeaders(resp, proxy ? 'Proxy-Authenticate' : 'WWW-Authenticate');
    const name = proxy ? 'Proxy-Authorization' : 'Authorization';
    let value: string;
    try {
      this.digest ??= new DigestClient();
      value = this.digest.authorize({
        challengeHeader: challenges,
        method: 'INVITE',
        uri: formatUri(this.invite.uri),
        username: creds.username,
        password: creds.password,
        body: this.invite.body,
      });
    } catch (err) {
      this.log.warn({ err, status: resp.status }, 'challenge to our INVITE cannot be answered');
      return false;
    }
    this.authRetries++;
    const prev = this.invite;
    this.invite = {
      ...prev,
      vias: prev.vias.map((v, i) => (i === 0 ? { ...v, params: { ...v.params, branch: newBranch() } } : v)),
      cseq: { seq: prev.cseq.seq + 1, method: 'INVITE' },
      headers: [...prev.headers.filter((h) => h.name.toLowerCase() !== name.toLowerCase()), { name, value }],
    };
    this.log.debug({ status: resp.status }, 'INVITE challenged; sending it again with credentials');
    this.send();
    return true;
  }

  private answered(resp: SipResponse, sdp: Buffer | undefined): void {
    const wasCancelling = this.state === 'cancelling';
    if (this.state === 'confirmed') {
      // A retransmitted 2xx (RFC 6026 Accepted state): the ACK was lost.
      if (this.ack && this.dialog) this.ctx.sender.send(this.ack, this.dialog.remoteEndpoint);
      return;
    }
    this.move('answered');
    this.confirm(resp);
    if (wasCancelling) {
      this.hangup();
      return;
    }
    this.events.onAnswer(sdp);
  }

  private confirm(resp: SipResponse): void {
    const local = this.ctx.localAddress(this.dest.transport);
    const dialog = Dialog.asUac(this.invite, resp, this.dest, {
      transport: this.dest.transport,
      host: local.host,
      port: local.port,
    });
    this.dialog = dialog;
    this.ctx.ua.addDialog(dialog.key, this);
    this.ack = dialog.createRequest('ACK', { cseq: this.invite.cseq.seq });
    this.ctx.sender.send(this.ack, dialog.remoteEndpoint);
  }

  private acceptLate2xx(resp: SipResponse): void {
    const local = this.ctx.localAddress(this.dest.transport);
    const dialog = Dialog.asUac(this.invite, resp, this.dest, {
      transport: this.dest.transport,
      host: local.host,
      port: local.port,
    });
    this.ctx.sender.send(dialog.createRequest('ACK', { cseq: this.invite.cseq.seq }), dialog.remoteEndpoint);
    sendBye(this.ctx, dialog);
  }

  private failed(status: number, reason: string): void {
    if (this.state === 'ended' || this.state === 'confirmed') return;
    this.move('fail');
    this.events.onFailure(status, reason);
  }

  /** Stops ringing (CANCEL, §9.1) or ends an answered leg (BYE). Idempotent. */
  hangup(): void {
    if (this.state === 'ended' || this.state === 'cancelling') return;
    if (this.state === 'confirmed') {
      this.move('hangup');
      if (this.dialog) {
        sendBye(this.ctx, this.dialog);
        this.ctx.ua.removeDialog(this.dialog.key);
      }
      this.events.onEnd('local');
      return;
    }
    this.move('cancel');
    if (this.txn?.kind === 'client-invite') this.ctx.transactions.cancel(this.txn);
  }

  request(method: string, body: Buffer | undefined, onFinal: FinalOutcome, opts?: RequestOptions): void {
    if (!this.dialog || this.state !== 'confirmed') return onFinal(481);
    sendInDialog(this.ctx, this.dialog, method, body, onFinal, opts);
  }

  onAck(): void {
    // ACKs reach us only for 2xx we sent to a re-INVITE; nothing to retransmit for those here.
  }

  onRetransmitted2xx(): void {
    if (this.ack && this.dialog) this.ctx.sender.send(this.ack, this.dialog.remoteEndpoint);
  }

  onRequest(req: SipRequest, txn: ServerTransaction): void {
    const kind = acceptInDialog(this.ctx, this.dialog, req, txn);
    if (kind === 'bye') {
      if (this.state === 'confirmed' && this.dialog) {
        this.move('bye');
        this.ctx.ua.removeDialog(this.dialog.key);
        this.events.onEnd('remote');
      }
      return;
    }
    if (kind === 'other') this.events.onRequest(req, txn);
  }
}

function transportParam(dest: Endpoint): Record<string, string> {
  return dest.transport === 'UDP' ? {} : { transport: dest.transport.toLowerCase() };
}
