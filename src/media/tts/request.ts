import { TtsError } from './errors.js';
import { TTS_LANGS, type ResolvedTtsRequest, type TtsLang, type TtsRequest } from './types.js';

/** Longest text accepted in one request; an IVR sentence is far shorter. */
export const MAX_TTS_TEXT_LENGTH = 2000;
export const MIN_TTS_RATE = 0.5;
export const MAX_TTS_RATE = 2;

const VOICE_NAME = /^[A-Za-z0-9_+./-]{1,64}$/;

/**
 * Validates a request and fills in its defaults, so that `{ rate: 1 }` and no rate at all
 * name the same audio. Throws TTS_INVALID_REQUEST.
 */
export function resolveRequest(req: TtsRequest, voiceFor: (lang: TtsLang) => string): ResolvedTtsRequest {
  if (!TTS_LANGS.includes(req.lang)) invalid(`unknown language ${JSON.stringify(req.lang)}`);
  if (typeof req.text !== 'string') invalid('text must be a string');
  // Trailing spaces and composed/decomposed forms would otherwise make distinct cache entries.
  const text = req.text.normalize('NFC').replace(/\s+/g, ' ').trim();
  if (text.length === 0) invalid('text is empty');
  if (text.length > MAX_TTS_TEXT_LENGTH) invalid(`text is longer than ${MAX_TTS_TEXT_LENGTH} characters`);
  const rate = req.rate ?? 1;
  if (!Number.isFinite(rate) || rate < MIN_TTS_RATE || rate > MAX_TTS_RATE) {
    invalid(`rate ${rate} is outside ${MIN_TTS_RATE}…${MAX_TTS_RATE}`);
  }
  const pitch = req.pitch ?? 50;
  if (!Number.isFinite(pitch) || pitch < 0 || pitch > 100) invalid(`pitch ${pitch} is outside 0…100`);
  const voice = req.voice ?? voiceFor(req.lang);
  if (!VOICE_NAME.test(voice)) invalid(`voice name ${JSON.stringify(voice)} is not valid`);
  return { text, lang: req.lang, voice, rate, pitch };
}

function invalid(message: string): never {
  throw new TtsError('TTS_INVALID_REQUEST', message);
}
