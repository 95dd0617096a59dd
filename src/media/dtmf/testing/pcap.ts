/**
 * A tiny reader of libpcap capture files, enough to replay sipp's RTP captures in tests:
 * classic pcap (µs or ns timestamps, either byte order), Ethernet (with one optional VLAN
 * tag) or raw-IP link types, IPv4, UDP, RTP. Every length is checked against the file.
 */
import { readFileSync } from 'node:fs';

export interface CapturedRtp {
  /** Capture time, ms since the epoch. */
  readonly timeMs: number;
  readonly srcPort: number;
  readonly dstPort: number;
  readonly payloadType: number;
  readonly marker: boolean;
  readonly sequenceNumber: number;
  readonly timestamp: number;
  readonly ssrc: number;
  readonly payload: Uint8Array;
}

const LINK_ETHERNET = 1;
const LINK_RAW = [101, 228];

export function readPcapRtp(file: string): CapturedRtp[] {
  const buf = readFileSync(file);
  const fail = (why: string): never => {
    throw new Error(`${file}: ${why}`);
  };
  if (buf.length < 24) fail('shorter than a pcap global header');
  const magic = buf.readUInt32LE(0);
  const le = magic === 0xa1b2c3d4 || magic === 0xa1b23c4d;
  if (!le && buf.readUInt32BE(0) !== 0xa1b2c3d4 && buf.readUInt32BE(0) !== 0xa1b23c4d)
    fail('not a pcap file');
  const u32 = (at: number): number => (le ? buf.readUInt32LE(at) : buf.readUInt32BE(at));
  const nano = (le ? magic : buf.readUInt32BE(0)) === 0xa1b23c4d;
  const link = u32(20);
  if (link !== LINK_ETHERNET && !LINK_RAW.includes(link)) fail(`unsupported link type ${link}`);
  const out: CapturedRtp[] = [];
  for (let at = 24; at < buf.length;) {
    if (at + 16 > buf.length) fail(`truncated record header at ${at}`);
    const timeMs = u32(at) * 1000 + u32(at + 4) / (nano ? 1e6 : 1e3);
    const len = u32(at + 8);
    const body = at + 16;
    if (body + len > buf.length) fail(`record at ${at} claims ${len} bytes past the end`);
    const rtp = frameToRtp(buf.subarray(body, body + len), link === LINK_ETHERNET, timeMs);
    if (rtp) out.push(rtp);
    at = body + len;
  }
  return out;
}

function frameToRtp(f: Buffer, ethernet: boolean, timeMs: number): CapturedRtp | undefined {
  let ip = 0;
  if (ethernet) {
    if (f.length < 14) return undefined;
    let type = f.readUInt16BE(12);
    ip = 14;
    if (type === 0x8100 && f.length >= 18) {
      type = f.readUInt16BE(16);
      ip = 18;
    }
    if (type !== 0x0800) return undefined;
  }
  if (f.length < ip + 20 || f[ip]! >> 4 !== 4) return undefined;
  const ihl = (f[ip]! & 0x0f) * 4;
  const total = f.readUInt16BE(ip + 2);
  if (f[ip + 9] !== 17 || ihl < 20 || total < ihl + 8 || ip + total > f.length) return undefined;
  const udp = ip + ihl;
  const udpLen = f.readUInt16BE(udp + 4);
  if (udpLen < 8 || udp + udpLen > ip + total) return undefined;
  return parseRtp(f.subarray(udp + 8, udp + udpLen), f.readUInt16BE(udp), f.readUInt16BE(udp + 2), timeMs);
}

function parseRtp(p: Buffer, srcPort: number, dstPort: number, timeMs: number): CapturedRtp | undefined {
  if (p.length < 12 || p[0]! >> 6 !== 2) return undefined;
  let start = 12 + (p[0]! & 0x0f) * 4;
  if (p[0]! & 0x10) {
    if (p.length < start + 4) return undefined;
    start += 4 + p.readUInt16BE(start + 2) * 4;
  }
  let end = p.length;
  if (p[0]! & 0x20) end -= p[p.length - 1]!;
  if (start > end) return undefined;
  return {
    timeMs,
    srcPort,
    dstPort,
    marker: (p[1]! & 0x80) !== 0,
    payloadType: p[1]! & 0x7f,
    sequenceNumber: p.readUInt16BE(2),
    timestamp: p.readUInt32BE(4),
    ssrc: p.readUInt32BE(8),
    payload: new Uint8Array(p.subarray(start, end)),
  };
}
