/**
 * Media concurrency benchmark: how many calls carrying audio a whole Hotline holds at once
 * with loss under 0.1 % and added jitter under 5 ms, and what each call costs in CPU and
 * memory. sipp places authenticated calls that play g711a.pcap (PCMA, 30 ms packets) both
 * ways, held for the whole measurement, at rising concurrency:
 *
 * - `echo`: calls to the echo test (*43), which sends every packet back;
 * - `ext`:  extension to extension (1001 → a registered sipp that answers and plays the same
 *           audio back), bridged by Hotline, with recording on.
 *
 * tcpdump on `lo` sees the RTP going into Hotline and coming out of it; loss comes from the
 * sequence numbers of the streams Hotline sends, jitter is RFC 3550's, and CPU and memory
 * come from /proc.
 *
 *   npx tsx bench/media-concurrency/run.ts [--mode echo|ext|both] [--levels 100,200,…] [--hold S]
 *            [--workers N] [--record|--no-record] [--spread-media] [--quick] [--help]
 *
 * Linux only (it reads /proc), as root (tcpdump, and sipp's pcap play uses raw sockets);
 * needs sipp (Debian sip-tester) and tcpdump. See bench/README.md for how to read the table.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { createSocket } from 'node:dgram';
import {
  closeSync,
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  openSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { createServer } from 'node:net';
import { availableParallelism, tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import {
  childNamed,
  cpuTicks,
  dropsOf,
  machineBusyTicks,
  rawSocketCount,
  rssMb,
  runQueueWaitNs,
  socketInodes,
  threadTicks,
  TICKS_PER_SECOND,
  udpCounters,
  udpDropsByInode,
} from './proc.js';
import { analyseCapture, startCapture, type CaptureAnalysis, type CaptureCounts } from './rtp-capture.js';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const ROOT = path.resolve(HERE, '..', '..');
const LO = '127.0.0.1';
const CALLER = '1001';
/** Called extensions: 1002 for the first answering sipp, 1003 for the second… */
const FIRST_CALLEE = 1002;
const password = (ext: string | number) => `bench-secret-${ext}`;
const PCAP = '/usr/share/sip-tester/g711a.pcap';
/** One play of g711a.pcap: 236 packets 30 ms apart; the next play starts 30 ms after the last packet. */
const PLAY_MS = 7080;
const DEFAULT_LEVELS = [100, 200, 300, 400, 500, 600, 800, 1000, 1200, 1500];
const QUICK_LEVELS = [50, 100];
const MAX_LOSS_PCT = 0.1;
const MAX_ADDED_JITTER_MS = 5;

/** Asterisk 22.10.1 on this same machine with the same sipp load (shared/REFERENCE.md). */
const ASTERISK = {
  echo: { calls: 550, cpu: 85, text: '550 clean echo calls at 85 % CPU (650 with no loss at 96 %)' },
  ext: { calls: 200, cpu: 71, text: '200 recorded calls at 71 % CPU' },
  rss: 'resident memory 1.8–2.3 GB under these loads',
} as const;
const AIM = 1.5;

type Mode = 'echo' | 'ext';

// ---------------------------------------------------------------- options

interface Options {
  readonly modes: readonly Mode[];
  readonly levels: readonly number[];
  readonly holdSeconds: number;
  readonly workers: number | undefined;
  /** undefined: recording in ext mode only. */
  readonly record: boolean | undefined;
  readonly perSipp: number;
  /** Each sipp process sends and receives its audio on its own loopback address. */
  readonly spreadMedia: boolean;
  /** Total call rate while ramping up; undefined: a tenth of the level, 20–100 calls/s. */
  readonly rate: number | undefined;
  readonly settleSeconds: number;
  readonly budgetSeconds: number;
  readonly keep: boolean;
  readonly logLevel: string;
  readonly rtpMin: number;
  readonly rtpMax: number;
  readonly dataBase: string | undefined;
}

const USAGE = `Usage: npx tsx bench/media-concurrency/run.ts [options]
  --mode M          echo (calls to *43), ext (1001 calls a registered sipp, bridged and
                    recorded) or both (default)
  --levels LIST     rising numbers of concurrent calls, comma-separated
                    (default ${DEFAULT_LEVELS.join(',')})
  --hold S          length of the measurement, in seconds, during which every call of the
                    level is up and carrying audio both ways (default 60)
  --quick           levels ${QUICK_LEVELS.join(',')} with a 20 s hold: to check that the bench works
  --workers N       media.workers of the server (default: the server's own default)
  --record          record the calls in both modes
  --no-record       record in neither (default: record the ext calls, not the echo ones)
  --per-sipp N      most calls per sipp process (default 250: pcap play overloads one sipp
                    near 500-600 calls); each process has its own ports
  --spread-media    give each sipp process its own loopback address for its audio
                    (127.0.0.2, 127.0.0.3…). sipp's pcap play sends through one raw
                    socket per call, and the kernel hands every raw socket a copy of each
                    UDP packet to its address: with everything on 127.0.0.1, every packet
                    the server sends or receives is copied to hundreds of sockets, and
                    that kernel work is counted partly as the server's CPU. Off by
                    default, as the Asterisk figures were taken that way.
  --rate N          calls per second while ramping up (default: level / 10, within 20-100)
  --settle S        wait between the last call started and the measurement (default 3)
  --budget S        do not start a new level after this many seconds (default 3600)
  --rtp-range A-B   the server's RTP ports (default 20000-39999)
  --log-level L     server log level (default warn)
  --data-dir DIR    put the server's data folder (database, recordings) under DIR
                    (e.g. /dev/shm) instead of the temporary folder
  --keep            keep the temporary folder (server logs, sipp files, captures)`;

