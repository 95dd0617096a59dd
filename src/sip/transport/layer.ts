import type { Logger } from '../../platform/log.js';
import { parseMessage, serializeMessage, type ParseResult } from '../message/index.js';
import {
  DEFAULT_PARSE_LIMITS,
  type Endpoint,
  type ParseLimits,
  type SipMessage,
  type SipRequest,
  type TransportName,
  type Via,
} from '../message/types.js';
import { ConnectionTable, type Connection } from './connections.js';
import { TcpTransport, type StreamSink } from './tcp.js';
import type { MessageSender } from './types.js';
import { UdpTransport } from './udp.js';
import { WsTransport, type TlsFiles } from './ws.js';
import { badRequestFor } from './bad-request.js';

export interface TransportLayerOptions {
  readonly bindAddress: string;
  readonly advertisedAddress: string;
  readonly udpPort: number;
  readonly tcpPort: number;
  readonly wsPort: number;
  readonly wssPort: number;
  readonly tls?: TlsFiles;
  readonly tcpIdleTimeoutMs: number;
  /** From a message's first byte to its last on a stream; default 10 s. */
  readonly messageReadTimeoutMs?: number;
  readonly maxConnections?: number;
  readonly maxConnectionsPerAddress?: number;
  readonly limits?: ParseLimits;
  readonly userAgent: string;
  readonly logger: Logger;
}

export interface TransportReceiver {
  onMessage(msg: SipMessage, source: Endpoint): void;
}

export interface TransportStats {
  received: number;
  sent: number;
  parseErrors: number;
  connections: number;
}

/**
 * The transport layer (RFC 3261 §18): owns the sockets, turns bytes into parsed messages
 * and back, stamps `received`/`rport` on requests (§18.2.1, RFC 3581), and answers what
 * cannot be parsed with a 400 when a reply address is known. Nothing thrown by a parser or
 * a receiver escapes into a socket callback.
 */
export class TransportLayer implements MessageSender {
  private receiver: TransportReceiver | undefined;
  private readonly table = new ConnectionTable();
  private udp: UdpTransport | undefined;
  private tcp: TcpTransport | undefined;
  private readonly ws: WsTransport[] = [];
  private readonly limits: ParseLimits;
  private readonly ports: Partial<Record<TransportName, number>> = {};
  readonly stats: TransportStats = { received: 0, sent: 0, parseErrors: 0, connections: 0 };

  constructor(private readonly opts: TransportLayerOptions) {
    this.limits = opts.limits ?? DEFAULT_PARSE_LIMITS;
  }

  setReceiver(receiver: TransportReceiver): void {
    this.receiver = receiver;
  }

  /** Opens every configured listener; throws (e.g. EADDRINUSE) naming the transport and port. */
  async start(): Promise<void> {
    const o = this.opts;
    const stream = {
      idleTimeoutMs: o.tcpIdleTimeoutMs,
      messageReadTimeoutMs: o.messageReadTimeoutMs ?? 10_000,
      maxConnections: o.maxConnections ?? 10_000,
      maxConnectionsPerAddress: o.maxConnectionsPerAddress ?? 256,
      maxMessageBytes: this.limits.maxMessageBytes,
    };
    const sink: StreamSink = {
      onMessage: (data, conn) => this.receive(data, endpointOf(conn)),
      onFramingError: (reason, conn) => {
        this.stats.parseErrors++;
        o.logger.info(
          { connection: conn.id, address: conn.remoteAddress, reason },
          'closing stream: cannot frame',
        );
      },
    };
    try {
      if (o.udpPort > 0 || o.udpPort === -1) {
        this.udp = new UdpTransport(o.bindAddress, Math.max(0, o.udpPort), o.logger, (data, address, port) =>
          this.receive(data, { transport: 'UDP', address, port }),
        );
        this.ports.UDP = await this.listening('UDP', o.udpPort, () => this.udp!.listen());
      }
      if (o.tcpPort > 0 || o.tcpPort === -1) {
        this.tcp = new TcpTransport(
          o.bindAddress,
          Math.max(0, o.tcpPort),
          this.table,
          stream,
          sink,
          o.logger,
        );
        this.ports.TCP = await this.listening('TCP', o.tcpPort, () => this.tcp!.listen());
      }
      if (o.wsPort > 0 || o.wsPort === -1) {
        const ws = new WsTransport(
          'WS',
          o.bindAddress,
          Math.max(0, o.wsPort),
          undefined,
          this.table,
          stream,
          sink,
          o.logger,
        );
        this.ws.push(ws);
        this.ports.WS = await this.listening('WS', o.wsPort, () => ws.listen());
      }
      if ((o.wssPort > 0 || o.wssPort === -1) && o.tls) {
        const wss = new WsTransport(
          'WSS',
          o.bindAddress,
          Math.max(0, o.wssPort),
          o.tls,
          this.table,
          stream,
          sink,
          o.logger,
        );
        this.ws.push(wss);
        this.ports.WSS = await this.listening('WSS', o.wssPort, () => wss.listen());
      }
    } catch (err) {
      await this.stop();
      throw err;
    }
  }

