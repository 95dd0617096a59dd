/**
 * The tone a caller hears before leaving a message: 1 kHz for half a second, rendered by
 * media/tones (Hotline ships no audio of others) into `${dir}/beep.wav` on first use.
 */
import { randomBytes } from 'node:crypto';
import { mkdir, open, rename, stat, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import { encodeWav } from '../../media/audio/index.js';
import { renderToneSamples } from '../../media/tones/index.js';

export const BEEP_FILE = 'beep.wav';
export const BEEP_HZ = 1000;
export const BEEP_MS = 500;
/** A little below the usual −10 dBm0 prompt level: clear, not harsh. */
const BEEP_LEVEL_DBM0 = -13;
/** 10 ms of silence at each end keeps the tone from clicking in and out. */
const PAD_MS = 10;

/** The beep as an 8 kHz mono 16-bit WAV file. */
export function renderBeepWav(): Uint8Array {
  const tone = renderToneSamples(
    { frequencies: [BEEP_HZ], levelDbm0: BEEP_LEVEL_DBM0, cadence: [] },
    BEEP_MS,
  );
  const pad = (PAD_MS * 8000) / 1000;
  const samples = new Int16Array(tone.length + 2 * pad);
  samples.set(tone, pad);
  return encodeWav({ encoding: 'pcm16', sampleRate: 8000, channels: 1 }, samples);
}

/**
 * Writes `${dir}/beep.wav` unless it is there, and returns its path. The file appears whole
 * or not at all (temp file, then rename), so two calls at once never play half a file.
 */
export async function ensureBeep(dir: string): Promise<string> {
  const path = join(dir, BEEP_FILE);
  try {
    if ((await stat(path)).isFile()) return path;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
  }
  await mkdir(dir, { recursive: true });
  const tmp = `${path}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  try {
    const fh = await open(tmp, 'wx');
    try {
      await fh.writeFile(renderBeepWav());
      await fh.sync();
    } finally {
      await fh.close();
    }
    await rename(tmp, path);
  } catch (err) {
    await unlink(tmp).catch(() => undefined); // the write's own error is the one that matters
    throw err;
  }
  return path;
}
