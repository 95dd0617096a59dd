/**
 * Where the configured data folders are. Paths Hotline writes to or reads its own data
 * from (recordings, music-on-hold folders) are taken from the data directory when
 * relative, like `database: sqlite:PATH`; only the TLS files follow the configuration file.
 */
import { join, resolve } from 'node:path';
import type { RecordingConfig } from './schema.js';

/** `path` as an absolute path: unchanged when absolute, else taken from `dataDir`. */
export function dataPath(dataDir: string, path: string): string {
  return resolve(dataDir, path);
}

/** The folder recordings are written to: `recording.dir`, or `${dataDir}/recordings` when it is empty. */
export function recordingDir(recording: Pick<RecordingConfig, 'dir'>, dataDir: string): string {
  return recording.dir === '' ? resolve(join(dataDir, 'recordings')) : dataPath(dataDir, recording.dir);
}
