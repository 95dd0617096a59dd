/**
 * Test doubles for the engine tests: an RTP "phone" on a real UDP socket of 127.0.0.1 that
 * talks G.711 or G.722 (a signal given as a function of the sample index, sent in real time) and
 * decodes what it hears, plus the signal measurements the assertions use. Never used by
 * the engine itself.
 */
import { createSocket, type Socket } from 'node:dgram';
import { ALAW_DECODE, ULAW_DECODE, encodeAlaw, encodeUlaw } from '../codec/g711.js';
import { planTelephoneEvent } from '../dtmf/rfc4733-sender.js';
import type { DtmfDigit } from '../dtmf/types.js';
import { tsDelta } from '../rtp/seq.js';
import { G722FrameCodec } from './g722-frame.js';

export const LO = '127.0.0.1';
const RATE = 8000;

export interface Received {
  readonly data: Buffer;
  /** performance.now() at arrival. */
  readonly at: number;
}

/** What a test phone speaks: G.722 goes through the engine's own 8 ↔ 16 kHz codec. */
export type PeerCodec = 'PCMU' | 'PCMA' | 'G722';

export interface TalkSpec {
  readonly codec: PeerCodec;
  readonly payloadType: number;
  readonly ptimeMs: number;
  /** Sample n of the signal (n counts from 0 at the first packet). */
  readonly signal: (n: number) => number;
  readonly ssrc?: number;
  /** Packets (by index from 0) not to send: simulated loss. */
  readonly drop?: (index: number) => boolean;
}

/** A phone: RTP and RTCP on one socket (point the endpoint's rtcpPort at `port`). */
export class RtpPeer {
  readonly rtp: Received[] = [];
  readonly rtcp: Received[] = [];
  private talker: Talker | null = null;
  private from: ReadonlySet<number> | null = null;

  private constructor(readonly socket: Socket) {
    socket.on('message', (data, rinfo) => {
      // Ports are reused quickly when test files run side by side: a stranger's late
      // packets to a port we now hold are not ours.
      if (this.from !== null && !this.from.has(rinfo.port)) return;
      const entry = { data, at: performance.now() };
      // RFC 5761 §4: RTCP packet types 200–204 sit where RTP with the marker bit and
      // payload types 72–76 would; the tests use none of those.
      if (data.length >= 2 && data[1]! >= 200 && data[1]! <= 204) this.rtcp.push(entry);
      else this.rtp.push(entry);
    });
  }

  static open(): Promise<RtpPeer> {
    return new Promise((resolve, reject) => {
      const socket = createSocket('udp4');
      socket.once('error', reject);
      socket.bind(0, LO, () => {
        socket.off('error', reject);
        // A test that fails before closing its phone must not keep the process alive.
        socket.unref();
        resolve(new RtpPeer(socket));
      });
    });
  }

  get port(): number {
    return this.socket.address().port;
  }

  /** Keeps only what comes from these ports (an endpoint's RTP and RTCP ports). */
  acceptFrom(...ports: number[]): void {
    this.from = new Set(ports);
  }

  /** The remote address to give setRemote: RTP and RTCP both to this socket. */
  get remote(): { address: string; port: number; rtcpPort: number } {
    return { address: LO, port: this.port, rtcpPort: this.port };
  }

  send(data: Uint8Array, port: number): void {
    if (!this.closed) this.socket.send(data, port, LO);
  }

  /** Starts sending audio to `port` in real time, until stopTalking(). */
  talk(port: number, spec: TalkSpec): Talker {
    this.talker?.stop();
    this.talker = new Talker(this, port, spec);
    return this.talker;
  }

  stopTalking(): void {
    this.talker?.stop();
    this.talker = null;
  }

  /** Decoded audio of the received RTP packets with payload type `pt`, placed by timestamp. */
  audio(pt: number, codec: PeerCodec, since = 0): Int16Array {
    return assemble(
      this.rtp.filter((r) => r.at >= since && (r.data[1]! & 0x7f) === pt),
      codec,
    );
  }

  private closed = false;

