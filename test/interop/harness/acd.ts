/**
 * Helpers for the ACD interop tests: 1001 (sipp) calls a queue's DID, agents' sipp phones
 * answer (or just ring), and the queue log rows of each call are read back from the store.
 */
import assert from 'node:assert/strict';
import type { QueueLogEventName, StoredQueueLogEntry } from '../../../src/report/queue-log.js';
import { dialling, mediaPort, registerPhone, type ExtensionNumber } from './calls.js';
import { freePort } from './ports.js';
import type { TestServer } from './server.js';
import { runSipp, type SippRun } from './sipp.js';

export const pause = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/** Polls `check` every 50 ms until it holds; fails naming `what` after `timeoutMs`. */
export async function until(check: () => boolean, what: string, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await pause(50);
  }
}

/** 1001 calls `number` and hangs up `holdMs` after the answer (a queue answers at once). */
export async function callFrom1001(t: TestServer, number: string, holdMs: number): Promise<SippRun> {
  return runSipp({
    scenario: 'call-pause-bye.xml',
    server: t.sipPort,
    localPort: await freePort(),
    fields: [`${dialling('1001', number)};${holdMs}`],
    timeoutSeconds: 30,
  }).done;
}

/**
 * Registers `number` and runs a sipp phone on it for `calls` calls: answer.xml answers
 * (echoing RTP) and takes the BYE, answer-hangup.xml answers and hangs up after 2 s,
 * ring.xml rings until cancelled, busy.xml answers 486. Resolves once the phone
 * is up (not a bare promise, which `await` would flatten); `done` ends after the last call.
 */
export async function agentPhone(
  t: TestServer,
  number: ExtensionNumber,
  scenario: 'answer.xml' | 'answer-hangup.xml' | 'ring.xml' | 'busy.xml',
  calls = 1,
): Promise<{ readonly done: Promise<SippRun> }> {
  const port = await freePort();
  await registerPhone(t, number, port);
  const { done } = runSipp({
    scenario,
    server: t.sipPort,
    localPort: port,
    mediaPort: await mediaPort(),
    extra: scenario === 'answer.xml' ? ['-rtp_echo'] : [],
    calls,
    timeoutSeconds: 30,
  });
  await pause(300); // sipp is listening before a call can ring it
  return { done };
}

/**
 * A carrier (sipp on an IP-authenticated trunk from 127.0.0.2, which the test server's
 * configuration must allow) delivers a call from `caller` to `did`; the run ends when
 * Hotline hangs up.
 */
export async function carrierCall(t: TestServer, caller: string, did: string): Promise<SippRun> {
  return runSipp({
    scenario: 'carrier-call-until-bye.xml',
    server: t.sipPort,
    localAddress: '127.0.0.2',
    localPort: await freePort(),
    mediaPort: await mediaPort(),
    fields: [`${caller};${did}`],
    timeoutSeconds: 60,
  }).done;
}

/** Asserts a sipp run ended well, showing its errors when not. */
export function ran(run: SippRun, what: string): void {
  assert.equal(run.code, 0, `${what}: ${run.errors || run.stdout}`);
}

async function rowsWhere(
  t: TestServer,
  match: (r: StoredQueueLogEntry) => boolean,
): Promise<StoredQueueLogEntry[]> {
  return (await t.server.store.queueLog.list({ limit: 10_000 })).filter(match);
}

/** The id of the call that entered `queue` at or after `since` (ms), waiting for its row. */
export async function callEntering(t: TestServer, queue: string, since: number): Promise<string> {
  const deadline = Date.now() + 5000;
  for (;;) {
    const rows = await rowsWhere(t, (r) => r.event === 'ENTERQUEUE' && r.queue === queue && r.time >= since);
    if (rows[0] !== undefined) return rows[0].callId;
    if (Date.now() > deadline) throw new Error(`no call entered ${queue} since ${since}`);
    await pause(100);
  }
}

/** The queue log rows of a call, waiting until `last` is among them. */
export async function queueLogOf(
  t: TestServer,
  callId: string,
  last: QueueLogEventName,
): Promise<StoredQueueLogEntry[]> {
  const deadline = Date.now() + 5000;
  let rows: StoredQueueLogEntry[] = [];
  while (Date.now() < deadline) {
    rows = await rowsWhere(t, (r) => r.callId === callId);
    if (rows.some((r) => r.event === last)) return rows;
    await pause(100);
  }
  throw new Error(`no ${last} for ${callId}: ${JSON.stringify(rows)}`);
}

/** `EVENT:agent` for each row, the shape assertions compare. */
export const events = (rows: readonly StoredQueueLogEntry[]) => rows.map((r) => `${r.event}:${r.agent}`);

/** The row of `event` among a call's rows (the test fails when there is none). */
export function rowOf(rows: readonly StoredQueueLogEntry[], event: QueueLogEventName): StoredQueueLogEntry {
  const row = rows.find((r) => r.event === event);
  assert.ok(row, `no ${event} among ${events(rows).join(' ')}`);
  return row;
}

/**
 * 1001 calls `did` (routed to `queue`) and talks `holdMs`; resolves with the call's queue
 * log rows once it completed.
 */
export async function queueCall(
  t: TestServer,
  did: string,
  queue: string,
  holdMs = 1000,
): Promise<StoredQueueLogEntry[]> {
  const since = Date.now();
  ran(await callFrom1001(t, did, holdMs), `1001 calling ${did}`);
  return queueLogOf(t, await callEntering(t, queue, since), 'COMPLETECALLER');
}

/** Waits until every agent is idle again (the last call's hangup has been processed). */
export async function untilIdle(t: TestServer, agents: readonly string[]): Promise<void> {
  await until(
    () => t.server.acd.agentStatus(agents).every((s) => s.activity === 'idle'),
    `${agents.join(', ')} idle`,
  );
}

/**
 * The agent who took a call, asserting its rows are exactly ENTERQUEUE, CONNECT and
 * COMPLETECALLER: no other agent was offered it first (no RINGNOANSWER).
 */
export function takenBy(rows: readonly StoredQueueLogEntry[]): string {
  const agent = rows.find((r) => r.event === 'CONNECT')?.agent ?? 'nobody';
  assert.deepEqual(events(rows), ['ENTERQUEUE:NONE', `CONNECT:${agent}`, `COMPLETECALLER:${agent}`]);
  return agent;
}
