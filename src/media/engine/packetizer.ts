/**
 * The sending half of a processed stream: 20 ms frames in, RTP packets of the negotiated
 * packetization out, with our own SSRC, sequence numbers and timestamps (RFC 3550 §5.1).
 *
 * Frames are spliced into packets of `ptimeMs` (a 30 ms packet takes one and a half
 * frames; a 10 ms packetization makes two packets of one frame). A frame whose timestamp
 * does not continue the packet being filled (the source stopped and started again)
 * discards the partial packet. The marker bit goes on the first packet after the caller
 * says the source changed (RFC 3551 §4.1: the start of a talkspurt).
 *
 * No allocation per packet: packets are written into a small ring of preallocated
 * buffers. The relay's sockets hand a datagram to the kernel inside send() (see
 * worker-host.ts, ipLiteral); a ring rather than one buffer is the margin for a socket
 * that is congested, where libuv keeps the buffer queued for a moment.
 */
import type { FrameCodec } from './frame-codec.js';

const RING = 8;
const HEADER = 12;
/** RFC 4733 telephone-event packets: header and a 4-byte payload. */
const EVENT_BYTES = HEADER + 4;

export type SendPacket = (packet: Buffer) => boolean;

/** What an RFC 4733 event packet needs (the fields of a planned TelephoneEventPacket). */
export interface EventPacket {
  readonly marker: boolean;
  readonly payloadType: number;
  readonly sequenceNumber: number;
  readonly timestamp: number;
  readonly payload: Uint8Array;
}

export class RtpPacketizer {
  readonly ssrc: number;
  /** The next sequence number. */
  seq: number;
  /** RTCP sender info (RFC 3550 §6.4.1): packets and payload octets we generated. */
  packetsSent = 0;
  octetsSent = 0;
  /** Timestamp of the last packet sent, for the SR's RTP timestamp. */
  lastTimestamp = 0;
  private codec!: FrameCodec;
  private payloadType = 0;
  private samples = 0;
  private acc = new Int16Array(0);
  private accLength = 0;
  private accTs = 0;
  private marker = false;
  private ring: Buffer[] = [];
  private payloads: Uint8Array[] = [];
  private readonly events: Buffer[];
  private at = 0;
  private eventAt = 0;

  constructor(
    codec: FrameCodec,
    payloadType: number,
    ptimeMs: number,
    private readonly send: SendPacket,
    random: () => number = Math.random,
  ) {
    // RFC 3550 §5.1: SSRC, initial sequence number and timestamp are random.
    this.ssrc = Math.floor(random() * 0x1_0000_0000) >>> 0;
    this.seq = Math.floor(random() * 0x10000) & 0xffff;
    this.events = Array.from({ length: RING }, () => Buffer.alloc(EVENT_BYTES));
    this.setFormat(codec, payloadType, ptimeMs);
  }

  /** A re-INVITE changed codec, payload type or packetization; SSRC and sequence go on. */
  setFormat(codec: FrameCodec, payloadType: number, ptimeMs: number): void {
    const samples = (ptimeMs * 8000) / 1000;
    const resize =
      samples !== this.samples || this.codec?.payloadBytes(samples) !== codec.payloadBytes(samples);
    this.codec = codec;
    this.payloadType = payloadType;
    if (resize) {
      this.samples = samples;
      this.acc = new Int16Array(samples);
      this.ring = Array.from({ length: RING }, () => Buffer.alloc(HEADER + codec.payloadBytes(samples)));
      this.payloads = this.ring.map((b) => b.subarray(HEADER));
    }
    this.reset();
  }

  /** Samples per packet. */
  get packetSamples(): number {
    return this.samples;
  }

  /** Drops a partially filled packet (the source went away). */
  reset(): void {
    this.accLength = 0;
  }

  /**
   * Adds `frame` (all of it) whose first sample has RTP timestamp `ts`, sending every
   * packet it completes. `marker`: the source changed, so the next packet starts a talkspurt.
   */
  push(frame: Int16Array, ts: number, marker: boolean): void {
    if (marker) this.marker = true;
    if (this.accLength > 0 && (this.accTs + this.accLength) >>> 0 !== ts >>> 0) this.accLength = 0;
    if (this.accLength === 0) this.accTs = ts >>> 0;
    const acc = this.acc;
    for (let i = 0; i < frame.length;) {
      const n = Math.min(frame.length - i, this.samples - this.accLength);
      for (let k = 0; k < n; k++) acc[this.accLength + k] = frame[i + k]!;
      this.accLength += n;
      i += n;
      if (this.accLength === this.samples) {
        this.emit();
        this.accTs = (this.accTs + this.samples) >>> 0;
        this.accLength = 0;
      }
    }
  }

  private emit(): void {
    const buf = this.ring[this.at]!;
    const bytes = this.codec.encode(this.acc, this.payloads[this.at]!);
    this.at = (this.at + 1) % RING;
    writeHeader(buf, this.marker, this.payloadType, this.seq, this.accTs, this.ssrc);
    this.marker = false;
    this.seq = (this.seq + 1) & 0xffff;
    this.lastTimestamp = this.accTs;
    if (this.send(buf)) {
      this.packetsSent++;
      this.octetsSent += bytes;
    }
  }

  /** Sends one planned RFC 4733 packet under our SSRC. */
  sendEvent(p: EventPacket): void {
    const buf = this.events[this.eventAt]!;
    this.eventAt = (this.eventAt + 1) % RING;
    writeHeader(buf, p.marker, p.payloadType, p.sequenceNumber, p.timestamp, this.ssrc);
    for (let i = 0; i < 4; i++) buf[HEADER + i] = p.payload[i] ?? 0;
    this.lastTimestamp = p.timestamp >>> 0;
    if (this.send(buf)) {
      this.packetsSent++;
      this.octetsSent += 4;
    }
  }
}

/** The 12-byte fixed header (RFC 3550 §5.1): V=2, no padding, extension or CSRCs. */
function writeHeader(buf: Buffer, marker: boolean, pt: number, seq: number, ts: number, ssrc: number): void {
  buf[0] = 0x80;
  buf[1] = (marker ? 0x80 : 0) | (pt & 0x7f);
  buf[2] = (seq >> 8) & 0xff;
  buf[3] = seq & 0xff;
  buf[4] = ts >>> 24;
  buf[5] = (ts >>> 16) & 0xff;
  buf[6] = (ts >>> 8) & 0xff;
  buf[7] = ts & 0xff;
  buf[8] = ssrc >>> 24;
  buf[9] = (ssrc >>> 16) & 0xff;
  buf[10] = (ssrc >>> 8) & 0xff;
  buf[11] = ssrc & 0xff;
}