  close(): Promise<void> {
    this.stopTalking();
    if (this.closed) return Promise.resolve();
    this.closed = true;
    return new Promise((resolve) => this.socket.close(() => resolve()));
  }
}

/** Sends packets of `spec` every ptime, catching up when the event loop was late. */
export class Talker {
  seq = 1000;
  ts = 50_000;
  sent = 0;
  private index = 0;
  private readonly ssrc: number;
  private readonly start = performance.now();
  private timer: ReturnType<typeof setTimeout> | null = null;
  private readonly pending = new Set<ReturnType<typeof setTimeout>>();
  private pausedUntilIndex = -1;
  private readonly g722: G722FrameCodec | null;

  constructor(
    private readonly peer: RtpPeer,
    private readonly port: number,
    private readonly spec: TalkSpec,
  ) {
    this.ssrc = spec.ssrc ?? 0x5eed0000 + Math.floor(Math.random() * 0xffff);
    this.g722 = spec.codec === 'G722' ? new G722FrameCodec() : null;
    this.pump();
  }

  private readonly pump = (): void => {
    const due = Math.floor((performance.now() - this.start) / this.spec.ptimeMs) + 1;
    while (this.index < due) this.sendOne();
    this.timer = setTimeout(this.pump, 4).unref();
  };

  private sendOne(): void {
    const samples = (this.spec.ptimeMs * RATE) / 1000;
    const n0 = this.index * samples;
    if (this.index > this.pausedUntilIndex) {
      const pcm = new Int16Array(samples);
      for (let i = 0; i < samples; i++) pcm[i] = clamp(this.spec.signal(n0 + i));
      const packet = Buffer.alloc(12 + samples);
      header(packet, false, this.spec.payloadType, this.seq, this.ts, this.ssrc);
      const payload = packet.subarray(12);
      if (this.g722 !== null) this.g722.encode(pcm, payload);
      else if (this.spec.codec === 'PCMU') encodeUlaw(pcm, payload);
      else encodeAlaw(pcm, payload);
      if (!this.spec.drop?.(this.index)) {
        this.peer.send(packet, this.port);
        this.sent++;
      }
      this.seq = (this.seq + 1) & 0xffff;
    }
    this.ts = (this.ts + samples) >>> 0;
    this.index++;
  }

  /**
   * A key press as RFC 4733 packets in this stream (audio paused meanwhile); resolves once
   * the last End packet is sent.
   */
  press(digit: DtmfDigit, durationMs: number, payloadType: number, duplicateEvery = false): Promise<void> {
    const plan = planTelephoneEvent({
      digit,
      durationMs,
      timestamp: this.ts,
      sequenceNumber: this.seq,
      ssrc: this.ssrc,
      payloadType,
    });
    this.seq = plan.nextSequenceNumber;
    const last = plan.packets[plan.packets.length - 1]!.atMs;
    this.pausedUntilIndex = this.index + Math.ceil(last / this.spec.ptimeMs);
    const sent = plan.packets.map(
      (p) =>
        new Promise<void>((resolve) => {
          const packet = Buffer.alloc(16);
          header(packet, p.marker, p.payloadType, p.sequenceNumber, p.timestamp, p.ssrc);
          packet.set(p.payload, 12);
          const t = setTimeout(() => {
            this.pending.delete(t);
            this.peer.send(packet, this.port);
            if (duplicateEvery) this.peer.send(packet, this.port);
            resolve();
          }, p.atMs).unref();
          this.pending.add(t);
        }),
    );
    return Promise.all(sent).then(() => undefined);
  }

  stop(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    for (const t of this.pending) clearTimeout(t);
    this.pending.clear();
  }
}

function clamp(v: number): number {
  const r = Math.round(v);
  return r > 32767 ? 32767 : r < -32768 ? -32768 : r;
}

export function header(b: Buffer, marker: boolean, pt: number, seq: number, ts: number, ssrc: number): void {
  b[0] = 0x80;
  b[1] = (marker ? 0x80 : 0) | pt;
  b.writeUInt16BE(seq & 0xffff, 2);
  b.writeUInt32BE(ts >>> 0, 4);
  b.writeUInt32BE(ssrc >>> 0, 8);
}

