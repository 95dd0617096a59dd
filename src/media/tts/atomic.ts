import { open, rename, unlink } from 'node:fs/promises';

/** The file operations an atomic write needs; tests inject failures through it. */
export interface AtomicFileOps {
  writeAndSync(path: string, data: Uint8Array): Promise<void>;
  rename(from: string, to: string): Promise<void>;
  unlink(path: string): Promise<void>;
}

export const nodeFileOps: AtomicFileOps = {
  async writeAndSync(path, data) {
    // 'wx': a temp name is never shared, so finding one already there is a bug worth an error.
    const fh = await open(path, 'wx');
    try {
      await fh.writeFile(data);
      // Data reaches the disk before the rename publishes it; otherwise a power cut could
      // leave a complete-looking name over an empty file.
      await fh.sync();
    } finally {
      await fh.close();
    }
  },
  rename: (from, to) => rename(from, to),
  unlink: (path) => unlink(path),
};

let seq = 0;

/**
 * Writes `data` to `path` so that readers see either the old file or the whole new one:
 * a uniquely named temp file in the same directory, synced, then renamed over `path`
 * (rename within a file system is atomic on POSIX). On failure the temp file is removed
 * and the error rethrown; `onCleanupError` hears of a temp file that could not be removed.
 */
export async function writeFileAtomic(
  path: string,
  data: Uint8Array,
  ops: AtomicFileOps = nodeFileOps,
  onCleanupError?: (tmp: string, err: unknown) => void,
): Promise<void> {
  const tmp = `${path}.${process.pid}.${++seq}.tmp`;
  try {
    await ops.writeAndSync(tmp, data);
    await ops.rename(tmp, path);
  } catch (err) {
    await ops.unlink(tmp).catch((cleanupErr: NodeJS.ErrnoException) => {
      if (cleanupErr.code !== 'ENOENT') onCleanupError?.(tmp, cleanupErr);
    });
    throw err;
  }
}
