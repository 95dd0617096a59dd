/**
 * What Hotline says, as a test can compare it with what a peer received: a system prompt
 * synthesized exactly as the server did (the same TTS request, found in the server's cache),
 * and how much of such a sentence shows up in received audio.
 */
import assert from 'node:assert/strict';
import { Speech } from '../../../src/call/control/speech.js';
import type { PromptArgs, PromptId } from '../../../src/media/prompts/index.js';
import { EspeakProvider, TtsCache, ttsCacheDir } from '../../../src/media/tts/index.js';
import { systemClock } from '../../../src/platform/clock.js';
import { createLogger } from '../../../src/platform/log.js';
import type { TestServer } from './server.js';
import { matchWindows } from './signals.js';
import { readWav } from './wav.js';

/** The samples of system prompt `id` as the server speaks it (its language and rate). */
export async function spokenPrompt<I extends PromptId>(
  t: TestServer,
  id: I,
  ...args: PromptArgs<I>
): Promise<Float32Array> {
  const logger = createLogger({ level: 'silent' });
  const provider = new EspeakProvider({
    voices: { 'zh-CN': t.config.tts.voiceZh, en: t.config.tts.voiceEn },
    clock: systemClock,
    logger,
  });
  try {
    const cache = new TtsCache({ dir: ttsCacheDir(t.dataDir), provider, logger });
    const speech = new Speech(cache, t.config.tts.language, logger, { rate: t.config.tts.rate });
    const [item] = await speech.prompt(id, ...args);
    assert.ok(item && 'file' in item, `prompt ${id} was synthesized`);
    return readWav(item.file).samples;
  } finally {
    await provider.close();
  }
}

/**
 * The share (0–1) of `sentence` found in `received`: the sentence is cut in windows of
 * `windowSeconds` (quiet ones left out) and a window counts when some stretch of the received
 * audio matches it (normalized cross-correlation above `threshold`). A sentence that was
 * played scores near 1; one that differs by a word loses that word's windows.
 */
export function heardShare(
  received: Float32Array,
  sentence: Float32Array,
  opts: { windowSeconds?: number; threshold?: number } = {},
): number {
  const windows = matchWindows(received, sentence, { windowSeconds: opts.windowSeconds ?? 0.2 });
  if (windows.length === 0) return 0;
  return windows.filter((w) => w.peak > (opts.threshold ?? 0.8)).length / windows.length;
}
