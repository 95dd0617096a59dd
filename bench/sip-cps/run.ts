/**
 * Calls-per-second benchmark: sipp places short authenticated calls to the echo test (*43)
 * at rising rates against a Hotline started as a separate process, and this prints the
 * highest rate with zero failed calls, with the server's CPU and resident memory. Then it
 * restarts Hotline with `limits.maxCallsPerSecond` at 70 % of that rate, drives it one step
 * past it, and shows that the excess is refused with 503 (not timeouts), that no call is left
 * behind, and that a low-rate step afterwards succeeds fully.
 *
 *   npm run bench:sip-cps -- [--rates 100,200,…] [--max-rate N] [--seconds S] [--hold MS]
 *                            [--no-overload] [--profile] [--budget S] [--keep]
 *
 * See bench/README.md for what each column means.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createSocket } from 'node:dgram';
import {
  closeSync,
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  openSync,
  readFileSync,
  readdirSync,
  readlinkSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const ROOT = path.resolve(HERE, '..', '..');
const SCENARIO = 'short-call.xml';
const LO = '127.0.0.1';
const USER = '1001';
const PASSWORD = 'bench-secret-1001';
const TICKS_PER_SECOND = 100; // USER_HZ: /proc times are in 1/100 s on Linux
const DEFAULT_RATES = [100, 200, 300, 400, 500, 600, 800, 1000, 1200, 1500, 2000, 2500, 3000, 4000];

// ---------------------------------------------------------------- options

interface Options {
  readonly rates: readonly number[];
  readonly seconds: number;
  readonly holdMs: number;
  readonly overload: boolean;
  readonly profile: boolean;
  readonly budgetSeconds: number;
  readonly keep: boolean;
  readonly logLevel: string;
  readonly rtpMin: number;
  readonly rtpMax: number;
}

const USAGE = `Usage: npm run bench:sip-cps -- [options]
  --rates LIST      rising call rates to try, comma-separated (default ${DEFAULT_RATES.join(',')})
  --max-rate N      drop rates above N
  --seconds S       length of each step in seconds (default 10)
  --hold MS         how long each call stays up before sipp hangs up (default 1000)
  --no-overload     skip the overload step
  --profile         afterwards, run the best rate once more with node --cpu-prof and print
                    the top functions by self time
  --budget S        stop rising when this many seconds have passed (default 480)
  --rtp-range A-B   RTP ports for the server (default 20000-29999)
  --log-level L     server log level (default warn)
  --keep            keep the temporary folder (server logs, sipp files)`;

function options(): Options {
  const { values } = parseArgs({
    options: {
      rates: { type: 'string' },
      'max-rate': { type: 'string' },
      seconds: { type: 'string', default: '10' },
      hold: { type: 'string', default: '1000' },
      'no-overload': { type: 'boolean', default: false },
      profile: { type: 'boolean', default: false },
      budget: { type: 'string', default: '480' },
      'rtp-range': { type: 'string', default: '20000-29999' },
      'log-level': { type: 'string', default: 'warn' },
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
  let rates = values.rates
    ? values.rates.split(',').map((r) => Math.round(positive('rates', r.trim())))
    : DEFAULT_RATES;
  rates = [...new Set(rates)].sort((a, b) => a - b);
  if (values['max-rate'] !== undefined) {
    const max = positive('max-rate', values['max-rate']);
    rates = rates.filter((r) => r <= max);
  }
  if (rates.length === 0) fail('no rates to try');
  const range = /^(\d+)-(\d+)$/.exec(values['rtp-range']);
  if (!range) fail('--rtp-range must look like 20000-29999');
  return {
    rates,
    seconds: positive('seconds', values.seconds),
    holdMs: Math.round(positive('hold', values.hold)),
    overload: !values['no-overload'],
    profile: values.profile,
    budgetSeconds: positive('budget', values.budget),
    keep: values.keep,
    logLevel: values['log-level'],
    rtpMin: Number(range[1]),
    rtpMax: Number(range[2]),
  };
}

function fail(message: string): never {
  console.error(`sip-cps: ${message}`);
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
  console.error(`\nsip-cps: ${signal}, stopping sipp and the server…`);
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

function exited(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((r) => child.once('exit', () => r()));
}

// ---------------------------------------------------------------- /proc sampling

interface ProcTimes {
  /** utime + stime of the whole process (all threads), in ticks. */
  readonly total: number;
  /** utime + stime of the main thread alone (the JavaScript event loop). */
  readonly main: number;
}

