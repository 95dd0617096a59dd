import dgram from 'node:dgram';
import type { Logger } from '../../platform/log.js';

/** A UDP SIP socket: one datagram is one message (RFC 3261 §18.3). */
export class UdpTransport {
  private socket: dgram.Socket | undefined;

  constructor(
    private readonly address: string,
    private readonly port: number,
    private readonly logger: Logger,
    private readonly onDatagram: (data: Buffer, address: string, port: number) => void,
  ) {}

  async listen(): Promise<number> {
    const socket = dgram.createSocket({
      type: this.address.includes(':') ? 'udp6' : 'udp4',
      reuseAddr: false,
    });
    await new Promise<void>((resolve, reject) => {
      socket.once('error', reject);
      socket.bind(this.port, this.address, () => {
        socket.off('error', reject);
        resolve();
      });
    });
    // A busy SIP server must not drop signalling because the kernel buffer is small.
    try {
      socket.setRecvBufferSize(4 * 1024 * 1024);
      socket.setSendBufferSize(4 * 1024 * 1024);
    } catch (err) {
      this.logger.warn({ err }, 'could not enlarge UDP socket buffers');
    }
    socket.on('message', (data, rinfo) => this.onDatagram(data, rinfo.address, rinfo.port));
    socket.on('error', (err) => this.logger.error({ err }, 'UDP socket error'));
    this.socket = socket;
    return socket.address().port;
  }

  send(data: Buffer, address: string, port: number, onError?: (err: Error) => void): void {
    const socket = this.socket;
    if (!socket) {
      onError?.(new Error('UDP transport is not listening'));
      return;
    }
    socket.send(data, port, address, (err) => {
      if (err) onError?.(err);
    });
  }

  close(): Promise<void> {
    const socket = this.socket;
    this.socket = undefined;
    if (!socket) return Promise.resolve();
    return new Promise((resolve) => socket.close(() => resolve()));
  }
}
