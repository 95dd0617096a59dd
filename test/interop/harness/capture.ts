import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { readPcap, type UdpRecord } from './pcap.js';

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

export interface PacketCapture {
  /** Stops the capture and returns the UDP packets seen, with their payloads and times. */
  stop(): Promise<UdpRecord[]>;
}

/**
 * Like captureUdp, but keeps whole packets (tcpdump -w to a pcap file) so a test can decode
 * the RTP audio a peer received and judge what it heard, not just count packets.
 */
export async function capturePackets(filter: string): Promise<PacketCapture> {
  const dir = mkdtempSync(path.join(tmpdir(), 'capture-'));
  const file = path.join(dir, 'capture.pcap');
  // -Z root: tcpdump would otherwise drop to its own user, who cannot write in our folder.
  const child = spawn(
    'tcpdump',
    ['-i', 'lo', '-n', '-U', '-Z', 'root', '-s', '0', '-w', file, `udp and (${filter})`],
    {
      stdio: ['ignore', 'ignore', 'pipe'],
    },
  );
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
      new Promise((resolve, reject) => {
        child.once('close', () => {
          try {
            resolve(readPcap(file));
          } catch (err) {
            reject(err instanceof Error ? err : new Error(String(err)));
          } finally {
            rmSync(dir, { recursive: true, force: true });
          }
        });
        // A moment for packets still in flight, then SIGINT makes tcpdump flush and exit.
        setTimeout(() => child.kill('SIGINT'), 300);
      }),
  };
}
