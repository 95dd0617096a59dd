/**
 * The engine's side of one configured endpoint: what arrives from the phone and what we
 * send to it. The endpoint keeps the sockets, latching and counters; the stream decides.
 *
 * Receive (per packet, from the socket callback):
 *   RTP ─▶ stats (RFC 3550 loss, jitter) ─┬─ telephone-event ─▶ Rfc4733Receiver ─▶ 'dtmf'
 *                                         │      └─▶ relayed raw to a compatible peer (PT rewritten)
 *                                         └─ audio ─▶ relayed raw to a compatible peer (fast path)
 *                                                └─▶ jitter buffer, only when decoded audio is needed
 *
 * Tick (every 20 ms, from the worker's scheduler; the engine runs the phases in order
 * over all streams so that a peer's frame is ready before anyone sends it):
 *   pull()     jitter buffer ─▶ `heard` (in-band DTMF detection; silence when muted)
 *   produce()  what the phone hears (stream-output.ts) ─▶ packetizer ─▶ phone
 *   housekeep() RTCP report, lost RFC 4733 End packets, rtp-timeout
 *
 * "Raw relay" means the two endpoints of a connect() share codec and payload type (or the
 * peer is unconfigured): packets pass unparsed, as before the engine existed. Otherwise
 * the peer's decoded frames are re-encoded here (transcoding).
 */
import type { DigitEvent } from '../dtmf/types.js';
import { estimateMos } from '../rtp/emodel.js';
import { createRtpHeader, readRtpHeader } from '../rtp/header.js';
import { JitterBuffer } from '../rtp/jitter-buffer.js';
import { ReceiverStats } from '../rtp/receiver-stats.js';
import { parseRtcp } from '../rtp/rtcp-parse.js';
import type { RelayEndpoint } from '../relay/endpoint.js';
import type { MediaEvent, PlayOptions, StreamFormat, StreamQuality } from '../relay/control.js';
import type { AudioCache } from './audio-cache.js';
import { DtmfInput } from './dtmf-input.js';
import { frameCodecOf, type FrameCodec } from './frame-codec.js';
import type { MixInput, MixerMember } from './mixer.js';
import { RtcpSession, srMiddleOf } from './rtcp-session.js';
import { StreamOutput } from './stream-output.js';
import { FRAME, RATE, type EngineClock, type EngineSettings, type PlaySnapshot } from './types.js';

/** Largest packet decoded: 120 ms of G.711. Longer payloads are cut (no phone sends them). */
const MAX_PACKET_SAMPLES = 960;
/** Underrun frames after which a peer's stream counts as stopped (its transcoding stops too). */
const LIVE_UNDERRUNS = 5;

export interface StreamContext {
  readonly clock: EngineClock;
  readonly settings: EngineSettings;
  readonly cache: AudioCache;
  readonly emit: (event: MediaEvent) => void;
}

export class MediaStream implements MixInput {
  readonly id: string;
  format: StreamFormat;
  codec: FrameCodec;
  /** What the phone said this tick, as others get it: silence when muted or not heard. */
  readonly heard = new Int16Array(FRAME);
  /** The phone's audio is flowing (a transcoding peer sends only then). */
  rxLive = false;
  // Links, kept by the engine.
  rawRelay = false;
  transcode = false;
  recorders = 0;
  member: MixerMember | null = null;

  private readonly stats = new ReceiverStats(RATE);
  private readonly jb = new JitterBuffer({ mode: 'adaptive', targetMs: 40, minMs: 20, maxMs: 200 });
  private readonly header = createRtpHeader();
  private readonly scratch = new Int16Array(MAX_PACKET_SAMPLES);
  private readonly dtmfIn: DtmfInput;
  private readonly output: StreamOutput;
  private readonly rtcp: RtcpSession;
  private decoding = false;
  private silent = false;
  private underruns = 0;
  private remoteSsrc: number | null = null;
  private lastAudioTs = 0;
  private lastAudioArrival = Number.NaN;
  private reportedPackets = 0;
  private configuredAt: number;
  private timedOutAt: number | null = null;

