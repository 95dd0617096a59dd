/**
 * libpcap files for the media tests, both ways:
 * - writeRtpPcap() turns samples into a PCMA RTP capture that sipp's play_pcap_audio sends
 *   at the pace of the packets' time stamps (sipp reads Ethernet/IPv4/UDP records);
 * - readPcap() reads what tcpdump captured on loopback, and rtpStreams() decodes the RTP
 *   in it back to audio placed on the capture's clock.
 * Format: the classic libpcap file (global header, then a record header per packet).
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { decodeG711, encodeAlaw } from './g711.js';
import { RATE } from './signals.js';

const PCAP_MAGIC = 0xa1b2c3d4;
const LINKTYPE_ETHERNET = 1;
const LINKTYPE_RAW = 101;
const LINKTYPE_LINUX_SLL = 113;
const LINKTYPE_LINUX_SLL2 = 276;
const ETHERTYPE_IPV4 = 0x0800;
const IP_PROTO_UDP = 17;
const RTP_HEADER = 12;

export interface RtpPcapOptions {
  /** Milliseconds of audio per packet (default 20: 160 samples). */
  readonly ptimeMs?: number;
  readonly payloadType?: number;
  readonly ssrc?: number;
  /** Addresses written into the records; sipp replaces them with the call's own. */
  readonly srcPort?: number;
  readonly dstPort?: number;
  /** First packet's capture time, seconds since the epoch (default 1.7e9). */
  readonly startTime?: number;
}

/**
 * Writes `samples` (8 kHz) as PCMA RTP in a pcap: sequence numbers and RTP time stamps
 * consecutive from a first packet with the marker bit, and record times spaced by the
 * packet time, which is what sipp paces its playback by. A last partial packet is dropped.
 */
export function writeRtpPcap(file: string, samples: Int16Array, opts: RtpPcapOptions = {}): void {
  const perPacket = ((opts.ptimeMs ?? 20) * RATE) / 1000;
  const count = Math.floor(samples.length / perPacket);
  const payload = encodeAlaw(samples);
  const start = opts.startTime ?? 1_700_000_000;
  const records: Buffer[] = [globalHeader(LINKTYPE_ETHERNET)];
  for (let i = 0; i < count; i++) {
    const rtp = Buffer.alloc(RTP_HEADER + perPacket);
    rtp[0] = 0x80; // version 2, no padding, no extension, no CSRC
    rtp[1] = (i === 0 ? 0x80 : 0) | ((opts.payloadType ?? 8) & 0x7f);
    rtp.writeUInt16BE((1000 + i) & 0xffff, 2);
    rtp.writeUInt32BE((i * perPacket) >>> 0, 4);
    rtp.writeUInt32BE((opts.ssrc ?? 0x48544c31) >>> 0, 8);
    payload.copy(rtp, RTP_HEADER, i * perPacket, (i + 1) * perPacket);
    const frame = ethernetIpv4Udp(opts.srcPort ?? 6000, opts.dstPort ?? 6002, rtp);
    const micros = Math.round((i * perPacket * 1e6) / RATE);
    const record = Buffer.alloc(16);
    record.writeUInt32LE(Math.floor(start) + Math.floor(micros / 1e6), 0);
    record.writeUInt32LE(micros % 1e6, 4);
    record.writeUInt32LE(frame.length, 8);
    record.writeUInt32LE(frame.length, 12);
    records.push(record, frame);
  }
  writeFileSync(file, Buffer.concat(records));
}

function globalHeader(linkType: number): Buffer {
  const h = Buffer.alloc(24);
  h.writeUInt32LE(PCAP_MAGIC, 0);
  h.writeUInt16LE(2, 4);
  h.writeUInt16LE(4, 6);
  h.writeInt32LE(0, 8); // time zone offset
  h.writeUInt32LE(0, 12); // time stamp accuracy
  h.writeUInt32LE(65535, 16); // snapshot length
  h.writeUInt32LE(linkType, 20);
  return h;
}

