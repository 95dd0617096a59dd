import type { Endpoint, Header, NameAddr, SipRequest, SipResponse, SipUri } from '../message/types.js';
import { newBranch } from '../message/index.js';

/**
 * A dialog (RFC 3261 §12): the peer-to-peer relationship one INVITE establishes, holding what
 * every later request in it needs — tags, CSeq counters, the remote target and the route set.
 *
 * Hotline always sends in-dialog requests along the flow the dialog was set up on
 * (`remoteEndpoint`, the address the phone really used), so phones behind NAT keep working.
 */
export interface DialogId {
  readonly callId: string;
  readonly localTag: string;
  readonly remoteTag: string;
}

export function dialogKey(callId: string, localTag: string, remoteTag: string): string {
  return `${callId}\n${localTag}\n${remoteTag}`;
}

export interface DialogInit {
  readonly callId: string;
  readonly localTag: string;
  readonly remoteTag: string;
  readonly localUri: NameAddr;
  readonly remoteUri: NameAddr;
  readonly remoteTarget: SipUri;
  readonly routeSet: readonly NameAddr[];
  readonly localSeq: number;
  readonly remoteSeq: number | undefined;
  readonly localContact: NameAddr;
  readonly remoteEndpoint: Endpoint;
  /** Via sent-by for requests we originate in this dialog. */
  readonly via: { readonly transport: string; readonly host: string; readonly port: number };
}

export class Dialog {
  readonly callId: string;
  readonly localTag: string;
  readonly remoteTag: string;
  readonly localUri: NameAddr;
  readonly remoteUri: NameAddr;
  remoteTarget: SipUri;
  readonly routeSet: readonly NameAddr[];
  localSeq: number;
  remoteSeq: number | undefined;
  readonly localContact: NameAddr;
  remoteEndpoint: Endpoint;
  private readonly via: DialogInit['via'];

  constructor(init: DialogInit) {
    this.callId = init.callId;
    this.localTag = init.localTag;
    this.remoteTag = init.remoteTag;
    this.localUri = init.localUri;
    this.remoteUri = init.remoteUri;
    this.remoteTarget = init.remoteTarget;
    this.routeSet = init.routeSet;
    this.localSeq = init.localSeq;
    this.remoteSeq = init.remoteSeq;
    this.localContact = init.localContact;
    this.remoteEndpoint = init.remoteEndpoint;
    this.via = init.via;
  }

  get key(): string {
    return dialogKey(this.callId, this.localTag, this.remoteTag);
  }

  /** §12.1.1: the UAS side, created when we answer (or send a tagged provisional to) an INVITE. */
  static asUas(
    req: SipRequest,
    localTag: string,
    localContact: NameAddr,
    source: Endpoint,
    via: DialogInit['via'],
  ): Dialog {
    const contact = req.contacts[0];
    return new Dialog({
      callId: req.callId,
      localTag,
      remoteTag: req.from.params.tag ?? '',
      localUri: { ...req.to, params: { ...req.to.params, tag: localTag } },
      remoteUri: req.from,
      remoteTarget: contact ? contact.uri : req.from.uri,
      routeSet: req.recordRoutes,
      localSeq: 0,
      remoteSeq: req.cseq.seq,
      localContact,
      remoteEndpoint: source,
      via,
    });
  }

  /** §12.1.2: the UAC side, created from a tagged 1xx or a 2xx to our INVITE. Route set is reversed. */
  static asUac(req: SipRequest, resp: SipResponse, dest: Endpoint, via: DialogInit['via']): Dialog {
    const contact = resp.contacts[0];
    return new Dialog({
      callId: req.callId,
      localTag: req.from.params.tag ?? '',
      remoteTag: resp.to.params.tag ?? '',
      localUri: req.from,
      remoteUri: resp.to,
      remoteTarget: contact ? contact.uri : req.uri,
      routeSet: [...resp.recordRoutes].reverse(),
      localSeq: req.cseq.seq,
      remoteSeq: undefined,
      localContact: req.contacts[0] ?? req.from,
      remoteEndpoint: dest,
      via,
    });
  }

  /**
   * §12.2.2: a request whose CSeq is lower than the last one is out of order (500); an equal
   * one is a retransmission the transaction layer should have absorbed. Returns false to refuse.
   */
  acceptRemoteSeq(req: SipRequest): boolean {
    if (req.method === 'ACK' || req.method === 'CANCEL') return true;
    if (this.remoteSeq !== undefined && req.cseq.seq <= this.remoteSeq) return false;
    this.remoteSeq = req.cseq.seq;
    return true;
  }

  /** §12.2.1.1 / §12.2.2: a target refresh (re-INVITE, UPDATE) may change the remote target. */
  refreshTarget(msg: SipRequest | SipResponse): void {
    const contact = msg.contacts[0];
    if (contact) this.remoteTarget = contact.uri;
  }

  /** §12.2.1.1: build a request within the dialog. ACK reuses the INVITE's CSeq number. */
  createRequest(
    method: string,
    opts: { body?: Buffer; contentType?: string; headers?: Header[]; cseq?: number } = {},
  ): SipRequest {
    const seq = opts.cseq ?? (method === 'ACK' || method === 'CANCEL' ? this.localSeq : ++this.localSeq);
    const body = opts.body ?? Buffer.alloc(0);
    return {
      kind: 'request',
      method,
      uri: this.remoteTarget,
      vias: [
        {
          transport: this.via.transport,
          host: this.via.host,
          port: this.via.port,
          params: { branch: newBranch(), rport: null },
        },
      ],
      from: this.localUri,
      to: this.remoteUri,
      callId: this.callId,
      cseq: { seq, method },
      maxForwards: 70,
      contacts: method === 'BYE' || method === 'ACK' ? [] : [this.localContact],
      routes: this.routeSet,
      recordRoutes: [],
      ...(body.length > 0 && opts.contentType ? { contentType: opts.contentType } : {}),
      headers: opts.headers ?? [],
      body,
    };
  }
}