/** Fields after the command name, which is in parentheses and may contain spaces. */
function statFields(file: string): string[] | undefined {
  try {
    const text = readFileSync(file, 'utf8');
    return text.slice(text.lastIndexOf(')') + 2).split(' ');
  } catch {
    return undefined;
  }
}

/** utime + stime (fields 14 and 15 of stat, 11 and 12 after the name). */
function ticksOf(file: string): number | undefined {
  const f = statFields(file);
  return f ? Number(f[11]) + Number(f[12]) : undefined;
}

function procTimes(pid: number): ProcTimes | undefined {
  const total = ticksOf(`/proc/${pid}/stat`);
  const main = ticksOf(`/proc/${pid}/task/${pid}/stat`);
  return total === undefined || main === undefined ? undefined : { total, main };
}

function rssMb(pid: number): number {
  try {
    const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) / 1024 : 0;
  } catch {
    return 0;
  }
}

/** Open sockets of a process (its SIP sockets, and two per RTP endpoint). */
function socketCount(pid: number): number {
  let n = 0;
  for (const fd of readdirSync(`/proc/${pid}/fd`)) {
    try {
      if (readlinkSync(`/proc/${pid}/fd/${fd}`).startsWith('socket:')) n++;
    } catch {
      // closed meanwhile
    }
  }
  return n;
}

/** The pid of the `sipp` that `timeout` started (no /proc/…/children on every kernel). */
function childNamed(parent: number, name: string): number | undefined {
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const text = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const comm = text.slice(text.indexOf('(') + 1, text.lastIndexOf(')'));
      const ppid = Number(text.slice(text.lastIndexOf(')') + 2).split(' ')[1]);
      if (ppid === parent && comm === name) return Number(entry);
    } catch {
      // gone
    }
  }
  return undefined;
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

/** A port in 10000–19999 (below the interop tests' and the RTP ranges) free for UDP and TCP. */
async function freePort(taken: readonly number[]): Promise<number> {
  for (let attempt = 0; attempt < 100; attempt++) {
    const port = 10000 + 2 * Math.floor(Math.random() * 5000);
    if (taken.includes(port) || taken.includes(port + 1)) continue;
    if ((await udpFree(port)) && (await udpFree(port + 1)) && (await tcpFree(port))) return port;
  }
  throw new Error('no free port found');
}

// ---------------------------------------------------------------- the server

interface ServerSetup {
  readonly dir: string;
  readonly name: string;
  readonly sipPort: number;
  readonly maxCallsPerSecond: number;
  readonly opts: Options;
  readonly cpuProfDir?: string;
}

interface Server {
  readonly child: ChildProcess;
  readonly pid: number;
  readonly log: string;
  /** Sockets open when idle, to tell leftover calls after a step. */
  readonly idleSockets: number;
  stop(): Promise<void>;
}

