/**
 * The `hotline` command. `bin/hotline.js` and `npm start` run this file; it parses the
 * arguments, runs one command and exits with its code.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { checkConfigCommand } from './check-config.js';
import { consoleIo, type CliIo } from './io.js';
import { ivrCommand } from './ivr-simulate.js';
import { reloadCommand } from './reload.js';
import { startCommand } from './start.js';

const USAGE = `Usage: hotline <command> [options]

Commands:
  start [--config FILE] [--data-dir DIR]
        Start Hotline. Without --config, uses DIR/hotline.yaml, creating a demo
        configuration there on the first run (extensions 1001 and 1002, echo test *43).
        DIR (default ./data) also holds the SQLite database hotline.db.
  check-config FILE
        Validate a configuration file (and its IVR flows) without starting; exit 1 if it
        has problems.
  reload [--config FILE] [--data-dir DIR]
        Check the file, then make the Hotline running from DIR re-read its configuration
        (SIGHUP): routes, flows, trunks, lists and schedules apply to new calls.
  ivr simulate FLOW [--ani N] [--dnis N] [--dtmf "1,2#"] [--at TIME] [--config FILE]
        Run an IVR flow without audio (hotline ivr --help for every option).

Options:
  -c, --config FILE    configuration file (start, reload)
  -d, --data-dir DIR   data directory (start, reload), default ./data
  -h, --help           show this help
  -v, --version        show the version

Exit codes: 0 success, 1 failure, 2 wrong usage.
Docs: docs/getting-started.md, docs/configuration.md`;

/** The version in the package.json above this file (src/cli/ in a checkout, dist/src/cli/ in a build). */
function version(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 5; i++) {
    const candidate = join(dir, 'package.json');
    if (existsSync(candidate)) {
      const pkg = JSON.parse(readFileSync(candidate, 'utf8')) as { name?: string; version?: string };
      if (pkg.name === 'hotline' && pkg.version !== undefined) return pkg.version;
    }
    dir = dirname(dir);
  }
  return 'unknown';
}

function usageError(io: CliIo, message: string): number {
  io.err(`hotline: ${message}\nRun \`hotline --help\` for usage.`);
  return 2;
}

function parse(argv: readonly string[]) {
  return parseArgs({
    args: [...argv],
    allowPositionals: true,
    strict: true,
    options: {
      config: { type: 'string', short: 'c' },
      'data-dir': { type: 'string', short: 'd' },
      help: { type: 'boolean', short: 'h' },
      version: { type: 'boolean', short: 'v' },
    },
  });
}

/** Runs one command; resolves with the exit code. */
export async function runCli(argv: readonly string[], io: CliIo = consoleIo): Promise<number> {
  if (argv[0] === 'ivr') return ivrCommand(argv.slice(1), io);
  let parsed: ReturnType<typeof parse>;
  try {
    parsed = parse(argv);
  } catch (err) {
    return usageError(io, (err as Error).message);
  }
  const { values, positionals } = parsed;
  const [command, ...rest] = positionals;
  if (values.help === true || command === 'help') {
    io.out(USAGE);
    return 0;
  }
  if (values.version === true) {
    io.out(`hotline ${version()}`);
    return 0;
  }
  switch (command) {
    case 'start':
      if (rest.length > 0) return usageError(io, `unexpected argument "${rest[0]}" after start`);
      return startCommand({ configPath: values.config, dataDir: values['data-dir'] ?? './data' }, io);
    case 'check-config': {
      const file = rest[0] ?? values.config;
      if (file === undefined) return usageError(io, 'check-config needs a FILE');
      if (rest.length > 1) return usageError(io, `unexpected argument "${rest[1]}"`);
      if (values['data-dir'] !== undefined)
        return usageError(io, '--data-dir does not apply to check-config');
      return checkConfigCommand(file, io);
    }
    case 'reload':
      if (rest.length > 0) return usageError(io, `unexpected argument "${rest[0]}" after reload`);
      return reloadCommand({ configPath: values.config, dataDir: values['data-dir'] ?? './data' }, io);
    case undefined:
      io.err(USAGE);
      return 2;
    default:
      return usageError(io, `unknown command "${command}"`);
  }
}

// Run only as the program itself (bin/hotline.js, `npm start`, `node --import tsx
// src/cli/main.ts`), not when a test imports runCli.
const invokedDirectly =
  process.argv[1] !== undefined && /(?:hotline(?:\.js)?|main\.[cm]?[jt]s)$/.test(process.argv[1]);
if (invokedDirectly) {
  const code = await runCli(process.argv.slice(2));
  // process.exit rather than exitCode: a stopped server may leave a handle (a timer, a pooled
  // connection) that would otherwise keep the process alive after a clean shutdown.
  process.exit(code);
}
