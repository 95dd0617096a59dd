/**
 * Media engine benchmark: the CPU a media worker spends per processed stream.
 *
 *   npx tsx bench/media-engine.ts [--streams 200] [--seconds 10] [--workers 1] [--scenario all]
 *
 * Scenarios, each on a fresh MediaRelay with `--streams` endpoints:
 *   raw        pairs of unconfigured endpoints: the plain relay, for comparison
 *   relay      pairs of configured PCMU endpoints, raw relay (the fast path with stats)
 *   play       every endpoint plays a looped 8 kHz WAV to a sink (decode-free, encode + send)
 *   record     pairs relayed raw and recorded to stereo WAV files (decode both sides + write)
 *   transcode  pairs PCMU ↔ PCMA (decode, re-encode and send each way)
 *   g722       pairs PCMU ↔ G.722 (G.722 decoded to 16 kHz and resampled, and back each way)
 *
 * The phones (senders and sinks) run in a child process, so process.cpuUsage() of this
 * process is the relay: its worker threads and a main thread that only waits. Also shown:
 * the time the workers spent inside their 20 ms ticks (the engine's own processing; the
 * rest of the worker CPU is receiving and sending datagrams).
 */
import { fork, type ChildProcess } from 'node:child_process';
import { createSocket, type Socket } from 'node:dgram';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { MediaRelay, type StreamFormat } from '../src/media/index.js';
import { encodeWav } from '../src/media/audio/index.js';
import { encodeUlaw } from '../src/media/codec/index.js';

const LO = '127.0.0.1';
const SCENARIOS = ['raw', 'relay', 'play', 'record', 'transcode', 'g722'] as const;
type Scenario = (typeof SCENARIOS)[number];

type ToPhones =
  | { readonly type: 'setup'; readonly count: number }
  | {
      readonly type: 'go';
      readonly targets: ReadonlyArray<{ port: number; pt: number } | null>;
      readonly durationMs: number;
    };
type FromPhones =
  | { readonly type: 'ready'; readonly ports: readonly number[] }
  | { readonly type: 'done'; readonly sent: number; readonly received: number };

// ---------------------------------------------------------------- phones (child process)

function runPhones(): void {
  let sockets: Socket[] = [];
  let received = 0;
  process.on('message', (msg: ToPhones) => {
    if (msg.type === 'setup') {
      void Promise.all(
        Array.from(
          { length: msg.count },
          () =>
            new Promise<Socket>((resolve) => {
              const s = createSocket({ type: 'udp4', recvBufferSize: 1 << 20 });
              s.on('message', () => received++);
              s.bind(0, LO, () => resolve(s));
            }),
        ),
      ).then((s) => {
        sockets = s;
        process.send!({ type: 'ready', ports: s.map((x) => x.address().port) } satisfies FromPhones);
      });
      return;
    }
    void talk(sockets, msg.targets, msg.durationMs).then(async (sent) => {
      await new Promise((r) => setTimeout(r, 500));
      process.send!({ type: 'done', sent, received } satisfies FromPhones);
      await Promise.all(sockets.map((s) => new Promise<void>((r) => s.close(() => r()))));
      process.disconnect();
    });
  });
}

/** Every phone with a target sends 20 ms G.711 packets with running sequence numbers and timestamps. */
async function talk(
  sockets: readonly Socket[],
  targets: ReadonlyArray<{ port: number; pt: number } | null>,
  durationMs: number,
): Promise<number> {
  const pcm = Int16Array.from({ length: 160 }, (_, i) => Math.round(4000 * Math.sin(i / 3)));
  const packets = targets.map((t, k) => {
    if (t === null) return null;
    const b = Buffer.alloc(172);
    b[0] = 0x80;
    b[1] = t.pt;
    b.writeUInt32BE(0x10000 + k, 8);
    encodeUlaw(pcm, b.subarray(12)); // the same bytes under any codec: noise-like, fine for load
    return b;
  });
  const start = performance.now();
  let frame = 0;
  let sent = 0;
  for (;;) {
    const now = performance.now();
    if (now - start >= durationMs) return sent;
    while (start + frame * 20 <= now) {
      for (let k = 0; k < sockets.length; k++) {
        const p = packets[k];
        if (!p) continue;
        p.writeUInt16BE(frame & 0xffff, 2);
        p.writeUInt32BE((frame * 160) >>> 0, 4);
        sockets[k]!.send(p, targets[k]!.port, LO);
        sent++;
      }
      frame++;
    }
    await new Promise((r) => setTimeout(r, 2));
  }
}

// ---------------------------------------------------------------- relay (this process)