function options(): Options {
  const { values } = parseArgs({
    options: {
      mode: { type: 'string', default: 'both' },
      levels: { type: 'string' },
      hold: { type: 'string' },
      quick: { type: 'boolean', default: false },
      workers: { type: 'string' },
      record: { type: 'boolean' },
      'no-record': { type: 'boolean' },
      'per-sipp': { type: 'string', default: '250' },
      'spread-media': { type: 'boolean', default: false },
      rate: { type: 'string' },
      settle: { type: 'string', default: '3' },
      budget: { type: 'string', default: '3600' },
      'rtp-range': { type: 'string', default: '20000-39999' },
      'log-level': { type: 'string', default: 'warn' },
      'data-dir': { type: 'string' },
      keep: { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  if (values.help) {
    console.log(USAGE);
    process.exit(0);
  }
  const positive = (name: string, text: string): number => {
    const n = Number(text);
    if (!Number.isFinite(n) || n <= 0) fail(`--${name} must be a positive number, got "${text}"`);
    return n;
  };
  const modes: Mode[] =
    values.mode === 'both'
      ? ['echo', 'ext']
      : values.mode === 'echo' || values.mode === 'ext'
        ? [values.mode]
        : fail(`--mode must be echo, ext or both, got "${values.mode}"`);
  let levels = values.levels
    ? values.levels.split(',').map((l) => Math.round(positive('levels', l.trim())))
    : values.quick
      ? QUICK_LEVELS
      : DEFAULT_LEVELS;
  levels = [...new Set(levels)].sort((a, b) => a - b);
  if (values.record && values['no-record']) fail('--record and --no-record exclude each other');
  const range = /^(\d+)-(\d+)$/.exec(values['rtp-range']);
  if (!range || Number(range[1]) >= Number(range[2])) fail('--rtp-range must look like 20000-39999');
  if (!existsSync('/proc/self/stat')) fail('this benchmark reads /proc: it runs on Linux only');
  if (spawnSync('sipp', ['-v'], { stdio: 'ignore' }).error) {
    fail('sipp was not found on the PATH (Debian/Ubuntu: apt-get install sip-tester)');
  }
  if (spawnSync('tcpdump', ['--version'], { stdio: 'ignore' }).error) {
    fail('tcpdump was not found on the PATH (Debian/Ubuntu: apt-get install tcpdump)');
  }
  if (!existsSync(PCAP)) fail(`${PCAP} is missing (it comes with the sip-tester package)`);
  if (process.getuid?.() !== 0) {
    console.warn("media-concurrency: not root: tcpdump and sipp's pcap play (raw sockets) will likely fail");
  }
  return {
    modes,
    levels,
    holdSeconds: values.hold ? positive('hold', values.hold) : values.quick ? 20 : 60,
    workers: values.workers === undefined ? undefined : Math.round(positive('workers', values.workers)),
    record: values.record ? true : values['no-record'] ? false : undefined,
    perSipp: Math.round(positive('per-sipp', values['per-sipp'])),
    spreadMedia: values['spread-media'],
    rate: values.rate === undefined ? undefined : positive('rate', values.rate),
    settleSeconds: positive('settle', values.settle),
    budgetSeconds: positive('budget', values.budget),
    keep: values.keep,
    logLevel: values['log-level'],
    rtpMin: Number(range[1]),
    rtpMax: Number(range[2]),
    dataBase: values['data-dir'],
  };
}

function fail(message: string): never {
  console.error(`media-concurrency: ${message}`);
  process.exit(2);
}

// ---------------------------------------------------------------- child processes and cleanup

const children = new Set<ChildProcess>();

function track(child: ChildProcess): ChildProcess {
  children.add(child);
  child.once('exit', () => children.delete(child));
  return child;
}

function killAll(signal: NodeJS.Signals): void {
  for (const child of children) if (child.exitCode === null && child.signalCode === null) child.kill(signal);
}

let interrupted = false;
function onSignal(signal: NodeJS.Signals): void {
  if (interrupted) {
    killAll('SIGKILL');
    process.exit(130);
  }
  interrupted = true;
  process.exitCode = 130;
  console.error(`\nmedia-concurrency: ${signal}, stopping sipp, tcpdump and the server…`);
  killAll('SIGINT');
  setTimeout(() => {
    killAll('SIGKILL');
    process.exit(130);
  }, 5000).unref();
}
process.on('SIGINT', onSignal);
process.on('SIGTERM', onSignal);
process.on('exit', () => killAll('SIGKILL'));

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));
const now = () => performance.now() / 1000;

function exited(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((r) => child.once('exit', () => r()));
}

// ---------------------------------------------------------------- ports

function udpFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = createSocket('udp4');
    s.once('error', () => resolve(false));
    s.bind(port, LO, () => s.close(() => resolve(true)));
  });
}

function tcpFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = createServer();
    s.once('error', () => resolve(false));
    s.listen(port, LO, () => s.close(() => resolve(true)));
  });
}

/**
 * A port in 10000–19999 (below the RTP range and the kernel's ephemeral ports) with the next
 * three free too (sipp's media port takes port and port + 2), UDP and TCP.
 */
async function freePort(taken: Set<number>): Promise<number> {
  for (let attempt = 0; attempt < 500; attempt++) {
    const port = 10000 + 4 * Math.floor(Math.random() * 2500);
    if ([0, 1, 2, 3].some((i) => taken.has(port + i))) continue;
    let ok = await tcpFree(port);
    for (let i = 0; ok && i < 4; i++) ok = await udpFree(port + i);
    if (ok) {
      for (let i = 0; i < 4; i++) taken.add(port + i);
      return port;
    }
  }
  throw new Error('no free port found');
}

// ---------------------------------------------------------------- the server

interface Server {
  readonly pid: number;
  readonly log: string;
  readonly dataDir: string;
  readonly restRssMb: number;
  readonly idleSockets: number;
  stop(): Promise<void>;
}

interface ServerSetup {
  readonly dir: string;
  readonly name: string;
  readonly sipPort: number;
  readonly callees: number;
  readonly record: boolean;
  readonly callSeconds: number;
  readonly opts: Options;
}

