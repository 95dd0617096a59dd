/** A fake phone's side of a dialog for the call-layer test kit. */
import { createResponse } from '../../sip/message/index.js';
import type { NameAddr, SipRequest, SipUri } from '../../sip/message/types.js';
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

  build(method: string, seq: number, body?: Buffer): SipRequest {
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
      ...(body ? { contentType: 'application/sdp' } : {}),
      headers: [],
      body: body ?? Buffer.alloc(0),
    };
  }

  /** Sends `method` in the dialog; a 2xx to an INVITE is ACKed. */
  send(method: string, body?: Buffer, seq = ++this.localSeq): Exchange {
    const req = this.build(method, seq, body);
    return this.phone.send(req, (resp) => {
      if (method === 'INVITE' && resp.status >= 200 && resp.status < 300) this.sendAck(seq);
    });
  }

  bye(): Exchange {
    return this.send('BYE');
  }

  sendAck(seq: number): void {
    this.phone.layer.sendStateless(this.build('ACK', seq), PBX_ENDPOINT);
  }

  receive(req: SipRequest, txn: ServerTransaction): void {
    this.requests.push(req);
    const { status, body } = this.answer(req);
    const extras = body ? { body, contentType: 'application/sdp', contacts: [this.phone.contact] } : {};
    txn.respond(createResponse(req, status, undefined, extras));
  }
}