async function startServer(s: ServerSetup): Promise<Server> {
  const dataDir = path.join(s.dir, `${s.name}-data`);
  mkdirSync(dataDir, { recursive: true });
  const config = {
    sip: { udpPort: s.sipPort, tcpPort: s.sipPort, bindAddress: LO, advertisedAddress: LO },
    rtp: { portMin: s.opts.rtpMin, portMax: s.opts.rtpMax },
    extensions: [{ number: USER, password: PASSWORD, name: 'sipp' }],
    log: { level: s.opts.logLevel },
    registrar: { qualifyInterval: 0 },
    // Calls end on sipp's BYE; the echo limit only catches calls sipp lost track of.
    calls: { echoMaxDuration: Math.max(30, Math.ceil(s.opts.holdMs / 1000) + 20) },
    limits: { maxCalls: 100000, maxCallsPerSecond: s.maxCallsPerSecond, retryAfter: 5 },
    // sipp sends every call from one address: never block it. (`0` would mean "never", but
    // the server refuses to start with it at the time of writing.)
    security: { maxAuthFailures: 1000000 },
  };
  const configFile = path.join(s.dir, `${s.name}.yaml`);
  writeFileSync(configFile, JSON.stringify(config, null, 2) + '\n'); // JSON is YAML
  const log = path.join(s.dir, `${s.name}.log`);
  const out = openSync(log, 'a');
  const args = ['--import', 'tsx'];
  if (s.cpuProfDir) args.push('--cpu-prof', '--cpu-prof-dir', s.cpuProfDir);
  args.push('src/cli/main.ts', 'start', '--config', configFile, '--data-dir', dataDir);
  const child = track(spawn(process.execPath, args, { cwd: ROOT, stdio: ['ignore', out, out] }));
  closeSync(out);
  if (child.pid === undefined) throw new Error('could not start the server');
  const pid = child.pid;
  await waitForSip(s.sipPort, child, log);
  const stop = async (): Promise<void> => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    child.kill('SIGINT');
    const killer = setTimeout(() => child.kill('SIGKILL'), 15000);
    await exited(child);
    clearTimeout(killer);
  };
  return { child, pid, log, idleSockets: socketCount(pid), stop };
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
        `Via: SIP/2.0/UDP ${LO}:${local};branch=z9hG4bKcpsready${i};rport`,
        `From: <sip:bench@${LO}>;tag=ready`,
        `To: <sip:${LO}:${port}>`,
        `Call-ID: cps-ready-${process.pid}-${i}`,
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

// ---------------------------------------------------------------- one sipp step

interface StepResult {
  readonly rate: number;
  /** Calls per second sipp actually started them at. */
  readonly offered: number;
  readonly attempted: number;
  /** Calls answered and hung up cleanly (sipp's successful calls minus the 503 ones). */
  readonly answered: number;
  readonly refused503: number;
  readonly failed: number;
  readonly retransmissions: number;
  /** Mean time from the first INVITE to the 200 (including the 401 round trip), ms. */
  readonly setupMs: number;
  readonly serverCpu: number;
  readonly serverMainCpu: number;
  readonly rssPeakMb: number;
  readonly sippCpu: number;
  /** Sockets the server holds a moment after the step, beyond its idle count. */
  readonly leftoverSockets: number;
  readonly sippExit: number | null;
  readonly note: string;
}