/** An Ethernet II frame holding an IPv4 datagram (127.0.0.1 → 127.0.0.1) with one UDP packet. */
function ethernetIpv4Udp(srcPort: number, dstPort: number, data: Buffer): Buffer {
  const frame = Buffer.alloc(14 + 20 + 8 + data.length);
  // Zero MAC addresses, as on Linux loopback; EtherType IPv4.
  frame.writeUInt16BE(ETHERTYPE_IPV4, 12);
  const ip = frame.subarray(14, 34);
  ip[0] = 0x45; // IPv4, header of 5 words
  ip.writeUInt16BE(20 + 8 + data.length, 2);
  ip.writeUInt16BE(0x4000, 6); // don't fragment
  ip[8] = 64; // TTL
  ip[9] = IP_PROTO_UDP;
  ip.writeUInt32BE(0x7f000001, 12);
  ip.writeUInt32BE(0x7f000001, 16);
  ip.writeUInt16BE(ipChecksum(ip), 10);
  const udp = frame.subarray(34, 42);
  udp.writeUInt16BE(srcPort, 0);
  udp.writeUInt16BE(dstPort, 2);
  udp.writeUInt16BE(8 + data.length, 4);
  // UDP checksum 0: "not computed", allowed over IPv4 (RFC 768).
  data.copy(frame, 42);
  return frame;
}

/** RFC 791 header checksum: one's complement of the one's complement sum of 16-bit words. */
function ipChecksum(header: Buffer): number {
  let sum = 0;
  for (let i = 0; i < header.length; i += 2) sum += header.readUInt16BE(i);
  while (sum > 0xffff) sum = (sum & 0xffff) + (sum >>> 16);
  return ~sum & 0xffff;
}

// --- reading ------------------------------------------------------------------------------

export interface UdpRecord {
  /** Capture time, seconds since the epoch. */
  readonly time: number;
  readonly srcPort: number;
  readonly dstPort: number;
  readonly payload: Buffer;
}

/**
 * The UDP/IPv4 packets of a pcap file. Every length is checked against the file: a
 * record cut short (tcpdump stopped mid-write) ends the reading instead of throwing.
 */
export function readPcap(file: string): UdpRecord[] {
  const buf = readFileSync(file);
  if (buf.length < 24) return [];
  const magic = buf.readUInt32LE(0);
  const le = magic === PCAP_MAGIC || magic === 0xa1b23c4d;
  if (!le && buf.readUInt32BE(0) !== PCAP_MAGIC && buf.readUInt32BE(0) !== 0xa1b23c4d) {
    throw new Error(`${file}: not a libpcap file (magic ${magic.toString(16)})`);
  }
  const nanos = (le ? magic : buf.readUInt32BE(0)) === 0xa1b23c4d;
  const u32 = (o: number) => (le ? buf.readUInt32LE(o) : buf.readUInt32BE(o));
  const linkType = u32(20) & 0xffff;
  const out: UdpRecord[] = [];
  for (let at = 24; at + 16 <= buf.length;) {
    const time = u32(at) + u32(at + 4) / (nanos ? 1e9 : 1e6);
    const length = u32(at + 8);
    const body = at + 16;
    if (body + length > buf.length) break;
    const udp = udpOf(buf.subarray(body, body + length), linkType);
    if (udp) out.push({ time, ...udp });
    at = body + length;
  }
  return out;
}

function udpOf(frame: Buffer, linkType: number): Omit<UdpRecord, 'time'> | undefined {
  let ipAt: number;
  if (linkType === LINKTYPE_ETHERNET) {
    if (frame.length < 14 || frame.readUInt16BE(12) !== ETHERTYPE_IPV4) return undefined;
    ipAt = 14;
  } else if (linkType === LINKTYPE_LINUX_SLL) {
    if (frame.length < 16 || frame.readUInt16BE(14) !== ETHERTYPE_IPV4) return undefined;
    ipAt = 16;
  } else if (linkType === LINKTYPE_LINUX_SLL2) {
    if (frame.length < 20 || frame.readUInt16BE(0) !== ETHERTYPE_IPV4) return undefined;
    ipAt = 20;
  } else if (linkType === LINKTYPE_RAW) {
    ipAt = 0;
  } else {
    throw new Error(`unsupported pcap link type ${linkType}`);
  }
  if (frame.length < ipAt + 20 || (frame[ipAt] as number) >> 4 !== 4) return undefined;
  const ihl = ((frame[ipAt] as number) & 0x0f) * 4;
  if (frame[ipAt + 9] !== IP_PROTO_UDP || frame.length < ipAt + ihl + 8) return undefined;
  const udpAt = ipAt + ihl;
  const udpLength = frame.readUInt16BE(udpAt + 4);
  if (udpLength < 8 || udpAt + udpLength > frame.length) return undefined;
  return {
    srcPort: frame.readUInt16BE(udpAt),
    dstPort: frame.readUInt16BE(udpAt + 2),
    payload: frame.subarray(udpAt + 8, udpAt + udpLength),
  };
}

