/** A fake phone's side of a dialog for the call-layer test kit. */
import { createResponse } from '../../sip/message/index.js';
import type { Header, NameAddr, SipRequest, SipUri } from '../../sip/message/types.js';
import type { ServerTransaction } from '../../sip/transaction/index.js';
import type { Exchange } from './exchange.js';
import { PBX_ENDPOINT } from './network.js';
import type { Phone } from './phone.js';

/** A phone's side of a dialog, built by hand (not with the Dialog under test). */
export class PhoneDialog {
  /** In-dialog requests received (not ACKs). */
  readonly requests: SipRequest[] = [];
  readonly acks: SipRequest[] = [];
  /** How this phone answers in-dialog requests: 200, with an SDP answer to an INVITE offer. */
  answer: (req: SipRequest) => { status: number; body?: Buffer } = (req) =>
    req.method === 'INVITE' && req.body.length > 0
      ? { status: 200, body: this.phone.answerTo(req.body) }
      : { status: 200 };

  constructor(
    private readonly phone: Phone,
    readonly callId: string,
    readonly localUri: NameAddr,
    readonly remoteUri: NameAddr,
    readonly remoteTarget: SipUri,
    public localSeq: number,
  ) {}

  get localTag(): string {
    return this.localUri.params.tag ?? '';
  }
  get remoteTag(): string {
    return this.remoteUri.params.tag ?? '';
  }

  build(method: string, seq: number, body?: Buffer, extras: RequestExtras = {}): SipRequest {
    return {
      kind: 'request',
      method,
      uri: this.remoteTarget,
      vias: [this.phone.via()],
      from: this.localUri,
      to: this.remoteUri,
      callId: this.callId,
      cseq: { seq, method },
      maxForwards: 70,
      contacts: method === 'INVITE' ? [this.phone.contact] : [],
      routes: [],
      recordRoutes: [],
      ...(body ? { contentType: extras.contentType ?? 'application/sdp' } : {}),
      headers: extras.headers ?? [],
      body: body ?? Buffer.alloc(0),
    };
  }

  /** Sends `method` in the dialog; a 2xx to an INVITE is ACKed. */
  send(method: string, body?: Buffer, seq = ++this.localSeq, extras: RequestExtras = {}): Exchange {
    const req = this.build(method, seq, body, extras);
    return this.phone.send(req, (resp) => {
      if (method === 'INVITE' && resp.status >= 200 && resp.status < 300) this.sendAck(seq);
    });
  }

  bye(): Exchange {
    return this.send('BYE');
  }

  /** A REFER (RFC 3515) with this Refer-To value and any other headers. */
  refer(referTo: string, headers: Header[] = []): Exchange {
    return this.send('REFER', undefined, ++this.localSeq, {
      headers: [{ name: 'Refer-To', value: referTo }, ...headers],
    });
  }

  /** A key press sent as SIP INFO with application/dtmf-relay. */
  info(digit: string): Exchange {
    const body = Buffer.from(`Signal=${digit}\r\nDuration=160\r\n`);
    return this.send('INFO', body, ++this.localSeq, { contentType: 'application/dtmf-relay' });
  }

  /** ACKs a 2xx; `body` is the SDP answer when the INVITE carried no offer. */
  sendAck(seq: number, body?: Buffer): void {
    this.phone.layer.sendStateless(this.build('ACK', seq, body), PBX_ENDPOINT);
  }

  receive(req: SipRequest, txn: ServerTransaction): void {
    this.requests.push(req);
    const { status, body } = this.answer(req);
    const extras = body ? { body, contentType: 'application/sdp', contacts: [this.phone.contact] } : {};
    txn.respond(createResponse(req, status, undefined, extras));
  }
}

/** What a request carries besides an SDP body. */
export interface RequestExtras {
  readonly contentType?: string;
  readonly headers?: Header[];
}