  constructor(
    private readonly ep: RelayEndpoint,
    format: StreamFormat,
    codec: FrameCodec,
    private readonly ctx: StreamContext,
    random: () => number = Math.random,
  ) {
    this.id = ep.id;
    this.format = format;
    this.codec = codec;
    this.dtmfIn = new DtmfInput(ep.id);
    this.dtmfIn.configure(format.telephoneEvent);
    const send = (packet: Buffer): boolean => this.canSend && ep.sendRtp(packet);
    this.output = new StreamOutput(ep.id, format, codec, send, ctx.cache, ctx.emit, random);
    this.rtcp = new RtcpSession(
      `${ep.id}@hotline`,
      ctx.settings.rtcpIntervalMs,
      ctx.clock.monotonic(),
      random,
    );
    this.configuredAt = ctx.clock.now();
  }

  /** A re-INVITE: new codec, packetization, telephone-event or direction. */
  configure(format: StreamFormat, codec: FrameCodec): void {
    const old = this.format;
    this.format = format;
    this.codec = codec;
    this.output.setFormat(format, codec);
    if (old.codec !== format.codec) this.jb.reset();
    this.dtmfIn.configure(format.telephoneEvent);
    if (old.direction !== format.direction) this.configuredAt = this.ctx.clock.now();
  }

  /** We may send to the phone (our direction sendrecv or sendonly). */
  get canSend(): boolean {
    const d = this.format.direction;
    return d === 'sendrecv' || d === 'sendonly';
  }

  /** We listen to the phone (our direction sendrecv or recvonly). */
  get hears(): boolean {
    const d = this.format.direction;
    return d === 'sendrecv' || d === 'recvonly';
  }

  /** Decoded audio is needed: a recording, a mixer, transcoding, or in-band detection. */
  get decode(): boolean {
    return this.recorders > 0 || this.member !== null || this.transcode || this.dtmfIn.inbandActive;
  }

  /** Packets relayed from the peer may go out now (nothing of our own is playing). */
  acceptsRelayed(): boolean {
    return this.rawRelay && this.canSend && !this.output.generating;
  }

  get inbandOverride(): boolean | null {
    return this.dtmfIn.inbandOverride;
  }

  set inbandOverride(on: boolean | null) {
    this.dtmfIn.inbandOverride = on;
  }

  // ------------------------------------------------------------------ receive (hot path)

  receiveRtp(msg: Buffer, now: number): void {
    const ep = this.ep;
    const c = ep.counters;
    if (msg.length < 12 || (msg[0]! & 0xc0) !== 0x80) {
      c.packetsDropped++;
      return;
    }
    const pt = msg[1]! & 0x7f;
    const seq = (msg[2]! << 8) | msg[3]!;
    const ts = ((msg[4]! << 24) | (msg[5]! << 16) | (msg[6]! << 8) | msg[7]!) >>> 0;
    const ssrc = ((msg[8]! << 24) | (msg[9]! << 16) | (msg[10]! << 8) | msg[11]!) >>> 0;
    const arrival = this.ctx.clock.monotonic();
    if (ssrc !== this.remoteSsrc) this.newSource(ssrc);
    if (pt === this.format.telephoneEvent) {
      // An event repeats its start timestamp: stand in the audio clock's position so the
      // jitter estimate (RFC 3550 A.8) is not thrown by it; the sequence still counts.
      this.stats.update(seq, this.expectedTs(arrival), arrival);
      this.receiveEvent(msg, now);
      return;
    }
    this.stats.update(seq, ts, arrival);
    this.lastAudioTs = ts;
    this.lastAudioArrival = arrival;
    if (!this.hears) {
      c.packetsDropped++;
      return;
    }
    let used = false;
    if (!ep.muted) {
      if (this.rawRelay) used = ep.peer!.relayFromPeer(msg);
      else if (ep.mode === 'echo' && this.canSend && !this.output.generating) {
        used = ep.sendRtp(msg);
      }
    }
    if (this.decode) {
      const codec = pt === this.format.payloadType ? this.codec : staticCodec(pt);
      if (codec !== undefined) {
        this.pushDecoded(msg, arrival, codec);
        used = true;
      }
    } else if (this.codec.stateful && pt === this.format.payloadType) {
      this.follow(msg);
    }
    if (!used) c.packetsDropped++;
  }

  private expectedTs(arrival: number): number {
    if (Number.isNaN(this.lastAudioArrival)) return this.lastAudioTs;
    return (this.lastAudioTs + Math.round(((arrival - this.lastAudioArrival) * RATE) / 1000)) >>> 0;
  }

  private newSource(ssrc: number): void {
    this.remoteSsrc = ssrc;
    this.jb.reset();
    this.lastAudioArrival = Number.NaN;
  }

