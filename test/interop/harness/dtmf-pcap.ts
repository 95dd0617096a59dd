/**
 * A pcap of RFC 4733 key presses for sipp's play_pcap_audio, one press at each given time.
 * sipp replays a capture as it is (no renumbering), and sipp's own dtmf_2833_N captures all
 * share one stream in which, say, 7 comes before # — so a PIN followed later by 7 needs a
 * capture of its own, with time stamps that keep increasing.
 */
import { writeFileSync } from 'node:fs';

const EVENTS: Readonly<Record<string, number>> = { '*': 10, '#': 11 };
const PACKET_MS = 20;
/** Packets while the key is down, then three End packets (RFC 4733 §2.5.1.4). */
const DOWN_PACKETS = 7;
const END_PACKETS = 3;

export interface KeyPress {
  readonly key: string;
  /** Seconds from the start of the capture. */
  readonly at: number;
}

function event(key: string): number {
  const code = /^[0-9]$/.test(key) ? Number(key) : EVENTS[key];
  if (code === undefined) throw new Error(`no RFC 4733 event for key ${JSON.stringify(key)}`);
  return code;
}

function udpFrame(payload: Buffer): Buffer {
  const frame = Buffer.alloc(14 + 20 + 8 + payload.length);
  frame.writeUInt16BE(0x0800, 12); // IPv4, zero MAC addresses as on loopback
  const ip = frame.subarray(14, 34);
  ip[0] = 0x45;
  ip.writeUInt16BE(20 + 8 + payload.length, 2);
  ip[8] = 64;
  ip[9] = 17; // UDP
  ip.writeUInt32BE(0x7f000001, 12);
  ip.writeUInt32BE(0x7f000001, 16);
  let sum = 0;
  for (let i = 0; i < 20; i += 2) sum += ip.readUInt16BE(i);
  while (sum > 0xffff) sum = (sum & 0xffff) + (sum >>> 16);
  ip.writeUInt16BE(~sum & 0xffff, 10);
  const udp = frame.subarray(34, 42);
  udp.writeUInt16BE(6000, 0);
  udp.writeUInt16BE(6002, 2);
  udp.writeUInt16BE(8 + payload.length, 4);
  payload.copy(frame, 42);
  return frame;
}

/** Writes the presses (payload type 101, 8 kHz clock) as a libpcap file. */
export function writeKeyPressPcap(file: string, presses: readonly KeyPress[], payloadType = 101): void {
  const header = Buffer.alloc(24);
  header.writeUInt32LE(0xa1b2c3d4, 0);
  header.writeUInt16LE(2, 4);
  header.writeUInt16LE(4, 6);
  header.writeUInt32LE(65535, 16);
  header.writeUInt32LE(1, 20); // Ethernet
  const records: Buffer[] = [header];
  let seq = 4000;
  const start = 1_700_000_000;
  for (const press of presses) {
    const timestamp = Math.round(press.at * 8000);
    for (let i = 0; i < DOWN_PACKETS + END_PACKETS; i++) {
      const end = i >= DOWN_PACKETS;
      const duration = (Math.min(i, DOWN_PACKETS - 1) + 1) * 160;
      const rtp = Buffer.alloc(16);
      rtp[0] = 0x80;
      rtp[1] = (i === 0 ? 0x80 : 0) | payloadType;
      rtp.writeUInt16BE(seq++ & 0xffff, 2);
      rtp.writeUInt32BE(timestamp >>> 0, 4);
      rtp.writeUInt32BE(0x4b455953, 8); // "KEYS"
      rtp[12] = event(press.key);
      rtp[13] = (end ? 0x80 : 0) | 10; // volume −10 dBm0
      rtp.writeUInt16BE(duration, 14);
      const micros = Math.round((press.at * 1000 + i * PACKET_MS) * 1000);
      const frame = udpFrame(rtp);
      const record = Buffer.alloc(16);
      record.writeUInt32LE(start + Math.floor(micros / 1e6), 0);
      record.writeUInt32LE(micros % 1e6, 4);
      record.writeUInt32LE(frame.length, 8);
      record.writeUInt32LE(frame.length, 12);
      records.push(record, frame);
    }
  }
  writeFileSync(file, Buffer.concat(records));
}