async function startServer(s: ServerSetup): Promise<Server> {
  const dataDir = s.opts.dataBase
    ? path.join(s.opts.dataBase, `${path.basename(s.dir)}-${s.name}`)
    : path.join(s.dir, `${s.name}-data`);
  mkdirSync(dataDir, { recursive: true });
  const extensions = [{ number: CALLER, password: password(CALLER), name: 'sipp caller' }];
  for (let i = 0; i < s.callees; i++) {
    const n = String(FIRST_CALLEE + i);
    extensions.push({ number: n, password: password(n), name: `sipp callee ${i + 1}` });
  }
  const config = {
    sip: { udpPort: s.sipPort, tcpPort: s.sipPort, bindAddress: LO, advertisedAddress: LO },
    rtp: { portMin: s.opts.rtpMin, portMax: s.opts.rtpMax },
    extensions,
    log: { level: s.opts.logLevel },
    registrar: { qualifyInterval: 0, maxExpires: 86400, defaultExpires: 86400 },
    // Calls end on sipp's BYE; these limits only catch calls sipp lost track of.
    calls: { echoMaxDuration: Math.ceil(s.callSeconds) + 120, noAnswerTimeout: 60 },
    limits: { maxCalls: 100000, maxCallsPerSecond: 10000, retryAfter: 5 },
    // sipp sends every call from one address: never block it.
    security: { maxAuthFailures: 0 },
    media: s.opts.workers === undefined ? {} : { workers: s.opts.workers },
    recording: { enabled: s.record },
  };
  const configFile = path.join(s.dir, `${s.name}.yaml`);
  writeFileSync(configFile, JSON.stringify(config, null, 2) + '\n'); // JSON is YAML
  const log = path.join(s.dir, `${s.name}.log`);
  const out = openSync(log, 'a');
  const child = track(
    spawn(
      process.execPath,
      ['--import', 'tsx', 'src/cli/main.ts', 'start', '--config', configFile, '--data-dir', dataDir],
      { cwd: ROOT, stdio: ['ignore', out, out] },
    ),
  );
  closeSync(out);
  if (child.pid === undefined) throw new Error('could not start the server');
  const pid = child.pid;
  await waitForSip(s.sipPort, child, log);
  // Start-up (compiling TypeScript, loading the speech engine) leaves garbage that V8 gives
  // back over the next seconds.
  await sleep(3000);
  return {
    pid,
    log,
    dataDir,
    restRssMb: rssMb(pid),
    idleSockets: socketInodes(pid).size,
    stop: async () => {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill('SIGINT');
        const killer = setTimeout(() => child.kill('SIGKILL'), 15000);
        await exited(child);
        clearTimeout(killer);
      }
      // Recordings and the database of a level are not needed afterwards (and can be large).
      if (!s.opts.keep) rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** Sends OPTIONS until the server answers (it answers OPTIONS without authentication). */
async function waitForSip(port: number, child: ChildProcess, log: string): Promise<void> {
  const sock = createSocket('udp4');
  let answered = false;
  sock.on('message', () => (answered = true));
  await new Promise<void>((r) => sock.bind(0, LO, () => r()));
  const local = sock.address().port;
  try {
    for (let i = 0; i < 150 && !answered; i++) {
      if (child.exitCode !== null || child.signalCode !== null) {
        throw new Error(`the server exited during start-up:\n${tail(log, 20)}`);
      }
      const msg = [
        `OPTIONS sip:${LO}:${port} SIP/2.0`,
        `Via: SIP/2.0/UDP ${LO}:${local};branch=z9hG4bKmcready${i};rport`,
        `From: <sip:bench@${LO}>;tag=ready`,
        `To: <sip:${LO}:${port}>`,
        `Call-ID: media-concurrency-ready-${process.pid}-${i}`,
        'CSeq: 1 OPTIONS',
        'Max-Forwards: 70',
        'Content-Length: 0',
        '',
        '',
      ].join('\r\n');
      sock.send(msg, port, LO);
      await sleep(200);
    }
    if (!answered) throw new Error(`the server did not answer OPTIONS within 30 s:\n${tail(log, 20)}`);
  } finally {
    sock.close();
  }
}

function tail(file: string, lines: number): string {
  try {
    return readFileSync(file, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
  } catch {
    return '(no log)';
  }
}

// ---------------------------------------------------------------- sipp

interface Sipp {
  readonly name: string;
  readonly dir: string;
  readonly child: ChildProcess;
  readonly done: Promise<void>;
  /** sipp's own pid (under `timeout`), once known. */
  pid(): number | undefined;
}

function startSipp(dir: string, name: string, args: readonly string[], wallSeconds: number): Sipp {
  const sippDir = path.join(dir, name);
  mkdirSync(sippDir, { recursive: true });
  if (!existsSync(path.join(sippDir, 'pcap'))) symlinkSync(path.dirname(PCAP), path.join(sippDir, 'pcap'));
  for (const f of ['echo-call.xml', 'answer-play.xml', 'register.xml']) {
    copyFileSync(path.join(HERE, f), path.join(sippDir, f));
  }
  const out = openSync(path.join(sippDir, 'sipp.out'), 'w');
  const child = track(
    spawn('timeout', ['-k', '10', '-s', 'INT', String(Math.ceil(wallSeconds)), 'sipp', '-nostdin', ...args], {
      cwd: sippDir,
      stdio: ['ignore', out, out],
    }),
  );
  closeSync(out);
  let pid: number | undefined;
  return {
    name,
    dir: sippDir,
    child,
    done: exited(child),
    pid: () => {
      if (pid === undefined && child.pid !== undefined && child.exitCode === null) {
        pid = childNamed(child.pid, 'sipp');
      }
      return pid;
    },
  };
}

/** The last line of sipp's -trace_stat file, by column name. */
function sippStats(sipp: Sipp): Map<string, string> {
  const file = path.join(sipp.dir, 'stats.csv');
  if (!existsSync(file)) return new Map();
  const lines = readFileSync(file, 'utf8').split('\n').filter(Boolean);
  const header = (lines[0] ?? '').split(';');
  const last = (lines[lines.length - 1] ?? '').split(';');
  return lines.length < 2 ? new Map() : new Map(header.map((h, i) => [h, last[i] ?? '']));
}

function stat(sipp: Sipp, key: string): number {
  const v = sippStats(sipp).get(key);
  return v === undefined || v === '' ? NaN : Number(v);
}

/** Registers one extension with its Contact at an answering sipp's port. */
async function register(
  dir: string,
  sipPort: number,
  ext: string,
  contactPort: number,
  localPort: number,
): Promise<boolean> {
  const name = `register-${ext}`;
  const sippDir = path.join(dir, name);
  mkdirSync(sippDir, { recursive: true });
  writeFileSync(
    path.join(sippDir, 'fields.csv'),
    `SEQUENTIAL\n${ext};[authentication username=${ext} password=${password(ext)}];${contactPort};86400\n`,
  );
  const sipp = startSipp(
    dir,
    name,
    [
      '-sf',
      'register.xml',
      '-inf',
      'fields.csv',
      '-i',
      LO,
      '-p',
      String(localPort),
      '-m',
      '1',
      '-timeout',
      '15s',
      '-trace_err',
      '-error_file',
      'errors.log',
      `${LO}:${sipPort}`,
    ],
    20,
  );
  await sipp.done;
  return sipp.child.exitCode === 0;
}

// ---------------------------------------------------------------- one level

interface SippPorts {
  readonly sip: number;
  readonly media: number;
  /** The address sipp sends and receives its audio on (-mi). */
  readonly mediaIp: string;
}

interface Ports {
  readonly server: number;
  readonly register: number;
  /** SIP and media port of each calling sipp, then of each answering sipp. */
  readonly callers: readonly SippPorts[];
  readonly callees: readonly SippPorts[];
}

interface Snapshot {
  readonly t: number;
  readonly server: number;
  readonly threads: Map<number, { ticks: number; name: string }>;
  /** Nanoseconds the server's threads (all of them, summed) have waited for a CPU. */
  readonly waitNs: number;
  readonly sipp: number;
  readonly capture: number;
  readonly machine: number;
  readonly serverDrops: number;
  readonly sippDrops: number;
  readonly udp: Map<string, number>;
}

interface LevelResult {
  readonly mode: Mode;
  readonly calls: number;
  readonly sippCallers: number;
  readonly rate: number;
  readonly plays: number;
  /** Calls sipp had started (callers) when the measurement began. */
  readonly started: number;
  /** Calls with audio coming back from the server during the measurement. */
  readonly up: number;
  /** Failed calls (callers and callees), from sipp's statistics at the end. */
  readonly failed: number;
  readonly windowSeconds: number;
  readonly analysis: CaptureAnalysis | undefined;
  readonly capture: CaptureCounts | undefined;
  /** The server process, % of one core, over the measurement. */
  readonly serverCpu: number;
  readonly mainCpu: number;
  /** The busiest thread other than the main one (a media worker, as a rule). */
  readonly busiestThreadCpu: number;
  /** Time the server's threads were ready to run but waited for a CPU, % of the measurement (summed over threads). */
  readonly waitPct: number;
  readonly restRssMb: number;
  /** Mean of the server's RSS over the measurement (sampled every second), MB. */
  readonly rssMb: number;
  readonly rssPeakMb: number;
  /** The server's busiest threads over the measurement: % of a core each, highest first. */
  readonly threadsCpu: readonly number[];
  readonly sippCpu: number;
  readonly captureCpu: number;
  readonly otherCpu: number;
  /** Datagrams dropped by the server's sockets (full receive buffer) during the measurement. */
  readonly serverDrops: number;
  readonly sippDrops: number;
  /** The machine's UDP RcvbufErrors and InErrors during the measurement (every process). */
  readonly sysRcvbufErrors: number;
  readonly sysInErrors: number;
  readonly rawSockets: number;
  readonly leftoverSockets: number;
  readonly notes: readonly string[];
}

function levelPlan(n: number, opts: Options) {
  const processes = Math.max(1, Math.ceil(n / opts.perSipp));
  const counts = Array.from(
    { length: processes },
    (_, i) => Math.floor(n / processes) + (i < n % processes ? 1 : 0),
  );
  const rate = opts.rate ?? Math.min(100, Math.max(20, Math.round(n / 10)));
  const rates = counts.map((c) => Math.max(1, Math.round((rate * c) / n)));
  const rampSeconds = Math.max(...counts.map((c, i) => c / rates[i]!));
  // Every call lasts long enough for all of them to be up through the whole measurement.
  const needed = rampSeconds + 2 + opts.settleSeconds + 1 + opts.holdSeconds + 2;
  const plays = Math.max(2, Math.ceil((needed * 1000) / PLAY_MS));
  return { processes, counts, rate, rates, rampSeconds, plays, callSeconds: (plays * PLAY_MS) / 1000 };
}

async function runLevel(
  mode: Mode,
  n: number,
  server: Server,
  ports: Ports,
  dir: string,
  opts: Options,
): Promise<LevelResult> {
  const plan = levelPlan(n, opts);
  const levelDir = path.join(dir, `${mode}-${n}`);
  mkdirSync(levelDir, { recursive: true });
  const notes: string[] = [];
  const callees: Sipp[] = [];
  const callers: Sipp[] = [];
  const wall = plan.rampSeconds * 2 + plan.callSeconds + 60;
  const common = ['-i', LO, '-buff_size', '4194304', '-set', 'loops', String(plan.plays)];
  const statArgs = [
    '-trace_stat',
    '-stf',
    'stats.csv',
    '-fd',
    '1',
    '-trace_err',
    '-error_file',
    'errors.log',
  ];
  let registered = true;
  if (mode === 'ext') {
    for (let k = 0; k < plan.processes; k++) {
      const p = ports.callees[k]!;
      callees.push(
        startSipp(
          levelDir,
          `callee-${k + 1}`,
          [
            '-sf',
            'answer-play.xml',
            ...common,
            '-p',
            String(p.sip),
            '-mp',
            String(p.media),
            '-mi',
            p.mediaIp,
            '-m',
            String(plan.counts[k]),
            '-timeout',
            `${Math.ceil(wall - 5)}s`,
            ...statArgs,
          ],
          wall,
        ),
      );
    }
    await sleep(500);
    for (let k = 0; k < plan.processes; k++) {
      const ext = String(FIRST_CALLEE + k);
      if (!(await register(levelDir, ports.server, ext, ports.callees[k]!.sip, ports.register))) {
        notes.push(`registering ${ext} failed (see ${path.join(levelDir, `register-${ext}`)})`);
        registered = false;
      }
    }
    // Without its registration no call reaches it: do not wait for its calls.
    if (!registered) for (const c of callees) c.child.kill('SIGINT');
  }
  const sippStart = now();
  if (registered) {
    for (let k = 0; k < plan.processes; k++) {
      const p = ports.callers[k]!;
      const target = mode === 'echo' ? '*43' : String(FIRST_CALLEE + k);
      const name = `caller-${k + 1}`;
      mkdirSync(path.join(levelDir, name), { recursive: true });
      writeFileSync(
        path.join(levelDir, name, 'fields.csv'),
        `SEQUENTIAL\n${CALLER};[authentication username=${CALLER} password=${password(CALLER)}];${target}\n`,
      );
      callers.push(
        startSipp(
          levelDir,
          name,
          [
            '-sf',
            'echo-call.xml',
            '-inf',
            'fields.csv',
            ...common,
            '-p',
            String(p.sip),
            '-mp',
            String(p.media),
            '-mi',
            p.mediaIp,
            '-r',
            String(plan.rates[k]),
            '-m',
            String(plan.counts[k]),
            '-l',
            String(plan.counts[k]),
            '-timeout',
            `${Math.ceil(wall - 5)}s`,
            ...statArgs,
            `${LO}:${ports.server}`,
          ],
          wall,
        ),
      );
    }
  }
  const all = [...callers, ...callees];
  const alive = () => all.every((s) => s.child.exitCode === null && s.child.signalCode === null);
  const sippTicks = () => all.reduce((sum, s) => sum + (cpuTicks(s.pid() ?? -1) || 0), 0);
  let rssPeak = rssMb(server.pid);

  // 1. Ramp up: wait until every caller has started all its calls, then let them settle.
  let started = 0;
  const rampDeadline = sippStart + plan.rampSeconds * 2 + 30;
  while (registered && !interrupted) {
    started = callers.reduce((sum, s) => sum + (stat(s, 'TotalCallCreated') || 0), 0);
    if (started >= n || !alive() || now() > rampDeadline) break;
    rssPeak = Math.max(rssPeak, rssMb(server.pid));
    await sleep(500);
  }
  if (registered && started < n) notes.push(`only ${started} of ${n} calls started`);
  if (registered && !alive()) notes.push('a sipp process ended early');
  await sleep(opts.settleSeconds * 1000);

  // 2. The measurement: every call up, audio both ways.
  let capture: CaptureCounts | undefined;
  let analysis: CaptureAnalysis | undefined;
  let a: Snapshot | undefined;
  let b: Snapshot | undefined;
  const rssSamples: number[] = [];
  const captureFile = path.join(levelDir, 'rtp.pcap');
  const clientMediaPorts = [
    ...ports.callers.slice(0, callers.length),
    ...ports.callees.slice(0, callees.length),
  ].map((p) => p.media);
  if (registered && alive() && !interrupted) {
    const cap = await startCapture({ ports: clientMediaPorts, file: captureFile, track });
    const sippSockets = new Set<number>();
    for (const s of all) for (const i of socketInodes(s.pid() ?? -1)) sippSockets.add(i);
    const serverSockets = socketInodes(server.pid);
    const snapshot = (): Snapshot => {
      const table = udpDropsByInode();
      return {
        t: now(),
        server: cpuTicks(server.pid),
        threads: threadTicks(server.pid),
        waitNs: [...threadTicks(server.pid).keys()].reduce(
          (sum, tid) => sum + (runQueueWaitNs(server.pid, tid) || 0),
          0,
        ),
        sipp: sippTicks(),
        capture: cpuTicks(cap.pid),
        machine: machineBusyTicks(),
        serverDrops: dropsOf(serverSockets, table),
        sippDrops: dropsOf(sippSockets, table),
        udp: udpCounters(),
      };
    };
    a = snapshot();
    rssSamples.push(rssMb(server.pid));
    const firstHangup = sippStart + plan.callSeconds;
    const end = Math.min(a.t + opts.holdSeconds, firstHangup - 1);
    if (end - a.t < opts.holdSeconds - 0.5) {
      notes.push(`measured ${(end - a.t).toFixed(0)} s only: the ramp took longer than planned`);
    }
    while (now() < end && !interrupted) {
      await sleep(Math.min(1000, Math.max(0, (end - now()) * 1000)));
      rssSamples.push(rssMb(server.pid));
    }
    b = snapshot();
    rssPeak = Math.max(rssPeak, ...rssSamples);
    capture = await cap.stop();
  }
  const rssMean = rssSamples.length ? rssSamples.reduce((x, y) => x + y, 0) / rssSamples.length : NaN;
  const rawSockets = rawSocketCount();

  // 3. Wait for the calls to end, then for the server to close their media.
  const endDeadline = sippStart + wall + 15;
  while (!interrupted && all.some((s) => s.child.exitCode === null && s.child.signalCode === null)) {
    if (now() > endDeadline) break;
    await Promise.race([sleep(1000), Promise.all(all.map((s) => s.done))]);
  }
  const failed = all.reduce((sum, s) => sum + (stat(s, 'FailedCall(C)') || 0), 0);
  for (const s of all) {
    const created = stat(s, 'TotalCallCreated');
    const ok = stat(s, 'SuccessfulCall(C)');
    const bad = stat(s, 'FailedCall(C)');
    if (s.child.exitCode === 124 || s.child.signalCode !== null)
      notes.push(`${s.name} was stopped by timeout`);
    else if (!Number.isFinite(created)) {
      notes.push(
        `${s.name}: no statistics (${tail(path.join(s.dir, 'sipp.out'), 2).replace(/\s+/g, ' ').slice(0, 160)})`,
      );
    } else if (created - ok - bad > 0) notes.push(`${s.name}: ${created - ok - bad} calls unfinished`);
  }
  let leftover = 0;
  const drainStart = now();
  for (;;) {
    leftover = socketInodes(server.pid).size - server.idleSockets;
    if (leftover <= 0 || now() - drainStart > 10 || interrupted) break;
    await sleep(250);
  }

  if (capture && existsSync(captureFile)) {
    analysis = analyseCapture(captureFile, new Set(clientMediaPorts), { echo: mode === 'echo' });
    if (!opts.keep) rmSync(captureFile, { force: true });
  }
  const seconds = a && b ? b.t - a.t : NaN;
  const pct = (ticks: number) => (ticks / TICKS_PER_SECOND / seconds) * 100;
  const threadsCpu: number[] = [];
  let busiest = 0;
  if (a && b) {
    for (const [tid, th] of b.threads) {
      const d = th.ticks - (a.threads.get(tid)?.ticks ?? 0);
      if (d > 0) threadsCpu.push(pct(d));
      if (tid !== server.pid) busiest = Math.max(busiest, d);
    }
    threadsCpu.sort((x, y) => y - x);
  }
  const serverCpu = a && b ? pct(b.server - a.server) : NaN;
  const sippCpu = a && b ? pct(b.sipp - a.sipp) : NaN;
  const captureCpu = a && b ? pct(b.capture - a.capture) : NaN;
  const perCallFlows = mode === 'echo' ? 1 : 2;
  return {
    mode,
    calls: n,
    sippCallers: plan.processes,
    rate: plan.rate,
    plays: plan.plays,
    started,
    up: analysis ? Math.floor(analysis.fromServer.flows / perCallFlows) : 0,
    failed,
    windowSeconds: seconds,
    analysis,
    capture,
    serverCpu,
    mainCpu:
      a && b
        ? pct((b.threads.get(server.pid)?.ticks ?? NaN) - (a.threads.get(server.pid)?.ticks ?? NaN))
        : NaN,
    busiestThreadCpu: a && b ? pct(busiest) : NaN,
    threadsCpu,
    waitPct: a && b ? ((b.waitNs - a.waitNs) / 1e9 / seconds) * 100 : NaN,
    restRssMb: server.restRssMb,
    rssMb: rssMean,
    rssPeakMb: rssPeak,
    sippCpu,
    captureCpu,
    // Clamped: tick rounding.
    otherCpu: a && b ? Math.max(0, pct(b.machine - a.machine) - serverCpu - sippCpu - captureCpu) : NaN,
    serverDrops: a && b ? b.serverDrops - a.serverDrops : NaN,
    sippDrops: a && b ? b.sippDrops - a.sippDrops : NaN,
    sysRcvbufErrors: a && b ? (b.udp.get('RcvbufErrors') ?? NaN) - (a.udp.get('RcvbufErrors') ?? NaN) : NaN,
    sysInErrors: a && b ? (b.udp.get('InErrors') ?? NaN) - (a.udp.get('InErrors') ?? NaN) : NaN,
    rawSockets,
    leftoverSockets: Math.max(0, leftover),
    notes,
  };
}

// ---------------------------------------------------------------- verdict

function addedJitter(r: LevelResult): number {
  const x = r.analysis;
  return x ? x.fromServer.jitterMeanMs - x.toServer.jitterMeanMs : NaN;
}

function addedJitterP95(r: LevelResult): number {
  const x = r.analysis;
  return x ? x.fromServer.jitterP95Ms - x.toServer.jitterP95Ms : NaN;
}

/** Audio out of the server against audio into it, % (payload bytes: immune to repacketising). */
function audioBalance(r: LevelResult): number {
  const x = r.analysis;
  if (!x || x.toServer.payloadBytes === 0) return NaN;
  return ((x.fromServer.payloadBytes - x.toServer.payloadBytes) / x.toServer.payloadBytes) * 100;
}

/** Why a level does not count as carried (empty: it does). */
function shortfalls(r: LevelResult): string[] {
  const out: string[] = [];
  const x = r.analysis;
  if (!x) return ['not measured'];
  if (r.started < r.calls) out.push(`${r.calls - r.started} calls not started`);
  if (r.failed > 0) out.push(`${r.failed} calls failed`);
  if (r.up < r.calls) out.push(`${r.calls - r.up} calls without audio back`);
  if (!(x.fromServer.lossPct < MAX_LOSS_PCT)) out.push(`loss ${fix(x.fromServer.lossPct, 3)} %`);
  if (!(addedJitter(r) < MAX_ADDED_JITTER_MS)) out.push(`added jitter ${fix(addedJitter(r), 1)} ms`);
  if (r.leftoverSockets > 0) out.push(`${r.leftoverSockets} sockets still open 10 s after the calls`);
  return out;
}

function clean(r: LevelResult): boolean {
  return shortfalls(r).length === 0;
}

/** Things that make a figure less trustworthy without failing the level. */
function warnings(r: LevelResult): string[] {
  const out: string[] = [];
  const x = r.analysis;
  const c = r.capture;
  if (c && c.droppedByKernel > 0) {
    out.push(
      `tcpdump missed ${c.droppedByKernel} packets (${fix((c.droppedByKernel / (c.captured + c.droppedByKernel)) * 100, 3)} %): ` +
        'the loss counts them, so it is an upper bound',
    );
  }
  if (x && x.toServer.lost > 0) {
    out.push(
      `${x.toServer.lost} packets missing in the streams sipp sent (${fix(x.toServer.lossPct, 3)} %): lost by the capture or by sipp, not by the server`,
    );
  }
  if (x && x.toServer.jitterMeanMs > 3) {
    out.push(`sipp's own jitter is high (${fix(x.toServer.jitterMeanMs, 1)} ms): sipp is short of CPU`);
  }
  if (x?.echo && x.echo.over100Ms > x.echo.echoed * 0.001) {
    out.push(
      `${fix((x.echo.over100Ms / x.echo.echoed) * 100, 2)} % of the packets came back more than 100 ms late` +
        ' (a phone would play them too late, or drop them): not counted as loss',
    );
  }
  if (x?.echo && Math.abs(x.echo.lossPct - x.fromServer.lossPct) > 0.01) {
    out.push(
      `the echo check (${fix(x.echo.lossPct, 3)} % not sent back) disagrees with the sequence numbers (${fix(x.fromServer.lossPct, 3)} %)`,
    );
  }
  if (r.otherCpu > 30) out.push(`other work took ${fix(r.otherCpu, 0)} % of a core: figures are provisional`);
  return out;
}

// ---------------------------------------------------------------- printing

function fix(n: number, digits: number): string {
  return Number.isFinite(n) ? n.toFixed(digits) : '-';
}

const COLUMNS: ReadonlyArray<[string, number, (r: LevelResult) => string]> = [
  ['calls', 6, (r) => String(r.calls)],
  ['up', 5, (r) => String(r.up)],
  ['failed', 7, (r) => String(r.failed)],
  ['secs', 5, (r) => fix(r.windowSeconds, 0)],
  ['pkts/s', 7, (r) => (r.analysis ? fix(r.analysis.fromServer.packets / r.windowSeconds, 0) : '-')],
  ['loss%', 7, (r) => fix(r.analysis?.fromServer.lossPct ?? NaN, 3)],
  ['audio%', 7, (r) => fix(audioBalance(r), 2)],
  ['delay99', 8, (r) => fix(r.analysis?.echo?.delayP99Ms ?? NaN, 1)],
  ['jit in', 7, (r) => fix(r.analysis?.toServer.jitterMeanMs ?? NaN, 2)],
  ['jit out', 8, (r) => fix(r.analysis?.fromServer.jitterMeanMs ?? NaN, 2)],
  ['+jit', 6, (r) => fix(addedJitter(r), 2)],
  ['+p95', 6, (r) => fix(addedJitterP95(r), 2)],
  ['srv CPU%', 9, (r) => fix(r.serverCpu, 0)],
  ['%/call', 7, (r) => fix(r.serverCpu / r.calls, 3)],
  ['main%', 6, (r) => fix(r.mainCpu, 0)],
  ['thr2%', 6, (r) => fix(r.busiestThreadCpu, 0)],
  ['wait%', 6, (r) => fix(r.waitPct, 0)],
  ['RSS MB', 7, (r) => fix(r.rssMb, 0)],
  ['KB/call', 8, (r) => fix((r.rssMb * 1024) / r.calls, 0)],
  ['drops', 6, (r) => fix(r.serverDrops, 0)],
  ['sipp%', 6, (r) => fix(r.sippCpu, 0)],
  ['cap%', 5, (r) => fix(r.captureCpu, 0)],
  ['other%', 7, (r) => fix(r.otherCpu, 0)],
];

function header(): string {
  return COLUMNS.map(([h, w]) => h.padStart(w)).join(' ') + '  verdict';
}

function row(r: LevelResult): string {
  const why = shortfalls(r);
  return (
    COLUMNS.map(([, w, f]) => f(r).padStart(w)).join(' ') +
    (why.length ? `  NOT CLEAN: ${why.join(', ')}` : '  clean')
  );
}

function details(r: LevelResult): string[] {
  const out: string[] = [];
  const x = r.analysis;
  const c = r.capture;
  if (x) {
    out.push(
      `    into the server: ${x.toServer.flows} streams, ${x.toServer.packets} packets (${x.toServer.lost} missing);` +
        ` out of it: ${x.fromServer.flows} streams, ${x.fromServer.packets} packets, ${x.fromServer.lost} lost` +
        (x.fromServer.late ? `, ${x.fromServer.late} late` : '') +
        (x.fromServer.duplicates ? `, ${x.fromServer.duplicates} duplicated` : '') +
        `; jitter out p95 ${fix(x.fromServer.jitterP95Ms, 2)} ms, max ${fix(x.fromServer.jitterMaxMs, 1)} ms`,
    );
    const e = x.echo;
    if (e) {
      out.push(
        `    echo check: ${e.echoed} of ${e.sent} packets sent came back (${fix(e.lossPct, 3)} % missing);` +
          ` delay through the server median ${fix(e.delayP50Ms, 1)} ms, p99 ${fix(e.delayP99Ms, 1)} ms,` +
          ` max ${fix(e.delayMaxMs, 0)} ms; ${e.over100Ms} packets (${fix((e.over100Ms / Math.max(1, e.echoed)) * 100, 2)} %) took over 100 ms`,
      );
    }
  }
  out.push(
    `    server: RSS ${fix(r.restRssMb, 0)} MB after start-up, ${fix(r.rssMb, 0)} MB on average with the calls up (peak ${fix(r.rssPeakMb, 0)});` +
      ` busiest threads ${
        r.threadsCpu
          .slice(0, 4)
          .map((x) => `${fix(x, 0)} %`)
          .join(', ') || '-'
      };` +
      ` its sockets dropped ${fix(r.serverDrops, 0)} datagrams`,
  );
  out.push(
    `    sipp: ${r.sippCallers} caller process(es)${r.mode === 'ext' ? ' + as many answering' : ''}, ${r.rate} calls/s,` +
      ` ${r.plays} plays (${fix((r.plays * PLAY_MS) / 1000, 0)} s) per call, ${fix(r.rawSockets, 0)} raw sockets;` +
      ` its sockets dropped ${fix(r.sippDrops, 0)} datagrams (it does not read the audio it gets);` +
      ` other UDP receive-buffer drops on the machine: ${fix(Math.max(0, r.sysRcvbufErrors - r.sippDrops - r.serverDrops), 0)}` +
      (c ? `; tcpdump captured ${c.captured}, missed ${c.droppedByKernel}` : ''),
  );
  for (const w of [...warnings(r), ...r.notes]) out.push(`    note: ${w}`);
  return out;
}

function summary(mode: Mode, results: readonly LevelResult[], record: boolean, opts: Options): string[] {
  const out: string[] = [];
  const best = [...results].reverse().find(clean);
  const ref = ASTERISK[mode];
  const what =
    mode === 'echo'
      ? `echo test (*43)${record ? ', recorded' : ''}`
      : `extension to extension${record ? ', recorded' : ', not recorded'}`;
  if (!best) {
    out.push(
      `${what}: no level was carried cleanly (not even ${results[0]?.calls ?? opts.levels[0]} calls).`,
    );
  } else {
    const first = results.find(clean);
    const marginal =
      first && first !== best ? ((best.rssMb - first.rssMb) * 1024) / (best.calls - first.calls) : NaN;
    out.push(
      `${what}: highest concurrency with loss under ${MAX_LOSS_PCT} % and added jitter under ${MAX_ADDED_JITTER_MS} ms: ` +
        `${best.calls} calls (loss ${fix(best.analysis?.fromServer.lossPct ?? NaN, 3)} %, added jitter ${fix(addedJitter(best), 2)} ms) — ` +
        `server ${fix(best.serverCpu, 0)} % of a core (${fix(best.serverCpu / best.calls, 3)} % per call), ` +
        `RSS ${fix(best.rssMb, 0)} MB (${fix((best.rssMb * 1024) / best.calls, 0)} KB per call` +
        (Number.isFinite(marginal)
          ? `; ${fix(marginal, 0)} KB per added call from ${first?.calls} calls on`
          : '') +
        `; ${fix(best.restRssMb, 0)} MB right after start-up); ` +
        `sipp took ${fix(best.sippCpu, 0)} % and tcpdump ${fix(best.captureCpu, 0)} % of a core.`,
    );
    const last = results[results.length - 1]!;
    if (clean(last)) out.push(`  (every level tried was clean: the capacity is ${best.calls} calls or more)`);
    else out.push(`  At ${last.calls} calls: ${shortfalls(last).join(', ')}.`);
  }
  const target = Math.round(ref.calls * AIM);
  out.push(
    `  Asterisk 22 on this machine with the same sipp load: ${ref.text}, ${ASTERISK.rss}. ` +
      `Aim: ${AIM}× its concurrency = ${target} calls` +
      (best
        ? ` → ${best.calls >= target ? 'reached' : 'not reached'} (${fix(best.calls / ref.calls, 2)}×)`
        : '') +
      (best ? `, with ${fix(best.rssMb / 1024 / 1.8, 2)}× its smallest memory figure.` : '.'),
  );
  if (opts.spreadMedia) {
    out.push(
      "  (--spread-media: sipp's raw sockets no longer get copies of the packets to and from the server;" +
        ' the Asterisk figures were taken without it, so its comparison favours Hotline)',
    );
  }
  const busy = Math.max(0, ...results.map((r) => (Number.isFinite(r.otherCpu) ? r.otherCpu : 0)));
  if (busy > 30) {
    out.push(
      `  Note: other work took up to ${busy.toFixed(0)} % of a core during the measurements: the figures are provisional (a floor).`,
    );
  }
  return out;
}

// ---------------------------------------------------------------- main

async function main(): Promise<void> {
  const opts = options();
  const started = now();
  const dir = mkdtempSync(path.join(tmpdir(), 'hotline-media-'));
  let server: Server | undefined;
  let failedRun = false;
  try {
    const taken = new Set<number>();
    const maxProcesses = Math.max(...opts.levels.map((n) => levelPlan(n, opts).processes));
    const serverPort = await freePort(taken);
    const registerPort = await freePort(taken);
    const callers: SippPorts[] = [];
    const callees: SippPorts[] = [];
    const mediaIp = (i: number) => (opts.spreadMedia ? `127.0.0.${2 + i}` : LO);
    for (let k = 0; k < maxProcesses; k++) {
      callers.push({ sip: await freePort(taken), media: await freePort(taken), mediaIp: mediaIp(k) });
      if (opts.modes.includes('ext')) {
        callees.push({
          sip: await freePort(taken),
          media: await freePort(taken),
          mediaIp: mediaIp(maxProcesses + k),
        });
      }
    }
    if (opts.spreadMedia && 2 + 2 * maxProcesses > 254) fail('--spread-media: too many sipp processes');
    const ports: Ports = { server: serverPort, register: registerPort, callers, callees };
    console.log(
      `media-concurrency: calls carrying RTP both ways (sipp plays ${path.basename(PCAP)}: PCMA, 30 ms packets), ` +
        `every call up for the whole ${opts.holdSeconds} s measurement; levels ${opts.levels.join(', ')}; ` +
        `at most ${opts.perSipp} calls per sipp process` +
        (opts.spreadMedia ? ', each with its audio on its own loopback address' : ', all on 127.0.0.1'),
    );
    console.log(
      `  clean: loss < ${MAX_LOSS_PCT} % in the streams the server sends, added jitter (RFC 3550, out − in) < ${MAX_ADDED_JITTER_MS} ms, ` +
        'no failed call, every call with audio back',
    );
    console.log(`  server SIP on ${LO}:${serverPort}, RTP ${opts.rtpMin}-${opts.rtpMax}; files in ${dir}`);
    console.log(
      `  CPU % is of one core; the machine has ${availableParallelism()} cores, shared by the server, sipp and tcpdump\n`,
    );

    for (const mode of opts.modes) {
      if (interrupted) break;
      const record = opts.record ?? mode === 'ext';
      console.log(
        mode === 'echo'
          ? `Mode echo: calls to *43, which sends every packet back${record ? ' (recording on)' : ''}`
          : `Mode ext: 1001 calls a registered sipp that answers and plays the same audio; Hotline bridges${record ? ' and records' : ''} the call`,
      );
      console.log(header());
      const results: LevelResult[] = [];
      for (const n of opts.levels) {
        if (interrupted) break;
        if (now() - started > opts.budgetSeconds) {
          console.log(`  (time budget of ${opts.budgetSeconds} s used up: not trying ${n} calls and above)`);
          break;
        }
        const plan = levelPlan(n, opts);
        server = await startServer({
          dir,
          name: `${mode}-${n}-server`,
          sipPort: serverPort,
          callees: mode === 'ext' ? plan.processes : 0,
          record,
          callSeconds: plan.callSeconds,
          opts,
        });
        const r = await runLevel(mode, n, server, ports, dir, opts);
        await server.stop();
        server = undefined;
        if (interrupted) break;
        results.push(r);
        console.log(row(r));
        for (const line of details(r)) console.log(line);
        if (!clean(r)) break;
      }
      if (results.length > 0) {
        console.log('');
        for (const line of summary(mode, results, record, opts)) console.log(line);
        console.log('');
        if (!results.some(clean)) failedRun = true;
      }
    }
    if (failedRun) process.exitCode = 1;
  } finally {
    await server?.stop();
    killAll('SIGKILL');
    if (opts.keep || process.exitCode === 1) console.log(`Files kept in ${dir}`);
    else rmSync(dir, { recursive: true, force: true });
    console.log(`(took ${(now() - started).toFixed(0)} s)`);
  }
}

main().catch((err: unknown) => {
  console.error('media-concurrency:', err instanceof Error ? err.message : err);
  killAll('SIGKILL');
  process.exit(1);
});