async function runStep(
  server: Server,
  sipPort: number,
  dir: string,
  name: string,
  rate: number,
  seconds: number,
  holdMs: number,
  sippPorts: { sip: number; media: number },
): Promise<StepResult> {
  const stepDir = path.join(dir, name);
  mkdirSync(stepDir, { recursive: true });
  copyFileSync(path.join(HERE, SCENARIO), path.join(stepDir, SCENARIO));
  writeFileSync(
    path.join(stepDir, 'fields.csv'),
    `SEQUENTIAL\n${USER};[authentication username=${USER} password=${PASSWORD}];*43\n`,
  );
  const calls = Math.max(1, Math.round(rate * seconds));
  // Enough room for every call of ~4 hold times to be up at once; past that sipp would
  // throttle itself and the step would not offer its rate (the table shows it).
  const limit = Math.max(500, Math.ceil(rate * Math.max(1, holdMs / 1000) * 4));
  const wallLimit = Math.ceil(seconds + holdMs / 1000 + 60);
  const args = [
    '-k',
    '10',
    '-s',
    'INT',
    String(wallLimit),
    'sipp',
    '-nostdin',
    '-sf',
    SCENARIO,
    '-inf',
    'fields.csv',
    '-i',
    LO,
    '-p',
    String(sippPorts.sip),
    '-mp',
    String(sippPorts.media),
    '-r',
    String(rate),
    '-m',
    String(calls),
    '-l',
    String(limit),
    '-d',
    String(holdMs),
    '-buff_size',
    '4194304',
    '-timeout',
    `${wallLimit - 5}s`,
    '-trace_stat',
    '-stf',
    'stats.csv',
    '-fd',
    '1',
    '-trace_counts',
    '-trace_err',
    '-error_file',
    'errors.log',
    '-trace_screen',
    '-screen_file',
    'screen.log',
    `${LO}:${sipPort}`,
  ];
  const out = openSync(path.join(stepDir, 'sipp.out'), 'w');
  const before = procTimes(server.pid);
  const t0 = performance.now();
  const child = track(spawn('timeout', args, { cwd: stepDir, stdio: ['ignore', out, out] }));
  closeSync(out);
  let sippPid: number | undefined;
  let sippTicks = 0;
  let rssPeak = rssMb(server.pid);
  let done = false;
  const finished = exited(child).then(() => (done = true));
  while (!done) {
    await Promise.race([sleep(250), finished]);
    rssPeak = Math.max(rssPeak, rssMb(server.pid));
    if (sippPid === undefined && child.pid !== undefined) sippPid = childNamed(child.pid, 'sipp');
    if (sippPid !== undefined) sippTicks = ticksOf(`/proc/${sippPid}/stat`) ?? sippTicks;
  }
  const wall = (performance.now() - t0) / 1000;
  const after = procTimes(server.pid);
  const cpu = (a?: number, b?: number) =>
    a === undefined || b === undefined ? NaN : ((b - a) / TICKS_PER_SECOND / wall) * 100;

  const stats = lastStats(path.join(stepDir, 'stats.csv'));
  const get = (k: string) => Number(stats.last.get(k) ?? NaN);
  const refused503 = count503(stepDir);
  const attempted = get('TotalCallCreated');
  const successful = get('SuccessfulCall(C)');
  const failed = get('FailedCall(C)');
  const offered = offeredRate(stats.rows, calls);
  // Calls that got a socket back within a moment: RTP endpoints close asynchronously.
  let leftover = 0;
  for (let i = 0; i < 20; i++) {
    leftover = socketCount(server.pid) - server.idleSockets;
    if (leftover <= 0) break;
    await sleep(250);
  }
  const notes: string[] = [];
  if (child.exitCode === 124 || child.signalCode !== null) notes.push('sipp was stopped by timeout');
  if (Number.isFinite(offered) && offered < rate * 0.9)
    notes.push(`sipp reached only ${offered.toFixed(0)}/s`);
  if (attempted < calls) notes.push(`only ${attempted} of ${calls} calls started`);
  const unaccounted = attempted - successful - failed;
  if (unaccounted > 0) notes.push(`${unaccounted} calls unaccounted for`);
  return {
    rate,
    offered,
    attempted,
    answered: successful - refused503,
    refused503,
    failed: failed + Math.max(0, unaccounted),
    retransmissions: get('Retransmissions(C)'),
    setupMs: durationMs(stats.last.get('ResponseTime1(C)')),
    serverCpu: cpu(before?.total, after?.total),
    serverMainCpu: cpu(before?.main, after?.main),
    rssPeakMb: rssPeak,
    sippCpu: (sippTicks / TICKS_PER_SECOND / wall) * 100,
    leftoverSockets: Math.max(0, leftover),
    sippExit: child.exitCode,
    note: notes.join('; '),
  };
}

interface Stats {
  readonly rows: ReadonlyArray<Map<string, string>>;
  readonly last: Map<string, string>;
}

/** sipp's -trace_stat file: a header line, then one line per -fd period and a final one. */
function lastStats(file: string): Stats {
  if (!existsSync(file)) return { rows: [], last: new Map() };
  const lines = readFileSync(file, 'utf8').split('\n').filter(Boolean);
  const header = (lines[0] ?? '').split(';');
  const rows = lines.slice(1).map((line) => {
    const values = line.split(';');
    return new Map(header.map((h, i) => [h, values[i] ?? '']));
  });
  return { rows, last: rows[rows.length - 1] ?? new Map() };
}

