import { execFileSync, spawn, type ChildProcess, type ExecFileSyncOptions } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { freePort, freeRange } from './ports.js';

/**
 * Drives baresip (Debian baresip-core 1.0.0) as a headless scripted phone: no sound card,
 * the microphone is a WAV file (aufile), both audio directions are recorded by sndfile, and
 * the phone is steered through its ctrl_tcp socket — netstring-framed JSON commands in,
 * responses and events (REGISTER_OK, CALL_ESTABLISHED, CALL_CLOSED…) out.
 */

export interface BaresipOptions {
  /** Hotline's SIP port on 127.0.0.1. */
  readonly server: number;
  readonly user: string;
  readonly password: string;
  readonly transport?: 'udp' | 'tcp';
  /**
   * What the phone "says": a 16-bit mono 8 kHz WAV, long enough to outlast the call (aufile),
   * or a steady sine (ausine, which makes 48 kHz stereo that baresip converts for the codec).
   */
  readonly audioSource: string | { readonly sineHz: number };
  /** baresip's audio codec modules, in its order of preference. Default: g711 alone. */
  readonly codecs?: readonly string[];
  /** Bound on start-up (process up and ctrl_tcp accepting). Default 5 s. */
  readonly startTimeoutMs?: number;
}

/** One ctrl_tcp event; baresip 1.0.0 sends these fields for call and register events. */
export interface BaresipEvent {
  readonly type: string;
  readonly class?: string;
  readonly accountaor?: string;
  readonly direction?: string;
  readonly peeruri?: string;
  /** The call's SIP Call-ID, for call events. */
  readonly id?: string;
  readonly param?: string;
}

export interface WaitOptions {
  /** Only events at this index of `events` or later count (see `mark()`). */
  readonly since?: number;
  readonly timeoutMs?: number;
  readonly match?: (e: BaresipEvent) => boolean;
}

export interface Baresip {
  /** The config folder; sndfile writes its recordings here too. */
  readonly dir: string;
  /** The account line written to `accounts`. */
  readonly account: string;
  /** The local SIP port baresip listens on (sip_listen). */
  readonly sipPort: number;
  /** Every event received so far, in order. */
  readonly events: readonly BaresipEvent[];
  /** An index into `events` to wait from, taken before the action that causes the event. */
  mark(): number;
  /** Sends a command (a menu command's long name) and resolves with its response text. */
  command(name: string, params?: string, timeoutMs?: number): Promise<string>;
  /** The first event of `type` (from `since`), or rejects after the timeout. */
  waitFor(type: string, opts?: WaitOptions): Promise<BaresipEvent>;
  /** Resolves once the account is registered (REGISTER_OK), rejects on REGISTER_FAIL. */
  registered(timeoutMs?: number): Promise<void>;
  /** The WAVs sndfile wrote for the last call: what was sent (enc) and received (dec). */
  recordings(): { sent: string; received: string };
  /** baresip's console output so far (with the SIP trace), for error messages. */
  log(): string;
  /** Ends baresip (SIGTERM, then SIGKILL) and removes its folder. Idempotent. */
  stop(): Promise<void>;
}

/**
 * Writes what the phone will say: `text` spoken by espeak-ng, converted by sox to what
 * aufile plays without resampling (8 kHz, mono, 16-bit) and followed by `padSeconds` of
 * silence, since baresip hangs up when its audio file ends.
 */
export function speechWav(file: string, text: string, padSeconds = 30): string {
  const raw = `${file}.espeak.wav`;
  const opts: ExecFileSyncOptions = { timeout: 20_000, stdio: ['ignore', 'ignore', 'pipe'] };
  execFileSync('espeak-ng', ['-w', raw, text], opts);
  execFileSync(
    'sox',
    [raw, '-r', '8000', '-c', '1', '-b', '16', '-e', 'signed-integer', file, 'pad', '0', String(padSeconds)],
    opts,
  );
  rmSync(raw, { force: true });
  return file;
}

/** Debian's module folder; a codec, aufile (or ausine) and sndfile are all a headless phone needs. */
const MODULE_PATH = '/usr/lib/baresip/modules';

