import createEspeakModule from '@echogarden/espeak-ng-emscripten';
import { TtsError } from '../errors.js';

/**
 * espeak-ng compiled to WebAssembly (@echogarden/espeak-ng-emscripten): the wasm is inlined
 * in the package's JS and the voice data (espeak-ng-data, all languages including
 * Mandarin `cmn`) is a 24 MB file it reads from beside itself, so nothing is fetched over
 * the network. One engine instance holds one synthesizer; its calls are synchronous and
 * not reentrant, which is why it lives alone in a worker thread (worker.ts).
 */

/** The members of the Emscripten module and its eSpeakNGWorker class that are used here. */
interface EspeakWorkerObject {
  set_voice(name: string): number;
  set_rate(wpm: number): number;
  set_pitch(pitch: number): number;
  get_samplerate(): number;
  /** Calls `onChunk` synchronously with copies of each audio chunk; a truthy return stops. */
  synthesize(text: string, onChunk: (samples: Int16Array, events: unknown[]) => boolean): void;
}

interface EspeakModule {
  eSpeakNGWorker: new () => EspeakWorkerObject;
}

/** espeak-ng's own limits (speak_lib.h: espeakRATE_MINIMUM / espeakRATE_MAXIMUM). */
export const ESPEAK_MIN_WPM = 80;
export const ESPEAK_MAX_WPM = 450;
export const ESPEAK_NORMAL_WPM = 175;

/** Maps the engine-neutral rate factor (1 = normal) to espeak words per minute. */
export function espeakWpm(rate: number): number {
  return Math.min(ESPEAK_MAX_WPM, Math.max(ESPEAK_MIN_WPM, Math.round(ESPEAK_NORMAL_WPM * rate)));
}

/** Maps pitch 0…100 (50 = normal) to espeak's 0…99 scale, whose default is 50. */
export function espeakPitch(pitch: number): number {
  return Math.min(99, Math.max(0, Math.round(pitch)));
}

export interface EspeakEngine {
  readonly sampleRate: number;
  /** Throws TtsError TTS_UNKNOWN_VOICE or TTS_ENGINE_FAILED. */
  synthesize(text: string, voice: string, wpm: number, pitch: number): Int16Array;
}

/** Loads the module (≈100–250 ms: wasm compile plus reading the voice data). */
export async function loadEspeakEngine(): Promise<EspeakEngine> {
  const diagnostics: string[] = [];
  const keep = (line: string): void => {
    // The engine prints only on trouble; keep the last few lines for the error message.
    diagnostics.push(line);
    if (diagnostics.length > 5) diagnostics.shift();
  };
  const mod = (await createEspeakModule({ print: keep, printErr: keep })) as Partial<EspeakModule>;
  if (typeof mod.eSpeakNGWorker !== 'function') {
    throw new TtsError('TTS_ENGINE_FAILED', 'espeak-ng module has no eSpeakNGWorker class');
  }
  const synth = new mod.eSpeakNGWorker();
  const sampleRate = synth.get_samplerate();
  return {
    sampleRate,
    synthesize(text, voice, wpm, pitch) {
      // EE_OK is 0; an unknown name leaves the previous voice selected, so it must not pass.
      const status = synth.set_voice(voice);
      if (status !== 0)
        throw new TtsError('TTS_UNKNOWN_VOICE', `espeak-ng has no voice ${voice}`, { status });
      synth.set_rate(wpm);
      synth.set_pitch(pitch);
      const chunks: Int16Array[] = [];
      let total = 0;
      synth.synthesize(text, (samples) => {
        chunks.push(samples);
        total += samples.length;
        return false;
      });
      if (total === 0) {
        throw new TtsError('TTS_ENGINE_FAILED', 'espeak-ng produced no audio', {
          diagnostics: diagnostics.join('\n'),
        });
      }
      const out = new Int16Array(total);
      let at = 0;
      for (const c of chunks) {
        out.set(c, at);
        at += c.length;
      }
      return out;
    },
  };
}
