/**
 * Queues carrying real calls: 1001 (sipp) dials a DID routed to a queue; agents 1002 and
 * 1003 are sipp phones registered with Hotline and logged in through the ACD service. The
 * longest-idle agent is rung and bridged; an agent who lets it ring out goes not ready
 * (RONA) and the next one gets it; a call overflows after waiting; a caller who hangs up
 * while waiting is an ABANDON. Each outcome is checked in the CDR and the queue log (and the
 * RONA call's legs in the leg records).
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { cdrWhere, mediaPort, registerPhone } from './harness/calls.js';
import { freePort } from './harness/ports.js';
import { startTestServer, type TestServer } from './harness/server.js';
import { runSipp } from './harness/sipp.js';
import type { StoredCdrLeg } from '../../src/store/index.js';
import { callFrom1001, events, queueLogOf } from './harness/acd.js';

const SALES = '96120';
const OVERFLOW = '96121';
const EMPTY = '96122';

/** A phone for `number` running `scenario` (answer.xml or ring.xml). */
async function phone(t: TestServer, number: '1002' | '1003', scenario: string) {
  const port = await freePort();
  await registerPhone(t, number, port);
  return runSipp({
    scenario,
    server: t.sipPort,
    localPort: port,
    mediaPort: await mediaPort(),
    extra: scenario === 'answer.xml' ? ['-rtp_echo'] : [],
    timeoutSeconds: 30,
  }).done;
}

async function legsOf(t: TestServer, callId: string, n: number): Promise<StoredCdrLeg[]> {
  const deadline = Date.now() + 5000;
  let rows: StoredCdrLeg[] = [];
  while (Date.now() < deadline) {
    rows = await t.server.store.cdrLegs.list({ callId });
    if (rows.length >= n) return rows;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`${rows.length} leg rows for ${callId}, not ${n}: ${JSON.stringify(rows)}`);
}