/** The 503 count from sipp's -trace_counts file (the scenario has one 503 receive). */
function count503(stepDir: string): number {
  const file = readdirSync(stepDir).find((f) => f.endsWith('_counts.csv'));
  if (!file) return 0;
  const lines = readFileSync(path.join(stepDir, file), 'utf8').split('\n').filter(Boolean);
  const header = (lines[0] ?? '').split(';');
  const column = header.findIndex((h) => /_503_Recv$/.test(h));
  const last = (lines[lines.length - 1] ?? '').split(';');
  return column < 0 ? 0 : Number(last[column] ?? 0);
}

/** sipp's "hh:mm:ss:uuuuuu" durations, in ms. */
function durationMs(text: string | undefined): number {
  const m = /^(\d+):(\d+):(\d+):(\d+)$/.exec(text ?? '');
  if (!m) return NaN;
  return ((Number(m[1]) * 60 + Number(m[2])) * 60 + Number(m[3])) * 1000 + Number(m[4]) / 1000;
}

/** Epoch seconds: the last tab-separated part of sipp's time fields. */
function epoch(text: string | undefined): number {
  return Number((text ?? '').split('\t').pop());
}

/**
 * The rate sipp really started calls at: calls / time until the last one was created,
 * interpolated between the once-a-second rows.
 */
function offeredRate(rows: ReadonlyArray<Map<string, string>>, calls: number): number {
  const first = rows[0];
  if (!first) return NaN;
  const start = epoch(first.get('StartTime'));
  let prevCount = 0;
  let prevTime = start;
  for (const row of rows) {
    const count = Number(row.get('TotalCallCreated'));
    const time = epoch(row.get('CurrentTime'));
    if (count >= calls) {
      const reached =
        count > prevCount ? prevTime + ((calls - prevCount) / (count - prevCount)) * (time - prevTime) : time;
      return reached > start ? calls / (reached - start) : NaN;
    }
    prevCount = count;
    prevTime = time;
  }
  return NaN;
}

// ---------------------------------------------------------------- printing

const COLUMNS: ReadonlyArray<[string, number, (r: StepResult) => string]> = [
  ['rate', 6, (r) => String(r.rate)],
  ['offered', 8, (r) => fix(r.offered, 0)],
  ['calls', 7, (r) => String(r.attempted)],
  ['answered', 9, (r) => String(r.answered)],
  ['503', 6, (r) => String(r.refused503)],
  ['failed', 7, (r) => String(r.failed)],
  ['retrans', 8, (r) => String(r.retransmissions)],
  ['setup ms', 9, (r) => fix(r.setupMs, 0)],
  ['srv CPU%', 9, (r) => fix(r.serverCpu, 0)],
  ['main%', 6, (r) => fix(r.serverMainCpu, 0)],
  ['RSS MB', 7, (r) => fix(r.rssPeakMb, 0)],
  ['sipp%', 6, (r) => fix(r.sippCpu, 0)],
  ['left', 5, (r) => String(r.leftoverSockets)],
];

function fix(n: number, digits: number): string {
  return Number.isFinite(n) ? n.toFixed(digits) : '-';
}

function header(): string {
  return COLUMNS.map(([h, w]) => h.padStart(w)).join(' ') + '  note';
}

function row(r: StepResult): string {
  return COLUMNS.map(([, w, f]) => f(r).padStart(w)).join(' ') + (r.note ? `  ${r.note}` : '');
}

/** Every call answered and hung up: no failure, no 503, none missing, and the rate was offered. */
function clean(r: StepResult): boolean {
  return r.failed === 0 && r.refused503 === 0 && r.answered === r.attempted && r.attempted > 0;
}

// ---------------------------------------------------------------- CPU profile summary

