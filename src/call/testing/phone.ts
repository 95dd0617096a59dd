/** Scripted fake phones for the call-layer test kit, each on its own TransactionLayer. */
import { silentLogger } from '../../platform/log.js';
import { DigestClient } from '../../sip/auth/index.js';
import { createResponse, newBranch, newCallId, newTag } from '../../sip/message/index.js';
import type { Endpoint, Header, NameAddr, SipRequest, SipResponse, SipUri } from '../../sip/message/types.js';
import { TransactionLayer } from '../../sip/transaction/index.js';
import type {
  ServerInviteTransaction,
  ServerTransaction,
  TransactionCore,
} from '../../sip/transaction/index.js';
import { MIRROR, sdp, type Direction } from './fakes.js';
import { DOMAIN, type Network } from './network.js';
import { Exchange, IncomingCall, OutgoingCall } from './exchange.js';
import type { PhoneDialog } from './phone-dialog.js';

export interface PhoneOptions {
  readonly user: string;
  /** The node's name in traces; default the user. */
  readonly name?: string;
  readonly address: string;
  readonly port?: number;
  /** Answers a 401 with digest credentials when set. */
  readonly password?: string;
}

const dialogKey = (callId: string, local: string, remote: string) => `${callId}|${local}|${remote}`;

/** A scripted phone: a TransactionLayer with a small core of its own, talking only to the PBX. */
export class Phone implements TransactionCore {
  readonly name: string;
  readonly endpoint: Endpoint;
  readonly layer: TransactionLayer;
  /** INVITEs received outside a dialog, newest last. */
  readonly incoming: IncomingCall[] = [];
  readonly mediaPort: number;
  readonly digest = new DigestClient();
  private readonly dialogs = new Map<string, PhoneDialog>();
  private static count = 0;

  constructor(
    readonly net: Network,
    readonly opts: PhoneOptions,
  ) {
    this.name = opts.name ?? opts.user;
    this.endpoint = { transport: 'UDP', address: opts.address, port: opts.port ?? 5060 };
    this.mediaPort = 6000 + 2 * Phone.count++;
    const sender = net.attach(this.name, this.endpoint, (msg, source) => this.layer.receive(msg, source));
    this.layer = new TransactionLayer({ sender, clock: net.clock, logger: silentLogger(), core: this });
  }

  get user(): string {
    return this.opts.user;
  }

  get contact(): NameAddr {
    return { uri: this.uri(this.endpoint.address, this.endpoint.port), params: {} };
  }

  /** Where Hotline reaches this phone: what the registrar would hand call control. */
  get callee(): { requestUri: SipUri; dest: Endpoint } {
    return { requestUri: this.contact.uri, dest: this.endpoint };
  }

  uri(host = DOMAIN, port?: number, user = this.user): SipUri {
    return { scheme: 'sip', user, host, ...(port ? { port } : {}), params: {}, headers: {} };
  }

  offer(direction: Direction = 'sendrecv', formats?: number[]): Buffer {
    return sdp(this.endpoint.address, this.mediaPort, direction, formats);
  }

  /** An SDP answer to `offer`: this phone's address, the direction mirrored (RFC 3264 §6.1). */
  answerTo(offer: Buffer): Buffer {
    const dir = /a=(sendrecv|sendonly|recvonly|inactive)/.exec(offer.toString())?.[1] as
      Direction | undefined;
    return this.offer(MIRROR[dir ?? 'sendrecv']);
  }

  via() {
    const { transport, address: host, port } = this.endpoint;
    return { transport, host, port, params: { branch: newBranch(), rport: null } };
  }

  /** An out-of-dialog request to the PBX; `to` is the user dialled. */
  request(method: string, o: RequestOverrides = {}): SipRequest {
    const to = o.to ?? this.user;
    return {
      kind: 'request',
      method,
      uri: o.uri ?? this.uri(DOMAIN, undefined, to),
      vias: [this.via()],
      from: { uri: this.uri(), params: { tag: o.fromTag ?? newTag() } },
      to: { uri: this.uri(DOMAIN, undefined, to), params: o.toTag ? { tag: o.toTag } : {} },
      callId: o.callId ?? newCallId(),
      cseq: { seq: o.cseq ?? 1, method },
      maxForwards: o.maxForwards ?? 70,
      contacts: method === 'INVITE' || method === 'REGISTER' ? [this.contact] : [],
      routes: [],
      recordRoutes: [],
      ...(o.body ? { contentType: 'application/sdp' } : {}),
      headers: o.headers ?? [],
      body: o.body ?? Buffer.alloc(0),
    };
  }

  /** Sends a request to the PBX in a client transaction. */
  send(req: SipRequest, onResponse?: (resp: SipResponse, ex: Exchange) => void): Exchange {
    return new Exchange(this, req, onResponse).start();
  }

  /** Calls `to` with this phone's offer (or `body`). */
  invite(to: string, o: RequestOverrides & { autoAck?: boolean } = {}): OutgoingCall {
    return new OutgoingCall(
      this,
      this.request('INVITE', { body: this.offer(), ...o, to }),
      o.autoAck ?? true,
    );
  }

  lastIncoming(): IncomingCall {
    const call = this.incoming.at(-1);
    if (!call) throw new Error(`${this.name} received no INVITE; saw:\n${this.net.trace()}`);
    return call;
  }

  // TransactionCore: what this phone's layer hands up.
  onRequest(req: SipRequest, txn: ServerTransaction): void {
    const toTag = req.to.params.tag;
    if (toTag) {
      const d = this.dialogs.get(dialogKey(req.callId, toTag, req.from.params.tag ?? ''));
      if (!d) return txn.respond(createResponse(req, 481));
      return d.receive(req, txn);
    }
    if (req.method === 'INVITE') {
      const call = new IncomingCall(this, req, txn as ServerInviteTransaction);
      this.incoming.push(call);
      return;
    }
    txn.respond(createResponse(req, req.method === 'OPTIONS' ? 200 : 405, undefined, { toTag: newTag() }));
  }

  onAck(ack: SipRequest): void {
    this.dialogs
      .get(dialogKey(ack.callId, ack.to.params.tag ?? '', ack.from.params.tag ?? ''))
      ?.acks.push(ack);
  }

  onCancel(cancel: SipRequest, txn: ServerTransaction, inviteTxn?: ServerInviteTransaction): void {
    const call = this.incoming.find((c) => c.txn === inviteTxn);
    if (!call || (call.status ?? 0) >= 200) return txn.respond(createResponse(cancel, 481));
    txn.respond(createResponse(cancel, 200));
    call.cancelled = true;
    call.respond(487);
  }

  onStrayResponse(): void {}

  addDialog(d: PhoneDialog): void {
    this.dialogs.set(dialogKey(d.callId, d.localTag, d.remoteTag), d);
  }
}

export interface RequestOverrides {
  readonly to?: string;
  readonly uri?: SipUri;
  readonly callId?: string;
  readonly fromTag?: string;
  readonly toTag?: string;
  readonly cseq?: number;
  readonly maxForwards?: number;
  readonly headers?: Header[];
  readonly body?: Buffer;
}
