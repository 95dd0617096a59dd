/**
 * RTCP compound packet parsing (RFC 3550 §6.1, validity checks of Appendix A.2). Every
 * length field is checked against the datagram before use; a malformed datagram yields
 * an error value and nothing is read past its end.
 */
import type { ReportBlock } from './receiver-stats.js';
import {
  RTCP_BYE,
  RTCP_RR,
  RTCP_SDES,
  RTCP_SR,
  type ParseRtcpResult,
  type RtcpPacket,
  type RtcpParseError,
  type SdesChunk,
  type SdesItem,
} from './rtcp-types.js';

const REPORT_BLOCK_LENGTH = 24;
const utf8 = new TextDecoder('utf-8', { fatal: false });

function u32(b: Uint8Array, at: number): number {
  return ((b[at]! << 24) | (b[at + 1]! << 16) | (b[at + 2]! << 8) | b[at + 3]!) >>> 0;
}

function readReportBlocks(body: Uint8Array, at: number, count: number): ReportBlock[] {
  const blocks: ReportBlock[] = [];
  for (let i = 0; i < count; i++, at += REPORT_BLOCK_LENGTH) {
    blocks.push({
      ssrc: u32(body, at),
      fractionLost: body[at + 4]!,
      // Cumulative lost is a signed 24-bit field: sign-extend it.
      cumulativeLost: ((body[at + 5]! << 24) | (body[at + 6]! << 16) | (body[at + 7]! << 8)) >> 8,
      highestSeq: u32(body, at + 8),
      jitter: u32(body, at + 12),
      lsr: u32(body, at + 16),
      dlsr: u32(body, at + 20),
    });
  }
  return blocks;
}

function parseSdesChunk(body: Uint8Array, at: number): { chunk: SdesChunk; next: number } | null {
  if (at + 4 > body.length) return null;
  const ssrc = u32(body, at);
  const items: SdesItem[] = [];
  at += 4;
  for (;;) {
    if (at >= body.length) return null; // no terminating null item
    const type = body[at]!;
    if (type === 0) break;
    if (at + 2 > body.length) return null;
    const len = body[at + 1]!;
    if (at + 2 + len > body.length) return null;
    items.push({ type, text: utf8.decode(body.subarray(at + 2, at + 2 + len)) });
    at += 2 + len;
  }
  // The null item ends the list; the chunk then pads to the next 32-bit boundary.
  const next = (at + 4) & ~3;
  if (next > body.length) return null;
  return { chunk: { ssrc, items }, next };
}

function parseSdes(body: Uint8Array, count: number): RtcpPacket | RtcpParseError {
  const chunks: SdesChunk[] = [];
  let at = 0;
  for (let i = 0; i < count; i++) {
    const r = parseSdesChunk(body, at);
    if (r === null) return 'RTCP_BAD_SDES';
    chunks.push(r.chunk);
    at = r.next;
  }
  return { type: 'sdes', chunks };
}

function parseBye(body: Uint8Array, count: number): RtcpPacket | RtcpParseError {
  if (4 * count > body.length) return 'RTCP_BAD_COUNT';
  const ssrcs: number[] = [];
  for (let i = 0; i < count; i++) ssrcs.push(u32(body, 4 * i));
  const at = 4 * count;
  if (at >= body.length) return { type: 'bye', ssrcs };
  const len = body[at]!;
  if (at + 1 + len > body.length) return 'RTCP_BAD_COUNT';
  return { type: 'bye', ssrcs, reason: utf8.decode(body.subarray(at + 1, at + 1 + len)) };
}

function parseBody(packetType: number, count: number, body: Uint8Array): RtcpPacket | RtcpParseError {
  switch (packetType) {
    case RTCP_SR: {
      if (20 + 4 + REPORT_BLOCK_LENGTH * count > body.length) return 'RTCP_BAD_COUNT';
      return {
        type: 'sr',
        ssrc: u32(body, 0),
        ntpSeconds: u32(body, 4),
        ntpFraction: u32(body, 8),
        rtpTimestamp: u32(body, 12),
        packetCount: u32(body, 16),
        octetCount: u32(body, 20),
        reports: readReportBlocks(body, 24, count),
      };
    }
    case RTCP_RR:
      if (4 + REPORT_BLOCK_LENGTH * count > body.length) return 'RTCP_BAD_COUNT';
      return { type: 'rr', ssrc: u32(body, 0), reports: readReportBlocks(body, 4, count) };
    case RTCP_SDES:
      return parseSdes(body, count);
    case RTCP_BYE:
      return parseBye(body, count);
    default:
      return { type: 'other', packetType, count, body: body.slice() };
  }
}

/**
 * Parses an RTCP datagram (a compound packet or a single one, RFC 5506 reduced size
 * included). The packets' lengths must add up to the datagram exactly; only the last
 * packet may carry padding (RFC 3550 A.2).
 */
export function parseRtcp(buf: Uint8Array, length = buf.length): ParseRtcpResult {
  const end = Math.min(length, buf.length);
  const packets: RtcpPacket[] = [];
  let at = 0;
  if (end === 0) return { ok: false, error: 'RTCP_TOO_SHORT' };
  while (at < end) {
    if (at + 4 > end) return { ok: false, error: 'RTCP_TOO_SHORT' };
    const b0 = buf[at]!;
    if (b0 >> 6 !== 2) return { ok: false, error: 'RTCP_BAD_VERSION' };
    const size = 4 * (((buf[at + 2]! << 8) | buf[at + 3]!) + 1);
    if (at + size > end) return { ok: false, error: 'RTCP_TRUNCATED' };
    let bodyEnd = at + size;
    if (b0 & 0x20) {
      const pad = buf[bodyEnd - 1]!;
      if (at + size !== end || pad === 0 || pad > size - 4) return { ok: false, error: 'RTCP_BAD_PADDING' };
      bodyEnd -= pad;
    }
    const parsed = parseBody(buf[at + 1]!, b0 & 0x1f, buf.subarray(at + 4, bodyEnd));
    if (typeof parsed === 'string') return { ok: false, error: parsed };
    packets.push(parsed);
    at += size;
  }
  return { ok: true, packets };
}
