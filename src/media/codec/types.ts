/**
 * The codec contract. A codec turns 16-bit linear PCM at `sampleRate` into an RTP
 * payload and back, writing into buffers the caller owns (no allocation per frame).
 *
 * G.711 is stateless, so one shared instance serves every stream. Stateful codecs (the
 * ADPCM of G.722, Opus) keep history between frames: the registry therefore hands out
 * codecs through `CodecSpec.create()`, one instance per stream and direction.
 */
export interface Codec {
  /** The SDP encoding name (RFC 3551 §6), e.g. `PCMU`. */
  readonly name: string;
  /** Static payload type, or the dynamic one this codec is offered with by default. */
  readonly payloadType: number;
  /** The RTP timestamp clock (G.722 uses 8000 although it samples at 16 kHz, RFC 3551 §4.5.2). */
  readonly clockRate: number;
  /** The PCM rate `encode` takes and `decode` produces. */
  readonly sampleRate: number;
  /** Encodes `pcm` (mono, `sampleRate`); returns the number of payload bytes written to `out`. */
  encode(pcm: Int16Array, out: Uint8Array): number;
  /** Decodes one payload; returns the number of samples written to `out`. */
  decode(payload: Uint8Array, out: Int16Array): number;
}

/** What the registry knows about a codec before a stream asks for an instance. */
export interface CodecSpec {
  readonly name: string;
  readonly payloadType: number;
  readonly clockRate: number;
  readonly sampleRate: number;
  readonly channels: number;
  /** True when instances hold no state, so `create()` may return a shared object. */
  readonly stateless: boolean;
  /** Payload bytes for `ptimeMs` of audio (for buffer sizing), or undefined when variable. */
  payloadBytes(ptimeMs: number): number | undefined;
  /** A codec instance for one stream direction. */
  create(): Codec;
}

/**
 * The open slot for Opus (RFC 7587): 48 kHz RTP clock, two channels in SDP, a dynamic
 * payload type, variable payload size. An implementation (a native or WASM binding) is
 * registered with `CodecRegistry.register` as a spec whose `create()` returns this shape.
 * Nothing in Hotline implements it yet: browsers are offered G.711 (REFERENCE.md).
 */
export interface OpusCodec extends Codec {
  readonly name: 'opus';
  readonly clockRate: 48000;
  /** Target bit rate in bit/s (6000–510000). */
  setBitrate(bitsPerSecond: number): void;
  /** In-band forward error correction for an expected loss percentage (0 turns it off). */
  setPacketLossPercent(percent: number): void;
  /** Conceals one lost frame of `samples` samples into `out` (the decoder's PLC). */
  conceal(samples: number, out: Int16Array): number;
}
