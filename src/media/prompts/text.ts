import type { TtsRequest } from '../tts/index.js';
import { TEMPLATES } from './catalog.js';
import { PromptError } from './errors.js';
import { readNumberEn } from './numbers-en.js';
import { readNumberZh } from './numbers-zh.js';
import { DTMF_KEYS, type PromptArgs, type PromptId, type PromptLang, type PromptParamMap } from './types.js';

/** Values a counted prompt accepts; beyond these a queue announcement is meaningless. */
const MAX_COUNT = 100_000;
const MAX_DIGITS = 64;

type Check = (params: Record<string, unknown>) => string | null;

const count =
  (name: string, min: number): Check =>
  (p) => {
    const v = p[name];
    return Number.isSafeInteger(v) && (v as number) >= min && (v as number) <= MAX_COUNT
      ? null
      : `${name} must be an integer in ${min}…${MAX_COUNT}`;
  };

const none: Check = () => null;

function digitsProblem(keys: unknown): string | null {
  return typeof keys === 'string' &&
    keys.length > 0 &&
    keys.length <= MAX_DIGITS &&
    Array.from(keys).every((k) => DTMF_KEYS.includes(k as never))
    ? null
    : `keys must be 1…${MAX_DIGITS} of 0-9 * # A-D`;
}

/** Run-time checks, for parameters that come from configuration or untyped callers. */
const CHECKS: Readonly<Record<PromptId, Check>> = {
  digit: (p) => (DTMF_KEYS.includes(p.key as never) ? null : 'key must be one of 0-9 * # A-D'),
  digits: (p) => digitsProblem(p.keys),
  number: (p) => (Number.isSafeInteger(p.n) ? null : 'n must be a safe integer'),
  welcome: none,
  'please-hold': none,
  'please-enter': none,
  'enter-extension': none,
  'invalid-input': none,
  'number-not-exist': none,
  goodbye: none,
  'queue-position': count('position', 1),
  'callers-ahead': count('count', 0),
  'estimated-wait': count('minutes', 0),
  'agent-number': (p) =>
    typeof p.digits === 'string' && /^[0-9]{1,32}$/.test(p.digits)
      ? null
      : 'digits must be 1…32 decimal digits',
  'callback-offer': (p) => (DTMF_KEYS.includes(p.key as never) ? null : 'key must be one of 0-9 * # A-D'),
  'callback-confirm': (p) => digitsProblem(p.keys),
};

/**
 * The text of prompt `id` in `lang`. Pure: the same arguments always give the same text,
 * which is what makes it a stable cache key. Throws PromptError.
 */
export function promptText<I extends PromptId>(id: I, lang: PromptLang, ...args: PromptArgs<I>): string {
  const templates = Object.hasOwn(TEMPLATES, lang) ? TEMPLATES[lang] : undefined;
  if (!templates || !Object.hasOwn(templates, id)) {
    throw new PromptError('PROMPT_UNKNOWN', `no prompt ${JSON.stringify(id)} in ${JSON.stringify(lang)}`);
  }
  const params = (args[0] ?? {}) as Record<string, unknown>;
  const problem = CHECKS[id](params);
  if (problem) throw new PromptError('PROMPT_INVALID_PARAMS', `prompt ${id}: ${problem}`, { id, params });
  const template = templates[id] as (p: PromptParamMap[I]) => string;
  return template(params as PromptParamMap[I]);
}

/**
 * The TTS request that speaks a prompt. Playback and preparePrompts both go through here,
 * so they compute the same cache key.
 */
export function promptRequest<I extends PromptId>(
  id: I,
  lang: PromptLang,
  ...args: PromptArgs<I>
): TtsRequest {
  return { text: promptText(id, lang, ...args), lang };
}

/**
 * A number as full text, ready for TTS: 一百零五, "one hundred and five". The design
 * choice is full-text TTS rather than stitching recorded segments: espeak speaks the
 * composed sentence with natural prosody, and the cache keeps each distinct sentence.
 */
export function sayNumber(n: number, lang: PromptLang): string {
  if (!Number.isSafeInteger(n)) {
    throw new PromptError('PROMPT_INVALID_PARAMS', `${n} is not a safe integer`, { n });
  }
  if (lang === 'zh-CN') return readNumberZh(n);
  if (lang === 'en') return readNumberEn(n);
  throw new PromptError('PROMPT_UNKNOWN', `no number reading for ${JSON.stringify(lang)}`);
}