describe('ACD queues with real calls', () => {
  let t: TestServer;
  before(async () => {
    t = await startTestServer({
      config: {
        tts: { language: 'en', rate: 1.5 },
        inbound: {
          numbers: [
            { number: SALES, destination: { type: 'queue', queue: 'sales' } },
            { number: OVERFLOW, destination: { type: 'queue', queue: 'busy' } },
            { number: EMPTY, destination: { type: 'queue', queue: 'empty' } },
          ],
        },
        acd: {
          queues: [
            { name: 'sales', strategy: 'longestIdle', ringTimeoutSeconds: 2, wrapUpSeconds: 1 },
            {
              name: 'busy',
              overflow: [{ when: { waitedSeconds: 1 }, to: { type: 'extension', number: '1003' } }],
            },
            { name: 'empty' },
          ],
          agents: [
            { agent: '1002', queues: [{ queue: 'sales' }] },
            { agent: '1003', queues: [{ queue: 'sales' }] },
          ],
        },
      },
    });
    t.server.acd.login('1002', undefined, { ready: true });
    await new Promise((r) => setTimeout(r, 50)); // 1002 is idle longer than 1003
    t.server.acd.login('1003', undefined, { ready: true });
  });
  after(async () => t.stop());

  it('rings the longest-idle agent, bridges the caller to them and logs ENTERQUEUE, CONNECT, COMPLETECALLER', async (ctx) => {
    const since = Date.now();
    const agent = phone(t, '1002', 'answer.xml');
    await new Promise((r) => setTimeout(r, 300));
    const caller = await callFrom1001(t, SALES, 2500);
    assert.equal(caller.code, 0, caller.errors || caller.stdout);
    const agentRun = await agent;
    assert.equal(
      agentRun.code,
      0,
      `1002 was rung, answered and released: ${agentRun.errors || agentRun.stdout}`,
    );
    const cdr = await cdrWhere(t, since, (c) => c.caller === '1001' && c.data?.['queue'] === 'sales');
    ctx.diagnostic(`CDR: ${JSON.stringify(cdr)}`);
    assert.equal(cdr.disposition, 'answered');
    assert.equal(cdr.callee, '1002');
    assert.equal(cdr.data?.['agent'], '1002');
    assert.equal(cdr.data?.['queueResult'], 'answered');
    const rows = await queueLogOf(t, cdr.callId, 'COMPLETECALLER');
    ctx.diagnostic(`queue log: ${events(rows).join(' ')}`);
    assert.deepEqual(events(rows), ['ENTERQUEUE:NONE', 'CONNECT:1002', 'COMPLETECALLER:1002']);
    assert.equal(rows[0]?.data[1], '1001', 'ENTERQUEUE carries the caller id');
    const status = t.server.acd.agentStatus(['1002'])[0];
    assert.ok(
      status?.activity === 'wrapUp' || status?.activity === 'idle',
      `after the call: ${JSON.stringify(status)}`,
    );
  });

  it('moves a call that rings out (RONA) to the next agent and makes the first one not ready', async (ctx) => {
    await new Promise((r) => setTimeout(r, 1500)); // 1002's wrap-up (1 s) is over
    assert.equal(t.server.acd.agentStatus(['1002'])[0]?.activity, 'idle');
    const since = Date.now();
    const ringer = phone(t, '1003', 'ring.xml'); // 1003 never took a call: longest idle
    const answerer = phone(t, '1002', 'answer.xml');
    await new Promise((r) => setTimeout(r, 300));
    const caller = await callFrom1001(t, SALES, 5000);
    assert.equal(caller.code, 0, caller.errors || caller.stdout);
    const [ring, answer] = await Promise.all([ringer, answerer]);
    assert.equal(ring.code, 0, `1003 rang and was cancelled: ${ring.errors || ring.stdout}`);
    assert.equal(answer.code, 0, `1002 answered: ${answer.errors || answer.stdout}`);
    const cdr = await cdrWhere(t, since, (c) => c.caller === '1001' && c.data?.['queue'] === 'sales');
    assert.equal(cdr.data?.['agent'], '1002');
    const rows = await queueLogOf(t, cdr.callId, 'COMPLETECALLER');
    ctx.diagnostic(`queue log: ${events(rows).join(' ')}`);
    assert.deepEqual(events(rows), [
      'ENTERQUEUE:NONE',
      'RINGNOANSWER:1003',
      'CONNECT:1002',
      'COMPLETECALLER:1002',
    ]);
    const ringMs = Number(rows[1]?.data[0]);
    assert.ok(ringMs >= 1900 && ringMs < 4000, `rang about the 2 s ring timeout (${ringMs} ms)`);
    const status = t.server.acd.agentStatus(['1003'])[0];
    assert.equal(status?.presence, 'notReady');
    assert.equal(status?.reason, 'RONA');
    t.server.acd.ready('1003');
    // One leg row each: the caller, the agent who rang out (RONA), the agent who answered.
    const legs = await legsOf(t, cdr.callId, 3);
    ctx.diagnostic(`legs: ${legs.map((l) => `${l.party}:${l.role}:${l.disposition}`).join(' ')}`);
    const leg = (party: string) =>
      legs.filter((l) => l.party === party).map((l) => [l.direction, l.role, l.disposition, l.hangupBy]);
    assert.deepEqual(leg('1001'), [['inbound', 'caller', 'answered', 'remote']]);
    assert.deepEqual(leg('1003'), [['outbound', 'agent', 'no-answer', 'local']]);
    assert.deepEqual(leg('1002'), [['outbound', 'agent', 'answered', 'local']]);
  });

  it('sends a call that waited too long to the overflow destination', async (ctx) => {
    const since = Date.now();
    const target = phone(t, '1003', 'answer.xml');
    await new Promise((r) => setTimeout(r, 300));
    const caller = await callFrom1001(t, OVERFLOW, 4000);
    assert.equal(caller.code, 0, caller.errors || caller.stdout);
    const run = await target;
    assert.equal(run.code, 0, `1003 took the overflow: ${run.errors || run.stdout}`);
    const cdr = await cdrWhere(t, since, (c) => c.caller === '1001' && c.callee === '1003');
    assert.equal(cdr.data?.['queueResult'], 'overflow');
    const rows = await queueLogOf(t, cdr.callId, 'EXITWITHTIMEOUT');
    ctx.diagnostic(`queue log: ${events(rows).join(' ')}`);
    assert.deepEqual(events(rows), ['ENTERQUEUE:NONE', 'EXITWITHTIMEOUT:NONE']);
    assert.equal(rows[1]?.queue, 'busy');
  });

  it('logs ABANDON when the caller hangs up while waiting', async (ctx) => {
    const since = Date.now();
    const caller = await callFrom1001(t, EMPTY, 1500);
    assert.equal(caller.code, 0, caller.errors || caller.stdout);
    const cdr = await cdrWhere(t, since, (c) => c.caller === '1001' && c.data?.['queue'] === 'empty');
    assert.equal(cdr.data?.['queueResult'], 'abandoned');
    assert.equal(cdr.hangupBy, 'caller');
    const rows = await queueLogOf(t, cdr.callId, 'ABANDON');
    ctx.diagnostic(`queue log: ${events(rows).join(' ')}`);
    assert.deepEqual(events(rows), ['ENTERQUEUE:NONE', 'ABANDON:NONE']);
    assert.ok(Number(rows[1]?.data[2]) >= 1, 'waited about 1.5 s');
    const stats = t.server.acd.queueStats(['empty'])[0];
    assert.equal(stats?.abandoned, 1);
  });
});
