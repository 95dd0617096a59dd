import type { PlayItem } from '../../media/index.js';
import { promptRequest, type PromptArgs, type PromptId, type PromptLang } from '../../media/prompts/index.js';
import type { TtsRequest } from '../../media/tts/index.js';
import type { Logger } from '../../platform/log.js';

/** Where spoken audio comes from: the TTS cache (TtsCache fits), or a fake in tests. */
export interface SpeechSource {
  get(req: TtsRequest): Promise<{ readonly path: string }>;
}

/**
 * What applications say to callers: system prompts and free text, spoken by the TTS engine
 * into its disk cache on first use and played from the file after that. A prompt that
 * cannot be synthesized becomes a short silence (logged), so a call never stops on it.
 */
export class Speech {
  constructor(
    private readonly tts: SpeechSource | null,
    readonly lang: PromptLang,
    private readonly logger: Logger,
    private readonly voice: { readonly rate?: number } = {},
  ) {}

  async prompt<I extends PromptId>(id: I, ...args: PromptArgs<I>): Promise<PlayItem[]> {
    return this.speak(promptRequest(id, this.lang, ...args));
  }

  async text(text: string, lang: PromptLang = this.lang): Promise<PlayItem[]> {
    return this.speak({ text, lang });
  }

  /** The sentence in the configured language. */
  async say(texts: Readonly<Record<PromptLang, string>>): Promise<PlayItem[]> {
    return this.text(texts[this.lang], this.lang);
  }

  private async speak(req: { text: string; lang: PromptLang }): Promise<PlayItem[]> {
    if (!this.tts) return [{ silenceMs: 300 }];
    try {
      const speech = await this.tts.get({ ...req, ...(this.voice.rate ? { rate: this.voice.rate } : {}) });
      return [{ file: speech.path }];
    } catch (err) {
      this.logger.error({ err, text: req.text }, 'prompt could not be synthesized');
      return [{ silenceMs: 300 }];
    }
  }
}
