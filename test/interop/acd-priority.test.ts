/**
 * Who is answered first, with real calls: a carrier (sipp on an IP-authenticated trunk from
 * 127.0.0.2) delivers callers from different numbers while agent 1002 is not ready; once it
 * goes ready, the VIP callers (on the configured VIP list: one dialling the queue's number,
 * one through an IVR transfer node) and a caller whose number gives priority 50 are answered
 * before ordinary callers who waited longer — checked in the CONNECT order of the queue log.
 * Last-agent routing (呼叫记忆): a caller who talked to 1003 calls again and gets 1003 though
 * 1002 is idle longer; when 1003 is on another call the caller waits `waitSeconds` for them
 * and is then answered by 1002.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { cdrWhere, dialling, mediaPort, registerPhone } from './harness/calls.js';
import { freePort } from './harness/ports.js';
import { startTestServer, type TestServer } from './harness/server.js';
import { runSipp, type SippRun } from './harness/sipp.js';
import type { AcdEvent } from '../../src/acd/runtime/index.js';
import type { StoredQueueLogEntry } from '../../src/report/queue-log.js';
import { carrierCall } from './harness/acd.js';

const LINE = '96130';
const LINE_PRIORITY = '96131';
const LINE_IVR = '96132';
const CARE = '96140';
const VIP = { direct: '13900009991', ivr: '13900009992' };
const PLAIN = ['13800000001', '13800000002'] as const;
const HIGH = '13800000050';
const RETURNING = '13700001234';
const CARE_WAIT_SECONDS = 3;

/** Hands every caller straight to the queue (the VIP status comes from the list, not the flow). */
const FLOW = {
  id: 'front-desk',
  lang: 'en',
  start: 'toLine',
  nodes: {
    toLine: { type: 'transfer', to: { type: 'queue', queue: 'line' }, failed: 'bye' },
    bye: { type: 'hangup' },
  },
};

/**
 * Registers `number` at a fresh port where sipp takes `calls` calls with `scenario`
 * (answer-hangup.xml hangs each up after 2 s); resolves once the phone is listening.
 */
async function agentPhone(
  t: TestServer,
  number: '1002' | '1003',
  scenario: string,
  calls = 1,
): Promise<{ done: Promise<SippRun> }> {
  const port = await freePort();
  await registerPhone(t, number, port);
  const { done } = runSipp({
    scenario,
    server: t.sipPort,
    localPort: port,
    mediaPort: await mediaPort(),
    calls,
    extra: scenario === 'answer.xml' ? ['-rtp_echo'] : [],
    timeoutSeconds: 60,
  });
  await new Promise((r) => setTimeout(r, 300)); // sipp is up and listening
  return { done };
}

