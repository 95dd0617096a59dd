/** Codecs: G.711 µ-law/A-law kernels, transcoding, G.722 and the codec registry. */
export {
  ALAW_DECODE,
  ALAW_TO_ULAW,
  PCMA_SILENCE,
  PCMU_SILENCE,
  ULAW_DECODE,
  ULAW_TO_ALAW,
  alawToLinear,
  alawToUlaw,
  decodeAlaw,
  decodeUlaw,
  encodeAlaw,
  encodeUlaw,
  linearToAlaw,
  linearToUlaw,
  ulawToAlaw,
  ulawToLinear,
} from './g711.js';
export { G722Decoder, G722Encoder } from './g722.js';
export {
  CodecRegistry,
  G722_SPEC,
  PCMA,
  PCMA_SPEC,
  PCMU,
  PCMU_SPEC,
  defaultCodecRegistry,
} from './registry.js';
export type { Codec, CodecSpec, OpusCodec } from './types.js';