function ask<T extends FromPhones['type']>(
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

const PCMU: StreamFormat = {
  codec: 'PCMU',
  payloadType: 0,
  ptimeMs: 20,
  telephoneEvent: 101,
  direction: 'sendrecv',
};
const PCMA: StreamFormat = { ...PCMU, codec: 'PCMA', payloadType: 8 };
const G722: StreamFormat = { ...PCMU, codec: 'G722', payloadType: 9 };

/** The format of endpoint i: the odd ones of a pair are the other codec in the transcoding scenarios. */
function formatOf(scenario: Scenario, i: number): StreamFormat {
  if (i % 2 === 0) return PCMU;
  return scenario === 'transcode' ? PCMA : scenario === 'g722' ? G722 : PCMU;
}

interface Result {
  readonly scenario: Scenario;
  readonly streams: number;
  readonly cpuPct: number;
  readonly tickPct: number;
  readonly sent: number;
  readonly received: number;
  readonly seconds: number;
}

async function run(
  scenario: Scenario,
  streams: number,
  seconds: number,
  workers: number,
  dir: string,
  wav: string,
): Promise<Result> {
  const relay = await MediaRelay.start({ portMin: 30000, portMax: 39999, workers });
  const child = fork(process.argv[1]!, ['--phones'], { execArgv: process.execArgv });
  const { ports } = await ask(child, { type: 'setup', count: streams }, 'ready');
  const eps: Array<{ id: string; port: number }> = [];
  for (let i = 0; i < streams; i++) {
    const near = i % 2 === 1 ? eps[i - 1]!.id : undefined;
    const ep = await relay.createEndpoint({ bindAddress: LO, ...(near ? { near } : {}) });
    await relay.setRemote(ep.id, { address: LO, port: ports[i]! });
    if (scenario !== 'raw') await relay.configure(ep.id, formatOf(scenario, i));
    eps.push(ep);
  }
  const targets = eps.map((ep, i) =>
    scenario === 'play' ? null : { port: ep.port, pt: formatOf(scenario, i).payloadType },
  );
  for (let i = 0; i + 1 < streams; i += 2) {
    if (scenario !== 'play') await relay.connect(eps[i]!.id, eps[i + 1]!.id);
    if (scenario === 'record') {
      await relay.startRecording({
        recId: `r${i}`,
        path: join(dir, `r${i}.wav`),
        left: eps[i]!.id,
        right: eps[i + 1]!.id,
      });
    }
  }
  if (scenario === 'play') {
    for (const ep of eps) await relay.play(ep.id, { playId: 'moh', items: [{ file: wav }], loop: true });
  }
  await new Promise((r) => setTimeout(r, 500)); // files loaded, buffers primed
  const tick0 = sumTicks(await relay.engineLoad());
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  const done = await ask(child, { type: 'go', targets, durationMs: seconds * 1000 }, 'done');
  const elapsed = performance.now() - t0; // includes the phones' 0.5 s drain
  const cpu = process.cpuUsage(cpu0);
  const tickMs = sumTicks(await relay.engineLoad()) - tick0;
  if (scenario === 'record') {
    for (let i = 0; i + 1 < streams; i += 2) await relay.stopRecording(`r${i}`);
  }
  await relay.shutdown();
  return {
    scenario,
    streams,
    seconds,
    cpuPct: (100 * (cpu.user + cpu.system)) / 1000 / elapsed,
    tickPct: (100 * tickMs) / elapsed,
    sent: done.sent,
    received: done.received,
  };
}

function sumTicks(loads: ReadonlyArray<{ tickMs: number }>): number {
  return loads.reduce((n, l) => n + l.tickMs, 0);
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      streams: { type: 'string', default: '200' },
      seconds: { type: 'string', default: '10' },
      workers: { type: 'string', default: '1' },
      scenario: { type: 'string', default: 'all' },
    },
  });
  const streams = 2 * Math.round(Number(values.streams) / 2);
  const seconds = Number(values.seconds);
  const workers = Number(values.workers);
  const chosen = values.scenario === 'all' ? [...SCENARIOS] : [values.scenario as Scenario];
  const dir = await mkdtemp(join(tmpdir(), 'hotline-bench-'));
  const wav = join(dir, 'moh.wav');
  const moh = Int16Array.from({ length: 5 * 8000 }, (_, i) =>
    Math.round(6000 * Math.sin(i / 5) * Math.sin(i / 4000)),
  );
  await writeFile(wav, encodeWav({ encoding: 'pcm16', sampleRate: 8000, channels: 1 }, moh));
  console.log(`media-engine: ${streams} streams per scenario, ${seconds} s each, ${workers} worker(s)`);
  console.log('scenario    streams  CPU % of a core  in ticks %  µs/stream/tick  phones sent  phones got');
  try {
    for (const scenario of chosen) {
      const r = await run(scenario, streams, seconds, workers, dir, wav);
      const perTick = ((r.cpuPct / 100) * 20_000) / r.streams; // µs of CPU per stream per 20 ms
      console.log(
        `${r.scenario.padEnd(10)} ${String(r.streams).padStart(8)} ${r.cpuPct.toFixed(1).padStart(16)} ${r.tickPct
          .toFixed(1)
          .padStart(
            11,
          )} ${perTick.toFixed(1).padStart(15)} ${String(r.sent).padStart(12)} ${String(r.received).padStart(11)}`,
      );
    }
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

if (process.argv.includes('--phones')) runPhones();
else await main();
