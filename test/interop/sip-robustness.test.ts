import { after, before, describe, it, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import dgram from 'node:dgram';
import net from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { EXTENSIONS, startTestServer, type TestServer } from './harness/server.js';
import { auth, runSipp } from './harness/sipp.js';
import { freePort } from './harness/ports.js';
import {
  CATEGORIES,
  hostileCorpus,
  seededRandom,
  streamFraming,
  validRegister,
  type HostileMessage,
} from './harness/hostile.js';
import { DEFAULT_FRAMER_LIMITS } from '../../src/sip/message/index.js';

const IDLE_TIMEOUT_S = 2;
/** sip.tcpMessageTimeout for this suite: longer than the byte-by-byte REGISTER takes (~5 s). */
const MESSAGE_TIMEOUT_S = 8;
/** The largest UDP payload over IPv4; bigger messages are only sent over TCP. */
const MAX_DATAGRAM = 65_507;

// ---------------------------------------------------------------------------------------
// Reading the server's answers, independently of Hotline's own parser.

interface Answer {
  readonly status: number;
  readonly headers: ReadonlyMap<string, readonly string[]>;
}

const TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;
const COMPACT: Record<string, string> = { v: 'via', f: 'from', t: 'to', i: 'call-id', l: 'content-length' };

/** Control characters (RFC 3261 §25.1 allows only HT, as whitespace, inside header lines). */
function hasControl(line: string, allowed: string): boolean {
  for (const ch of line) {
    const c = ch.charCodeAt(0);
    if ((c < 0x20 || c === 0x7f) && !allowed.includes(ch)) return true;
  }
  return false;
}

function one(a: Answer, name: string): string {
  return a.headers.get(name)?.[0] ?? '';
}

/**
 * Takes one response off the front of `buf` (RFC 3261 §7.2, §20): undefined while it is
 * incomplete; `problem` when it is not a well-formed SIP response.
 */
function takeAnswer(buf: Buffer): { answer?: Answer; problem?: string; used: number } | undefined {
  const end = buf.indexOf('\r\n\r\n');
  if (end < 0) return buf.length > 65_535 ? { problem: 'no end of headers', used: buf.length } : undefined;
  const [start = '', ...lines] = buf.toString('latin1', 0, end).split('\r\n');
  const bad = (problem: string) => ({ problem: `${problem}: ${JSON.stringify(start)}`, used: buf.length });
  const statusLine = /^SIP\/2\.0 ([1-6]\d\d) (.*)$/.exec(start);
  if (!statusLine || hasControl(start, '')) return bad('bad status line');
  const headers = new Map<string, string[]>();
  for (const line of lines) {
    const colon = line.indexOf(':');
    const name = line.slice(0, colon).trim().toLowerCase();
    if (colon <= 0 || !TOKEN.test(name) || hasControl(line, '\t')) return bad(`bad header ${line}`);
    const key = COMPACT[name] ?? name;
    headers.set(key, [...(headers.get(key) ?? []), line.slice(colon + 1).trim()]);
  }
  for (const name of ['from', 'to', 'call-id', 'cseq', 'content-length']) {
    if (headers.get(name)?.length !== 1) return bad(`not exactly one ${name}`);
  }
  if (!headers.get('via')?.length) return bad('no Via');
  const length = Number(headers.get('content-length')?.[0]);
  if (!Number.isInteger(length) || length < 0) return bad('bad Content-Length');
  const used = end + 4 + length;
  if (buf.length < used) return undefined;
  const status = Number(statusLine[1]);
  // §8.2.6.2 and, for stateless answers, §8.2.7: every final response carries a To tag.
  const untagged = status >= 200 && !/;\s*tag=/i.test(headers.get('to')?.[0] ?? '');
  return {
    answer: { status, headers },
    used,
    ...(untagged ? { problem: `final response without To tag: ${start}` } : {}),
  };
}

/** §17.1.1.3: the ACK for a non-2xx final answer to an INVITE, built from the answer. */
function ackFor(a: Answer): Buffer | undefined {
  const [seq, method] = one(a, 'cseq').split(/\s+/);
  if (method !== 'INVITE' || a.status < 300) return undefined;
  const lines = [
    'ACK sip:127.0.0.1 SIP/2.0',
    `Via: ${one(a, 'via').split(',')[0]}`,
    `From: ${one(a, 'from')}`,
    `To: ${one(a, 'to')}`,
    `Call-ID: ${one(a, 'call-id')}`,
    `CSeq: ${seq} ACK`,
    'Max-Forwards: 70',
    'Content-Length: 0',
  ];
  return Buffer.from(lines.join('\r\n') + '\r\n\r\n');
}

interface Exchange {
  readonly answers: Answer[];
  readonly problems: string[];
  closedByServer: boolean;
  /** ms from the last byte we sent until the server closed. */
  closedAfterMs?: number;
  bytesWritten: number;
}

const newExchange = (): Exchange => ({ answers: [], problems: [], closedByServer: false, bytesWritten: 0 });
const finalOf = (x: Exchange | undefined) => x?.answers.find((a) => a.status >= 200);

/** Problems with what came back for one message, given what the message expects. */
function judge(m: HostileMessage, x: Exchange): string[] {
  const out = x.problems.map((p) => `${m.id}: ${p}`);
  const final = finalOf(x);
  for (const a of x.answers) {
    const ok =
      (a.status >= 400 && a.status <= 499) || a.status === 503 || a.status === 505 || a.status === 100;
    if (!ok) out.push(`${m.id}: answered ${a.status}`);
    if (m.callId !== undefined && one(a, 'call-id') !== m.callId)
      out.push(`${m.id}: answer for another Call-ID`);
  }
  if (m.expect.kind === 'silence' && x.answers.length > 0)
    out.push(`${m.id}: expected silence, got ${final?.status}`);
  if (m.expect.kind === 'answer') {
    if (!final) out.push(`${m.id}: expected an answer, got none`);
    else if (m.expect.statuses && !m.expect.statuses.includes(final.status)) {
      out.push(`${m.id}: expected ${m.expect.statuses.join('/')}, got ${final.status}`);
    }
  }
  return out;
}

// ---------------------------------------------------------------------------------------
// Sending over UDP and TCP.

async function udpBarrage(messages: readonly HostileMessage[], port: number): Promise<Map<string, Exchange>> {
  const results = new Map<string, Exchange>();
  const sockets: dgram.Socket[] = [];
  for (const m of messages) {
    const x = newExchange();
    results.set(m.id, x);
    const socket = dgram.createSocket('udp4');
    sockets.push(socket);
    socket.on('message', (data) => {
      const taken = takeAnswer(data);
      if (taken?.problem) x.problems.push(taken.problem);
      if (!taken || taken.used !== data.length) x.problems.push('datagram is not exactly one response');
      if (!taken?.answer) return;
      // Retransmissions of the same answer (timer G) are not new answers.
      if (!x.answers.some((a) => a.status === taken.answer?.status)) x.answers.push(taken.answer);
      const ack = ackFor(taken.answer);
      if (ack) socket.send(ack, port, '127.0.0.1');
    });
    await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', resolve));
    await new Promise<void>((resolve, reject) =>
      socket.send(m.bytes, port, '127.0.0.1', (err) => (err ? reject(err) : resolve())),
    );
    x.bytesWritten = m.bytes.length;
  }
  await sleep(1000);
  await Promise.all(sockets.map((s) => new Promise<void>((resolve) => s.close(() => resolve()))));
  return results;
}

interface SessionOptions {
  /** Give up this long after the last byte in either direction. */
  readonly quietMs: number;
  readonly maxMs: number;
}

/** One TCP connection: `drive` writes; answers are read, INVITE failures ACKed, closes noted. */
async function tcpSession(
  port: number,
  drive: (write: (b: Buffer) => Promise<void>, x: Exchange) => Promise<void>,
  opts: SessionOptions,
): Promise<Exchange> {
  const x = newExchange();
  const socket = net.connect({ host: '127.0.0.1', port });
  socket.setNoDelay(true);
  await new Promise<void>((resolve, reject) => socket.once('connect', resolve).once('error', reject));
  let pending = Buffer.alloc(0);
  let last = Date.now();
  let lastWrite = Date.now();
  let gone = false;
  const closed = new Promise<void>((resolve) => {
    const onClose = () => {
      if (!gone) Object.assign(x, { closedByServer: true, closedAfterMs: Date.now() - lastWrite });
      gone = true;
      resolve();
    };
    socket.on('end', onClose).on('close', onClose).on('error', onClose);
  });
  socket.on('data', (chunk: Buffer) => {
    last = Date.now();
    pending = Buffer.concat([pending, chunk]);
    for (;;) {
      let skip = 0; // CRLF pongs to our CRLF CRLF pings (RFC 5626 §4.4.1)
      while (pending[skip] === 0x0d && pending[skip + 1] === 0x0a) skip += 2;
      pending = pending.subarray(skip);
      const taken = pending.length > 0 ? takeAnswer(pending) : undefined;
      if (!taken) break;
      pending = pending.subarray(taken.used);
      if (taken.problem) x.problems.push(taken.problem);
      if (!taken.answer) continue;
      x.answers.push(taken.answer);
      const ack = ackFor(taken.answer);
      if (ack && !gone) socket.write(ack);
    }
  });
  const write = (b: Buffer) =>
    new Promise<void>((resolve) => {
      if (gone || b.length === 0) return resolve();
      socket.write(b, () => {
        x.bytesWritten += b.length;
        last = lastWrite = Date.now();
        resolve();
      });
    });
  const started = Date.now();
  await drive(write, x);
  last = lastWrite = Date.now();
  while (!gone && Date.now() - last < opts.quietMs && Date.now() - started < opts.maxMs) await sleep(20);
  gone = true;
  socket.destroy();
  await closed;
  return x;
}

async function inBatches<T, R>(items: readonly T[], size: number, fn: (t: T) => Promise<R>): Promise<R[]> {
  const out: R[] = [];
  for (let i = 0; i < items.length; i += size)
    out.push(...(await Promise.all(items.slice(i, i + size).map(fn))));
  return out;
}

async function until(what: string, check: () => boolean, deadlineMs: number): Promise<number> {
  const started = Date.now();
  while (!check()) {
    if (Date.now() - started > deadlineMs) throw new Error(`timed out waiting until ${what}`);
    await sleep(100);
  }
  return Date.now() - started;
}

// ---------------------------------------------------------------------------------------

describe('robustness: hundreds of malformed and hostile messages over UDP and TCP', () => {
  let t: TestServer;
  const crashes: unknown[] = [];
  const onCrash = (err: unknown) => crashes.push(err);
  const udpCorpus = hostileCorpus({ transport: 'UDP', run: 'u1' });
  let udpResults = new Map<string, Exchange>();
  /** When the last hostile byte went out: every transaction must be gone 64*T1 later. */
  let lastHostileSent = 0;
  let rssBefore = 0;

  const echoCall = async () => {
    const run = await runSipp({
      scenario: 'call.xml',
      server: t.sipPort,
      localPort: await freePort(),
      mediaPort: 2 * Math.floor((await freePort()) / 2),
      fields: [`1001;${auth('1001', EXTENSIONS[0].password)};*43`],
    }).done;
    assert.equal(run.code, 0, run.errors || run.stdout);
  };

  before(async () => {
    process.on('uncaughtException', onCrash);
    process.on('unhandledRejection', onCrash);
    t = await startTestServer({
      config: { sip: { tcpIdleTimeout: IDLE_TIMEOUT_S, tcpMessageTimeout: MESSAGE_TIMEOUT_S } },
    });
    await echoCall(); // warm-up: code paths loaded, pools allocated, before the baseline
    rssBefore = process.memoryUsage().rss;
  });

  after(async () => {
    await t?.stop();
    process.off('uncaughtException', onCrash);
    process.off('unhandledRejection', onCrash);
  });

  it('builds at least 250 distinct hostile messages, deterministically', () => {
    assert.ok(udpCorpus.length >= 250, `${udpCorpus.length} messages`);
    assert.equal(new Set(udpCorpus.map((m) => m.id)).size, udpCorpus.length);
    assert.equal(new Set(udpCorpus.map((m) => m.bytes.toString('latin1'))).size, udpCorpus.length);
    const again = hostileCorpus({ transport: 'UDP', run: 'u1' });
    assert.ok(again.every((m, i) => m.bytes.equals(udpCorpus[i]?.bytes ?? Buffer.alloc(0))));
    for (const c of CATEGORIES) {
      assert.ok(
        udpCorpus.some((m) => m.category === c),
        `no message of category ${c}`,
      );
    }
  });

  it('over UDP answers each readable broken request with a 4xx and ignores the unaddressable', async (tc) => {
    const sendable = udpCorpus.filter((m) => m.bytes.length <= MAX_DATAGRAM);
    const received = t.server.transport.stats.received;
    udpResults = await udpBarrage(sendable, t.sipPort);
    lastHostileSent = Date.now();
    const problems = sendable.flatMap((m) => judge(m, udpResults.get(m.id) ?? newExchange()));
    summarize(tc, 'UDP', sendable, udpResults);
    tc.diagnostic(`too large for a datagram, TCP only: ${udpCorpus.length - sendable.length}`);
    assert.deepEqual(problems, []);
    const empty = sendable.filter((m) => m.bytes.length === 0).length;
    assert.ok(t.server.transport.stats.received - received >= sendable.length - empty);
  });

  it('over TCP, one connection per message, answers as over UDP and drops unframable streams', async (tc) => {
    const corpus = hostileCorpus({ transport: 'TCP', run: 't1' });
    const results = new Map<string, Exchange>();
    await inBatches(corpus, 32, async (m) => {
      const x = await tcpSession(t.sipPort, (write) => write(m.bytes), { quietMs: 300, maxMs: 1500 });
      results.set(m.id, x);
    });
    lastHostileSent = Date.now();
    const problems: string[] = [];
    for (const m of corpus) {
      const x = results.get(m.id) ?? newExchange();
      const framing = streamFraming(m.bytes);
      // What a message expects of the parser applies only once the stream can cut it out;
      // unframable and unfinished ones are held to the framing checks below instead.
      const framed = framing === 'complete' || framing === 'trailing';
      problems.push(...judge(framed ? m : { ...m, expect: { kind: 'either' } }, x));
      const viaUdp = finalOf(udpResults.get(m.id))?.status;
      const viaTcp = finalOf(x)?.status;
      if (framed && udpResults.has(m.id) && viaUdp !== viaTcp) {
        problems.push(`${m.id}: UDP answered ${viaUdp}, TCP ${viaTcp}`);
      }
      // RFC 3261 §18.3: a stream whose message cannot be framed must be closed, at once.
      if (
        framing === 'invalid' &&
        (x.answers.length > 0 || !x.closedByServer || (x.closedAfterMs ?? 0) > 1000)
      ) {
        problems.push(`${m.id}: unframable, but answered or not closed (${x.closedAfterMs} ms)`);
      }
      if (framing === 'incomplete' && x.answers.length > 0)
        problems.push(`${m.id}: answered before complete`);
    }
    summarize(tc, 'TCP', corpus, results);
    assert.deepEqual(problems, []);
  });

  it('answers every framable message pipelined on one TCP connection, and survives the whole corpus back to back', async (tc) => {
    const corpus = hostileCorpus({ transport: 'TCP', run: 'p1' });
    const framed = corpus.filter((m) => m.callId && streamFraming(m.bytes) === 'complete');
    assert.ok(framed.length >= 150, `${framed.length} framable messages`);
    const x = await tcpSession(t.sipPort, (write) => write(Buffer.concat(framed.map((m) => m.bytes))), {
      quietMs: 800,
      maxMs: 5000,
    });
    assert.deepEqual(x.problems, []);
    assert.equal(x.closedByServer, false, 'a framable stream stays open');
    const got = (m: HostileMessage) =>
      x.answers.filter((a) => a.status >= 200 && one(a, 'call-id') === m.callId);
    const mismatched = framed
      .map((m) => ({
        id: m.id,
        udp: finalOf(udpResults.get(m.id))?.status,
        tcp: got(m).map((a) => a.status),
      }))
      .filter(({ udp, tcp }) => (udp === undefined ? tcp.length !== 0 : tcp.length !== 1 || tcp[0] !== udp));
    assert.deepEqual(mismatched, []);
    tc.diagnostic(
      `pipelined ${framed.length} messages in one write: ${x.answers.length} answers, as over UDP`,
    );

    const all = hostileCorpus({ transport: 'TCP', run: 'p2' });
    const rest = await tcpSession(
      t.sipPort,
      async (write) => {
        for (const m of all) await write(m.bytes);
      },
      { quietMs: (IDLE_TIMEOUT_S + 1) * 1000, maxMs: (IDLE_TIMEOUT_S + 3) * 1000 },
    );
    lastHostileSent = Date.now();
    assert.deepEqual(rest.problems, []);
    assert.ok(
      rest.answers.every((a) => a.status >= 400 && a.status < 500),
      'only 4xx answers',
    );
    assert.ok(rest.closedByServer, 'the server ended the garbage stream');
  });

  it('reads a REGISTER dripped byte by byte, and closes stalled connections after sip.tcpIdleTimeout', async () => {
    const rng = seededRandom(42);
    const drip = validRegister({ transport: 'TCP', run: 'd1' });
    const dripping = tcpSession(
      t.sipPort,
      async (write) => {
        for (const byte of drip.bytes) {
          await write(Buffer.from([byte]));
          await sleep(5 + Math.floor(rng() * 16));
        }
      },
      { quietMs: 1000, maxMs: 30_000 },
    );
    const stalled = Array.from({ length: 50 }, (_, i) => {
      const partial = validRegister({ transport: 'TCP', run: 's1' }).bytes.subarray(0, 5 + i * 5);
      return tcpSession(t.sipPort, (write) => write(partial), {
        quietMs: (IDLE_TIMEOUT_S + 3) * 1000,
        maxMs: (IDLE_TIMEOUT_S + 3) * 1000,
      });
    });
    await sleep(1000);
    const held = t.server.transport.connectionCount();
    assert.ok(held >= 51, `${held} connections held open before the idle timeout`);
    const done = await dripping;
    assert.equal(done.bytesWritten, drip.bytes.length);
    assert.deepEqual(done.problems, []);
    assert.deepEqual(
      done.answers.map((a) => [a.status, one(a, 'call-id')]),
      [[401, drip.callId]],
    );
    for (const [i, s] of (await Promise.all(stalled)).entries()) {
      assert.equal(s.answers.length, 0, `stalled ${i} answered`);
      assert.ok(s.closedByServer, `stalled ${i} not closed by the server`);
      const after = s.closedAfterMs ?? 0;
      assert.ok(
        after >= IDLE_TIMEOUT_S * 1000 - 100 && after < IDLE_TIMEOUT_S * 1000 + 1500,
        `closed after ${after} ms`,
      );
    }
  });

  it('disconnects a slow-loris client that keeps a message unfinished past sip.tcpMessageTimeout', async () => {
    // One byte every 1.5 s never trips the 2 s idle timer; only the message deadline ends it.
    const bytes = validRegister({ transport: 'TCP', run: 'loris' }).bytes;
    const started = Date.now();
    const x = await tcpSession(
      t.sipPort,
      async (write, x) => {
        for (const byte of bytes) {
          // Bounded: without a message deadline this would go on for ten minutes.
          if (x.closedByServer || Date.now() - started > (MESSAGE_TIMEOUT_S + 6) * 1000) break;
          await write(Buffer.from([byte]));
          await sleep(1500);
        }
      },
      { quietMs: 100, maxMs: 30_000 },
    );
    const held = Date.now() - started;
    assert.ok(x.closedByServer, 'the server closed the connection');
    assert.equal(x.answers.length, 0);
    assert.ok(x.bytesWritten < bytes.length, 'closed before the message was complete');
    assert.ok(held < (MESSAGE_TIMEOUT_S + 3) * 1000, `held ${held} ms`);
  });

  it('closes a connection whose header never ends once it passes the size limit', async () => {
    const limit = DEFAULT_FRAMER_LIMITS.maxHeaderBytes;
    for (const endless of [
      Buffer.from('X-Endless: aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\r\n'),
      Buffer.alloc(1024, 'a'),
    ]) {
      const started = Date.now();
      const x = await tcpSession(
        t.sipPort,
        async (write, x) => {
          await write(Buffer.from('REGISTER sip:127.0.0.1 SIP/2.0\r\nVia: SIP/2.0/TCP 127.0.0.1:5060\r\n'));
          while (!x.closedByServer && x.bytesWritten < 4 * 1024 * 1024) await write(endless);
        },
        { quietMs: 500, maxMs: 5000 },
      );
      assert.ok(x.closedByServer, 'closed by the server');
      assert.equal(x.answers.length, 0);
      assert.ok(
        x.bytesWritten > limit,
        `closed after ${x.bytesWritten} bytes, below the ${limit}-byte limit`,
      );
      assert.ok(x.bytesWritten < 4 * 1024 * 1024, `still open after ${x.bytesWritten} bytes`);
      assert.ok(Date.now() - started < IDLE_TIMEOUT_S * 1000, 'closed for its size, not for idleness');
    }
  });

  it('lets go of every connection and transaction afterwards', async (tc) => {
    const idleMs = await until(
      'no connection is left',
      () => t.server.transport.connectionCount() === 0,
      5000,
    );
    tc.diagnostic(`connections back to 0 after ${idleMs} ms`);
    // The longest-lived are UDP non-INVITE transactions (timer J) and INVITEs whose ACK never
    // came (timer H, e.g. swallowed by a stream left mid-message): 64*T1 = 32 s (RFC 3261 §17).
    tc.diagnostic(`live transactions: ${JSON.stringify(t.server.transactions.stats())}`);
    const budget = Math.max(0, lastHostileSent + 32_000 + 3000 - Date.now());
    await until('no transaction is left', () => t.server.transactions.stats().total === 0, budget);
    tc.diagnostic(`transactions back to 0 ${Date.now() - lastHostileSent} ms after the last hostile message`);
  });

  it('still completes a normal call to the echo test, and memory has not run away', async (tc) => {
    await echoCall();
    (globalThis as { gc?: () => void }).gc?.();
    const rssAfter = process.memoryUsage().rss;
    const mb = (n: number) => `${(n / 1024 / 1024).toFixed(1)} MB`;
    tc.diagnostic(`rss before ${mb(rssBefore)}, after ${mb(rssAfter)}, growth ${mb(rssAfter - rssBefore)}`);
    assert.ok(rssAfter - rssBefore < 100 * 1024 * 1024, `rss grew by ${mb(rssAfter - rssBefore)}`);
    assert.ok(t.server.transactions.stats().total <= 4, 'only the call’s own transactions remain');
  });

  it('raised no uncaught exception or unhandled rejection', () => {
    assert.deepEqual(crashes, []);
  });
});

/** Per category: sent, answered by status, silent. */
function summarize(
  tc: TestContext,
  label: string,
  sent: readonly HostileMessage[],
  results: Map<string, Exchange>,
) {
  for (const c of CATEGORIES) {
    const ms = sent.filter((m) => m.category === c);
    const statuses = new Map<string, number>();
    for (const m of ms) {
      const x = results.get(m.id);
      const key = String(finalOf(x)?.status ?? (x?.closedByServer ? 'closed' : 'silent'));
      statuses.set(key, (statuses.get(key) ?? 0) + 1);
    }
    const parts = [...statuses].sort().map(([k, n]) => `${k}×${n}`);
    tc.diagnostic(`${label} ${c}: ${ms.length} sent → ${parts.join(', ')}`);
  }
}
