/**
 * What a processed stream sends to its phone, chosen afresh every 20 ms tick:
 *
 *   RFC 4733 event in flight  → its packets, audio paused
 *   else a playback           → the player's frame (it overrides everything)
 *   else a mixer member       → its mix-minus frame
 *   else transcoding          → the peer's decoded frame, while the peer's audio flows
 *   else                      → nothing (a raw relay, if any, carries the peer's packets)
 *   + an in-band digit being sent is mixed in (or sent alone).
 *
 * A change of source puts the marker bit on the next packet. RTP timestamps follow the
 * scheduler's frame index, so they advance with real time even while nothing is sent.
 */
import type { DtmfDigit } from '../dtmf/types.js';
import type { MediaEvent, PlayOptions, StreamFormat } from '../relay/control.js';
import type { AudioCache } from './audio-cache.js';
import { DtmfSender, type DtmfSendContext } from './dtmf-sender.js';
import type { FrameCodec } from './frame-codec.js';
import { RtpPacketizer, type SendPacket } from './packetizer.js';
import { Player } from './player.js';
import { FRAME, type PlaySnapshot } from './types.js';

enum Source {
  None,
  Event,
  Play,
  Mix,
  Peer,
  Tone,
}

/** A frame someone else produced this tick: a transcoded peer's `heard`. */
export interface PeerAudio {
  readonly heard: Int16Array;
  readonly rxLive: boolean;
}

export type PlayEndReason = 'finished' | 'stopped' | 'interrupted' | 'failed';

export class StreamOutput {
  readonly packetizer: RtpPacketizer;
  /** The RTP timestamp of the current tick (the SR's RTP timestamp). */
  timestamp = 0;
  private readonly tx = new Int16Array(FRAME);
  private readonly dtmf = new DtmfSender();
  private readonly dtmfCtx: DtmfSendContext;
  private readonly tsBase: number;
  private player: Player | null = null;
  private lastSource = Source.None;

  constructor(
    private readonly id: string,
    private format: StreamFormat,
    codec: FrameCodec,
    send: SendPacket,
    private readonly cache: AudioCache,
    private readonly emit: (event: MediaEvent) => void,
    random: () => number,
  ) {
    this.packetizer = new RtpPacketizer(codec, format.payloadType, format.ptimeMs, send, random);
    this.tsBase = Math.floor(random() * 0x1_0000_0000) >>> 0;
    this.dtmfCtx = {
      timestamp: 0,
      sequenceNumber: 0,
      ssrc: this.packetizer.ssrc,
      telephoneEvent: null,
      sendEvent: (p) => this.packetizer.sendEvent(p),
    };
  }

  setFormat(format: StreamFormat, codec: FrameCodec): void {
    this.format = format;
    this.packetizer.setFormat(codec, format.payloadType, format.ptimeMs);
  }

  /** We are sending something of our own (packets relayed from the peer must wait). */
  get generating(): boolean {
    return this.player !== null || this.dtmf.sounding;
  }

  get interruptible(): boolean {
    return this.player?.interruptOnDtmf === true;
  }

  /** Sends this tick's frame. `mix`: the mixer's frame for us; `peer`: a transcoded peer. */
  produce(frame: number, mix: Int16Array | null, peer: PeerAudio | null): void {
    const ts = (this.tsBase + frame * FRAME) >>> 0;
    this.timestamp = ts;
    const dtmf = this.dtmf.busy ? this.tickDtmf(ts) : 'none';
    if (dtmf === 'pause') {
      this.packetizer.reset();
      this.lastSource = Source.Event;
      return;
    }
    let out: Int16Array | null = null;
    let source = Source.None;
    let waiting = false;
    if (this.player !== null) {
      const r = this.player.read(this.tx);
      if (r === 'play') {
        out = this.tx;
        source = Source.Play;
      } else if (r === 'wait') {
        waiting = true; // the prompt is loading: it still holds back everything else
      } else {
        const end = this.player.ended!;
        this.endPlay(end.reason, end.reason === 'failed' ? end.error : undefined);
      }
    }
    if (waiting) {
      out = null;
    } else if (out === null && mix !== null) {
      out = mix;
      source = Source.Mix;
    }
    if (!waiting && out === null && peer !== null && peer.rxLive) {
      out = peer.heard;
      source = Source.Peer;
    }
    if (dtmf === 'tone') {
      out = out === null ? this.dtmf.tone : this.mixTone(out);
      if (source === Source.None) source = Source.Tone;
    }
    if (out === null) {
      if (this.lastSource !== Source.None) this.packetizer.reset();
      this.lastSource = Source.None;
      return;
    }
    this.packetizer.push(out, ts, source !== this.lastSource);
    this.lastSource = source;
  }

  private mixTone(frame: Int16Array): Int16Array {
    const tone = this.dtmf.tone;
    const tx = this.tx;
    for (let i = 0; i < FRAME; i++) {
      const v = frame[i]! + tone[i]!;
      tx[i] = v > 32767 ? 32767 : v < -32768 ? -32768 : v;
    }
    return tx;
  }

  private tickDtmf(ts: number): 'none' | 'tone' | 'pause' {
    const ctx = this.dtmfCtx;
    ctx.timestamp = ts;
    ctx.sequenceNumber = this.packetizer.seq;
    ctx.telephoneEvent = this.format.telephoneEvent;
    const result = this.dtmf.tick(ctx);
    this.packetizer.seq = ctx.sequenceNumber;
    return result;
  }

  play(options: PlayOptions, from?: PlaySnapshot): void {
    if (this.player !== null) this.endPlay('stopped');
    this.player = new Player(options, this.cache, from);
  }

  /** Ends a playback in progress with `reason`; nothing playing: nothing to do. */
  stopPlay(reason: PlayEndReason = 'stopped'): void {
    if (this.player !== null) this.endPlay(reason);
  }

  get playing(): PlaySnapshot | null {
    return this.player?.snapshot() ?? null;
  }

  private endPlay(reason: PlayEndReason, error?: string): void {
    const player = this.player!;
    this.player = null;
    this.emit({
      type: 'play-done',
      id: this.id,
      playId: player.playId,
      reason,
      ...(error === undefined ? {} : { error }),
    });
  }

  sendDtmf(digits: readonly DtmfDigit[], durationMs: number): void {
    this.dtmf.enqueue(digits, durationMs);
  }

  /** The endpoint goes away: a playback ends `stopped` when `report`, silently otherwise. */
  dispose(report: boolean): void {
    if (this.player !== null && report) this.endPlay('stopped');
    this.player = null;
    this.dtmf.clear();
  }
}
