/**
 * Calls-per-second benchmark: sipp places short authenticated calls to the echo test (*43)
 * at rising rates against a Hotline started as a separate process, and this prints the
 * highest rate carried with zero failed calls (and without falling behind: see
 * `shortfalls`), with the server's CPU and resident memory. Then it restarts Hotline with
 * `limits.maxCallsPerSecond` at 70 % of that rate, drives it one step past it, and shows
 * that the excess is refused with 503 (not timeouts), that no call is left behind, and that
 * a low-rate step afterwards succeeds fully.
 *
 *   npm run bench:sip-cps -- [--rates 100,200,…] [--max-rate N] [--seconds S] [--hold MS]
 *                            [--no-overload] [--profile] [--budget S] [--keep] [--help]
 *
 * Linux only (it reads /proc); needs sipp. See bench/README.md for what each column means.
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
  /** Where the server's data folders (SQLite, CDRs) go; the temporary folder by default. */
  readonly dataBase: string | undefined;
  /** limits.maxCallsPerSecond in the overload step, in % of the rate carried. */
  readonly limitPercent: number;
}

const USAGE = `Usage: npm run bench:sip-cps -- [options]
  --rates LIST      rising call rates to try, comma-separated (default ${DEFAULT_RATES.join(',')})
  --max-rate N      drop rates above N
  --seconds S       length of each step in seconds (default 10)
  --hold MS         how long each call stays up before sipp hangs up (default 1000)
  --no-overload     skip the overload step
  --limit PCT       limits.maxCallsPerSecond for the overload step, in % of the highest
                    rate carried (default 70)
  --profile         afterwards, run about 3/4 of the best rate once more under
                    node --cpu-prof and print the top functions by self time
  --budget S        stop rising when this many seconds have passed (default 480)
  --rtp-range A-B   RTP ports for the server (default 20000-29999)
  --log-level L     server log level (default warn)
  --data-dir DIR    put the server's database under DIR (e.g. /dev/shm, to take the disk
                    out of the measurement) instead of the temporary folder
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
      'data-dir': { type: 'string' },
      limit: { type: 'string', default: '70' },
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
  if (spawnSync('sipp', ['-v'], { stdio: 'ignore' }).error) {
    fail('sipp was not found on the PATH (Debian/Ubuntu: apt-get install sip-tester)');
  }
  if (!existsSync('/proc/self/stat')) fail('this benchmark reads /proc: it runs on Linux only');
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
    dataBase: values['data-dir'],
    limitPercent: positive('limit', values.limit),
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
  process.exitCode = 130;
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
  /** utime + stime of each thread, by thread id. */
  readonly threads: ReadonlyMap<number, number>;
  /** Nanoseconds the main thread has spent runnable but waiting for a CPU (schedstat). */
  readonly mainWaitNs: number;
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
  if (total === undefined) return undefined;
  const threads = new Map<number, number>();
  try {
    for (const tid of readdirSync(`/proc/${pid}/task`)) {
      const ticks = ticksOf(`/proc/${pid}/task/${tid}/stat`);
      if (ticks !== undefined) threads.set(Number(tid), ticks);
    }
  } catch {
    return undefined;
  }
  return { total, main: threads.get(pid) ?? NaN, threads, mainWaitNs: runQueueWaitNs(pid) };
}

/** /proc/PID/task/PID/schedstat: time on a CPU, time waiting on a run queue (ns), time slices. */
function runQueueWaitNs(pid: number): number {
  try {
    return Number(readFileSync(`/proc/${pid}/task/${pid}/schedstat`, 'utf8').split(' ')[1]);
  } catch {
    return NaN;
  }
}

/** Busy ticks of the whole machine, all cores (everything but idle and iowait). */
function machineBusy(): number {
  const f = readFileSync('/proc/stat', 'utf8').split('\n', 1)[0]!.trim().split(/\s+/).slice(1).map(Number);
  const all = f.slice(0, 8).reduce((a, b) => a + b, 0);
  return all - (f[3] ?? 0) - (f[4] ?? 0);
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

/** Datagrams the kernel dropped for a full receive buffer on the UDP socket at 127.0.0.1:port. */
function udpDrops(port: number): number {
  const local = `0100007F:${port.toString(16).toUpperCase().padStart(4, '0')}`;
  for (const line of readFileSync('/proc/net/udp', 'utf8').split('\n')) {
    const f = line.trim().split(/\s+/);
    if (f[1] === local) return Number(f[f.length - 1]);
  }
  return NaN;
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
  const dataDir = s.opts.dataBase
    ? path.join(s.opts.dataBase, `${path.basename(s.dir)}-${s.name}`)
    : path.join(s.dir, `${s.name}-data`);
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
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGINT');
      const killer = setTimeout(() => child.kill('SIGKILL'), 15000);
      await exited(child);
      clearTimeout(killer);
    }
    if (s.opts.dataBase) rmSync(dataDir, { recursive: true, force: true });
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
  /** The server's busiest thread other than the main one (the media worker, as a rule). */
  readonly serverOtherThreadCpu: number;
  /** Everything else on the machine (other processes, the kernel's softirq work…), % of one core. */
  readonly othersCpu: number;
  /** Share of the time the server's main thread was ready to run but waited for a CPU. */
  readonly mainWaitPct: number;
  readonly rssPeakMb: number;
  readonly sippCpu: number;
  /** SIP datagrams the kernel dropped because the server's receive buffer was full. */
  readonly drops: number;
  /** Sockets the server still holds after the step (and its wait), beyond its idle count. */
  readonly leftoverSockets: number;
  /** Seconds after sipp ended until the server was back to its idle sockets (NaN: not within the wait). */
  readonly drainSeconds: number;
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
  drainWaitSeconds = 5,
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
  const samples: Sample[] = [];
  const sample = (sippPid: number | undefined) => {
    const times = procTimes(server.pid);
    const sipp = sippPid === undefined ? undefined : ticksOf(`/proc/${sippPid}/stat`);
    const t = (performance.now() - t0) / 1000;
    if (times) samples.push({ t, ...times, sipp: sipp ?? NaN, machine: machineBusy() });
  };
  const drops0 = udpDrops(sipPort);
  const t0 = performance.now();
  sample(undefined);
  const child = track(spawn('timeout', args, { cwd: stepDir, stdio: ['ignore', out, out] }));
  closeSync(out);
  let sippPid: number | undefined;
  let rssPeak = rssMb(server.pid);
  let done = false;
  const finished = exited(child).then(() => (done = true));
  while (!done) {
    await Promise.race([sleep(250), finished]);
    rssPeak = Math.max(rssPeak, rssMb(server.pid));
    if (sippPid === undefined && child.pid !== undefined) sippPid = childNamed(child.pid, 'sipp');
    if (!done) sample(sippPid);
  }
  sample(undefined);
  // CPU in the steady state: from one hold time after the start (calls are being set up and
  // torn down at the full rate) until sipp stops starting new ones. Whole step if too short.
  const steady = window(samples, holdMs / 1000 + 1, seconds);
  const cpu = (pick: (s: Sample) => number) =>
    ((pick(steady.b) - pick(steady.a)) / TICKS_PER_SECOND / (steady.b.t - steady.a.t)) * 100;
  // The busiest thread besides the main one: the media worker, unless GC helpers outdo it.
  let busiestOther = 0;
  for (const [tid, ticks] of steady.b.threads) {
    if (tid !== server.pid) busiestOther = Math.max(busiestOther, ticks - (steady.a.threads.get(tid) ?? 0));
  }
  const sippWindow = window(
    samples.filter((x) => Number.isFinite(x.sipp)),
    holdMs / 1000 + 1,
    seconds,
  );
  const sippCpu =
    sippWindow.b.t > sippWindow.a.t
      ? ((sippWindow.b.sipp - sippWindow.a.sipp) / TICKS_PER_SECOND / (sippWindow.b.t - sippWindow.a.t)) * 100
      : NaN;

  const stats = lastStats(path.join(stepDir, 'stats.csv'));
  const get = (k: string) => Number(stats.last.get(k) ?? NaN);
  const refused503 = count503(stepDir);
  const attempted = get('TotalCallCreated');
  const successful = get('SuccessfulCall(C)');
  const failed = get('FailedCall(C)');
  const offered = offeredRate(stats.rows, calls);
  const drops = udpDrops(sipPort) - drops0;
  // Every call over, every RTP endpoint closed (they close asynchronously): back to idle.
  const ended = performance.now();
  let leftover = 0;
  let drainSeconds = NaN;
  for (;;) {
    leftover = socketCount(server.pid) - server.idleSockets;
    const waited = (performance.now() - ended) / 1000;
    if (leftover <= 0) {
      drainSeconds = waited;
      break;
    }
    if (waited >= drainWaitSeconds || interrupted) break;
    await sleep(250);
  }
  const notes: string[] = [];
  if (!Number.isFinite(attempted)) {
    const said = tail(path.join(stepDir, 'sipp.out'), 3).replace(/\s+/g, ' ').slice(0, 200);
    notes.push(`sipp produced no statistics (exit ${child.exitCode}): ${said}`);
  }
  if (child.exitCode === 124 || child.signalCode !== null) notes.push('sipp was stopped by timeout');
  if (Number.isFinite(attempted) && attempted < calls)
    notes.push(`only ${attempted} of ${calls} calls started`);
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
    serverCpu: cpu((x) => x.total),
    serverMainCpu: cpu((x) => x.main),
    serverOtherThreadCpu: (busiestOther / TICKS_PER_SECOND / (steady.b.t - steady.a.t)) * 100,
    othersCpu: Math.max(0, cpu((x) => x.machine - x.total) - sippCpu), // clamped: tick rounding
    mainWaitPct: ((steady.b.mainWaitNs - steady.a.mainWaitNs) / 1e9 / (steady.b.t - steady.a.t)) * 100,
    rssPeakMb: rssPeak,
    sippCpu,
    drops,
    leftoverSockets: Math.max(0, leftover),
    drainSeconds,
    sippExit: child.exitCode,
    note: notes.join('; '),
  };
}

interface Sample extends ProcTimes {
  /** Seconds since the step started. */
  readonly t: number;
  /** sipp's utime + stime in ticks (NaN before its pid is known). */
  readonly sipp: number;
  /** Busy ticks of the whole machine. */
  readonly machine: number;
}

/** The first sample at or after `from` and the last at or before `to` (or the ends, if that leaves < 2 s). */
function window(samples: readonly Sample[], from: number, to: number): { a: Sample; b: Sample } {
  const empty: Sample = {
    t: 0,
    total: NaN,
    main: NaN,
    threads: new Map(),
    mainWaitNs: NaN,
    sipp: NaN,
    machine: NaN,
  };
  const a = samples.find((x) => x.t >= from);
  const b = [...samples].reverse().find((x) => x.t <= to);
  if (a && b && b.t - a.t >= 2) return { a, b };
  return { a: samples[0] ?? empty, b: samples[samples.length - 1] ?? empty };
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
  ['drops', 6, (r) => String(r.drops)],
  ['setup ms', 9, (r) => fix(r.setupMs, 0)],
  ['srv CPU%', 9, (r) => fix(r.serverCpu, 0)],
  ['main%', 6, (r) => fix(r.serverMainCpu, 0)],
  ['thr2%', 6, (r) => fix(r.serverOtherThreadCpu, 0)],
  ['wait%', 6, (r) => fix(r.mainWaitPct, 0)],
  ['RSS MB', 7, (r) => fix(r.rssPeakMb, 0)],
  ['sipp%', 6, (r) => fix(r.sippCpu, 0)],
  ['other%', 7, (r) => fix(r.othersCpu, 0)],
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

/**
 * Why a step does not count as carried (empty: it does). Beyond zero failed calls, the
 * server must have kept up: sipp offered the rate, under 1 % of the messages needed a
 * retransmission (a reply later than 500 ms), no SIP datagram was dropped for a full
 * buffer, and no call was left up on the server once sipp had hung up all of them.
 */
function shortfalls(r: StepResult, allow503: boolean): string[] {
  const out: string[] = [];
  if (!(r.attempted > 0)) return ['no calls'];
  if (r.failed > 0) out.push(`${r.failed} failed`);
  if (!allow503 && r.refused503 > 0) out.push(`${r.refused503} refused`);
  if (r.answered + r.refused503 + r.failed !== r.attempted) out.push('calls missing');
  if (!(r.offered >= r.rate * 0.95)) out.push(`sipp reached only ${fix(r.offered, 0)}/s`);
  if (r.retransmissions > r.attempted * 0.01)
    out.push(`retransmissions ${((r.retransmissions / r.attempted) * 100).toFixed(0)} % of calls`);
  if (r.drops > 0) out.push('server dropped SIP datagrams');
  if (r.leftoverSockets > 0) out.push(`${r.leftoverSockets / 2} RTP endpoints still open`);
  return out;
}

function clean(r: StepResult): boolean {
  return shortfalls(r, false).length === 0;
}

function withVerdict(r: StepResult, allow503: boolean): StepResult {
  const why = shortfalls(r, allow503);
  const note = [...(why.length ? [`NOT CLEAN: ${why.join(', ')}`] : []), ...(r.note ? [r.note] : [])];
  return { ...r, note: note.join('; ') };
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
  readonly startTime: number;
  readonly endTime: number;
}

interface ProfileSummary {
  /** Busy (non-idle) time in the window, ms. */
  readonly busyMs: number;
  readonly windowMs: number;
  readonly top: string[];
}

/**
 * The functions with the most self time in the last `windowMs` of a profile (the step, not
 * the start-up), as shares of the thread's busy time; idle samples are left out.
 */
function topSelfTime(file: string, n: number, windowMs: number): ProfileSummary {
  const profile = JSON.parse(readFileSync(file, 'utf8')) as CpuProfile;
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const self = new Map<string, number>();
  const from = profile.endTime - windowMs * 1000;
  let busy = 0;
  let ts = profile.startTime;
  profile.samples.forEach((id, i) => {
    const dt = profile.timeDeltas[i] ?? 0;
    ts += dt;
    if (ts < from) return;
    const frame = byId.get(id)?.callFrame;
    if (!frame || frame.functionName === '(idle)') return;
    busy += dt;
    const where = frame.url
      ? `${frame.url.replace(/^file:\/\//, '').replace(ROOT + '/', '')}:${frame.lineNumber + 1}`
      : '';
    const key = `${frame.functionName || '(anonymous)'}${where ? `  ${where}` : ''}`;
    self.set(key, (self.get(key) ?? 0) + dt);
  });
  const top = [...self.entries()]
    .sort((a, b) => b[1] - a[1])
    .slice(0, n)
    .map(
      ([k, us]) =>
        `${((us / busy) * 100).toFixed(1).padStart(5)} %  ${(us / 1000).toFixed(0).padStart(6)} ms  ${k}`,
    );
  return {
    busyMs: busy / 1000,
    windowMs: Math.min(windowMs, (profile.endTime - profile.startTime) / 1000),
    top,
  };
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
      if (interrupted) return;
      results.push(r);
      console.log(row(withVerdict(r, false)));
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
      console.log(
        `No step was carried cleanly (not even ${opts.rates[0]}/s). Server log: ${dir}/capacity.log`,
      );
      process.exitCode = 1;
      return;
    }
    console.log(
      `Highest rate carried with zero failed calls (and no retransmission storm, nothing left behind): ${best.rate} calls/s` +
        ` (server ${fix(best.serverCpu, 0)} % of a core, event loop ${fix(best.serverMainCpu, 0)} %,` +
        ` RSS peak ${fix(best.rssPeakMb, 0)} MB; mean setup ${fix(best.setupMs, 0)} ms; sipp ${fix(best.sippCpu, 0)} % of a core)`,
    );
    if (!firstFailing) console.log(`  (every tried rate passed: the capacity is ${best.rate}/s or more)`);
    else if (firstFailing.failed === 0 && firstFailing.attempted > 0) {
      console.log(
        `  At ${firstFailing.rate}/s no call failed either, but the server fell behind: ${shortfalls(firstFailing, false).join(', ')}.`,
      );
    }
    const busy = Math.max(...results.map((r) => (Number.isFinite(r.othersCpu) ? r.othersCpu : 0)));
    if (busy > 30) {
      console.log(
        `  Note: other work took up to ${busy.toFixed(0)} % of a core during the steps ("other%"):` +
          ' on a busy machine the server gets less CPU, and these figures understate it.',
      );
    }

    // 2. Overload: a limit at 70 % of the capacity, then one step past the capacity.
    if (opts.overload && !interrupted) {
      const limit = Math.max(1, Math.floor((best.rate * opts.limitPercent) / 100));
      const overRate =
        firstFailing?.rate ?? opts.rates.find((r) => r > best.rate) ?? Math.round(best.rate * 1.25);
      console.log(
        `\nOverload: limits.maxCallsPerSecond = ${limit} (${opts.limitPercent} % of ${best.rate}), offering ${overRate} calls/s`,
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
        25, // under the echo test's time limit (30 s), which would end stuck calls by itself
      );
      console.log(row(withVerdict(over, true)));
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
      console.log(row(withVerdict(after, false)));
      const rss = rssMb(server.pid);
      await server.stop();
      server = undefined;
      const drained = over.leftoverSockets === 0;
      // No collapse: nothing failed, the excess got 503, every call ended, and it still works.
      const ok = over.failed === 0 && over.refused503 > 0 && drained && clean(after);
      const lagging = shortfalls(over, true);
      const verdict = !ok
        ? 'NOT clean: see the failed / left columns and the notes'
        : lagging.length === 0
          ? 'clean: the excess was refused with 503 at once, no call failed or timed out, every call ended, and the server kept working'
          : `no collapse (no call failed, the excess got 503, every call ended, the server kept working), but it fell behind: ${lagging.join(', ')}`;
      console.log(
        `  ${over.attempted} calls offered at ${fix(over.offered, 0)}/s against a limit of ${limit}/s:` +
          ` ${over.answered} answered, ${over.refused503} refused with 503, ${over.failed} failed` +
          ` (mean setup ${fix(over.setupMs, 0)} ms, ${over.retransmissions} retransmissions, ${over.drops} datagrams dropped)`,
      );
      console.log(
        drained
          ? `  all calls had ended ${fix(over.drainSeconds, 1)} s after sipp finished (RSS then ${rss.toFixed(0)} MB)`
          : `  ${over.leftoverSockets / 2} RTP endpoints (calls) were still open 25 s after sipp finished`,
      );
      console.log(
        `  then ${after.attempted} calls at ${lowRate}/s: ${after.answered} answered, ${after.failed} failed` +
          (clean(after) ? '' : ` (${shortfalls(after, false).join(', ')})`),
      );
      console.log(`  → ${verdict}`);
      if (!ok) process.exitCode = 1;
    }

    // 3. Optional: where the time goes, at a rate the server carries even with the profiler's
    // overhead (about 3/4 of the best one), so that the profile shows work, not a backlog.
    if (opts.profile && !interrupted) {
      const profDir = path.join(dir, 'cpu-prof');
      mkdirSync(profDir);
      const profRate =
        [...results].reverse().find((r) => clean(r) && r.rate <= best.rate * 0.75)?.rate ?? best.rate;
      console.log(`\nProfile: ${profRate} calls/s with node --cpu-prof`);
      server = await startServer({
        dir,
        name: 'profile',
        sipPort,
        maxCallsPerSecond: 100000,
        opts,
        cpuProfDir: profDir,
      });
      console.log(header());
      const stepStart = performance.now();
      console.log(
        row(
          withVerdict(
            await runStep(server, sipPort, dir, 'profile', profRate, opts.seconds, opts.holdMs, sippPorts),
            false,
          ),
        ),
      );
      await server.stop();
      server = undefined;
      // The profiles end when the server exits: keep what came after the step began.
      const windowMs = performance.now() - stepStart;
      for (const file of readdirSync(profDir).sort()) {
        // CPU.<date>.<time>.<pid>.<thread id>.<seq>.cpuprofile: thread 0 is the main thread.
        const threadId = file.split('.')[4];
        const summary = topSelfTime(path.join(profDir, file), 10, windowMs);
        const share = (summary.busyMs / summary.windowMs) * 100;
        // tsx's module loader runs in a worker thread of its own, busy only at start-up.
        if (threadId !== '0' && share < 3) continue;
        const thread = threadId === '0' ? 'main thread' : `worker thread ${threadId}`;
        console.log(
          `  ${thread}: busy ${share.toFixed(0)} % of ${(summary.windowMs / 1000).toFixed(1)} s;` +
            ` top self time (share of busy time) — ${path.join(profDir, file)}`,
        );
        for (const line of summary.top) console.log(`    ${line}`);
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
