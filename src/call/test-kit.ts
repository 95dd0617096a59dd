/**
 * An in-memory SIP network for the call layer's tests (and the dialog, UA core and front
 * door tests): Hotline's TransactionLayer + UserAgentCore and scripted fake phones, each on
 * the same TransactionLayer class, exchange messages that are serialized and parsed again on
 * every hop, so the wire format is exercised. Time is a shared FakeClock; nothing is sent
 * until the test lets the network settle. Not exported from index.ts.
 */
import { audioOf, parseSdp, type AudioStream, type CreateEndpointOptions } from '../media/index.js';
import type { EndpointInfo, EndpointStats, RemoteAddress } from '../media/index.js';
import { FakeClock } from '../platform/clock.js';
import { silentLogger } from '../platform/log.js';
import type { CdrRecord, CdrStore } from '../report/cdr.js';
import { DigestClient } from '../sip/auth/index.js';
import {
  createResponse,
  formatUri,
  getHeaders,
  newBranch,
  newCallId,
  newTag,
  parseMessage,
  serializeMessage,
} from '../sip/message/index.js';
import type {
  Endpoint,
  Header,
  NameAddr,
  SipMessage,
  SipRequest,
  SipResponse,
  SipUri,
} from '../sip/message/types.js';
import type { ResponseExtras } from '../sip/message/index.js';
import { TransactionLayer } from '../sip/transaction/index.js';
import type {
  ClientTransaction,
  ClientTransactionUser,
  ServerInviteTransaction,
  ServerTransaction,
  TransactionCore,
} from '../sip/transaction/index.js';
import type { MessageSender } from '../sip/transport/types.js';
import { UserAgentCore } from '../sip/ua/index.js';
import type { SipContext } from './context.js';
import type { MediaAddress, MediaPort } from './media-anchor.js';
import { Admission } from './admission.js';
import { BridgeCall } from './bridge-call.js';

export const DOMAIN = 'hotline.test';
export const PBX_ENDPOINT: Endpoint = { transport: 'UDP', address: '192.0.2.1', port: 5060 };
export const MEDIA_ADDRESS: MediaAddress = { bindAddress: '198.51.100.1', advertisedAddress: '198.51.100.1' };
export const SERVER_HEADER: Header = { name: 'Server', value: 'Hotline-test' };

/** One message on the wire, as the receiver parsed it. `label` is `INVITE`, `180 INVITE`, `200 BYE`, … */
export interface Wire {
  readonly from: string;
  readonly to: string;
  readonly msg: SipMessage;
  readonly label: string;
}

interface Node {
  readonly name: string;
  receive(msg: SipMessage, source: Endpoint): void;
}

const keyOf = (e: Endpoint): string => `${e.transport}:${e.address}:${e.port}`;
const labelOf = (m: SipMessage): string => (m.kind === 'request' ? m.method : `${m.status} ${m.cseq.method}`);

export class Network {
  readonly clock = new FakeClock();
  /** Everything sent, in order, dropped messages included. */
  readonly log: Wire[] = [];
  private readonly nodes = new Map<string, Node>();
  private readonly queue: { wire: Wire; source: Endpoint; dest: Endpoint }[] = [];
  private readonly dropRules = new Set<(w: Wire) => boolean>();

  attach(name: string, endpoint: Endpoint, receive: Node['receive']): MessageSender {
    this.nodes.set(keyOf(endpoint), { name, receive });
    return { send: (msg, dest) => this.post(endpoint, msg, dest) };
  }

  /** Loses every message `rule` matches until the returned function is called. */
  drop(rule: (w: Wire) => boolean): () => void {
    this.dropRules.add(rule);
    return () => void this.dropRules.delete(rule);
  }

  private post(source: Endpoint, msg: SipMessage, dest: Endpoint): void {
    const parsed = parseMessage(serializeMessage(msg));
    if (!parsed.ok) throw new Error(`${labelOf(msg)} does not survive the wire: ${parsed.reason}`);
    const wire: Wire = {
      from: this.nodes.get(keyOf(source))?.name ?? keyOf(source),
      to: this.nodes.get(keyOf(dest))?.name ?? keyOf(dest),
      msg: parsed.message,
      label: labelOf(parsed.message),
    };
    this.log.push(wire);
    if ([...this.dropRules].some((rule) => rule(wire))) return;
    this.queue.push({ wire, source, dest });
  }

  /** Delivers queued messages (and those they cause) synchronously. */
  flush(): void {
    for (let item = this.queue.shift(); item; item = this.queue.shift()) {
      this.nodes.get(keyOf(item.dest))?.receive(item.wire.msg, item.source);
    }
  }

  /** Delivers everything and lets pending promises (media set-up) run, until quiet. */
  async settle(): Promise<void> {
    for (let round = 0; round < 1000; round++) {
      this.flush();
      await new Promise((resolve) => setImmediate(resolve));
      if (this.queue.length === 0) return;
    }
    throw new Error('the network did not settle');
  }

