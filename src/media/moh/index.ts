/**
 * Music on hold: the generated `default` class written into the data directory, and the
 * resolution of a class name to the WAV files a caller on hold hears. Import from here only.
 */
export { MohError, isMohError, type MohErrorCode } from './errors.js';
export {
  DEFAULT_MOH_FILE,
  defaultMusicOnHoldDir,
  ensureDefaultMusicOnHold,
  type EnsureDefaultMusicOnHoldOptions,
} from './default-class.js';
export { MusicOnHold, type MusicOnHoldSelection, type OpenMusicOnHoldOptions } from './music-on-hold.js';
export { scanFolder, type FolderScan } from './folder.js';
