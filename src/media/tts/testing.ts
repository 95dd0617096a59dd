import { TtsError } from './errors.js';
import type { SynthesizedAudio, TtsLang, TtsProvider, TtsRequest } from './types.js';

/**
 * A provider for tests: answers with a tone whose length follows the text, counts its
 * calls, and can be held (to test coalescing) or made to fail.
 */
export class FakeTtsProvider implements TtsProvider {
  readonly calls: TtsRequest[] = [];
  /** When set, synthesize waits for `release()` before answering. */
  hold = false;
  /** When set, synthesize rejects with this error. */
  failWith: TtsError | null = null;
  private waiting: (() => void)[] = [];

  constructor(
    readonly id = 'fake@1',
    readonly sampleRate = 16_000,
  ) {}

  voiceFor(lang: TtsLang): string {
    return lang === 'zh-CN' ? 'fake-zh' : 'fake-en';
  }

  async synthesize(req: TtsRequest, signal?: AbortSignal): Promise<SynthesizedAudio> {
    this.calls.push(req);
    if (this.hold) await new Promise<void>((resolve) => this.waiting.push(resolve));
    if (signal?.aborted) throw new TtsError('TTS_ABORTED', 'aborted');
    if (this.failWith) throw this.failWith;
    // 50 ms of 440 Hz per character, so different texts give different lengths.
    const n = Math.round(this.sampleRate * 0.05 * [...req.text].length);
    const samples = new Int16Array(n);
    for (let i = 0; i < n; i++)
      samples[i] = Math.round(8000 * Math.sin((2 * Math.PI * 440 * i) / this.sampleRate));
    return { samples, sampleRate: this.sampleRate };
  }

  /** Lets every held request answer. */
  release(): void {
    this.hold = false;
    for (const resolve of this.waiting.splice(0)) resolve();
  }
}