  /** Moves the clock forward in steps, delivering what the timers send at each step. */
  async advance(ms: number, step = 100): Promise<void> {
    const end = this.clock.now() + ms;
    while (this.clock.now() < end) {
      this.clock.advance(Math.min(step, end - this.clock.now()));
      await this.settle();
    }
  }

  /** Labels of the messages sent from `from` to `to` (node names), in order. */
  between(from: string, to: string): string[] {
    return this.messages(from, to).map((w) => w.label);
  }

  messages(from: string, to: string, label?: string): Wire[] {
    return this.log.filter(
      (w) => w.from === from && w.to === to && (label === undefined || w.label === label),
    );
  }

  /** The last message `from` sent `to` with this label; throws when there is none. */
  last(from: string, to: string, label: string): SipMessage {
    const found = this.messages(from, to, label).at(-1);
    if (!found) throw new Error(`no ${label} from ${from} to ${to}; saw:\n${this.trace()}`);
    return found.msg;
  }

  /** The whole conversation, one line per message, for assertion messages. */
  trace(): string {
    return this.log.map((w) => `${w.from} → ${w.to}: ${w.label}`).join('\n');
  }
}

/** Hotline's side of the network: the real transaction layer and UA core, and a SipContext. */
export class Pbx {
  readonly name = 'pbx';
  readonly ua: UserAgentCore;
  readonly transactions: TransactionLayer;
  readonly ctx: SipContext;

  constructor(readonly net: Network) {
    const logger = silentLogger();
    const sender = net.attach(this.name, PBX_ENDPOINT, (msg, source) =>
      this.transactions.receive(msg, source),
    );
    this.ua = new UserAgentCore(sender, logger, SERVER_HEADER);
    this.transactions = new TransactionLayer({ sender, clock: net.clock, logger, core: this.ua });
    this.ctx = {
      transactions: this.transactions,
      sender,
      ua: this.ua,
      clock: net.clock,
      logger,
      localAddress: () => ({ host: PBX_ENDPOINT.address, port: PBX_ENDPOINT.port }),
      serverHeader: SERVER_HEADER,
      domain: DOMAIN,
      t1: 500,
      t2: 4000,
    };
  }

  /** Sets the out-of-dialog handler. */
  handle(onRequest: (req: SipRequest, txn: ServerTransaction) => void): void {
    this.ua.setHandler({ onRequest });
  }
}

// ─── SDP ──────────────────────────────────────────────────────────────────────────────

export type Direction = 'sendrecv' | 'sendonly' | 'recvonly' | 'inactive';
const MIRROR: Record<Direction, Direction> = {
  sendrecv: 'sendrecv',
  sendonly: 'recvonly',
  recvonly: 'sendonly',
  inactive: 'inactive',
};

/** A phone's SDP: PCMU, PCMA and telephone-event unless `formats` says otherwise. */
export function sdp(address: string, port: number, direction: Direction = 'sendrecv', formats = [0, 8, 101]) {
  const rtpmap: Record<number, string> = { 0: 'PCMU/8000', 8: 'PCMA/8000', 101: 'telephone-event/8000' };
  const lines = ['v=0', `o=phone 1 1 IN IP4 ${address}`, 's=-', `c=IN IP4 ${address}`, 't=0 0'];
  lines.push(`m=audio ${port} RTP/AVP ${formats.join(' ')}`);
  for (const f of formats) if (rtpmap[f]) lines.push(`a=rtpmap:${f} ${rtpmap[f]}`);
  if (formats.includes(101)) lines.push('a=fmtp:101 0-15');
  lines.push('a=ptime:20', `a=${direction}`);
  return Buffer.from(lines.join('\r\n') + '\r\n');
}

/** The audio stream of a message's SDP body; throws when it has none. */
export function audio(msg: SipMessage): AudioStream {
  const parsed = parseSdp(msg.body.toString('utf8'));
  const stream = parsed.ok ? audioOf(parsed.sdp) : null;
  if (!stream) throw new Error(`no audio SDP in ${labelOf(msg)}`);
  return stream;
}

// ─── Media, CDRs ──────────────────────────────────────────────────────────────────────

export type MediaCall =
  | { readonly op: 'createEndpoint'; readonly opts: CreateEndpointOptions }
  | { readonly op: 'setRemote'; readonly id: string; readonly remote: RemoteAddress }
  | { readonly op: 'connect'; readonly id: string; readonly other: string }
  | { readonly op: 'echo' | 'close'; readonly id: string };

/** A MediaPort that records every call and hands out endpoints with made-up ports. */
export class FakeMedia implements MediaPort {
  readonly calls: MediaCall[] = [];
  readonly created: EndpointInfo[] = [];
  readonly closed = new Set<string>();
  /** When set, every call waits for this before answering. */
  gate: Promise<void> | undefined;
  /** When set, createEndpoint rejects with it. */
  failCreate: Error | undefined;

