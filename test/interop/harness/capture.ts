import { spawn } from 'node:child_process';

export interface Capture {
  /** Stops the capture and returns the packets seen, one summary line each. */
  stop(): Promise<string[]>;
}

/**
 * Watches loopback with tcpdump (Debian package) for UDP packets matching a filter, so a
 * test can show that audio really reached a peer's socket, independently of our counters.
 */
export async function captureUdp(filter: string): Promise<Capture> {
  const child = spawn('tcpdump', ['-i', 'lo', '-n', '-q', '-l', '-U', `udp and (${filter})`], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout.on('data', (d: Buffer) => (out += d.toString()));
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error('tcpdump did not start (is it installed? run as root)')),
      5000,
    );
    child.stderr.on('data', (d: Buffer) => {
      if (/listening on/.test(d.toString())) {
        clearTimeout(timer);
        resolve();
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`tcpdump exited with ${code}`));
    });
  });
  return {
    stop: () =>
      new Promise((resolve) => {
        child.once('close', () => resolve(out.split('\n').filter((l) => l.includes(' UDP'))));
        setTimeout(() => child.kill('SIGINT'), 300);
      }),
  };
}
