/**
 * The CTI WebSocket server (thin I/O around dispatch.ts and audience.ts): authenticates
 * the upgrade request, validates and dispatches each frame, fans events out, pushes queue
 * statistics to watchers, and guards against dead and slow clients.
 */
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type RawData, type WebSocket } from 'ws';
import { systemClock, type Clock } from '../platform/clock.js';
import type { Logger } from '../platform/log.js';
import { receives } from './audience.js';
import { findIdentity, presentedToken, type CtiTokenEntry } from './auth.js';
import { CTI_CLOSE_CODES, CtiConnection } from './connection.js';
import { handleFrame } from './dispatch.js';
import { serveHttp } from './http.js';
import { CTI_PROTOCOL_VERSION, type CtiEvent } from './protocol.js';
import type { CtiAudience, CtiBackend, CtiIdentity } from './types.js';

export const CTI_PATH = '/cti';

export interface CtiServerOptions {
  /** 0 picks a free port (tests); `port` on the returned server says which. */
  readonly port: number;
  readonly bindAddress: string;
  readonly tokens: readonly CtiTokenEntry[];
  readonly backend: CtiBackend;
  readonly logger: Logger;
  /** Default 10,000 ms. */
  readonly pingIntervalMs?: number;
  /** Consecutive unanswered pings before the connection is closed; default 4. */
  readonly maxMissedPongs?: number;
  /** Default 1 MiB. */
  readonly maxBufferedBytes?: number;
  /** Default 1,000 ms. */
  readonly statsIntervalMs?: number;
  /** Largest accepted frame; default 64 KiB. */
  readonly maxPayloadBytes?: number;
  /** Default 5,000 ms. */
  readonly closeGraceMs?: number;
  /** Stamps `at` on queue statistics. */
  readonly clock?: Pick<Clock, 'now'>;
}

export interface CtiServer {
  readonly port: number;
  /** Delivers an event to the connections its audience reaches. */
  emit(event: CtiEvent, audience: CtiAudience): void;
  /** Open connections. */
  readonly connectionCount: number;
  /** Closes every connection (1001) and the listener. Idempotent. */
  close(): Promise<void>;
}