export async function startBaresip(opts: BaresipOptions): Promise<Baresip> {
  const dir = mkdtempSync(path.join(tmpdir(), 'baresip-'));
  const sipPort = await freeSipPort();
  const ctrlPort = await freePort();
  const rtp = await freeRange(20);
  const account = accountLine(opts);
  writeFileSync(
    path.join(dir, 'config'),
    configText({ dir, sipPort, ctrlPort, rtp, audio: opts.audioSource, codecs: opts.codecs ?? ['g711'] }),
  );
  writeFileSync(path.join(dir, 'accounts'), account + '\n');
  writeFileSync(path.join(dir, 'contacts'), '');
  // -s: SIP trace on the console, kept for assertions and error messages.
  const child = spawn('baresip', ['-s', '-f', dir], { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] });
  const phone = new BaresipPhone(dir, account, sipPort, child);
  try {
    await phone.connect(ctrlPort, opts.startTimeoutMs ?? 5000);
  } catch (err) {
    await phone.stop();
    throw err;
  }
  return phone;
}

function accountLine(opts: BaresipOptions): string {
  const server = `127.0.0.1:${opts.server}`;
  const params = `;auth_pass=${opts.password};regint=60;answermode=auto`;
  if (opts.transport !== 'tcp') return `<sip:${opts.user}@${server}>${params}`;
  // The URI parameter makes REGISTER go over TCP; `outbound` sends every other request
  // (INVITE, BYE) there too, whatever transport the dialled URI names.
  return `<sip:${opts.user}@${server};transport=tcp>${params};outbound="sip:${server};transport=tcp"`;
}

interface Pending {
  readonly resolve: (data: string) => void;
  readonly reject: (err: Error) => void;
}

class BaresipPhone implements Baresip {
  readonly events: BaresipEvent[] = [];
  #output = '';
  #exitCode: number | null | undefined;
  readonly #exited: Promise<void>;
  #socket: net.Socket | undefined;
  readonly #pending = new Map<string, Pending>();
  readonly #waiters = new Set<() => void>();
  #token = 0;
  #stopped = false;
  readonly #reaper = () => this.child.kill('SIGKILL');

