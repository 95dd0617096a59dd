/**
 * RTP relay benchmark: N bridged "calls" through MediaRelay, each call two phones sending
 * 50 packets/s (20 ms G.711: 172-byte UDP payloads, RTP header + 160 bytes) to their relay
 * port, for a fixed time. Prints packets/s relayed, loss, and CPU.
 *
 *   tsx bench/rtp-relay.ts --calls 100 --seconds 10 [--workers 1]
 *
 * The phones run in a child process so that process.cpuUsage() of this process measures
 * the relay alone (its main thread and its worker threads).
 */
import { fork, type ChildProcess } from 'node:child_process';
import { createSocket, type Socket } from 'node:dgram';
import { parseArgs } from 'node:util';
import { MediaRelay } from '../src/media/index.js';

const LO = '127.0.0.1';
const PACKET_BYTES = 172;
const INTERVAL_MS = 20;
const SLOTS = 20; // phones are spread over 20 send slots, 1 ms apart

type ToPhones =
  | { readonly type: 'setup'; readonly relayPorts: readonly number[] }
  | { readonly type: 'go'; readonly durationMs: number };
type FromPhones =
  | { readonly type: 'ready'; readonly phonePorts: readonly number[] }
  | { readonly type: 'done'; readonly sent: number; readonly received: number; readonly cpuMs: number };

// ---------------------------------------------------------------- phones (child process)

async function runPhones(): Promise<void> {
  let sockets: Socket[] = [];
  let relayPorts: readonly number[] = [];
  let received = 0;
  process.on('message', (msg: ToPhones) => {
    if (msg.type === 'setup') {
      relayPorts = msg.relayPorts;
      void openPhones(relayPorts.length, () => received++).then((s) => {
        sockets = s;
        send({ type: 'ready', phonePorts: s.map((x) => x.address().port) });
      });
    } else {
      const cpu0 = process.cpuUsage();
      void talk(sockets, relayPorts, msg.durationMs).then(async (sent) => {
        await new Promise((r) => setTimeout(r, 1000)); // let the last packets land
        const cpu = process.cpuUsage(cpu0);
        send({ type: 'done', sent, received, cpuMs: (cpu.user + cpu.system) / 1000 });
        await Promise.all(sockets.map((s) => new Promise<void>((r) => s.close(() => r()))));
        process.disconnect();
      });
    }
  });
}

function send(msg: FromPhones): void {
  process.send!(msg);
}

async function openPhones(count: number, onPacket: () => void): Promise<Socket[]> {
  return Promise.all(
    Array.from(
      { length: count },
      () =>
        new Promise<Socket>((resolve) => {
          const s = createSocket({ type: 'udp4', recvBufferSize: 1 << 20 });
          s.on('message', onPacket);
          s.bind(0, LO, () => resolve(s));
        }),
    ),
  );
}

/** Sends 50 packets/s from every phone, each phone in one of 20 slots 1 ms apart. */
async function talk(
  sockets: readonly Socket[],
  relayPorts: readonly number[],
  durationMs: number,
): Promise<number> {
  const packet = Buffer.alloc(PACKET_BYTES, 0xd5);
  packet[0] = 0x80;
  packet[1] = 8; // PCMA
  const start = performance.now();
  const nextDue = Array.from({ length: SLOTS }, (_, slot) => start + slot * (INTERVAL_MS / SLOTS));
  let sent = 0;
  for (;;) {
    const now = performance.now();
    if (now - start >= durationMs) return sent;
    for (let slot = 0; slot < SLOTS; slot++) {
      while (nextDue[slot]! <= now) {
        for (let i = slot; i < sockets.length; i += SLOTS) sockets[i]!.send(packet, relayPorts[i]!, LO);
        sent += Math.ceil((sockets.length - slot) / SLOTS);
        nextDue[slot]! += INTERVAL_MS;
      }
    }
    await new Promise((r) => setTimeout(r, 1));
  }
}

// ---------------------------------------------------------------- relay (this process)

