import http from 'node:http';
import https from 'node:https';
import { readFileSync } from 'node:fs';
import { WebSocketServer, type WebSocket } from 'ws';
import type { Logger } from '../../platform/log.js';
import type { Connection, ConnectionTable } from './connections.js';
import type { StreamOptions, StreamSink } from './tcp.js';

export interface TlsFiles {
  readonly certFile: string;
  readonly keyFile: string;
}

/**
 * SIP over WebSocket (RFC 7118): subprotocol `sip`, one SIP message per WebSocket message.
 * With TLS files it is WSS. Hotline only accepts WebSocket connections; it never opens them.
 */
export class WsTransport {
  private server: http.Server | https.Server | undefined;
  private wss: WebSocketServer | undefined;

  constructor(
    private readonly kind: 'WS' | 'WSS',
    private readonly address: string,
    private readonly port: number,
    private readonly tls: TlsFiles | undefined,
    private readonly table: ConnectionTable,
    private readonly opts: StreamOptions,
    private readonly sink: StreamSink,
    private readonly logger: Logger,
  ) {}

  async listen(): Promise<number> {
    const server =
      this.kind === 'WSS' && this.tls
        ? https.createServer({ cert: readFileSync(this.tls.certFile), key: readFileSync(this.tls.keyFile) })
        : http.createServer();
    server.on('request', (_req, res) => {
      res.writeHead(426, { 'content-type': 'text/plain' }).end('SIP over WebSocket: use subprotocol "sip"\n');
    });
    const wss = new WebSocketServer({
      server,
      maxPayload: this.opts.maxMessageBytes,
      // RFC 7118 §4.1: the subprotocol must be "sip"; refuse handshakes without it.
      handleProtocols: (protocols) => (protocols.has('sip') ? 'sip' : false),
    });
    wss.on('connection', (socket, req) =>
      this.accept(socket, req.socket.remoteAddress ?? '', req.socket.remotePort ?? 0),
    );
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.port, this.address, () => {
        server.off('error', reject);
        resolve();
      });
    });
    this.server = server;
    this.wss = wss;
    return (server.address() as { port: number }).port;
  }

  private accept(socket: WebSocket, address: string, port: number): void {
    if (socket.protocol !== 'sip' || this.table.countFrom(address) >= this.opts.maxConnectionsPerAddress) {
      socket.close(1008, 'subprotocol sip required');
      return;
    }
    const conn: Connection = {
      id: this.table.nextId(this.kind.toLowerCase()),
      transport: this.kind,
      remoteAddress: address,
      remotePort: port,
      write: (data) => {
        // Browsers (JsSIP, SIP.js) expect text frames.
        if (socket.readyState === socket.OPEN) socket.send(data.toString('utf8'));
      },
      close: () => socket.terminate(),
    };
    this.table.add(conn);
    let idle = setTimeout(() => socket.terminate(), this.opts.idleTimeoutMs);
    socket.on('message', (data: Buffer | ArrayBuffer | Buffer[]) => {
      clearTimeout(idle);
      idle = setTimeout(() => socket.terminate(), this.opts.idleTimeoutMs);
      const bytes = Buffer.isBuffer(data)
        ? data
        : Array.isArray(data)
          ? Buffer.concat(data)
          : Buffer.from(data);
      // RFC 7118 has no keep-alive of its own; clients often send CRLF like RFC 5626.
      if (bytes.length <= 4 && bytes.toString('latin1').trim() === '') return;
      this.sink.onMessage(bytes, conn);
    });
    socket.on('error', (err) => this.logger.debug({ err, connection: conn.id }, 'WebSocket error'));
    socket.on('close', () => {
      clearTimeout(idle);
      this.table.remove(conn);
    });
  }

  async close(): Promise<void> {
    const { wss, server } = this;
    this.wss = undefined;
    this.server = undefined;
    if (wss) {
      for (const client of wss.clients) client.terminate();
      await new Promise<void>((resolve) => wss.close(() => resolve()));
    }
    if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
  }
}
