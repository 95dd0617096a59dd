import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, symlinkSync, writeFileSync, copyFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const SCENARIOS = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'scenarios');

export interface SippRun {
  /** sipp's exit status: 0 all calls succeeded, 1 at least one failed. */
  readonly code: number | null;
  readonly stdout: string;
  /** The SIP messages sipp sent and received (-trace_msg). */
  readonly messages: string;
  /** sipp's error log (-trace_err), empty when nothing went wrong. */
  readonly errors: string;
  /** What the scenario's <log> actions wrote (-trace_logs), empty when it has none. */
  readonly logs: string;
}

export interface SippOptions {
  /** A file in test/interop/scenarios, or with `builtin` the name of one of sipp's own (-sn). */
  readonly scenario: string;
  readonly builtin?: boolean;
  readonly server: number;
  readonly localPort: number;
  /** Lines of the injection file after the SEQUENTIAL header, fields separated by ';'. */
  readonly fields?: readonly string[];
  readonly mediaPort?: number;
  readonly calls?: number;
  readonly extra?: readonly string[];
  readonly timeoutSeconds?: number;
  /** Local address sipp binds (default 127.0.0.1); any 127.x.y.z works on Linux loopback. */
  readonly localAddress?: string;
  /**
   * Files copied into sipp's folder before it starts, by the name the scenario uses (a
   * generated pcap for play_pcap_audio, which sipp reads when it loads the scenario).
   */
  readonly files?: Readonly<Record<string, string>>;
}

/**
 * Runs sipp (Debian's sip-tester) with one of our scenario files, in a scratch folder that
 * links sipp's bundled pcap files as ./pcap. Always bounded by `timeout`, as a collapsed
 * sipp may ignore its own limits.
 */
export function runSipp(opts: SippOptions): { done: Promise<SippRun>; dir: string } {
  const dir = mkdtempSync(path.join(tmpdir(), 'sipp-'));
  symlinkSync('/usr/share/sip-tester', path.join(dir, 'pcap'));
  if (!opts.builtin) copyFileSync(path.join(SCENARIOS, opts.scenario), path.join(dir, opts.scenario));
  for (const [name, source] of Object.entries(opts.files ?? {})) copyFileSync(source, path.join(dir, name));
  const args = [
    '-k',
    '5',
    '-s',
    'INT',
    String(opts.timeoutSeconds ?? 30),
    'sipp',
    '-nostdin',
    opts.builtin ? '-sn' : '-sf',
    opts.scenario,
  ];
  if (opts.fields) {
    writeFileSync(path.join(dir, 'fields.csv'), ['SEQUENTIAL', ...opts.fields].join('\n') + '\n');
    args.push('-inf', 'fields.csv');
  }
  args.push(
    '-i',
    opts.localAddress ?? '127.0.0.1',
    '-p',
    String(opts.localPort),
    '-m',
    String(opts.calls ?? 1),
  );
  if (opts.mediaPort) args.push('-mp', String(opts.mediaPort));
  args.push('-trace_msg', '-message_file', 'messages.log', '-trace_err', '-error_file', 'errors.log');
  args.push('-trace_logs', '-log_file', 'logs.log');
  args.push(...(opts.extra ?? []), `127.0.0.1:${opts.server}`);
  const child = spawn('timeout', args, { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr.on('data', (d: Buffer) => (stdout += d.toString()));
  const done = new Promise<SippRun>((resolve) => {
    child.on('close', (code) => {
      resolve({
        code,
        stdout,
        messages: readIf(dir, 'messages.log'),
        errors: readIf(dir, 'errors.log'),
        logs: readIf(dir, 'logs.log'),
      });
    });
  });
  return { done, dir };
}

function readIf(dir: string, name: string): string {
  return readdirSync(dir).includes(name) ? readFileSync(path.join(dir, name), 'utf8') : '';
}

/** `[authentication …]` keyword for an injection-file field. */
export function auth(user: string, password: string): string {
  return `[authentication username=${user} password=${password}]`;
}

/** The SIP messages sipp received, split out of its message trace. */
export function receivedMessages(trace: string): string[] {
  return trace
    .split(/-{20,}[^\n]*\n/)
    .filter((block) => /message received/.test(block))
    .map((block) => block.replace(/^.*message received[^\n]*\n\s*\n?/s, ''));
}

export interface TracedMessage {
  /** When sipp logged it, seconds since the epoch. */
  readonly time: number;
  readonly direction: 'sent' | 'received';
  /** The request or status line. */
  readonly firstLine: string;
  readonly text: string;
}

/**
 * Every SIP message of a -trace_msg log with the time sipp logged it, so a test can line
 * up signalling (a hold re-INVITE, its 200) with the RTP a capture saw.
 */
export function tracedMessages(trace: string): TracedMessage[] {
  const out: TracedMessage[] = [];
  const header = /^-{20,} (\d{4})-(\d\d)-(\d\d) (\d\d):(\d\d):(\d\d)\.(\d{6})\n/gm;
  const starts = [...trace.matchAll(header)];
  for (const [i, m] of starts.entries()) {
    const end = i + 1 < starts.length ? (starts[i + 1] as RegExpMatchArray).index : trace.length;
    const block = trace.slice((m.index as number) + m[0].length, end);
    const kind = /^\S+ message (sent|received)[^\n]*\n\s*\n?/.exec(block);
    if (!kind) continue;
    const [y, mo, d, h, mi, s, us] = m.slice(1).map(Number) as number[];
    // sipp prints local time.
    const time = new Date(y!, mo! - 1, d, h, mi, s).getTime() / 1000 + us! / 1e6;
    const text = block.slice(kind[0].length);
    out.push({
      time,
      direction: kind[1] as 'sent' | 'received',
      firstLine: text.split(/\r?\n/)[0] ?? '',
      text,
    });
  }
  return out;
}
