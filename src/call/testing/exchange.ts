/** What a fake phone sends and receives: one request's exchange, and the calls it places and gets. */
import { createResponse, formatUri, getHeaders, newTag } from '../../sip/message/index.js';
import type { ResponseExtras } from '../../sip/message/index.js';
import type { SipRequest, SipResponse } from '../../sip/message/types.js';
import type {
  ClientTransaction,
  ClientTransactionUser,
  ServerInviteTransaction,
} from '../../sip/transaction/index.js';
import { PBX_ENDPOINT } from './network.js';
import type { Phone } from './phone.js';
import { PhoneDialog } from './phone-dialog.js';

/** One request this phone sent and the responses it got; answers one 401 when the phone has a password. */
export class Exchange implements ClientTransactionUser {
  readonly responses: SipResponse[] = [];
  timedOut = false;
  txn: ClientTransaction | undefined;
  private authorized = false;

  constructor(
    private readonly phone: Phone,
    public request: SipRequest,
    private readonly then?: (resp: SipResponse, ex: Exchange) => void,
  ) {}

  start(): this {
    this.txn = this.phone.layer.sendRequest(this.request, PBX_ENDPOINT, this);
    return this;
  }

  get statuses(): number[] {
    return this.responses.map((r) => r.status);
  }

  /** The last final response. */
  get final(): SipResponse | undefined {
    return this.responses.filter((r) => r.status >= 200).at(-1);
  }

  onResponse(resp: SipResponse): void {
    this.responses.push(resp);
    const password = this.phone.opts.password;
    if (resp.status === 401 && password !== undefined && !this.authorized) {
      this.authorized = true;
      const { request: req } = this;
      const value = this.phone.digest.authorize({
        challengeHeader: getHeaders(resp, 'WWW-Authenticate'),
        method: req.method,
        uri: formatUri(req.uri),
        username: this.phone.user,
        password,
      });
      this.request = {
        ...req,
        vias: [this.phone.via()],
        cseq: { seq: req.cseq.seq + 1, method: req.method },
        headers: [...req.headers, { name: 'Authorization', value }],
      };
      this.start();
      return;
    }
    this.then?.(resp, this);
  }
  onTimeout(): void {
    this.timedOut = true;
  }
  onTransportError(): void {
    this.timedOut = true;
  }
}

/** A call this phone places: ACKs every 2xx (unless told not to) and keeps the dialog. */
export class OutgoingCall {
  readonly exchange: Exchange;
  dialog: PhoneDialog | undefined;
  private ok: SipResponse | undefined;

  constructor(
    private readonly phone: Phone,
    invite: SipRequest,
    public autoAck: boolean,
  ) {
    this.exchange = phone.send(invite, (resp) => this.onResponse(resp));
  }

  get statuses(): number[] {
    return this.exchange.statuses;
  }

  private onResponse(resp: SipResponse): void {
    if (resp.status < 200 || resp.status >= 300) return;
    this.ok = resp;
    if (!this.dialog) {
      const req = this.exchange.request;
      this.dialog = new PhoneDialog(
        this.phone,
        req.callId,
        req.from,
        resp.to,
        resp.contacts[0]?.uri ?? req.uri,
        req.cseq.seq,
      );
      this.phone.addDialog(this.dialog);
    }
    if (this.autoAck) this.ack();
  }

  /** ACKs the 2xx (§13.2.2.4: same CSeq number as the INVITE). */
  ack(body?: Buffer): void {
    if (!this.ok || !this.dialog) throw new Error('no 2xx to ACK');
    this.dialog.sendAck(this.exchange.request.cseq.seq, body);
  }

  cancel(): void {
    if (this.exchange.txn) this.phone.layer.cancel(this.exchange.txn);
  }
}

/** An INVITE this phone received: the test decides how it is answered. */
export class IncomingCall {
  readonly toTag = newTag();
  status: number | undefined;
  cancelled = false;
  dialog: PhoneDialog | undefined;

  constructor(
    private readonly phone: Phone,
    readonly invite: SipRequest,
    readonly txn: ServerInviteTransaction,
  ) {}

  respond(status: number, extras: ResponseExtras = {}): void {
    this.status = status;
    const contacts = status < 300 ? [this.phone.contact] : [];
    this.txn.respond(
      createResponse(this.invite, status, undefined, { toTag: this.toTag, contacts, ...extras }),
    );
  }

  ring(status = 180, early?: Buffer): void {
    this.respond(status, early ? { body: early, contentType: 'application/sdp' } : {});
  }

  /** A 200 with `body` (default: an answer to the offer); `null` sends no SDP at all. */
  answer(body: Buffer | null = this.phone.answerTo(this.invite.body)): void {
    const inv = this.invite;
    this.dialog = new PhoneDialog(
      this.phone,
      inv.callId,
      { ...inv.to, params: { ...inv.to.params, tag: this.toTag } },
      inv.from,
      inv.contacts[0]?.uri ?? inv.from.uri,
      0,
    );
    this.phone.addDialog(this.dialog);
    this.respond(200, body ? { body, contentType: 'application/sdp' } : {});
  }
}
