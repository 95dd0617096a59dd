/**
 * Text-to-speech: a provider interface, the espeak-ng (WASM) provider, and the on-disk
 * cache of 8 kHz prompts in front of it. Import from here only.
 */
export { TtsError, isTtsErrorCode, type TtsErrorCode } from './errors.js';
export { TTS_LANGS } from './types.js';
export type { ResolvedTtsRequest, SynthesizedAudio, TtsLang, TtsProvider, TtsRequest } from './types.js';
export { MAX_TTS_TEXT_LENGTH, MAX_TTS_RATE, MIN_TTS_RATE, resolveRequest } from './request.js';
export {
  TtsCache,
  TTS_CACHE_SAMPLE_RATE,
  ttsCacheDir,
  ttsCacheKey,
  type CachedSpeech,
  type TtsCacheOptions,
  type TtsCacheStats,
} from './cache.js';
export { resamplePcm16, type ResampleOptions } from './resample.js';
export { decodeWavPcm16Mono, encodeWavPcm16Mono, type DecodeWavResult } from './wav.js';
export { EspeakProvider, ESPEAK_DEFAULT_VOICES, type EspeakProviderOptions } from './espeak/provider.js';
