import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseConfig, type Config } from '../../../src/platform/config/index.js';
import { createLogger } from '../../../src/platform/log.js';
import { startServer, type RunningServer } from '../../../src/server.js';
import { freePort, freeRange } from './ports.js';

export const EXTENSIONS = [
  { number: '1001', password: 'secret-1001', name: 'Agent 1001' },
  { number: '1002', password: 'secret-1002', name: 'Agent 1002' },
  { number: '1003', password: 'secret-1003', name: 'Agent 1003' },
] as const;

export interface TestServer {
  readonly server: RunningServer;
  readonly config: Config;
  readonly sipPort: number;
  readonly dataDir: string;
  /** Restarts on the same data directory and ports (registrations must survive). */
  restart(): Promise<TestServer>;
  stop(): Promise<void>;
}

export interface TestServerOptions {
  /** Deep-merged over the defaults below, as a configuration file would be. */
  readonly config?: Record<string, unknown>;
  readonly dataDir?: string;
  readonly database?: string;
  /** The time routing decisions see (schedules, holidays); real time by default. */
  readonly routingNow?: () => number;
  /** Where relative IVR flow files are found. */
  readonly configDir?: string;
  /** The random source of the ACD's random strategies (Math.random by default). */
  readonly acdRng?: () => number;
}

/** Starts a real Hotline on loopback with free ports and a temporary data directory. */
export async function startTestServer(opts: TestServerOptions = {}): Promise<TestServer> {
  // A port found free can be taken before we bind it; try again with others.
  for (let attempt = 1; ; attempt++) {
    try {
      return await startOnce(opts);
    } catch (err) {
      if (attempt >= 3 || !/EADDRINUSE|already in use/.test(String((err as Error).message))) throw err;
    }
  }
}

async function startOnce(opts: TestServerOptions): Promise<TestServer> {
  const sipPort = await freePort();
  const rtp = await freeRange(200);
  const dataDir = opts.dataDir ?? mkdtempSync(path.join(tmpdir(), 'hotline-test-'));
  const base = {
    sip: { udpPort: sipPort, tcpPort: sipPort, bindAddress: '127.0.0.1', advertisedAddress: '127.0.0.1' },
    rtp: { portMin: rtp.min, portMax: rtp.max },
    database: opts.database ?? 'sqlite',
    extensions: EXTENSIONS,
    log: { level: process.env.HOTLINE_TEST_LOG ?? 'silent' },
  };
  const merged = merge(base, opts.config ?? {});
  const config = parseConfig(JSON.stringify(merged), 'test configuration');
  return launch(config, dataDir, sipPort, opts.dataDir === undefined, opts);
}

async function launch(
  config: Config,
  dataDir: string,
  sipPort: number,
  ownsDir: boolean,
  opts: Pick<TestServerOptions, 'routingNow' | 'configDir' | 'acdRng'> = {},
): Promise<TestServer> {
  const logger = createLogger({ level: config.log.level, destination: 2 });
  const server = await startServer({
    config,
    dataDir,
    logger,
    ...(opts.routingNow ? { routingNow: opts.routingNow } : {}),
    ...(opts.configDir ? { configDir: opts.configDir } : {}),
    ...(opts.acdRng ? { acdRng: opts.acdRng } : {}),
  });
  let stopped = false;
  const stop = async (removeData: boolean) => {
    if (stopped) return;
    stopped = true;
    await server.stop();
    if (removeData && ownsDir) rmSync(dataDir, { recursive: true, force: true });
  };
  return {
    server,
    config,
    sipPort,
    dataDir,
    restart: async () => {
      await stop(false);
      return launch(config, dataDir, sipPort, ownsDir);
    },
    stop: () => stop(true),
  };
}

function merge(a: Record<string, unknown>, b: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = { ...a };
  for (const [k, v] of Object.entries(b)) {
    const prev = out[k];
    out[k] =
      v &&
      typeof v === 'object' &&
      !Array.isArray(v) &&
      prev &&
      typeof prev === 'object' &&
      !Array.isArray(prev)
        ? merge(prev as Record<string, unknown>, v as Record<string, unknown>)
        : v;
  }
  return out;
}
