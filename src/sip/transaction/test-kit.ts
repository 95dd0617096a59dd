/**
 * Test helpers for the transaction layer: plain message literals, a recording sender, a
 * recording TU and core, and a layer on a fake clock. Not exported from index.ts.
 */
import { FakeClock } from '../../platform/clock.js';
import { silentLogger } from '../../platform/log.js';
import type { Endpoint, SipMessage, SipRequest, SipResponse, TransportName, Via } from '../message/types.js';
import type { MessageSender } from '../transport/types.js';
import { TransactionLayer } from './layer.js';
import type {
  ClientTransactionUser,
  ServerInviteTransaction,
  ServerTransaction,
  TimerValues,
  TransactionCore,
} from './types.js';

export const UDP_PEER: Endpoint = { transport: 'UDP', address: '192.0.2.10', port: 5060 };
export const TCP_PEER: Endpoint = {
  transport: 'TCP',
  address: '192.0.2.10',
  port: 40000,
  connectionId: 'tcp-1',
};

export interface RequestOptions {
  readonly branch?: string | undefined;
  readonly transport?: TransportName;
  readonly viaHost?: string;
  readonly viaPort?: number;
  readonly rport?: boolean;
  readonly callId?: string;
  readonly fromTag?: string;
  readonly toTag?: string;
  readonly seq?: number;
  readonly uriUser?: string;
}

export function request(method: string, o: RequestOptions = {}): SipRequest {
  const params: Record<string, string | null> = {};
  if (o.branch !== undefined) params.branch = o.branch;
  else if (!('branch' in o)) params.branch = 'z9hG4bK-' + method.toLowerCase() + '-1';
  if (o.rport) params.rport = null;
  const via: Via = {
    transport: o.transport ?? 'UDP',
    host: o.viaHost ?? '192.0.2.10',
    ...(o.viaPort === undefined ? {} : { port: o.viaPort }),
    params,
  };
  return {
    kind: 'request',
    method,
    uri: { scheme: 'sip', user: o.uriUser ?? '1001', host: 'pbx.example.com', params: {}, headers: {} },
    vias: [via, { transport: 'UDP', host: 'proxy.example.com', params: { branch: 'z9hG4bK-proxy' } }],
    from: {
      uri: { scheme: 'sip', user: '2000', host: 'example.com', params: {}, headers: {} },
      params: { tag: o.fromTag ?? 'from-tag' },
    },
    to: {
      uri: { scheme: 'sip', user: '1001', host: 'example.com', params: {}, headers: {} },
      params: o.toTag === undefined ? {} : { tag: o.toTag },
    },
    callId: o.callId ?? 'call-1@example.com',
    cseq: { seq: o.seq ?? 1, method: method === 'ACK' || method === 'CANCEL' ? 'INVITE' : method },
    maxForwards: 70,
    contacts: [],
    routes: [
      { uri: { scheme: 'sip', host: 'edge.example.com', params: { lr: null }, headers: {} }, params: {} },
    ],
    recordRoutes: [],
    headers: [{ name: 'Timestamp', value: '54' }],
    body: Buffer.alloc(0),
  };
}

/** An ACK or CANCEL for `invite`: same top Via (so same branch), CSeq method as given. */
export function sameTransaction(invite: SipRequest, method: 'ACK' | 'CANCEL', toTag?: string): SipRequest {
  return {
    ...invite,
    method,
    vias: invite.vias,
    to: toTag === undefined ? invite.to : { ...invite.to, params: { tag: toTag } },
    cseq: { seq: invite.cseq.seq, method },
  };
}

export function response(req: SipRequest, status: number, toTag = 'uas-tag'): SipResponse {
  return {
    kind: 'response',
    status,
    reason: 'Reason ' + status,
    vias: req.vias,
    from: req.from,
    to: status === 100 ? req.to : { ...req.to, params: { ...req.to.params, tag: toTag } },
    callId: req.callId,
    cseq: req.cseq,
    contacts: [],
    routes: [],
    recordRoutes: [],
    headers: [],
    body: Buffer.alloc(0),
  };
}