  private pushDecoded(msg: Buffer, arrival: number, codec: FrameCodec): void {
    const h = this.header;
    if (readRtpHeader(msg, h) !== null) return;
    if (!this.decoding) {
      this.jb.reset();
      this.decoding = true;
    }
    const n = codec.decode(msg, h.payloadOffset, h.payloadLength, this.scratch);
    if (n > 0) this.jb.push(h.timestamp, this.scratch, n, arrival);
  }

  /**
   * An adaptive decoder (G.722) decodes every packet even while nobody needs the audio: it
   * must stay in step with the phone's encoder, or a recording or transcoding that starts
   * mid-call would begin with a decoder 100 ms away from converging (quiet, then loud).
   */
  private follow(msg: Buffer): void {
    const h = this.header;
    if (readRtpHeader(msg, h) === null)
      this.codec.decode(msg, h.payloadOffset, h.payloadLength, this.scratch);
  }

  private receiveEvent(msg: Buffer, now: number): void {
    const ep = this.ep;
    if (!this.hears) {
      ep.counters.packetsDropped++;
      return;
    }
    const h = this.header;
    if (readRtpHeader(msg, h) === null) {
      const digits = this.dtmfIn.onEventPacket({
        payloadType: h.payloadType,
        marker: h.marker,
        sequenceNumber: h.sequenceNumber,
        timestamp: h.timestamp,
        ssrc: h.ssrc,
        payload: msg.subarray(h.payloadOffset, h.payloadOffset + h.payloadLength),
        arrivalMs: now,
      });
      // Barge-in: the prompt stops when the key goes down, not when it comes up.
      if (this.dtmfIn.pressed && this.output.interruptible) this.output.stopPlay('interrupted');
      for (const d of digits) this.reportDigit(d);
    }
    if (!this.relayEvent(msg)) ep.counters.packetsDropped++;
  }

  /** Telephone-events go on to a raw-relay peer under its own payload type, or nowhere. */
  private relayEvent(msg: Buffer): boolean {
    const ep = this.ep;
    if (ep.muted || !this.rawRelay) return false;
    const peer = ep.peer!;
    const theirs = peer.stream === null ? msg[1]! & 0x7f : peer.stream.format.telephoneEvent;
    if (theirs === null) return false;
    msg[1] = (msg[1]! & 0x80) | theirs;
    return peer.relayFromPeer(msg);
  }

  private reportDigit(d: DigitEvent): void {
    if (this.output.interruptible) this.output.stopPlay('interrupted');
    const durationMs = Math.round(d.durationMs);
    this.ctx.emit({
      type: 'dtmf',
      id: this.id,
      digit: d.digit,
      at: Math.round(d.timeMs),
      durationMs,
      source: d.source === 'inband' ? 'inband' : 'rfc4733',
    });
    // Transcoding: the peer cannot get our packets, so the digit is sent again in its format.
    const peer = this.ep.peer?.stream;
    if (this.transcode && peer && !this.ep.muted)
      peer.sendDtmf([d.digit], Math.max(40, Math.min(durationMs, 1000)));
  }

  receiveRtcp(msg: Buffer, now: number): void {
    const mono = this.ctx.clock.monotonic();
    const parsed = parseRtcp(msg);
    if (parsed.ok) {
      for (const p of parsed.packets) {
        if (p.type === 'sr') {
          this.stats.onSenderReport(p.ntpSeconds, p.ntpFraction, now);
          this.rtcp.onReportBlocks(p.reports, mono);
        } else if (p.type === 'rr') {
          this.rtcp.onReportBlocks(p.reports, mono);
        }
      }
    }
    if (this.rawRelay) this.ep.peer!.relayRtcpFromPeer(msg);
  }

  /** An RTCP datagram of the other phone left through this endpoint. */
  noteRelayedRtcp(msg: Buffer): void {
    const middle = srMiddleOf(msg);
    if (middle !== null) this.rtcp.noteDeparture(middle, this.ctx.clock.monotonic());
  }

  // ------------------------------------------------------------------ tick

  /** Phase 1: this tick's frame from the phone into `heard`. */
  pull(wallNow: number): void {
    if (!this.decode) {
      this.decoding = false;
      this.rxLive = false;
      if (!this.silent) this.heard.fill(0);
      this.silent = true;
      return;
    }
    this.silent = false;
    const r = this.decoding ? this.jb.pull(this.heard) : 'buffering';
    if (r === 'buffering') this.heard.fill(0);
    if (r === 'ok' || r === 'concealed') this.underruns = 0;
    else if (r === 'underrun') this.underruns++;
    this.rxLive = r !== 'buffering' && this.underruns <= LIVE_UNDERRUNS;
    for (const d of this.dtmfIn.onFrame(this.heard, wallNow)) this.reportDigit(d);
    if (this.ep.muted || !this.hears) {
      this.heard.fill(0);
      this.rxLive = false;
    }
  }

