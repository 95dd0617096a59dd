/**
 * The codec registry: PCMU (0), PCMA (8) and G.722 (9) built in. Lookups by payload type
 * serve static types; lookups by name and clock rate serve what SDP negotiated.
 *
 * G.722 keeps the 8 kHz RTP clock (RFC 3551 §4.5.2) although it samples at 16 kHz, so its
 * spec says `clockRate: 8000, sampleRate: 16000`; `create()` gives each stream its own
 * encoder and decoder state. Its output is bit-exact with spandsp's G.722, the codec baresip
 * links (test/interop/g722-spandsp.test.ts).
 *
 * Open slot: Opus, see `OpusCodec` in types.ts.
 */
import { MediaError } from '../errors.js';
import { decodeAlaw, decodeUlaw, encodeAlaw, encodeUlaw } from './g711.js';
import { G722Decoder, G722Encoder } from './g722.js';
import type { Codec, CodecSpec } from './types.js';

function g711Spec(name: 'PCMU' | 'PCMA', payloadType: number, codec: Codec): CodecSpec {
  return {
    name,
    payloadType,
    clockRate: 8000,
    sampleRate: 8000,
    channels: 1,
    stateless: true,
    payloadBytes: (ptimeMs) => (ptimeMs * 8000) / 1000,
    create: () => codec,
  };
}

/** The shared PCMU codec (stateless). `encode` writes one byte per sample. */
export const PCMU: Codec = Object.freeze({
  name: 'PCMU',
  payloadType: 0,
  clockRate: 8000,
  sampleRate: 8000,
  encode: (pcm: Int16Array, out: Uint8Array) => encodeUlaw(pcm, out),
  decode: (payload: Uint8Array, out: Int16Array) => decodeUlaw(payload, out),
});

/** The shared PCMA codec (stateless). */
export const PCMA: Codec = Object.freeze({
  name: 'PCMA',
  payloadType: 8,
  clockRate: 8000,
  sampleRate: 8000,
  encode: (pcm: Int16Array, out: Uint8Array) => encodeAlaw(pcm, out),
  decode: (payload: Uint8Array, out: Int16Array) => decodeAlaw(payload, out),
});

export const PCMU_SPEC: CodecSpec = g711Spec('PCMU', 0, PCMU);
export const PCMA_SPEC: CodecSpec = g711Spec('PCMA', 8, PCMA);

/** G.722 for one stream: 16 kHz PCM (an even number of samples) ↔ one octet per two samples. */
class G722Codec implements Codec {
  readonly name = 'G722';
  readonly payloadType = 9;
  readonly clockRate = 8000;
  readonly sampleRate = 16000;
  private readonly encoder = new G722Encoder();
  private readonly decoder = new G722Decoder();

  encode(pcm: Int16Array, out: Uint8Array): number {
    return this.encoder.encode(pcm, out);
  }

  decode(payload: Uint8Array, out: Int16Array): number {
    return this.decoder.decode(payload, out);
  }
}

export const G722_SPEC: CodecSpec = {
  name: 'G722',
  payloadType: 9,
  clockRate: 8000,
  sampleRate: 16000,
  channels: 1,
  stateless: false,
  // 64 kbit/s: 8 octets per millisecond.
  payloadBytes: (ptimeMs) => ptimeMs * 8,
  create: () => new G722Codec(),
};

function key(name: string, clockRate: number): string {
  return `${name.toUpperCase()}/${clockRate}`;
}

export class CodecRegistry {
  private readonly byKey = new Map<string, CodecSpec>();
  private readonly byType = new Map<number, CodecSpec>();

  constructor(specs: readonly CodecSpec[] = []) {
    for (const spec of specs) this.register(spec);
  }

  /** Adds a codec; a second codec with the same name and clock rate is an error. */
  register(spec: CodecSpec): void {
    const k = key(spec.name, spec.clockRate);
    if (this.byKey.has(k)) {
      throw new MediaError('MEDIA_INVALID_ARGUMENT', `codec ${k} is already registered`, { codec: k });
    }
    if (!Number.isInteger(spec.payloadType) || spec.payloadType < 0 || spec.payloadType > 127) {
      throw new MediaError('MEDIA_INVALID_ARGUMENT', `payload type ${spec.payloadType} is not 0–127`);
    }
    this.byKey.set(k, spec);
    // Static payload types (0–95, RFC 3551 §6) identify the codec; dynamic ones do not.
    if (spec.payloadType < 96) this.byType.set(spec.payloadType, spec);
  }

  /** The codec of a static payload type, e.g. 0 → PCMU. */
  byPayloadType(payloadType: number): CodecSpec | undefined {
    return this.byType.get(payloadType);
  }

  /** The codec an `a=rtpmap:<pt> <name>/<clockRate>` line names (name case-insensitive). */
  byName(name: string, clockRate: number): CodecSpec | undefined {
    return this.byKey.get(key(name, clockRate));
  }

  /** All codecs in registration order (the default preference order for offers). */
  list(): readonly CodecSpec[] {
    return [...this.byKey.values()];
  }
}

/** A registry with the codecs Hotline implements, in its default preference order. */
export function defaultCodecRegistry(): CodecRegistry {
  return new CodecRegistry([PCMU_SPEC, PCMA_SPEC, G722_SPEC]);
}
