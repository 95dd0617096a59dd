/**
 * The running server's process id, kept in `<dataDir>/hotline.pid` while it runs, so that
 * `hotline reload` can find it. A file left by a process that died is recognised as stale.
 */
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export const PID_FILE = 'hotline.pid';

export function writePidFile(dataDir: string, pid = process.pid): string {
  const file = join(dataDir, PID_FILE);
  writeFileSync(file, `${pid}\n`);
  return file;
}

/** Removes the file only if it still names this process (another start may have replaced it). */
export function removePidFile(dataDir: string, pid = process.pid): void {
  const file = join(dataDir, PID_FILE);
  if (readPid(dataDir) === pid) rmSync(file, { force: true });
}

export function readPid(dataDir: string): number | undefined {
  let text: string;
  try {
    text = readFileSync(join(dataDir, PID_FILE), 'utf8');
  } catch {
    return undefined; // no file: nothing is running from this data directory
  }
  const pid = Number(text.trim());
  return Number.isInteger(pid) && pid > 0 ? pid : undefined;
}

/** True when a process with this id exists (signal 0 checks without sending anything). */
export function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}