/**
 * Decodes packets into one signal placed by RTP timestamp (gaps stay silent). G.722 is
 * decoded in timestamp order by one decoder, as a phone would.
 */
export function assemble(packets: readonly Received[], codec: PeerCodec): Int16Array {
  if (packets.length === 0) return new Int16Array(0);
  const first = packets[0]!.data.readUInt32BE(4);
  let end = 0;
  let start = 0;
  for (const p of packets) {
    const rel = tsDelta(p.data.readUInt32BE(4), first);
    start = Math.min(start, rel);
    end = Math.max(end, rel + p.data.length - 12);
  }
  const out = new Int16Array(end - start);
  const at = (p: Received) => tsDelta(p.data.readUInt32BE(4), first) - start;
  if (codec === 'G722') {
    const decoder = new G722FrameCodec();
    for (const p of [...packets].sort((x, y) => at(x) - at(y))) {
      decoder.decode(p.data, 12, p.data.length - 12, out.subarray(at(p)));
    }
    return out;
  }
  const table = codec === 'PCMU' ? ULAW_DECODE : ALAW_DECODE;
  for (const p of packets) {
    const rel = at(p);
    for (let i = 12; i < p.data.length; i++) out[rel + i - 12] = table[p.data[i]!]!;
  }
  return out;
}

export function rmsOf(x: Int16Array, from = 0, to = x.length): number {
  let sum = 0;
  for (let i = from; i < to; i++) sum += x[i]! * x[i]!;
  return to > from ? Math.sqrt(sum / (to - from)) : 0;
}

/** Amplitude of the `hz` component of x[from, to) (Goertzel), in Int16 units. */
export function toneAmplitude(x: Int16Array, hz: number, from = 0, to = x.length): number {
  const n = to - from;
  if (n <= 0) return 0;
  const w = (2 * Math.PI * hz) / RATE;
  const c = 2 * Math.cos(w);
  let s1 = 0;
  let s2 = 0;
  for (let i = from; i < to; i++) {
    const s0 = x[i]! + c * s1 - s2;
    s2 = s1;
    s1 = s0;
  }
  const power = s1 * s1 + s2 * s2 - c * s1 * s2;
  return (2 * Math.sqrt(Math.max(0, power))) / n;
}

/**
 * Best normalised cross-correlation of `received` against `sent` over a window of
 * `length` samples starting at `at` in `received`, for `sent` delayed by 0…maxLag samples.
 */
export function bestCorrelation(
  sent: (n: number) => number,
  received: Int16Array,
  at: number,
  length: number,
  lagRange: readonly [number, number],
): { r: number; offset: number } {
  let best = { r: -1, offset: 0 };
  let ey = 0;
  for (let i = 0; i < length; i++) ey += received[at + i]! ** 2;
  for (let offset = lagRange[0]; offset <= lagRange[1]; offset++) {
    let xy = 0;
    let ex = 0;
    for (let i = 0; i < length; i++) {
      const x = sent(offset + i);
      xy += x * received[at + i]!;
      ex += x * x;
    }
    const r = ex > 0 && ey > 0 ? xy / Math.sqrt(ex * ey) : 0;
    if (r > best.r) best = { r, offset };
  }
  return best;
}

/** Deterministic noise in [−amp, amp] by sample index (a seeded hash). */
export function noise(seed: number, amp: number): (n: number) => number {
  return (n) => {
    let h = (Math.imul(n + 1, 0x9e3779b1) ^ Math.imul(seed, 0x85ebca77)) >>> 0;
    h = Math.imul(h ^ (h >>> 15), 0x2c1b3c6d) >>> 0;
    h ^= h >>> 13;
    return ((h >>> 0) / 0xffffffff) * 2 * amp - amp;
  };
}

export function sine(hz: number, amp: number): (n: number) => number {
  return (n) => amp * Math.sin((2 * Math.PI * hz * n) / RATE);
}

export function wait(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}