export interface Sent {
  readonly msg: SipMessage;
  readonly dest: Endpoint;
  readonly onError: ((err: Error) => void) | undefined;
}

export class RecordingSender implements MessageSender {
  readonly sent: Sent[] = [];
  /** When set, every send fails synchronously with this error. */
  failWith: Error | undefined;

  send(msg: SipMessage, dest: Endpoint, onError?: (err: Error) => void): void {
    this.sent.push({ msg, dest, onError });
    if (this.failWith !== undefined) onError?.(this.failWith);
  }

  /** Labels of what was sent: `INVITE`, `ACK`, `486`, … */
  labels(): string[] {
    return this.sent.map((s) => (s.msg.kind === 'request' ? s.msg.method : String(s.msg.status)));
  }

  count(label: string): number {
    return this.labels().filter((l) => l === label).length;
  }

  last(): Sent {
    const s = this.sent[this.sent.length - 1];
    if (s === undefined) throw new Error('nothing sent');
    return s;
  }

  clear(): void {
    this.sent.length = 0;
  }
}

export class RecordingUser implements ClientTransactionUser {
  readonly responses: number[] = [];
  timeouts = 0;
  readonly errors: Error[] = [];
  onResponse(resp: SipResponse): void {
    this.responses.push(resp.status);
  }
  onTimeout(): void {
    this.timeouts++;
  }
  onTransportError(err: Error): void {
    this.errors.push(err);
  }
}

export class RecordingCore implements TransactionCore {
  readonly requests: { req: SipRequest; txn: ServerTransaction }[] = [];
  readonly acks: { ack: SipRequest; source: Endpoint }[] = [];
  readonly cancels: {
    cancel: SipRequest;
    txn: ServerTransaction;
    invite: ServerInviteTransaction | undefined;
  }[] = [];
  readonly strays: SipResponse[] = [];
  /** Runs inside onRequest, e.g. to answer synchronously. */
  answer: ((req: SipRequest, txn: ServerTransaction) => void) | undefined;

  onRequest(req: SipRequest, txn: ServerTransaction): void {
    this.requests.push({ req, txn });
    this.answer?.(req, txn);
  }
  onAck(ack: SipRequest, source: Endpoint): void {
    this.acks.push({ ack, source });
  }
  onCancel(cancel: SipRequest, txn: ServerTransaction, invite?: ServerInviteTransaction): void {
    this.cancels.push({ cancel, txn, invite });
  }
  onStrayResponse(resp: SipResponse): void {
    this.strays.push(resp);
  }

  txn(i = 0): ServerTransaction {
    const entry = this.requests[i];
    if (entry === undefined) throw new Error('no request ' + i);
    return entry.txn;
  }

  inviteTxn(i = 0): ServerInviteTransaction {
    const txn = this.txn(i);
    if (txn.kind !== 'server-invite') throw new Error('request ' + i + ' is not an INVITE');
    return txn;
  }
}

export function setup(timers?: TimerValues) {
  const clock = new FakeClock();
  const sender = new RecordingSender();
  const core = new RecordingCore();
  const layer = new TransactionLayer({
    sender,
    clock,
    logger: silentLogger(),
    core,
    ...(timers ? { timers } : {}),
  });
  return { clock, sender, core, layer };
}

/** Advances the clock in 50 ms steps for `until` ms; returns the offsets at which `label` was sent. */
export function sendTimes(sender: RecordingSender, clock: FakeClock, label: string, until: number): number[] {
  const start = clock.now();
  const times: number[] = [];
  let seen = sender.count(label);
  for (let t = 0; t < until; t += 50) {
    clock.advance(50);
    const n = sender.count(label);
    for (; seen < n; seen++) times.push(clock.now() - start);
  }
  return times;
}