  constructor(
    readonly dir: string,
    readonly account: string,
    readonly sipPort: number,
    private readonly child: ChildProcess,
  ) {
    const append = (d: Buffer) => (this.#output += stripAnsi(d.toString()));
    child.stdout?.on('data', append);
    child.stderr?.on('data', append);
    this.#exited = new Promise((resolve) =>
      child.once('exit', (code) => {
        this.#exitCode = code;
        for (const wake of this.#waiters) wake();
        resolve();
      }),
    );
    // Never leave a phone behind, even if the test process dies mid-call.
    process.once('exit', this.#reaper);
  }

  async connect(port: number, timeoutMs: number): Promise<void> {
    const socket = await connectWithin(port, timeoutMs, () =>
      this.#exitCode !== undefined ? `baresip exited with ${this.#exitCode}:\n${this.#output}` : undefined,
    );
    socket.on(
      'data',
      netstrings((payload) => this.#onMessage(payload)),
    );
    socket.on('error', () => undefined); // a reset when baresip exits, which `#exited` reports
    this.#socket = socket;
  }

  mark(): number {
    return this.events.length;
  }

  command(name: string, params = '', timeoutMs = 5000): Promise<string> {
    return new Promise((resolve, reject) => {
      const socket = this.#socket;
      if (this.#stopped || !socket) return reject(new Error('baresip is stopped'));
      const token = String(++this.#token);
      const timer = setTimeout(() => {
        this.#pending.delete(token);
        reject(new Error(`baresip did not answer "${name} ${params}" within ${timeoutMs} ms${this.#tail()}`));
      }, timeoutMs);
      this.#pending.set(token, {
        resolve: (d) => (clearTimeout(timer), resolve(d)),
        reject: (e) => (clearTimeout(timer), reject(e)),
      });
      socket.write(netstring(JSON.stringify({ command: name, params, token })));
    });
  }

  waitFor(type: string, w: WaitOptions = {}): Promise<BaresipEvent> {
    const timeoutMs = w.timeoutMs ?? 10_000;
    return new Promise((resolve, reject) => {
      const settle = (fn: () => void) => {
        clearTimeout(timer);
        this.#waiters.delete(check);
        fn();
      };
      const check = () => {
        const hit = this.events.slice(w.since ?? 0).find((e) => e.type === type && (w.match?.(e) ?? true));
        if (hit) settle(() => resolve(hit));
        else if (this.#exitCode !== undefined) {
          settle(() => reject(new Error(`baresip exited (${this.#exitCode}) before ${type}${this.#tail()}`)));
        }
      };
      const timer = setTimeout(() => {
        const seen = this.events.map((e) => e.type).join(', ') || 'none';
        settle(() =>
          reject(new Error(`no ${type} from baresip within ${timeoutMs} ms (seen: ${seen})${this.#tail()}`)),
        );
      }, timeoutMs);
      this.#waiters.add(check);
      check();
    });
  }

  // REGISTER_OK may well come before ctrl_tcp accepts us, so also ask `reginfo`, which shows
  // each account's state: zzz (no answer yet), OK (a 200) or ERR (gave up).
  async registered(timeoutMs = 5000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const e = this.events.find((x) => x.type === 'REGISTER_OK' || x.type === 'REGISTER_FAIL');
      const info = stripAnsi(await this.command('reginfo')).trim();
      const state = /\s(OK|ERR|zzz)\s/.exec(info)?.[1];
      if (e?.type === 'REGISTER_OK' || state === 'OK') return;
      if (e?.type === 'REGISTER_FAIL' || state === 'ERR') {
        // baresip logs why, e.g. "reg: sip:1001@…: Register: Function not implemented".
        const why = [...this.#output.matchAll(/^reg: .*$/gm)].pop()?.[0] ?? e?.param ?? info;
        throw new Error(`baresip could not register: ${why}${this.#tail()}`);
      }
      if (Date.now() > deadline) {
        throw new Error(`baresip not registered within ${timeoutMs} ms (${info})${this.#tail()}`);
      }
      await new Promise((r) => setTimeout(r, 100));
    }
  }

  recordings(): { sent: string; received: string } {
    // sndfile names them dump-<date-time>-enc.wav / -dec.wav (baresip 1.0.0).
    const files = readdirSync(this.dir).sort();
    const sent = files.filter((f) => /^dump-.*-enc\.wav$/.test(f)).pop();
    const received = files.filter((f) => /^dump-.*-dec\.wav$/.test(f)).pop();
    if (!sent || !received)
      throw new Error(`sndfile wrote no recordings in ${this.dir}: ${files.join(', ')}`);
    return { sent: path.join(this.dir, sent), received: path.join(this.dir, received) };
  }

  log(): string {
    return this.#output;
  }

  async stop(): Promise<void> {
    if (this.#stopped) return;
    this.#stopped = true;
    this.#socket?.destroy();
    for (const p of this.#pending.values()) p.reject(new Error('baresip stopped'));
    this.#pending.clear();
    if (this.#exitCode === undefined) {
      // SIGTERM lets baresip unregister; a phone stuck on a dead server gets SIGKILL.
      this.child.kill('SIGTERM');
      const timer = setTimeout(() => this.child.kill('SIGKILL'), 2000);
      await this.#exited;
      clearTimeout(timer);
    }
    process.off('exit', this.#reaper);
    rmSync(this.dir, { recursive: true, force: true });
  }

  #onMessage(payload: string): void {
    let msg: Record<string, unknown>;
    try {
      msg = JSON.parse(payload) as Record<string, unknown>;
    } catch (err) {
      this.#output += `\n[harness] unreadable ctrl_tcp message ${JSON.stringify(payload)}: ${String(err)}\n`;
      return;
    }
    if (msg.event === true && typeof msg.type === 'string') {
      this.events.push(msg as unknown as BaresipEvent);
      for (const wake of this.#waiters) wake();
    } else if (msg.response === true && typeof msg.token === 'string') {
      const p = this.#pending.get(msg.token);
      this.#pending.delete(msg.token);
      const data = typeof msg.data === 'string' ? msg.data : '';
      if (msg.ok === true) p?.resolve(data);
      else p?.reject(new Error(`baresip refused the command: ${data}`));
    }
  }

  #tail(lines = 60): string {
    return '\n--- baresip console (last lines) ---\n' + this.#output.split('\n').slice(-lines).join('\n');
  }
}

interface ConfigInput {
  readonly dir: string;
  readonly sipPort: number;
  readonly ctrlPort: number;
  readonly rtp: { min: number; max: number };
  readonly audio: BaresipOptions['audioSource'];
  readonly codecs: readonly string[];
}

/** The audio source lines: aufile plays the WAV at its own rate; ausine only makes 48 kHz stereo. */
function sourceLines(audio: BaresipOptions['audioSource']): string[] {
  if (typeof audio === 'string') {
    return [`audio_source aufile,${audio}`, 'ausrc_srate 8000', 'ausrc_channels 1', 'module aufile.so'];
  }
  return [`audio_source ausine,${audio.sineHz}`, 'ausrc_srate 48000', 'ausrc_channels 2', 'module ausine.so'];
}

/** The whole `config` file: only what a scripted phone needs, nothing probing the host. */
function configText(c: ConfigInput): string {
  return [
    'poll_method epoll',
    `sip_listen 127.0.0.1:${c.sipPort}`,
    // No sound card: nothing plays (an empty player), the "microphone" is the WAV.
    'audio_player',
    'audio_alert',
    'ausrc_format s16',
    'auplay_format s16',
    'auenc_format s16',
    'audec_format s16',
    `rtp_ports ${c.rtp.min}-${c.rtp.max}`,
    'rtcp_mux no',
    'jitter_buffer_delay 5-10',
    'net_interface 127.0.0.1',
    `module_path ${MODULE_PATH}`,
    ...c.codecs.map((name) => `module ${name}.so`),
    ...sourceLines(c.audio),
    // An audio filter: records the encoder input and the decoder output of each call.
    'module sndfile.so',
    `snd_path ${c.dir}`,
    'module_tmp account.so',
    'module_app menu.so',
    'module_app ctrl_tcp.so',
    `ctrl_tcp_listen 127.0.0.1:${c.ctrlPort}`,
    '',
  ].join('\n');
}

/** baresip binds TLS on sip_listen + 1 as well, so both ports must be free. */
async function freeSipPort(): Promise<number> {
  for (let attempt = 0; attempt < 20; attempt++) {
    const port = await freePort();
    if (await tcpFree(port + 1)) return port;
  }
  throw new Error('no free port pair for baresip sip_listen');
}

function tcpFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = net.createServer();
    s.once('error', () => resolve(false));
    s.listen(port, '127.0.0.1', () => s.close(() => resolve(true)));
  });
}

/** Connects to ctrl_tcp, retrying while baresip starts; `gaveUp` names a fatal condition. */
async function connectWithin(
  port: number,
  timeoutMs: number,
  gaveUp: () => string | undefined,
): Promise<net.Socket> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const fatal = gaveUp();
    if (fatal) throw new Error(fatal);
    try {
      return await new Promise<net.Socket>((resolve, reject) => {
        const s = net.connect(port, '127.0.0.1');
        s.once('connect', () => resolve(s));
        s.once('error', (err) => (s.destroy(), reject(err)));
      });
    } catch (err) {
      if (Date.now() > deadline) {
        throw new Error(`baresip's ctrl_tcp on port ${port} not reachable within ${timeoutMs} ms`, {
          cause: err,
        });
      }
      await new Promise((r) => setTimeout(r, 100));
    }
  }
}

/** `len:payload,` (djb's netstrings), the framing ctrl_tcp uses both ways. */
function netstring(payload: string): string {
  return `${Buffer.byteLength(payload)}:${payload},`;
}

function netstrings(onMessage: (payload: string) => void): (chunk: Buffer) => void {
  let buf = Buffer.alloc(0);
  return (chunk) => {
    buf = Buffer.concat([buf, chunk]);
    for (;;) {
      const colon = buf.indexOf(0x3a);
      if (colon < 0) return;
      const len = Number(buf.toString('ascii', 0, colon));
      if (colon === 0 || colon > 9 || !Number.isInteger(len)) {
        // Out of step: nothing after this can be framed, so drop it (waits then time out).
        onMessage(buf.toString());
        buf = Buffer.alloc(0);
        return;
      }
      if (buf.length < colon + 1 + len + 1) return;
      onMessage(buf.toString('utf8', colon + 1, colon + 1 + len));
      buf = buf.subarray(colon + 1 + len + 1);
    }
  };
}

function stripAnsi(text: string): string {
  // eslint-disable-next-line no-control-regex
  return text.replace(/\x1b\[[0-9;]*m/g, '');
}