export async function startCtiServer(opts: CtiServerOptions): Promise<CtiServer> {
  const log = opts.logger.child({ module: 'cti' });
  const clock = opts.clock ?? systemClock;
  const limits = {
    maxBufferedBytes: opts.maxBufferedBytes ?? 1024 * 1024,
    maxMissedPongs: opts.maxMissedPongs ?? 4,
    closeGraceMs: opts.closeGraceMs ?? 5_000,
  };
  const connections = new Set<CtiConnection>();
  const wss = new WebSocketServer({ noServer: true, maxPayload: opts.maxPayloadBytes ?? 64 * 1024 });
  // Plain HTTP: GET /acd/stats (http.ts); anything else is told to upgrade.
  const http = createServer((req, res) => {
    serveHttp(req, res, { tokens: opts.tokens, backend: opts.backend, logger: log }).catch((err: unknown) => {
      log.error({ err, url: req.url }, 'CTI HTTP request failed');
      if (!res.headersSent) res.writeHead(500).end();
    });
  });

  const attach = (ws: WebSocket, identity: CtiIdentity): void => {
    const conn = new CtiConnection(ws, identity, opts.backend, limits, log);
    connections.add(conn);
    log.info({ token: identity.name, role: identity.role, agent: identity.agent }, 'CTI client connected');
    ws.on('message', (data: RawData, isBinary: boolean) => void onMessage(conn, data, isBinary));
    ws.on('error', (err) => log.warn({ err, token: identity.name }, 'CTI socket error'));
    ws.on('close', (code) => {
      connections.delete(conn);
      log.info({ token: identity.name, agent: identity.agent, code }, 'CTI client disconnected');
    });
  };

  const onMessage = async (conn: CtiConnection, data: RawData, isBinary: boolean): Promise<void> => {
    if (isBinary) {
      conn.send({
        v: CTI_PROTOCOL_VERSION,
        id: null,
        ok: false,
        error: { code: 'BAD_REQUEST', reason: 'binary frames are not accepted; send JSON text' },
      });
      return;
    }
    const text = Array.isArray(data)
      ? Buffer.concat(data).toString('utf8')
      : Buffer.from(data as ArrayBuffer).toString('utf8');
    const response = await handleFrame(text, {
      identity: conn.identity,
      backend: opts.backend,
      watches: conn,
      logger: log,
    });
    conn.send(response);
  };

  http.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    const url = new URL(req.url ?? '/', 'http://cti.invalid');
    if (url.pathname !== CTI_PATH) return refuse(socket, 404, 'Not Found');
    const identity = findIdentity(opts.tokens, presentedToken(req.headers.authorization, url));
    if (identity === undefined) {
      log.warn({ remote: req.socket.remoteAddress }, 'CTI connection refused: missing or unknown token');
      return refuse(socket, 401, 'Unauthorized', 'WWW-Authenticate: Bearer realm="hotline-cti"\r\n');
    }
    wss.handleUpgrade(req, socket, head, (ws) => attach(ws, identity));
  });

  const pingTimer = setInterval(() => {
    for (const conn of connections) conn.heartbeat();
  }, opts.pingIntervalMs ?? 10_000);
  const stats = new StatsPusher(connections, opts.backend, clock, log);
  const statsTimer = setInterval(() => void stats.tick(), opts.statsIntervalMs ?? 1_000);

  await listen(http, opts.port, opts.bindAddress);
  const port = (http.address() as AddressInfo).port;
  log.info({ port, bindAddress: opts.bindAddress, path: CTI_PATH }, 'CTI server listening');

  let closing: Promise<void> | undefined;
  return {
    port,
    get connectionCount() {
      return connections.size;
    },
    emit(event, audience) {
      for (const conn of connections) if (receives(conn, audience)) conn.send(event);
    },
    close() {
      closing ??= (async () => {
        clearInterval(pingTimer);
        clearInterval(statsTimer);
        for (const conn of connections) conn.close(CTI_CLOSE_CODES.GOING_AWAY, 'server shutting down');
        await new Promise<void>((resolve) => wss.close(() => resolve()));
        http.closeAllConnections();
        await new Promise<void>((resolve) => http.close(() => resolve()));
      })();
      return closing;
    },
  };
}

function refuse(socket: Duplex, status: number, text: string, extra = ''): void {
  socket.end(`HTTP/1.1 ${status} ${text}\r\n${extra}Connection: close\r\nContent-Length: 0\r\n\r\n`);
}

function listen(http: Server, port: number, host: string): Promise<void> {
  return new Promise((resolve, reject) => {
    http.once('error', reject);
    http.listen(port, host, () => {
      http.off('error', reject);
      resolve();
    });
  });
}

/** Once per interval: the statistics of every watched queue, to that queue's watchers. */
class StatsPusher {
  private running = false;

  constructor(
    private readonly connections: ReadonlySet<CtiConnection>,
    private readonly backend: CtiBackend,
    private readonly clock: Pick<Clock, 'now'>,
    private readonly log: Logger,
  ) {}

  async tick(): Promise<void> {
    // A slow backend must not pile up ticks; the next tick after it returns catches up.
    if (this.running) return;
    const queues = new Set<string>();
    for (const conn of this.connections) for (const q of conn.watchedQueues) queues.add(q);
    if (queues.size === 0) return;
    this.running = true;
    try {
      const stats = await this.backend.queueStats([...queues]);
      const at = this.clock.now();
      for (const s of stats) {
        const event: CtiEvent = { v: CTI_PROTOCOL_VERSION, event: 'queueStats', at, ...s };
        for (const conn of this.connections) if (conn.watchedQueues.has(s.queue)) conn.send(event);
      }
    } catch (err) {
      this.log.error({ err, queues: [...queues] }, 'reading queue statistics for CTI watchers failed');
    } finally {
      this.running = false;
    }
  }
}
