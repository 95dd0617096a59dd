/**
 * `hotline start`: load (or on the first run create) the configuration, start the server,
 * and run until SIGINT/SIGTERM. Resolves with the process exit code.
 */
import { dirname, resolve } from 'node:path';
import { ensureDemoConfig, loadConfigFile, type Config } from '../platform/config/index.js';
import { createLogger, type Logger } from '../platform/log.js';
import { displayPath, firstRunBanner, startedLine } from './banner.js';
import type { CliIo } from './io.js';
import { removePidFile, writePidFile } from './pid-file.js';
import { describeStartupError } from './startup-error.js';

export interface StartOptions {
  /** --config; when absent the demo configuration in the data directory is used (and created). */
  readonly configPath?: string;
  /** --data-dir: SQLite database, demo configuration. */
  readonly dataDir: string;
}

interface RunningServer {
  stop(): Promise<void>;
  /** Applies a re-read configuration to new calls (SIGHUP, `hotline reload`). */
  reload(config: Config): void;
}

interface LoadedConfig {
  readonly config: Config;
  readonly configPath: string;
  readonly passwords?: Readonly<Record<string, string>>;
}

function loadOrCreate(opts: StartOptions, dataDir: string): LoadedConfig {
  if (opts.configPath !== undefined) {
    const configPath = resolve(opts.configPath);
    return { config: loadConfigFile(configPath), configPath };
  }
  const demo = ensureDemoConfig(dataDir);
  return { config: loadConfigFile(demo.configPath), configPath: demo.configPath, passwords: demo.passwords };
}

/**
 * SIGHUP re-reads the configuration file: a file with problems is logged and ignored (the
 * server keeps what it runs), a valid one is handed to the server.
 */
function reloadFrom(configPath: string, server: RunningServer, logger: Logger): void {
  let config: Config;
  try {
    config = loadConfigFile(configPath);
  } catch (err) {
    logger.error({ err, configPath }, 'reload refused: the configuration has problems; nothing changed');
    return;
  }
  server.reload(config);
}

/**
 * SIGINT/SIGTERM stop the server and resolve 0 (1 if stopping failed); a second signal
 * while stopping gives up waiting. SIGHUP reloads the configuration.
 */
function runUntilSignalled(server: RunningServer, logger: Logger, configPath: string): Promise<number> {
  return new Promise((done) => {
    let stopping = false;
    const onStop = (signal: NodeJS.Signals): void => {
      if (stopping) {
        logger.warn({ signal }, 'second signal while stopping, exiting now');
        done(1);
        return;
      }
      stopping = true;
      logger.info({ signal }, 'stopping');
      server.stop().then(
        () => {
          logger.info('stopped');
          done(0);
        },
        (err: unknown) => {
          logger.error({ err }, 'error while stopping');
          done(1);
        },
      );
    };
    process.on('SIGINT', onStop);
    process.on('SIGTERM', onStop);
    process.on('SIGHUP', () => {
      logger.info({ signal: 'SIGHUP', configPath }, 'reloading the configuration');
      reloadFrom(configPath, server, logger);
    });
  });
}

export async function startCommand(opts: StartOptions, io: CliIo): Promise<number> {
  const dataDir = resolve(opts.dataDir);
  let loaded: LoadedConfig;
  try {
    loaded = loadOrCreate(opts, dataDir);
  } catch (err) {
    io.err(describeStartupError(err, { configPath: opts.configPath, dataDir, showStack: false }));
    return 1;
  }
  const { config, configPath, passwords } = loaded;
  const logger = createLogger({ level: config.log.level });
  const showStack = config.log.level === 'debug' || config.log.level === 'trace';
  let server: RunningServer;
  try {
    // Loaded here, not at the top, so that `hotline check-config` never loads the SIP stack.
    const { startServer } = await import('../server.js');
    server = await startServer({ config, dataDir, logger, configDir: dirname(configPath) });
  } catch (err) {
    const ctx = { configPath, database: config.database, dataDir, showStack };
    io.err(describeStartupError(err, ctx));
    if (passwords !== undefined) {
      io.err(`The demo configuration and its extension passwords are kept in ${displayPath(configPath)}.`);
    }
    return 1;
  }
  io.out(
    passwords === undefined
      ? startedLine(config, configPath)
      : firstRunBanner({ config, configPath, passwords }),
  );
  writePidFile(dataDir);
  const code = await runUntilSignalled(server, logger, configPath);
  removePidFile(dataDir);
  return code;
}