async function until(what: string, check: () => boolean, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting until ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** The queue log since `since`, once `count` CONNECT rows are in it. */
async function connects(t: TestServer, since: number, count: number): Promise<StoredQueueLogEntry[]> {
  let rows: StoredQueueLogEntry[] = [];
  const deadline = Date.now() + 5000;
  while (Date.now() < deadline) {
    rows = await t.server.store.queueLog.list({ from: since, limit: 10_000 });
    if (rows.filter((r) => r.event === 'CONNECT').length >= count) return rows;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`fewer than ${count} CONNECT rows: ${JSON.stringify(rows)}`);
}

/** CONNECT rows as `caller:agent`, the caller taken from the call's ENTERQUEUE row. */
function connectOrder(rows: readonly StoredQueueLogEntry[]): string[] {
  const callerOf = new Map(rows.filter((r) => r.event === 'ENTERQUEUE').map((r) => [r.callId, r.data[1]]));
  return rows.filter((r) => r.event === 'CONNECT').map((r) => `${callerOf.get(r.callId)}:${r.agent}`);
}

describe('ACD priority, VIP and last-agent routing with real calls', () => {
  let t: TestServer;
  const events: AcdEvent[] = [];
  const status = (agent: string) => t.server.acd.agentStatus([agent])[0];
  before(async () => {
    t = await startTestServer({
      config: {
        tts: { language: 'en', rate: 1.5 },
        trunks: [{ name: 'carrier', host: '127.0.0.2', allow: ['127.0.0.2'], options: { interval: 0 } }],
        lists: { vip: [{ number: VIP.direct }, { number: VIP.ivr }] },
        inbound: {
          numbers: [
            { number: LINE, destination: { type: 'queue', queue: 'line' } },
            { number: LINE_PRIORITY, destination: { type: 'queue', queue: 'line', priority: 50 } },
            { number: LINE_IVR, destination: { type: 'ivr', flow: 'front-desk' } },
            { number: CARE, destination: { type: 'queue', queue: 'care' } },
          ],
        },
        ivr: { flows: { 'front-desk': FLOW } },
        acd: {
          queues: [
            { name: 'line', strategy: 'longestIdle', wrapUpSeconds: 0, vipPriority: 90 },
            {
              name: 'care',
              strategy: 'longestIdle',
              wrapUpSeconds: 0,
              lastAgent: { hours: 1, waitSeconds: CARE_WAIT_SECONDS },
            },
          ],
          agents: [
            { agent: '1002', queues: [{ queue: 'line' }, { queue: 'care' }] },
            { agent: '1003', queues: [{ queue: 'care' }] },
          ],
        },
      },
    });
    t.server.acd.subscribe((e) => events.push(e));
  });
  after(async () => t.stop());

  it('answers VIP callers (direct and through the IVR) and a priority caller before earlier ordinary callers', async (ctx) => {
    t.server.acd.login('1002'); // not ready: the callers wait
    const since = Date.now();
    const agent = await agentPhone(t, '1002', 'answer-hangup.xml', 5);
    const arrivals: [string, string][] = [
      [PLAIN[0], LINE],
      [PLAIN[1], LINE],
      [HIGH, LINE_PRIORITY],
      [VIP.direct, LINE],
      [VIP.ivr, LINE_IVR],
    ];
    const callers: Promise<SippRun>[] = [];
    for (const [i, [caller, did]] of arrivals.entries()) {
      callers.push(carrierCall(t, caller, did));
      await until(`${i + 1} callers wait`, () => t.server.acd.queueStats(['line'])[0]?.waiting === i + 1);
    }
    t.server.acd.ready('1002');
    const answered = await agent.done;
    assert.equal(answered.code, 0, `1002 answered five calls: ${answered.errors || answered.stdout}`);
    for (const run of await Promise.all(callers)) assert.equal(run.code, 0, run.errors || run.stdout);
    const order = connectOrder(await connects(t, since, 5));
    ctx.diagnostic(`CONNECT order: ${order.join(' ')}`);
    assert.deepEqual(order, [
      `${VIP.direct}:1002`,
      `${VIP.ivr}:1002`,
      `${HIGH}:1002`,
      `${PLAIN[0]}:1002`,
      `${PLAIN[1]}:1002`,
    ]);
    const pops = events.flatMap((e) => (e.event === 'callOffered' ? [e] : []));
    for (const caller of [VIP.direct, VIP.ivr]) {
      const pop = pops.find((e) => e.caller.number === caller);
      assert.equal(pop?.data['vip'], true, `the screen pop of ${caller} shows the VIP`);
    }
    assert.equal(pops.find((e) => e.caller.number === PLAIN[0])?.data['vip'], undefined);
    const cdr = await cdrWhere(t, since, (c) => c.caller === VIP.ivr && c.data?.['queue'] === 'line');
    assert.equal(cdr.data?.['vip'], true, 'the CDR keeps the VIP mark');
    t.server.acd.notReady('1002', 'BREAK');
  });

  it('offers a returning caller to the agent who talked to them, though another agent is idle longer', async (ctx) => {
    t.server.acd.login('1003', undefined, { ready: true });
    const since = Date.now();
    const first = await agentPhone(t, '1003', 'answer-hangup.xml');
    const call1 = carrierCall(t, RETURNING, CARE);
    await until('1003 talks to the caller', () => status('1003')?.activity === 'onCall');
    t.server.acd.ready('1002'); // idle from now on: longer than 1003 will be
    assert.equal((await call1).code, 0);
    assert.equal((await first.done).code, 0);
    await until('1003 is idle again', () => status('1003')?.activity === 'idle');
    assert.ok(status('1002')!.since < status('1003')!.since, '1002 is the longest idle agent');
    const again = await agentPhone(t, '1003', 'answer-hangup.xml');
    const call2 = await carrierCall(t, RETURNING, CARE);
    assert.equal(call2.code, 0, call2.errors || call2.stdout);
    const run = await again.done;
    assert.equal(run.code, 0, `1003 took the returning caller: ${run.errors || run.stdout}`);
    const rows = await connects(t, since, 2);
    const order = connectOrder(rows);
    ctx.diagnostic(`CONNECT order: ${order.join(' ')}`);
    assert.deepEqual(order, [`${RETURNING}:1003`, `${RETURNING}:1003`]);
    assert.deepEqual(
      rows.filter((r) => r.event === 'RINGNOANSWER'),
      [],
      'offered to 1003 first, not to 1002 and then 1003',
    );
  });

  it('holds a returning caller for their busy agent for waitSeconds, then gives them to another', async (ctx) => {
    t.server.acd.notReady('1002', 'BREAK');
    const since = Date.now();
    // 1001 (an extension) takes 1003 for eight seconds.
    const busy = await agentPhone(t, '1003', 'answer.xml');
    const holder = runSipp({
      scenario: 'call-pause-bye.xml',
      server: t.sipPort,
      localPort: await freePort(),
      fields: [`${dialling('1001', CARE)};8000`],
      timeoutSeconds: 30,
    }).done;
    await until('1003 is on the call from 1001', () => status('1003')?.activity === 'onCall');
    const other = await agentPhone(t, '1002', 'answer-hangup.xml');
    t.server.acd.ready('1002');
    const call = await carrierCall(t, RETURNING, CARE);
    assert.equal(call.code, 0, call.errors || call.stdout);
    const run = await other.done;
    assert.equal(run.code, 0, `1002 took the caller after the wait: ${run.errors || run.stdout}`);
    assert.equal((await holder).code, 0);
    assert.equal((await busy.done).code, 0);
    const rows = await connects(t, since, 2);
    const order = connectOrder(rows);
    ctx.diagnostic(`CONNECT order: ${order.join(' ')}`);
    assert.deepEqual(order, ['1001:1003', `${RETURNING}:1002`]);
    const held = rows.filter((r) => r.event === 'CONNECT')[1]!;
    assert.ok(Number(held.data[0]) >= CARE_WAIT_SECONDS, `waited for 1003 first (${held.data[0]} s on hold)`);
  });
});
