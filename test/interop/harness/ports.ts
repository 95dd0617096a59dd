import dgram from 'node:dgram';
import net from 'node:net';

// Test ports stay below Linux's ephemeral range (32768 and up by default), where the kernel
// hands out ports to outgoing connections between our check and sipp's bind.
// freePort() draws from 10000–21999 and freeRange() from 22000–32599, so they never collide.

/** A port free for both UDP and TCP on 127.0.0.1 (SIP listens on both). */
export async function freePort(): Promise<number> {
  for (let attempt = 0; attempt < 50; attempt++) {
    const port = 10000 + Math.floor(Math.random() * 12000);
    if ((await udpFree(port)) && (await tcpFree(port))) return port;
  }
  throw new Error('no free port found');
}

/** A block of `count` consecutive ports free for UDP, starting at an even port. */
export async function freeRange(count: number): Promise<{ min: number; max: number }> {
  for (let attempt = 0; attempt < 50; attempt++) {
    const min = 22000 + 2 * Math.floor(Math.random() * ((32600 - 22000 - count) / 2));
    let ok = true;
    for (let p = min; p < min + count && ok; p++) ok = await udpFree(p);
    if (ok) return { min, max: min + count - 1 };
  }
  throw new Error('no free port range found');
}

function udpFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = dgram.createSocket('udp4');
    s.once('error', () => resolve(false));
    s.bind(port, '127.0.0.1', () => s.close(() => resolve(true)));
  });
}

function tcpFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = net.createServer();
    s.once('error', () => resolve(false));
    s.listen(port, '127.0.0.1', () => s.close(() => resolve(true)));
  });
}
