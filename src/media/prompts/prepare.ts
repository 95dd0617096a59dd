import type { Logger } from '../../platform/log.js';
import { TtsError, type TtsCache, type TtsRequest } from '../tts/index.js';
import { promptRequest } from './text.js';
import { DTMF_KEYS, type PromptId, type PromptLang } from './types.js';

/**
 * Synthesizes the system prompts into the TTS cache on first use, so the first caller
 * hears them without waiting for the engine. Later runs find every entry on disk and
 * synthesize nothing.
 */

export interface PreparePromptsOptions {
  /** Prepare "number N in line" for 1…N and "N callers ahead" for 0…N−1; default 10. */
  readonly queuePositions?: number;
  /** Prepare "estimated wait N minutes" for 0…N; default 10. */
  readonly waitMinutes?: number;
  /** Stops between prompts; the entries already made stay in the cache. */
  readonly signal?: AbortSignal;
  readonly logger?: Logger;
  /** Monotonic milliseconds, for the timings in the report; default performance.now. */
  readonly now?: () => number;
}

export interface PromptEntry {
  readonly id: PromptId;
  readonly lang: PromptLang;
  readonly params: Readonly<Record<string, unknown>>;
  readonly text: string;
  /** Exactly what playback asks the cache for (see promptRequest). */
  readonly request: TtsRequest;
}

export interface PreparedPrompt extends PromptEntry {
  readonly key: string;
  readonly path: string;
  /** Time to synthesize, resample and store it. */
  readonly ms: number;
  /** Length of the audio. */
  readonly durationMs: number;
}

export interface FailedPrompt extends PromptEntry {
  readonly code: string;
  readonly message: string;
}

export interface PreparePromptsReport {
  /** Entries synthesized by this run. */
  readonly generated: readonly PreparedPrompt[];
  /** How many were already in the cache. */
  readonly cached: number;
  readonly failed: readonly FailedPrompt[];
  readonly ms: number;
}

const FIXED: readonly PromptId[] = [
  'welcome',
  'please-hold',
  'please-enter',
  'enter-extension',
  'invalid-input',
  'number-not-exist',
  'goodbye',
];

/** Every prompt `preparePrompts` makes, in order. */
export function systemPrompts(
  langs: readonly PromptLang[],
  opts: Pick<PreparePromptsOptions, 'queuePositions' | 'waitMinutes'> = {},
): PromptEntry[] {
  const positions = opts.queuePositions ?? 10;
  const minutes = opts.waitMinutes ?? 10;
  const out: PromptEntry[] = [];
  const add = (id: PromptId, lang: PromptLang, params: Record<string, unknown> = {}): void => {
    // The catalogue is typed per id; here ids and params come from the lists above.
    const request = (promptRequest as (i: PromptId, l: PromptLang, p: object) => TtsRequest)(
      id,
      lang,
      params,
    );
    out.push({ id, lang, params, text: request.text, request });
  };
  for (const lang of langs) {
    for (const key of DTMF_KEYS) add('digit', lang, { key });
    for (const id of FIXED) add(id, lang);
    for (let p = 1; p <= positions; p++) add('queue-position', lang, { position: p });
    for (let c = 0; c < positions; c++) add('callers-ahead', lang, { count: c });
    for (let m = 0; m <= minutes; m++) add('estimated-wait', lang, { minutes: m });
  }
  return out;
}

/**
 * Makes sure every system prompt of `langs` is in `cache`, synthesizing the missing ones
 * one after another (the engine works on one request at a time anyway). A prompt that
 * fails is reported and the rest still run; an abort stops the run with TTS_ABORTED.
 */
export async function preparePrompts(
  cache: TtsCache,
  langs: readonly PromptLang[],
  opts: PreparePromptsOptions = {},
): Promise<PreparePromptsReport> {
  const now = opts.now ?? (() => performance.now());
  const started = now();
  const generated: PreparedPrompt[] = [];
  const failed: FailedPrompt[] = [];
  let cached = 0;
  for (const entry of systemPrompts(langs, opts)) {
    if (opts.signal?.aborted) throw new TtsError('TTS_ABORTED', 'prompt preparation was aborted');
    const t0 = now();
    try {
      const speech = await cache.get(entry.request, opts.signal);
      if (speech.fromCache) {
        cached++;
        continue;
      }
      const durationMs = Math.round((speech.samples.length * 1000) / speech.sampleRate);
      generated.push({
        ...entry,
        key: speech.key,
        path: speech.path,
        ms: Math.round(now() - t0),
        durationMs,
      });
    } catch (err) {
      if (err instanceof TtsError && err.code === 'TTS_ABORTED') throw err;
      const code = err instanceof TtsError ? err.code : 'TTS_ENGINE_FAILED';
      failed.push({ ...entry, code, message: (err as Error).message });
      opts.logger?.error({ err, prompt: entry.id, lang: entry.lang }, 'prompt synthesis failed');
    }
  }
  const report = { generated, cached, failed, ms: Math.round(now() - started) };
  opts.logger?.info(
    { generated: generated.length, cached, failed: failed.length, ms: report.ms },
    'system prompts prepared',
  );
  return report;
}