  /** Phase 3: what the phone hears this tick, sent. */
  produce(frame: number): void {
    const peer = this.transcode ? (this.ep.peer?.stream ?? null) : null;
    this.output.produce(frame, this.member?.out ?? null, peer);
  }

  /** Phase 5: RTCP, telephone-event presses whose End was lost, rtp-timeout. */
  housekeep(wallNow: number, monoNow: number): void {
    for (const d of this.dtmfIn.poll(wallNow)) this.reportDigit(d);
    this.checkTimeout(wallNow);
    // A raw relay carries the phones' own RTCP end to end; we report only on what we terminate.
    if (!this.rawRelay && this.rtcp.due(monoNow)) this.sendReport(wallNow, monoNow);
  }

  private sendReport(wallNow: number, monoNow: number): void {
    const p = this.output.packetizer;
    const sending = p.packetsSent !== this.reportedPackets;
    this.reportedPackets = p.packetsSent;
    const sender = sending
      ? {
          ssrc: p.ssrc,
          rtpTimestamp: this.output.timestamp,
          packetCount: p.packetsSent,
          octetCount: p.octetsSent,
        }
      : null;
    const block =
      this.remoteSsrc !== null && this.stats.received > 0
        ? this.stats.takeReportBlock(this.remoteSsrc, wallNow)
        : null;
    this.ep.sendRtcp(this.rtcp.build(p.ssrc, sender, block, wallNow, monoNow));
  }

  private checkTimeout(wallNow: number): void {
    const limit = this.ctx.settings.rtpTimeoutMs;
    const last = this.ep.counters.lastPacketAt;
    if (limit <= 0 || last === null || !this.hears) return;
    if (this.timedOutAt !== null) {
      if (last <= this.timedOutAt) return;
      this.timedOutAt = null; // RTP came back: a later silence is reported again
    }
    if (wallNow - Math.max(last, this.configuredAt) < limit) return;
    this.timedOutAt = last;
    this.ctx.emit({ type: 'rtp-timeout', id: this.id, silentMs: Math.round(wallNow - last) });
  }

  // ------------------------------------------------------------------ control

  play(options: PlayOptions, from?: PlaySnapshot): void {
    this.output.play(options, from);
  }

  stopPlay(): void {
    this.output.stopPlay();
  }

  get playing(): PlaySnapshot | null {
    return this.output.playing;
  }

  sendDtmf(digits: readonly DigitEvent['digit'][], durationMs: number): void {
    this.output.sendDtmf(digits, durationMs);
  }

  quality(): StreamQuality {
    const s = this.stats.snapshot();
    const lost = Math.max(0, s.lost);
    const lossPercent = s.expected > 0 ? (100 * lost) / s.expected : 0;
    const rttMs = this.rtcp.rttMs;
    const mos =
      s.received === 0
        ? null
        : estimateMos({
            codec: this.codec.name,
            lossRate: lossPercent / 100,
            jitterMs: s.jitterMs,
            rttMs: rttMs ?? 0,
            plc: true,
            ptimeMs: this.format.ptimeMs,
          }).mos;
    return {
      packetsReceived: s.received,
      packetsLost: lost,
      lossPercent: round(lossPercent, 2),
      jitterMs: round(s.jitterMs, 2),
      rttMs: rttMs === null ? null : round(rttMs, 2),
      mos: mos === null ? null : round(mos, 2),
    };
  }

  /** The endpoint goes away: a playback in progress ends `stopped` (when asked to say so). */
  dispose(reportPlayback: boolean): void {
    this.output.dispose(reportPlayback);
  }
}

const PCMU = frameCodecOf('PCMU')!;
const PCMA = frameCodecOf('PCMA')!;

/**
 * The codec of a static G.711 payload type (RFC 3551 §6): a phone that offered both may
 * switch between them without a new offer, and its audio should still be heard.
 */
function staticCodec(pt: number): FrameCodec | undefined {
  return pt === 0 ? PCMU : pt === 8 ? PCMA : undefined;
}

function round(x: number, digits: number): number {
  const k = 10 ** digits;
  return Math.round(x * k) / k;
}