interface ProfileNode {
  readonly id: number;
  readonly callFrame: { functionName: string; url: string; lineNumber: number };
}
interface CpuProfile {
  readonly nodes: readonly ProfileNode[];
  readonly samples: readonly number[];
  readonly timeDeltas: readonly number[];
}

function topSelfTime(file: string, n: number): string[] {
  const profile = JSON.parse(readFileSync(file, 'utf8')) as CpuProfile;
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const self = new Map<string, number>();
  let total = 0;
  profile.samples.forEach((id, i) => {
    const dt = profile.timeDeltas[i] ?? 0;
    total += dt;
    const frame = byId.get(id)?.callFrame;
    if (!frame) return;
    const where = frame.url
      ? `${frame.url.replace(/^file:\/\//, '').replace(ROOT + '/', '')}:${frame.lineNumber + 1}`
      : '';
    const key = `${frame.functionName || '(anonymous)'}${where ? `  ${where}` : ''}`;
    self.set(key, (self.get(key) ?? 0) + dt);
  });
  return [...self.entries()]
    .sort((a, b) => b[1] - a[1])
    .slice(0, n)
    .map(
      ([k, us]) =>
        `${((us / total) * 100).toFixed(1).padStart(5)} %  ${(us / 1000).toFixed(0).padStart(6)} ms  ${k}`,
    );
}

// ---------------------------------------------------------------- main