// --- RTP ----------------------------------------------------------------------------------

export interface RtpPacket {
  readonly time: number;
  readonly srcPort: number;
  readonly dstPort: number;
  readonly payloadType: number;
  readonly marker: boolean;
  readonly seq: number;
  readonly timestamp: number;
  readonly ssrc: number;
  readonly payload: Buffer;
}

/** The RTP packets among the records (RTCP and anything not RTP version 2 left out). */
export function rtpPackets(records: readonly UdpRecord[]): RtpPacket[] {
  const out: RtpPacket[] = [];
  for (const r of records) {
    const p = r.payload;
    if (p.length < RTP_HEADER || (p[0] as number) >> 6 !== 2) continue;
    const pt = (p[1] as number) & 0x7f;
    // RTCP packet types 200–204 put 72–76 in this position (RFC 5761 §4).
    if (pt >= 72 && pt <= 76) continue;
    let start = RTP_HEADER + 4 * ((p[0] as number) & 0x0f);
    if ((p[0] as number) & 0x10) {
      if (p.length < start + 4) continue;
      start += 4 + 4 * p.readUInt16BE(start + 2);
    }
    let end = p.length;
    if ((p[0] as number) & 0x20) end -= p[p.length - 1] as number;
    if (start > end) continue;
    out.push({
      time: r.time,
      srcPort: r.srcPort,
      dstPort: r.dstPort,
      payloadType: pt,
      marker: ((p[1] as number) & 0x80) !== 0,
      seq: p.readUInt16BE(2),
      timestamp: p.readUInt32BE(4),
      ssrc: p.readUInt32BE(8),
      payload: p.subarray(start, end),
    });
  }
  return out;
}

/** Decodes a G.711 packet (PT 8 PCMA, 0 PCMU); undefined for other payload types. */
export function decodePacket(p: RtpPacket): Float32Array | undefined {
  if (p.payloadType === 8) return decodeG711(p.payload, 'alaw');
  if (p.payloadType === 0) return decodeG711(p.payload, 'ulaw');
  return undefined;
}

/** The decoded audio of the packets, one after the other in arrival order (gaps closed). */
export function concatAudio(packets: readonly RtpPacket[]): Float32Array {
  const parts = packets.map(decodePacket).filter((x): x is Float32Array => x !== undefined);
  const out = new Float32Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

/**
 * The decoded audio placed on the capture's clock, sample 0 at `t0` (seconds since the
 * epoch): within one SSRC by RTP time stamp, so arrival jitter does not smear the
 * waveform, and anchored to the clock by its least-delayed packet. Silence fills gaps.
 */
export function timelineAudio(packets: readonly RtpPacket[], t0: number, seconds: number): Float32Array {
  const out = new Float32Array(Math.ceil(seconds * RATE));
  const bySsrc = new Map<number, RtpPacket[]>();
  for (const p of packets) {
    if (p.payloadType !== 8 && p.payloadType !== 0) continue;
    const list = bySsrc.get(p.ssrc) ?? [];
    list.push(p);
    bySsrc.set(p.ssrc, list);
  }
  for (const list of bySsrc.values()) {
    const first = (list[0] as RtpPacket).timestamp;
    // Unwrapped RTP time relative to the first packet, in samples.
    const rel = (p: RtpPacket) => ((p.timestamp - first + 0x80000000) >>> 0) - 0x80000000;
    const anchor = Math.min(...list.map((p) => p.time - rel(p) / RATE));
    for (const p of list) {
      const audio = decodePacket(p) as Float32Array;
      const at = Math.round((anchor - t0) * RATE) + rel(p);
      for (let i = 0; i < audio.length; i++) {
        const k = at + i;
        if (k >= 0 && k < out.length) out[k] = audio[i] as number;
      }
    }
  }
  return out;
}

/** RMS level of one G.711 packet in dBFS (−Infinity for silence or another payload type). */
export function packetLevel(p: RtpPacket): number {
  const audio = decodePacket(p);
  if (!audio || audio.length === 0) return -Infinity;
  let sum = 0;
  for (const x of audio) sum += x * x;
  return 10 * Math.log10(sum / audio.length);
}

/**
 * Packets that carry sound: G.711 above `dbfs` (A-law silence decodes to ±8, about
 * −72 dBFS; speech, tones and music on hold sit at −30 to −10 dBFS).
 */
export function audible(packets: readonly RtpPacket[], dbfs = -45): RtpPacket[] {
  return packets.filter((p) => packetLevel(p) > dbfs);
}