  async createEndpoint(opts: CreateEndpointOptions): Promise<EndpointInfo> {
    this.calls.push({ op: 'createEndpoint', opts });
    await this.gate;
    if (this.failCreate) throw this.failCreate;
    const port = 40000 + 2 * this.created.length;
    const info = {
      id: `ep${this.created.length + 1}`,
      port,
      rtcpPort: port + 1,
      address: opts.advertisedAddress ?? opts.bindAddress,
    };
    this.created.push(info);
    return info;
  }
  async setRemote(id: string, remote: RemoteAddress): Promise<void> {
    this.calls.push({ op: 'setRemote', id, remote });
    await this.gate;
  }
  async connect(id: string, other: string): Promise<void> {
    this.calls.push({ op: 'connect', id, other });
    await this.gate;
  }
  async echo(id: string): Promise<void> {
    this.calls.push({ op: 'echo', id });
    await this.gate;
  }
  async close(id: string): Promise<void> {
    this.calls.push({ op: 'close', id });
    this.closed.add(id);
  }
  /** The call layer never reads stats. */
  async stats(): Promise<EndpointStats> {
    throw new Error('FakeMedia has no stats');
  }

  /** Endpoints created and not closed. */
  get open(): string[] {
    return this.created.map((e) => e.id).filter((id) => !this.closed.has(id));
  }

  remotes(id: string): RemoteAddress[] {
    return this.calls.flatMap((c) => (c.op === 'setRemote' && c.id === id ? [c.remote] : []));
  }
}

export class MemoryCdrs implements CdrStore {
  readonly records: CdrRecord[] = [];
  async insert(cdr: CdrRecord): Promise<void> {
    this.records.push(cdr);
  }
  /** The one CDR written; throws unless there is exactly one. */
  only(): CdrRecord {
    if (this.records.length !== 1) throw new Error(`expected one CDR, found ${this.records.length}`);
    return this.records[0]!;
  }
}

// ─── Phones ───────────────────────────────────────────────────────────────────────────

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

  /** Where Hotline reaches this phone: what the registrar would hand a BridgeCall. */
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
  ack(): void {
    if (!this.ok || !this.dialog) throw new Error('no 2xx to ACK');
    this.dialog.sendAck(this.exchange.request.cseq.seq);
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

// ─── A bridged call ───────────────────────────────────────────────────────────────────

export interface BridgeRigOptions {
  /** Registered contacts of the callee, rung in parallel; default 1. */
  readonly contacts?: number;
  readonly noAnswerTimeoutMs?: number;
}

/** Hotline bridging caller 1001 to callee 1002 (one phone per contact), on fake media. */
export function bridgeRig(o: BridgeRigOptions = {}) {
  const net = new Network();
  const pbx = new Pbx(net);
  const media = new FakeMedia();
  const cdrs = new MemoryCdrs();
  const admission = new Admission({ maxCalls: 10, maxCallsPerSecond: 10 }, net.clock);
  const caller = new Phone(net, { user: '1001', address: '192.0.2.10' });
  const callees = Array.from(
    { length: o.contacts ?? 1 },
    (_, i) =>
      new Phone(net, {
        user: '1002',
        name: i === 0 ? '1002' : `1002#${i + 1}`,
        address: `192.0.2.${20 + i}`,
      }),
  );
  const rig = { net, pbx, media, cdrs, admission, caller, callee: callees[0]!, callees, endedCalls: 0 };
  pbx.handle((req, txn) => {
    if (req.method !== 'INVITE') return pbx.ua.respond(txn, 405);
    admission.tryAdmit();
    const deps = {
      ctx: pbx.ctx,
      media,
      mediaAddress: MEDIA_ADDRESS,
      cdrs,
      noAnswerTimeoutMs: o.noAnswerTimeoutMs ?? 30_000,
      onEnded: () => {
        rig.endedCalls++;
        admission.release();
      },
    };
    const contacts = callees.map((c) => c.callee);
    const call = new BridgeCall(deps, {
      invite: req,
      txn: txn as ServerInviteTransaction,
      caller: { number: '1001' },
      callee: '1002',
      contacts,
    });
    void call.start();
  });
  return rig;
}

export type BridgeRig = ReturnType<typeof bridgeRig>;

/** Caller dials 1002, the callee rings and answers, the caller ACKs: a call that is up. */
export async function answeredCall(rig: BridgeRig) {
  const call = rig.caller.invite('1002');
  await rig.net.settle();
  const incoming = rig.callee.lastIncoming();
  incoming.ring();
  await rig.net.settle();
  incoming.answer();
  await rig.net.settle();
  if (!call.dialog || !incoming.dialog) throw new Error(`the call did not come up:\n${rig.net.trace()}`);
  return { call, incoming, callerDialog: call.dialog, calleeDialog: incoming.dialog };
}
