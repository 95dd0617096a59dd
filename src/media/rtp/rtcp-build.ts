/**
 * RTCP serialization: SR, RR, SDES, BYE and opaque packets, alone or as a compound
 * datagram (RFC 3550 §6.1: a compound packet starts with an SR or RR and carries an SDES
 * CNAME). RTCP goes out once every few seconds per stream, so these functions may
 * allocate; `writeRtcp` still fills a caller's buffer for symmetry with RTP.
 */
import { MediaError } from '../errors.js';
import type { ReportBlock } from './receiver-stats.js';
import {
  RTCP_BYE,
  RTCP_RR,
  RTCP_SDES,
  RTCP_SR,
  SDES_CNAME,
  type RtcpPacket,
  type RtcpSdes,
  type SdesChunk,
} from './rtcp-types.js';

const utf8 = new TextEncoder();

function invalid(message: string): MediaError {
  return new MediaError('MEDIA_INVALID_ARGUMENT', message);
}

function text(value: string, what: string): Uint8Array {
  const bytes = utf8.encode(value);
  if (bytes.length > 255) throw invalid(`RTCP ${what} is longer than 255 bytes`);
  return bytes;
}

function chunkLength(chunk: SdesChunk): number {
  let n = 4;
  for (const item of chunk.items) n += 2 + text(item.text, 'SDES item').length;
  return (n + 4) & ~3; // null terminator, then pad to 32 bits
}

/** Bytes `packet` occupies on the wire (a multiple of 4). */
export function rtcpLength(packet: RtcpPacket): number {
  switch (packet.type) {
    case 'sr':
      return 28 + 24 * packet.reports.length;
    case 'rr':
      return 8 + 24 * packet.reports.length;
    case 'sdes':
      return 4 + packet.chunks.reduce((n, c) => n + chunkLength(c), 0);
    case 'bye': {
      const reason = packet.reason === undefined ? 0 : 1 + text(packet.reason, 'BYE reason').length;
      return 4 + 4 * packet.ssrcs.length + ((reason + 3) & ~3);
    }
    case 'other':
      return 4 + ((packet.body.length + 3) & ~3);
  }
}

function countOf(packet: RtcpPacket): number {
  switch (packet.type) {
    case 'sr':
    case 'rr':
      return packet.reports.length;
    case 'sdes':
      return packet.chunks.length;
    case 'bye':
      return packet.ssrcs.length;
    case 'other':
      return packet.count;
  }
}

function typeOf(packet: RtcpPacket): number {
  switch (packet.type) {
    case 'sr':
      return RTCP_SR;
    case 'rr':
      return RTCP_RR;
    case 'sdes':
      return RTCP_SDES;
    case 'bye':
      return RTCP_BYE;
    case 'other':
      return packet.packetType;
  }
}

class Writer {
  constructor(
    readonly out: Uint8Array,
    public at: number,
  ) {}

  u8(v: number): void {
    this.out[this.at++] = v & 0xff;
  }

  u32(v: number): void {
    const o = this.out;
    o[this.at] = v >>> 24;
    o[this.at + 1] = (v >>> 16) & 0xff;
    o[this.at + 2] = (v >>> 8) & 0xff;
    o[this.at + 3] = v & 0xff;
    this.at += 4;
  }

  bytes(b: Uint8Array): void {
    this.out.set(b, this.at);
    this.at += b.length;
  }

  padTo4(): void {
    while (this.at & 3) this.out[this.at++] = 0;
  }

  reportBlock(b: ReportBlock): void {
    this.u32(b.ssrc);
    this.u8(Math.max(0, Math.min(255, b.fractionLost)));
    const lost = Math.max(-0x800000, Math.min(0x7fffff, b.cumulativeLost)) & 0xffffff;
    this.u8(lost >> 16);
    this.u8(lost >> 8);
    this.u8(lost);
    this.u32(b.highestSeq);
    this.u32(b.jitter);
    this.u32(b.lsr);
    this.u32(b.dlsr);
  }
}

function writeBody(w: Writer, packet: RtcpPacket): void {
  switch (packet.type) {
    case 'sr':
      for (const v of [packet.ssrc, packet.ntpSeconds, packet.ntpFraction, packet.rtpTimestamp]) w.u32(v);
      w.u32(packet.packetCount);
      w.u32(packet.octetCount);
      for (const b of packet.reports) w.reportBlock(b);
      return;
    case 'rr':
      w.u32(packet.ssrc);
      for (const b of packet.reports) w.reportBlock(b);
      return;
    case 'sdes':
      for (const chunk of packet.chunks) {
        w.u32(chunk.ssrc);
        for (const item of chunk.items) {
          const t = text(item.text, 'SDES item');
          w.u8(item.type);
          w.u8(t.length);
          w.bytes(t);
        }
        w.u8(0);
        w.padTo4();
      }
      return;
    case 'bye':
      for (const ssrc of packet.ssrcs) w.u32(ssrc);
      if (packet.reason !== undefined) {
        const t = text(packet.reason, 'BYE reason');
        w.u8(t.length);
        w.bytes(t);
        w.padTo4();
      }
      return;
    case 'other':
      w.bytes(packet.body);
      w.padTo4();
  }
}

/** Writes `packets` back to back (a compound datagram) at `offset`; returns the bytes written. */
export function writeRtcp(packets: readonly RtcpPacket[], out: Uint8Array, offset = 0): number {
  const w = new Writer(out, offset);
  for (const packet of packets) {
    const count = countOf(packet);
    if (count > 31) throw invalid(`RTCP ${packet.type} count ${count} exceeds 31`);
    const size = rtcpLength(packet);
    if (w.at + size > out.length) throw invalid(`RTCP packet of ${size} bytes does not fit the buffer`);
    const start = w.at;
    w.u8(0x80 | count);
    w.u8(typeOf(packet));
    w.u8((size / 4 - 1) >> 8);
    w.u8(size / 4 - 1);
    writeBody(w, packet);
    if (w.at !== start + size) throw invalid(`RTCP ${packet.type} wrote ${w.at - start} of ${size} bytes`);
  }
  return w.at - offset;
}

/** Serializes packets into a new buffer. */
export function serializeRtcp(packets: readonly RtcpPacket[]): Uint8Array {
  const out = new Uint8Array(packets.reduce((n, p) => n + rtcpLength(p), 0));
  writeRtcp(packets, out);
  return out;
}

/** An SDES packet carrying one CNAME (the item every compound packet must have). */
export function sdesCname(ssrc: number, cname: string): RtcpSdes {
  return { type: 'sdes', chunks: [{ ssrc, items: [{ type: SDES_CNAME, text: cname }] }] };
}

/** The CNAME of `ssrc` in parsed packets, if any. */
export function findCname(packets: readonly RtcpPacket[], ssrc: number): string | undefined {
  for (const p of packets) {
    if (p.type !== 'sdes') continue;
    for (const c of p.chunks) {
      if (c.ssrc !== ssrc) continue;
      const item = c.items.find((i) => i.type === SDES_CNAME);
      if (item) return item.text;
    }
  }
  return undefined;
}
