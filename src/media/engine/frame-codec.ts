/**
 * The codec view the engine needs on its hot path: decode a payload straight out of the
 * received datagram (offset and length, so no view is allocated per packet) and encode
 * a frame into a packet buffer the packetizer owns. G.711 only for now; the registry's
 * open slots (G.722, Opus) get an entry here when they exist.
 */
import { ALAW_DECODE, ULAW_DECODE, encodeAlaw, encodeUlaw } from '../codec/g711.js';

export interface FrameCodec {
  /** SDP name, upper case (`PCMU`). */
  readonly name: 'PCMU' | 'PCMA';
  /** Decodes `buf[offset, offset + length)` into `out`; returns the samples written (≤ out.length). */
  decode(buf: Uint8Array, offset: number, length: number, out: Int16Array): number;
  /** Encodes all of `pcm` into `out`; returns the payload bytes written. */
  encode(pcm: Int16Array, out: Uint8Array): number;
  /** Payload bytes of `samples` samples. */
  payloadBytes(samples: number): number;
}

function g711(name: 'PCMU' | 'PCMA', table: Readonly<Int16Array>, encode: typeof encodeUlaw): FrameCodec {
  return Object.freeze({
    name,
    decode(buf: Uint8Array, offset: number, length: number, out: Int16Array): number {
      const n = Math.min(length, out.length, buf.length - offset);
      for (let i = 0; i < n; i++) out[i] = table[buf[offset + i]!]!;
      return n < 0 ? 0 : n;
    },
    encode: (pcm: Int16Array, out: Uint8Array) => encode(pcm, out),
    payloadBytes: (samples: number) => samples,
  });
}

const CODECS: ReadonlyMap<string, FrameCodec> = new Map([
  ['PCMU', g711('PCMU', ULAW_DECODE, encodeUlaw)],
  ['PCMA', g711('PCMA', ALAW_DECODE, encodeAlaw)],
]);

/** The engine's codec for an SDP encoding name (case-insensitive), or undefined. */
export function frameCodecOf(name: string): FrameCodec | undefined {
  return CODECS.get(name.toUpperCase());
}

/** Names the engine can decode and encode. */
export const ENGINE_CODECS: readonly string[] = [...CODECS.keys()];
