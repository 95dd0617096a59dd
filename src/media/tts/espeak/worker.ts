/**
 * The espeak worker thread: loads the engine once, then answers synth messages one at a
 * time (the engine is synchronous, so they cannot overlap). Started by EspeakProvider.
 */
import { parentPort } from 'node:worker_threads';
import { TtsError } from '../errors.js';
import { loadEspeakEngine, type EspeakEngine } from './engine.js';
import type { SynthMessage, WorkerReply } from './protocol.js';

const port = parentPort;
if (!port) throw new Error('espeak worker must run in a worker thread');

const post = (reply: WorkerReply, transfer: ArrayBuffer[] = []): void => port.postMessage(reply, transfer);

const started = performance.now();
let engine: EspeakEngine;
try {
  engine = await loadEspeakEngine();
} catch (err) {
  post({ type: 'load-failed', message: (err as Error).message });
  // Nothing useful can happen in this thread any more; the provider sees the exit.
  process.exit(1);
}
post({ type: 'ready', sampleRate: engine.sampleRate, loadMs: Math.round(performance.now() - started) });

port.on('message', (msg: SynthMessage) => {
  try {
    const samples = engine.synthesize(msg.text, msg.voice, msg.wpm, msg.pitch);
    post({ type: 'done', id: msg.id, samples, sampleRate: engine.sampleRate }, [
      samples.buffer as ArrayBuffer,
    ]);
  } catch (err) {
    const code = err instanceof TtsError && err.code === 'TTS_UNKNOWN_VOICE' ? err.code : 'TTS_ENGINE_FAILED';
    post({ type: 'failed', id: msg.id, code, message: (err as Error).message });
  }
});