function request<T extends FromPhones['type']>(
  child: ChildProcess,
  msg: ToPhones,
  expect: T,
): Promise<Extract<FromPhones, { type: T }>> {
  return new Promise((resolve) => {
    const on = (m: FromPhones) => {
      if (m.type !== expect) return;
      child.off('message', on);
      resolve(m as Extract<FromPhones, { type: T }>);
    };
    child.on('message', on);
    child.send(msg);
  });
}

async function bridgeCalls(relay: MediaRelay, calls: number): Promise<{ ids: string[]; ports: number[] }> {
  const ids: string[] = [];
  const ports: number[] = [];
  for (let c = 0; c < calls; c++) {
    const a = await relay.createEndpoint({ bindAddress: LO });
    const b = await relay.createEndpoint({ bindAddress: LO, near: a.id });
    await relay.connect(a.id, b.id);
    ids.push(a.id, b.id);
    ports.push(a.port, b.port);
  }
  return { ids, ports };
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      calls: { type: 'string', default: '100' },
      seconds: { type: 'string', default: '10' },
      workers: { type: 'string', default: '1' },
    },
  });
  const calls = Number(values.calls);
  const seconds = Number(values.seconds);
  const relay = await MediaRelay.start({ portMin: 30000, portMax: 39999, workers: Number(values.workers) });
  const { ids, ports } = await bridgeCalls(relay, calls);
  const child = fork(process.argv[1]!, ['--phones'], { execArgv: process.execArgv });
  const ready = await request(child, { type: 'setup', relayPorts: ports }, 'ready');
  await Promise.all(ids.map((id, i) => relay.setRemote(id, { address: LO, port: ready.phonePorts[i]! })));

  const cpu0 = process.cpuUsage();
  const done = await request(child, { type: 'go', durationMs: seconds * 1000 }, 'done');
  const cpu = process.cpuUsage(cpu0);
  const stats = await Promise.all(ids.map((id) => relay.stats(id)));
  await relay.shutdown();
  report({
    calls,
    seconds,
    workers: Number(values.workers),
    done,
    cpuUs: cpu.user + cpu.system,
    stats,
  });
}

function report(r: {
  calls: number;
  seconds: number;
  workers: number;
  done: Extract<FromPhones, { type: 'done' }>;
  cpuUs: number;
  stats: ReadonlyArray<{ packetsIn: number; packetsOut: number; packetsRejected: number }>;
}): void {
  const relayedIn = r.stats.reduce((n, s) => n + s.packetsIn, 0);
  const relayedOut = r.stats.reduce((n, s) => n + s.packetsOut, 0);
  const loss = r.done.sent === 0 ? 0 : (100 * (r.done.sent - r.done.received)) / r.done.sent;
  const fmt = (n: number) => Math.round(n).toLocaleString('en-US');
  console.log(`rtp-relay: ${r.calls} calls (${2 * r.calls} streams), ${r.seconds} s, ${r.workers} worker(s)`);
  console.log(
    `  offered      ${fmt(r.done.sent / r.seconds)} packets/s (${fmt(r.done.sent)} sent by phones)`,
  );
  console.log(
    `  relayed      ${fmt(relayedOut / r.seconds)} packets/s (relay in ${fmt(relayedIn)}, out ${fmt(relayedOut)})`,
  );
  console.log(`  delivered    ${fmt(r.done.received)} packets, loss ${loss.toFixed(3)} %`);
  // CPU over the traffic period; the 1 s drain after it is idle.
  const pct = (cpuMs: number) => ((100 * cpuMs) / (r.seconds * 1000)).toFixed(1);
  const relayMs = r.cpuUs / 1000;
  console.log(`  relay CPU    ${fmt(relayMs)} ms = ${pct(relayMs)} % of one core (process.cpuUsage)`);
  console.log(`  phones CPU   ${fmt(r.done.cpuMs)} ms = ${pct(r.done.cpuMs)} % of one core (child process)`);
}

if (process.argv.includes('--phones')) void runPhones();
else await main();
