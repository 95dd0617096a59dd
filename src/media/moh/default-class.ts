/**
 * The generated `default` music-on-hold class: one WAV file rendered by media/tones (so
 * Hotline ships no third-party audio), written into the data directory on first use.
 */
import { randomBytes } from 'node:crypto';
import { mkdir, open, rename, stat, unlink } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import type { Logger } from '../../platform/log.js';
import { renderMusicOnHoldWav } from '../tones/index.js';
import { MohError } from './errors.js';

export const DEFAULT_MOH_FILE = 'default.wav';

/** `${dataDir}/moh/default`, absolute: the folder of the generated class. */
export function defaultMusicOnHoldDir(dataDir: string): string {
  return resolve(dataDir, 'moh', 'default');
}

export interface EnsureDefaultMusicOnHoldOptions {
  /** The WAV bytes to write; default renderMusicOnHoldWav() (8 kHz mono PCM16). Injected by tests. */
  readonly render?: () => Uint8Array;
  /** Told of a temp file that could not be removed after a failed write. */
  readonly logger?: Logger;
}

/**
 * Writes `${dataDir}/moh/default/default.wav` unless it is already there, and returns the
 * folder. The file appears whole or not at all (temp file, fsync, rename), so a crash or
 * two Hotline processes starting together never leave a half-written file to play.
 * An existing file is kept as it is. Fails with MOH_WRITE_FAILED naming the file.
 */
export async function ensureDefaultMusicOnHold(
  dataDir: string,
  opts: EnsureDefaultMusicOnHoldOptions = {},
): Promise<string> {
  const folder = defaultMusicOnHoldDir(dataDir);
  const file = join(folder, DEFAULT_MOH_FILE);
  try {
    if ((await stat(file)).isFile()) return folder;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw writeFailed(file, err);
  }
  try {
    await mkdir(folder, { recursive: true });
    await writeAtomically(file, (opts.render ?? renderMusicOnHoldWav)(), opts.logger);
  } catch (err) {
    throw writeFailed(file, err);
  }
  return folder;
}

async function writeAtomically(path: string, data: Uint8Array, logger: Logger | undefined): Promise<void> {
  // Ends in .tmp, not .wav: a class scan running meanwhile never lists the temp file.
  const tmp = `${path}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  try {
    const fh = await open(tmp, 'wx');
    try {
      await fh.writeFile(data);
      // On disk before the rename publishes it, or a power cut could leave an empty default.wav.
      await fh.sync();
    } finally {
      await fh.close();
    }
    await rename(tmp, path);
  } catch (err) {
    // The write's own error is the one rethrown; a leftover temp file is only worth a warning.
    await unlink(tmp).catch((cleanupErr: NodeJS.ErrnoException) => {
      if (cleanupErr.code !== 'ENOENT')
        logger?.warn({ err: cleanupErr, path: tmp }, 'cannot remove temp file');
    });
    throw err;
  }
}

function writeFailed(file: string, err: unknown): MohError {
  const code = (err as NodeJS.ErrnoException).code ?? (err instanceof Error ? err.message : String(err));
  return new MohError('MOH_WRITE_FAILED', `cannot write the default music on hold to ${file} (${code})`, {
    path: file,
    cause: code,
  });
}
