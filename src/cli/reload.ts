/**
 * `hotline reload`: check the configuration file first (a file with problems is reported
 * and nothing is sent, so the running server keeps its configuration), then send SIGHUP
 * to the Hotline running from the data directory; it re-reads the file and applies what
 * changed to new calls. Its log says what was applied and what needs a restart.
 */
import { resolve } from 'node:path';
import { DEMO_CONFIG_FILE } from '../platform/config/index.js';
import { checkConfigCommand } from './check-config.js';
import type { CliIo } from './io.js';
import { isRunning, PID_FILE, readPid } from './pid-file.js';

export interface ReloadOptions {
  readonly configPath?: string;
  readonly dataDir: string;
  /** Injected in tests. */
  readonly signal?: (pid: number) => void;
}

export function reloadCommand(opts: ReloadOptions, io: CliIo): number {
  const dataDir = resolve(opts.dataDir);
  const file = resolve(opts.configPath ?? resolve(dataDir, DEMO_CONFIG_FILE));
  if (checkConfigCommand(file, io) !== 0) {
    io.err('hotline reload: not sent; the running server keeps its configuration');
    return 1;
  }
  const pid = readPid(dataDir);
  if (pid === undefined || !isRunning(pid)) {
    io.err(`hotline reload: no Hotline is running from ${dataDir} (no live process in ${PID_FILE})`);
    return 1;
  }
  (opts.signal ?? ((p) => process.kill(p, 'SIGHUP')))(pid);
  io.out(`reload sent to Hotline (pid ${pid}); its log reports what changed`);
  return 0;
}