async function main(): Promise<void> {
  const opts = options();
  const started = performance.now();
  const elapsed = () => (performance.now() - started) / 1000;
  const dir = mkdtempSync(path.join(tmpdir(), 'hotline-cps-'));
  let server: Server | undefined;
  try {
    const sipPort = await freePort([]);
    const sippSip = await freePort([sipPort]);
    const sippMedia = await freePort([sipPort, sippSip]);
    const sippPorts = { sip: sippSip, media: sippMedia };
    console.log(
      `sip-cps: short authenticated calls to *43 (INVITE, 401, INVITE, 200, ACK, ${opts.holdMs} ms without RTP, BYE)`,
    );
    console.log(`  ${opts.seconds} s per step; server on ${LO}:${sipPort}; files in ${dir}`);
    console.log(
      `  CPU % is of one core (the server's total includes its media worker thread; "main%" is its event loop)\n`,
    );

    // 1. Rising rates, no effective limits.
    server = await startServer({ dir, name: 'capacity', sipPort, maxCallsPerSecond: 100000, opts });
    console.log(`server pid ${server.pid}, RSS at rest ${rssMb(server.pid).toFixed(0)} MB`);
    console.log(header());
    const results: StepResult[] = [];
    let firstFailing: StepResult | undefined;
    for (const rate of opts.rates) {
      if (interrupted) return;
      if (elapsed() > opts.budgetSeconds) {
        console.log(`  (time budget of ${opts.budgetSeconds} s used up: not trying ${rate}/s and above)`);
        break;
      }
      const r = await runStep(
        server,
        sipPort,
        dir,
        `step-${rate}`,
        rate,
        opts.seconds,
        opts.holdMs,
        sippPorts,
      );
      results.push(r);
      console.log(row(r));
      if (!clean(r)) {
        firstFailing = r;
        break;
      }
      await sleep(1000);
    }
    await server.stop();
    server = undefined;
    if (interrupted) return;
    const best = [...results].reverse().find(clean);
    console.log('');
    if (!best) {
      console.log(`No step was free of failures (even ${opts.rates[0]}/s). Server log: ${dir}/capacity.log`);
      process.exitCode = 1;
      return;
    }
    console.log(
      `Highest rate with zero failed calls: ${best.rate} calls/s` +
        ` (server ${fix(best.serverCpu, 0)} % of a core, event loop ${fix(best.serverMainCpu, 0)} %,` +
        ` RSS peak ${fix(best.rssPeakMb, 0)} MB; mean setup ${fix(best.setupMs, 0)} ms; sipp ${fix(best.sippCpu, 0)} % of a core)`,
    );
    if (!firstFailing) console.log(`  (no tried rate failed: the capacity is ${best.rate}/s or more)`);

    // 2. Overload: a limit at 70 % of the capacity, then one step past the capacity.
    if (opts.overload && !interrupted) {
      const limit = Math.max(1, Math.floor(best.rate * 0.7));
      const overRate =
        firstFailing?.rate ?? opts.rates.find((r) => r > best.rate) ?? Math.round(best.rate * 1.25);
      console.log(
        `\nOverload: limits.maxCallsPerSecond = ${limit} (70 % of ${best.rate}), offering ${overRate} calls/s`,
      );
      server = await startServer({ dir, name: 'overload', sipPort, maxCallsPerSecond: limit, opts });
      console.log(header());
      const over = await runStep(
        server,
        sipPort,
        dir,
        'overload',
        overRate,
        opts.seconds,
        opts.holdMs,
        sippPorts,
      );
      console.log(row(over));
      await sleep(1000);
      const lowRate = Math.min(opts.rates[0] ?? 100, Math.max(1, Math.floor(limit / 2)));
      const after = await runStep(
        server,
        sipPort,
        dir,
        'after-overload',
        lowRate,
        Math.min(5, opts.seconds),
        opts.holdMs,
        sippPorts,
      );
      console.log(row(after));
      const rss = rssMb(server.pid);
      await server.stop();
      server = undefined;
      const verdict =
        over.failed === 0 && over.refused503 > 0 && over.leftoverSockets === 0 && clean(after)
          ? 'clean: the excess was refused with 503, nothing timed out, no call was left behind, and the server kept working'
          : 'NOT clean (see the failed / left columns)';
      console.log(
        `  ${over.attempted} calls offered at ${fix(over.offered, 0)}/s against a limit of ${limit}/s:` +
          ` ${over.answered} answered, ${over.refused503} refused with 503, ${over.failed} failed;` +
          ` ${over.leftoverSockets} sockets left open afterwards (RSS ${rss.toFixed(0)} MB)`,
      );
      console.log(
        `  then ${after.attempted} calls at ${lowRate}/s: ${after.answered} answered, ${after.failed} failed`,
      );
      console.log(`  → ${verdict}`);
      if (!(over.failed === 0 && clean(after))) process.exitCode = 1;
    }

    // 3. Optional: where the time goes at the best rate.
    if (opts.profile && !interrupted) {
      const profDir = path.join(dir, 'cpu-prof');
      mkdirSync(profDir);
      console.log(`\nProfile: ${best.rate} calls/s with node --cpu-prof`);
      server = await startServer({
        dir,
        name: 'profile',
        sipPort,
        maxCallsPerSecond: 100000,
        opts,
        cpuProfDir: profDir,
      });
      console.log(header());
      console.log(
        row(await runStep(server, sipPort, dir, 'profile', best.rate, opts.seconds, opts.holdMs, sippPorts)),
      );
      await server.stop();
      server = undefined;
      for (const file of readdirSync(profDir).sort()) {
        // CPU.<date>.<time>.<pid>.<thread id>.<seq>.cpuprofile: thread 0 is the main thread.
        const thread = file.split('.')[4] === '0' ? 'main thread' : `worker thread ${file.split('.')[4]}`;
        console.log(`  top self time, ${thread} (${path.join(profDir, file)}):`);
        for (const line of topSelfTime(path.join(profDir, file), 10)) console.log(`    ${line}`);
      }
    }
  } finally {
    await server?.stop();
    killAll('SIGKILL');
    if (opts.keep || opts.profile || process.exitCode === 1) {
      console.log(`\nFiles kept in ${dir}`);
    } else {
      rmSync(dir, { recursive: true, force: true });
    }
    console.log(`(took ${elapsed().toFixed(0)} s)`);
  }
}

main().catch((err: unknown) => {
  console.error('sip-cps:', err instanceof Error ? err.message : err);
  killAll('SIGKILL');
  process.exit(1);
});
