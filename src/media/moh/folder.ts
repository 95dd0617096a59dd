import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';

/** What a class folder holds: its WAV files, or why it gives none. */
export interface FolderScan {
  /** Absolute paths, sorted by file name. */
  readonly files: readonly string[];
  /** Why `files` is empty: a system error code (ENOENT, EACCES, ENOTDIR…) or 'no .wav files'. */
  readonly problem?: string;
}

/** Hidden files are skipped: `._x.wav` is macOS metadata, `.x.wav` an editor's swap file. */
function isWavName(name: string): boolean {
  return !name.startsWith('.') && name.toLowerCase().endsWith('.wav');
}

/** A symbolic link counts when it leads to a regular file (music kept elsewhere and linked in). */
async function isRegularFile(path: string, entry: { isFile(): boolean; isSymbolicLink(): boolean }) {
  if (entry.isFile()) return true;
  if (!entry.isSymbolicLink()) return false;
  try {
    return (await stat(path)).isFile();
  } catch {
    return false; // a dangling link: nothing to play, like any other non-file
  }
}

/** The `*.wav` files directly in `folder` (absolute), sorted by name; subfolders are not entered. */
export async function scanFolder(folder: string): Promise<FolderScan> {
  let entries;
  try {
    entries = await readdir(folder, { withFileTypes: true });
  } catch (err) {
    return { files: [], problem: (err as NodeJS.ErrnoException).code ?? String(err) };
  }
  const files: string[] = [];
  for (const entry of entries) {
    const path = join(folder, entry.name);
    if (isWavName(entry.name) && (await isRegularFile(path, entry))) files.push(path);
  }
  // Code-unit order, not locale order: the same on every machine.
  files.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  return files.length > 0 ? { files } : { files, problem: 'no .wav files' };
}
