import net from 'node:net';
import type { Logger } from '../../platform/log.js';
import { StreamFramer } from '../message/index.js';
import type { Connection, ConnectionTable } from './connections.js';

export interface StreamOptions {
  readonly idleTimeoutMs: number;
  /**
   * Time allowed from the first byte of a message to its last. The idle timer alone restarts
   * on every byte, so without this a slow-loris client could hold a connection for hours by
   * dripping one byte every few seconds.
   */
  readonly messageReadTimeoutMs: number;
  readonly maxConnections: number;
  readonly maxConnectionsPerAddress: number;
  readonly maxMessageBytes: number;
}

export interface StreamSink {
  onMessage(data: Buffer, conn: Connection): void;
  /** A framing error: the connection is closed after this, since the stream can no longer be framed. */
  onFramingError(reason: string, conn: Connection): void;
}

/**
 * SIP over TCP (RFC 3261 §18): a listening socket plus outbound connections, each framed by
 * Content-Length, closed after an idle timeout. CRLF keep-alives (RFC 5626 §3.5.1) are answered.
 */
export class TcpTransport {
  private server: net.Server | undefined;

  constructor(
    private readonly address: string,
    private readonly port: number,
    private readonly table: ConnectionTable,
    private readonly opts: StreamOptions,
    private readonly sink: StreamSink,
    private readonly logger: Logger,
  ) {}

  async listen(): Promise<number> {
    const server = net.createServer((socket) => this.accept(socket));
    server.maxConnections = this.opts.maxConnections;
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.port, this.address, () => {
        server.off('error', reject);
        resolve();
      });
    });
    server.on('error', (err) => this.logger.error({ err }, 'TCP server error'));
    this.server = server;
    return (server.address() as net.AddressInfo).port;
  }

  private accept(socket: net.Socket): void {
    const address = socket.remoteAddress ?? '';
    if (this.table.countFrom(address) >= this.opts.maxConnectionsPerAddress) {
      this.logger.warn({ address }, 'too many TCP connections from one address; refused');
      socket.destroy();
      return;
    }
    this.adopt(socket, address, socket.remotePort ?? 0);
  }

  /** Opens (or reuses) a connection to a remote address for an outgoing message. */
  connect(address: string, port: number): Connection {
    const existing = this.table.find('TCP', address, port);
    if (existing) return existing;
    const socket = net.connect({ host: address, port });
    return this.adopt(socket, address, port);
  }

  private adopt(socket: net.Socket, address: string, port: number): Connection {
    const framer = new StreamFramer({ maxMessageBytes: this.opts.maxMessageBytes });
    const table = this.table;
    const conn: Connection = {
      id: table.nextId('tcp'),
      transport: 'TCP',
      remoteAddress: address,
      remotePort: port,
      write: (data) => {
        if (!socket.destroyed) socket.write(data);
      },
      close: () => socket.destroy(),
    };
    table.add(conn);
    socket.setNoDelay(true);
    socket.setTimeout(this.opts.idleTimeoutMs, () => socket.destroy());
    let deadline: NodeJS.Timeout | undefined;
    socket.on('data', (chunk: Buffer) => {
      let completed = false;
      for (const out of framer.push(chunk)) {
        if (out.kind === 'message') {
          completed = true;
          this.sink.onMessage(out.bytes, conn);
        } else if (out.kind === 'ping') conn.write(CRLF);
        else {
          this.sink.onFramingError(out.reason, conn);
          socket.destroy();
          return;
        }
      }
      // The clock runs from the first byte of the message now being read.
      if (completed || framer.buffered === 0) {
        clearTimeout(deadline);
        deadline = undefined;
      }
      if (framer.buffered > 0)
        deadline ??= setTimeout(() => {
          this.sink.onFramingError('message not completed in time', conn);
          socket.destroy();
        }, this.opts.messageReadTimeoutMs);
    });
    socket.on('error', (err) => this.logger.debug({ err, connection: conn.id }, 'TCP connection error'));
    socket.on('close', () => {
      clearTimeout(deadline);
      table.remove(conn);
    });
    return conn;
  }

  close(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    if (!server) return Promise.resolve();
    return new Promise((resolve) => server.close(() => resolve()));
  }
}

const CRLF = Buffer.from('\r\n');
