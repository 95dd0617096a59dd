import { createSocket, type Socket } from 'node:dgram';

/**
 * Test doubles for the relay: a "phone" is a plain UDP socket on loopback that records
 * what it receives. Used by the relay tests and the benchmark, never by the relay.
 */
export class TestPhone {
  readonly received: Array<{ readonly data: Buffer; readonly address: string; readonly port: number }> = [];

  private constructor(private readonly socket: Socket) {
    socket.on('message', (data, rinfo) =>
      this.received.push({ data, address: rinfo.address, port: rinfo.port }),
    );
  }

  static open(address = '127.0.0.1'): Promise<TestPhone> {
    return new Promise((resolve, reject) => {
      const socket = createSocket('udp4');
      socket.once('error', reject);
      socket.bind(0, address, () => {
        socket.off('error', reject);
        resolve(new TestPhone(socket));
      });
    });
  }

  get port(): number {
    return this.socket.address().port;
  }

  send(data: Buffer, port: number, address = '127.0.0.1'): Promise<void> {
    return new Promise((resolve, reject) =>
      this.socket.send(data, port, address, (err) => (err ? reject(err) : resolve())),
    );
  }

  /** Resolves when at least `count` packets have arrived; rejects after `timeoutMs`. */
  waitFor(count: number, timeoutMs = 2000): Promise<void> {
    return eventually(() => this.received.length >= count, timeoutMs, `expected ${count} packets`);
  }

  close(): Promise<void> {
    return new Promise((resolve) => this.socket.close(() => resolve()));
  }
}

/** Polls `check` every 5 ms until it holds. */
export async function eventually(check: () => boolean, timeoutMs = 2000, what = 'condition'): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}

export function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

/** An RTP packet (RFC 3550 §5.1): version 2, payload type 0, the given sequence, a 172-byte total by default. */
export function rtpPacket(seq: number, ssrc = 0x11223344, size = 172): Buffer {
  const b = Buffer.alloc(size);
  b[0] = 0x80;
  b[1] = 0;
  b.writeUInt16BE(seq & 0xffff, 2);
  b.writeUInt32BE((seq * 160) >>> 0, 4);
  b.writeUInt32BE(ssrc >>> 0, 8);
  for (let i = 12; i < size; i++) b[i] = (seq + i) & 0xff;
  return b;
}

/**
 * A port range unlikely to collide with other test files running at the same time
 * (the relay also skips ports another process holds). It stays above 20000–20999, the
 * default RTP range, which a Hotline running on the same machine holds as a block.
 */
export function testPortRange(pairs: number): { portMin: number; portMax: number } {
  const base = 21000 + 2 * Math.floor(Math.random() * 14500);
  return { portMin: base, portMax: base + 2 * pairs - 1 };
}
