/** Messages between EspeakProvider (main thread) and the espeak worker thread. */

export interface SynthMessage {
  readonly type: 'synth';
  readonly id: number;
  readonly text: string;
  readonly voice: string;
  /** Words per minute, already clamped to the engine's range. */
  readonly wpm: number;
  /** 0…99, espeak's own pitch scale. */
  readonly pitch: number;
}

export type WorkerReply =
  | { readonly type: 'ready'; readonly sampleRate: number; readonly loadMs: number }
  | { readonly type: 'load-failed'; readonly message: string }
  | { readonly type: 'done'; readonly id: number; readonly samples: Int16Array; readonly sampleRate: number }
  | {
      readonly type: 'failed';
      readonly id: number;
      readonly code: 'TTS_UNKNOWN_VOICE' | 'TTS_ENGINE_FAILED';
      readonly message: string;
    };
