/** SDP helpers and the in-memory CDR and recording stores of the call-layer test kit. */
import { audioOf, parseSdp, type AudioStream } from '../../media/index.js';
import type { CdrRecord, CdrStore } from '../../report/cdr.js';
import type { CdrLegRecord, CdrLegStore } from '../../report/cdr-leg.js';
import type { RecordingRow, RecordingStore, StoredRecording } from '../../report/recording.js';
import type { SipMessage } from '../../sip/message/types.js';
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

// ─── CDRs and recordings ──────────────────────────────────────────────────────────────

export { FakeMedia, FAKE_QUALITY, type MediaCall, type MediaOp } from './fake-media.js';

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

export class MemoryCdrLegs implements CdrLegStore {
  readonly records: CdrLegRecord[] = [];
  async insert(leg: CdrLegRecord): Promise<void> {
    this.records.push(leg);
  }
  /** The rows of a party's legs, in the order they ended. */
  of(party: string): CdrLegRecord[] {
    return this.records.filter((r) => r.party === party);
  }
}

export class MemoryRecordings implements RecordingStore {
  readonly rows: StoredRecording[] = [];
  async insert(r: RecordingRow): Promise<number> {
    const id = this.rows.length + 1;
    this.rows.push({ ...r, sha256: r.sha256.toLowerCase(), id });
    return id;
  }
  async listByCall(callId: string): Promise<StoredRecording[]> {
    return this.rows.filter((r) => r.callId === callId);
  }
  async get(id: number): Promise<StoredRecording | undefined> {
    return this.rows.find((r) => r.id === id);
  }
}
