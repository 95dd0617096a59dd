/** SDP helpers and the fake media port and CDR store of the call-layer test kit. */
import { audioOf, parseSdp, type AudioStream, type CreateEndpointOptions } from '../../media/index.js';
import type { EndpointInfo, EndpointStats, RemoteAddress } from '../../media/index.js';
import type { CdrRecord, CdrStore } from '../../report/cdr.js';
import type { SipMessage } from '../../sip/message/types.js';
import type { MediaPort } from '../media-anchor.js';
import { labelOf } from './network.js';

// ─── SDP ──────────────────────────────────────────────────────────────────────────────

export type Direction = 'sendrecv' | 'sendonly' | 'recvonly' | 'inactive';
export const MIRROR: Record<Direction, Direction> = {
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
