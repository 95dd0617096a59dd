/**
 * The codec view the engine needs on its hot path: decode a payload straight out of the
 * received datagram (offset and length, so no view is allocated per packet) and encode
 * a frame into a packet buffer the packetizer owns. Both work on the engine's 8 kHz
 * samples, one payload octet per sample for every codec here.
 *
 * G.711 is stateless: one shared instance serves every stream. G.722 keeps ADPCM state,
 * so each stream gets its own (frameCodecOf creates one per call). Opus, the registry's
 * open slot, would be a stateful entry here too.
 */
import { ALAW_DECODE, ULAW_DECODE, encodeAlaw, encodeUlaw } from '../codec/g711.js';
import { G722FrameCodec } from './g722-frame.js';

export type EngineCodecName = 'PCMU' | 'PCMA' | 'G722';

export interface FrameCodec {
  /** SDP name, upper case (`PCMU`). */
  readonly name: EngineCodecName;
  /** Decodes `buf[offset, offset + length)` into `out`; returns the samples written (≤ out.length). */
  decode(buf: Uint8Array, offset: number, length: number, out: Int16Array): number;
  /** Encodes all of `pcm` into `out`; returns the payload bytes written. */
  encode(pcm: Int16Array, out: Uint8Array): number;
  /** Payload bytes of `samples` samples. */
  payloadBytes(samples: number): number;
  /** Keeps state from packet to packet (G.722's ADPCM): its decoder must see every packet. */
  readonly stateful: boolean;
}

function g711(name: 'PCMU' | 'PCMA', table: Readonly<Int16Array>, encode: typeof encodeUlaw): FrameCodec {
  return Object.freeze({
    name,
    stateful: false,
    decode(buf: Uint8Array, offset: number, length: number, out: Int16Array): number {
      const n = Math.min(length, out.length, buf.length - offset);
      for (let i = 0; i < n; i++) out[i] = table[buf[offset + i]!]!;
      return n < 0 ? 0 : n;
    },
    encode: (pcm: Int16Array, out: Uint8Array) => encode(pcm, out),
    payloadBytes: (samples: number) => samples,
  });
}

const G711: ReadonlyMap<string, FrameCodec> = new Map([
  ['PCMU', g711('PCMU', ULAW_DECODE, encodeUlaw)],
  ['PCMA', g711('PCMA', ALAW_DECODE, encodeAlaw)],
]);

/**
 * A codec for one stream by SDP encoding name (case-insensitive), or undefined: the shared
 * G.711 instance, or a new G.722 one (its state belongs to that stream alone).
 */
export function frameCodecOf(name: string): FrameCodec | undefined {
  const upper = name.toUpperCase();
  return upper === 'G722' ? new G722FrameCodec() : G711.get(upper);
}

/** Names the engine can decode and encode. */
export const ENGINE_CODECS: readonly EngineCodecName[] = ['PCMU', 'PCMA', 'G722'];

/** True when the engine can decode and encode `name` (case-insensitive). */
export function isEngineCodec(name: string): boolean {
  return (ENGINE_CODECS as readonly string[]).includes(name.toUpperCase());
}
