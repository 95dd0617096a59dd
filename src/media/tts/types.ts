/**
 * The text-to-speech contract. A provider turns text into PCM at whatever rate its engine
 * produces; the cache in front of it stores telephone-rate audio on disk, so a provider is
 * called once per distinct (provider, voice, language, rate, pitch, text).
 */

/** Languages the system prompts exist in. */
export type TtsLang = 'zh-CN' | 'en';

export const TTS_LANGS: readonly TtsLang[] = ['zh-CN', 'en'];

export interface TtsRequest {
  /** Plain text (no SSML). Trimmed and NFC-normalised before use; never empty. */
  readonly text: string;
  readonly lang: TtsLang;
  /** Engine voice name; default: the provider's voice for `lang` (see `voiceFor`). */
  readonly voice?: string;
  /** Speaking speed relative to the voice's normal speed: 1 is normal, 0.5…2. */
  readonly rate?: number;
  /** Voice pitch 0…100, where 50 is the voice's normal pitch. */
  readonly pitch?: number;
}

/** Mono PCM16 as produced by an engine, at the engine's own sample rate. */
export interface SynthesizedAudio {
  readonly samples: Int16Array;
  readonly sampleRate: number;
}

export interface TtsProvider {
  /**
   * Identifies the engine and its version (for example `espeak-ng@0.3.5`). It is part of
   * every cache key, so a new engine version never serves audio made by the old one.
   */
  readonly id: string;
  /** The voice used for `lang` when a request names none. */
  voiceFor(lang: TtsLang): string;
  /**
   * Speaks `req.text`. Rejects with a `TtsError`: TTS_INVALID_REQUEST, TTS_UNKNOWN_VOICE,
   * TTS_TIMEOUT, TTS_ABORTED (when `signal` fires), TTS_ENGINE_FAILED or TTS_CLOSED.
   */
  synthesize(req: TtsRequest, signal?: AbortSignal): Promise<SynthesizedAudio>;
}

/** A request with every default filled in: what the cache key is computed from. */
export interface ResolvedTtsRequest {
  readonly text: string;
  readonly lang: TtsLang;
  readonly voice: string;
  readonly rate: number;
  readonly pitch: number;
}
