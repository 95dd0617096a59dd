/**
 * The media-side sections of the configuration: the media engine, recording, music on
 * hold and text-to-speech. Kept apart from schema.ts, which assembles every section.
 *
 * Defaults that belong to the media modules (voices, the rate range) are written here
 * rather than imported, so that loading a configuration loads no media code; the config
 * tests check that the two stay equal.
 */
import { availableParallelism } from 'node:os';
import { z } from 'zod';
import { checkJitterBuffer, checkMusicOnHold, checkUnique, DEFAULT_MOH_CLASS } from './checks.js';

export { DEFAULT_MOH_CLASS };

/**
 * The codecs the media engine speaks, in the default order of preference: G.711 first (what
 * carriers and most phones expect), G.722 last, so it is used when a phone offers it first
 * or alone, and offered to phones that may prefer it.
 */
export const MEDIA_CODECS = ['PCMA', 'PCMU', 'G722'] as const;
/** Country profiles of call-progress tones (media/tones): China, United States, Europe. */
export const TONE_COUNTRIES = ['CN', 'US', 'EU'] as const;
export const PROMPT_LANGUAGES = ['zh-CN', 'en'] as const;
/** Matches ESPEAK_DEFAULT_VOICES in media/tts/espeak/provider.ts. */
export const DEFAULT_TTS_VOICES = { zh: 'cmn', en: 'en-us' } as const;
/** Matches MIN_TTS_RATE and MAX_TTS_RATE in media/tts/request.ts. */
export const TTS_RATE_RANGE = { min: 0.5, max: 2 } as const;
/** Beyond this many media workers the threads only compete with SIP for the cores. */
export const MAX_DEFAULT_MEDIA_WORKERS = 16;

/** One media worker thread per core, at most MAX_DEFAULT_MEDIA_WORKERS. */
export function defaultMediaWorkers(cores: number = availableParallelism()): number {
  return Math.max(1, Math.min(MAX_DEFAULT_MEDIA_WORKERS, cores));
}

const count = (min: number) => z.number().int().min(min);
const VOICE_NAME = /^[A-Za-z0-9_+./-]{1,64}$/;
const voiceName = z.string().regex(VOICE_NAME, 'must be 1 to 64 letters, digits or _ + . / -');
const MOH_CLASS_NAME = /^[A-Za-z0-9_-]{1,64}$/;
const mohClassName = z.string().regex(MOH_CLASS_NAME, 'must be 1 to 64 letters, digits, _ or -');

export const jitterBufferSchema = z
  .strictObject({
    targetMs: count(0).max(1000).default(60),
    maxMs: count(20).max(2000).default(300),
  })
  .superRefine(checkJitterBuffer);

export const mediaSchema = z.strictObject({
  workers: count(1).default(() => defaultMediaWorkers()),
  codecs: z
    .array(z.enum(MEDIA_CODECS))
    .min(1)
    .superRefine((codecs, ctx) => checkUnique(codecs, 'codec', ctx))
    .default(() => [...MEDIA_CODECS]),
  ptime: count(10).max(60).multipleOf(10, 'must be a multiple of 10 (10, 20, 30, 40, 50 or 60)').default(20),
  // RFC 3551 §3: 96–127 is the dynamic payload type range.
  telephoneEventPayloadType: count(96).max(127).default(101),
  tones: z.enum(TONE_COUNTRIES).default('CN'),
  inbandDtmf: z.boolean().default(true),
  rtpTimeout: count(0).max(3600).default(60),
  jitterBuffer: jitterBufferSchema.prefault({}),
});

export const recordingSchema = z.strictObject({
  enabled: z.boolean().default(true),
  dir: z.string().default(''),
  keepDays: count(0).default(0),
});

export const musicOnHoldSchema = z
  .strictObject({
    classes: z.record(mohClassName, z.string().min(1)).default(() => ({})),
    defaultClass: mohClassName.default(DEFAULT_MOH_CLASS),
  })
  .superRefine(checkMusicOnHold);

export const ttsSchema = z.strictObject({
  voiceZh: voiceName.default(DEFAULT_TTS_VOICES.zh),
  voiceEn: voiceName.default(DEFAULT_TTS_VOICES.en),
  rate: z.number().min(TTS_RATE_RANGE.min).max(TTS_RATE_RANGE.max).default(1),
  language: z.enum(PROMPT_LANGUAGES).default('zh-CN'),
});