  private async listening(name: string, port: number, listen: () => Promise<number>): Promise<number> {
    try {
      return await listen();
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      const why =
        code === 'EADDRINUSE'
          ? 'the port is already in use'
          : code === 'EACCES'
            ? 'permission denied'
            : String(err);
      throw new Error(`cannot listen for SIP over ${name} on ${this.opts.bindAddress}:${port}: ${why}`, {
        cause: err,
      });
    }
  }

  /** The port a transport listens on (after start; useful when configured as -1 = any free port in tests). */
  port(transport: TransportName): number | undefined {
    return this.ports[transport];
  }

  /** The sent-by host and port to put in our Via and Contact for a transport (§18.1.1). */
  localAddress(transport: TransportName): { host: string; port: number } {
    const port = this.ports[transport] ?? this.ports.UDP ?? 5060;
    return { host: this.opts.advertisedAddress, port };
  }

  private receive(data: Buffer, source: Endpoint): void {
    this.stats.received++;
    let result: ParseResult;
    try {
      result = parseMessage(data, this.limits);
    } catch (err) {
      // The parser promises never to throw; if it ever does, drop the message, not the process.
      this.opts.logger.error({ err, address: source.address }, 'SIP parser threw');
      this.stats.parseErrors++;
      return;
    }
    if (!result.ok) {
      this.stats.parseErrors++;
      this.opts.logger.debug(
        { address: source.address, port: source.port, reason: result.reason },
        'unparseable SIP message',
      );
      const reply = badRequestFor(result, this.opts.userAgent);
      // Back where it came from: its Via may be exactly what could not be trusted.
      if (reply) this.sendBytes(serializeMessage(reply), source);
      return;
    }
    let msg = result.message;
    if (msg.kind === 'request') msg = stampVia(msg, source);
    try {
      this.receiver?.onMessage(msg, source);
    } catch (err) {
      this.opts.logger.error({ err, callId: msg.callId }, 'error handling SIP message');
    }
  }

  send(msg: SipMessage, dest: Endpoint, onError?: (err: Error) => void): void {
    let bytes: Buffer;
    try {
      bytes = serializeMessage(msg);
    } catch (err) {
      onError?.(err as Error);
      return;
    }
    this.sendBytes(bytes, dest, onError);
  }

  private sendBytes(bytes: Buffer, dest: Endpoint, onError?: (err: Error) => void): void {
    this.stats.sent++;
    const fail = (why: string) => {
      const err = new Error(why);
      if (onError) onError(err);
      else this.opts.logger.debug({ dest }, why);
    };
    if (dest.transport === 'UDP') {
      if (!this.udp) return fail('UDP transport is off');
      this.udp.send(bytes, dest.address, dest.port, onError);
      return;
    }
    let conn: Connection | undefined = dest.connectionId ? this.table.get(dest.connectionId) : undefined;
    conn ??= this.table.find(dest.transport, dest.address, dest.port);
    if (!conn && dest.transport === 'TCP' && this.tcp) conn = this.tcp.connect(dest.address, dest.port);
    if (!conn) return fail(`no ${dest.transport} connection to ${dest.address}:${dest.port}`);
    conn.write(bytes);
  }

  connectionCount(): number {
    return this.table.size;
  }

  async stop(): Promise<void> {
    this.table.closeAll();
    await Promise.all([this.udp?.close(), this.tcp?.close(), ...this.ws.map((w) => w.close())]);
    this.udp = undefined;
    this.tcp = undefined;
    this.ws.length = 0;
  }
}

function endpointOf(conn: Connection): Endpoint {
  return {
    transport: conn.transport,
    address: conn.remoteAddress,
    port: conn.remotePort,
    connectionId: conn.id,
  };
}

/** §18.2.1 and RFC 3581 §4: record where the request really came from in its top Via. */
function stampVia(req: SipRequest, source: Endpoint): SipRequest {
  const top = req.vias[0];
  if (!top) return req;
  const wantsRport = 'rport' in top.params;
  const differs = top.host !== source.address;
  if (!wantsRport && !differs) return req;
  const params: Record<string, string | null> = { ...top.params };
  if (differs || wantsRport) params.received = source.address;
  if (wantsRport) params.rport = String(source.port);
  const stamped: Via = { ...top, params };
  return { ...req, vias: [stamped, ...req.vias.slice(1)] };
}
