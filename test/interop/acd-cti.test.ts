/**
 * Agent desktops drive the ACD over CTI with real phones: agent 1002 logs in to queue
 * `sales` and goes ready from its desktop (a WebSocket client); a caller (sipp) reaching the
 * queue's DID is offered to 1002 — the desktop gets `callOffered` with the caller, the queue
 * and the associated data for a screen pop — and 1002's sipp phone rings and answers. A
 * supervisor watching the queue gets its statistics; the agent logs out from its desktop.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { TestCtiClient } from '../../src/cti/testing.js';
import type { CtiEvent } from '../../src/cti/index.js';
import { cdrWhere, dialling, registerPhone } from './harness/calls.js';
import { freePort } from './harness/ports.js';
import { startTestServer, type TestServer } from './harness/server.js';
import { runSipp } from './harness/sipp.js';
import { ask, connectCti, ctiSection } from './harness/cti.js';

const TOKENS = { agent: 'interop-token-acd-agent-1002', lead: 'interop-token-acd-lead-1003' };
const DID = '96120';
const IVR_DID = '96121';

/** Sets a variable, then hands the caller to the queue with a priority and data of its own. */
const FLOW = {
  id: 'intake',
  lang: 'en',
  start: 'tag',
  variables: { CUSTOMER_TIER: '' },
  nodes: {
    tag: { type: 'set', assign: { CUSTOMER_TIER: 'gold' }, next: 'toSales' },
    toSales: {
      type: 'transfer',
      to: { type: 'queue', queue: 'sales', priority: 30 },
      data: { caseType: 'complaint' },
      failed: 'bye',
    },
    bye: { type: 'hangup' },
  },
};

describe('the ACD driven over CTI', () => {
  let t: TestServer;
  let ctiPort: number;
  const clients: TestCtiClient[] = [];
  before(async () => {
    ctiPort = await freePort();
    t = await startTestServer({
      config: {
        tts: { language: 'en', rate: 1.5 },
        cti: ctiSection(ctiPort, [
          { token: TOKENS.agent, role: 'agent', agent: '1002', name: 'desk-1002' },
          { token: TOKENS.lead, role: 'supervisor', agent: '1003', name: 'lead' },
        ]),
        inbound: {
          numbers: [
            { number: DID, destination: { type: 'queue', queue: 'sales' } },
            { number: IVR_DID, destination: { type: 'ivr', flow: 'intake' } },
          ],
        },
        ivr: { flows: { intake: FLOW } },
        acd: {
          queues: [{ name: 'sales', ringTimeoutSeconds: 8, wrapUpSeconds: 1 }],
          agents: [{ agent: '1002', queues: [{ queue: 'sales' }] }],
        },
      },
    });
  });
  after(async () => {
    for (const c of clients) await c.close();
    await t.stop();
  });
  /** The result of a request that must succeed. */
  const connect = (token: string) => connectCti(ctiPort, token, clients);

  it('offers a queued call to the agent who logged in and went ready, with what a screen pop needs', async (ctx) => {
    const since = Date.now();
    const desk = await connect(TOKENS.agent);
    const login = await ask(desk, { type: 'login', queues: ['sales'] });
    ctx.diagnostic(`login: ${JSON.stringify(login)}`);
    const ready = await ask(desk, { type: 'ready' });
    assert.equal(ready['presence'], 'ready');
    const port = await freePort();
    await registerPhone(t, '1002', port);
    const agentPhone = runSipp({
      scenario: 'answer.xml',
      server: t.sipPort,
      localPort: port,
      timeoutSeconds: 40,
    });
    const caller = await runSipp({
      scenario: 'call-pause-bye.xml',
      server: t.sipPort,
      localPort: await freePort(),
      fields: [`${dialling('1001', DID)};3000`],
      timeoutSeconds: 40,
    }).done;
    assert.equal(caller.code, 0, caller.errors || caller.stdout);
    const answered = await agentPhone.done;
    assert.equal(
      answered.code,
      0,
      `1002's phone rang, answered and was released: ${answered.errors || answered.stdout}`,
    );
    const offered = desk.events.find(
      (e): e is Extract<CtiEvent, { event: 'callOffered' }> => e.event === 'callOffered',
    );
    ctx.diagnostic(`callOffered: ${JSON.stringify(offered)}`);
    assert.ok(
      offered,
      `the desktop was told of the offer; got ${desk.events.map((e) => e.event).join(', ')}`,
    );
    assert.equal(offered.agent, '1002');
    assert.equal(offered.queue, 'sales');
    assert.equal(offered.caller.number, '1001');
    const cdr = await cdrWhere(t, since, (c) => c.caller === '1001');
    assert.equal(cdr.callee, '1002');
    assert.equal(cdr.data?.['queue'], 'sales');
    const log = await t.server.store.queueLog.list({ queue: 'sales' });
    const events: string[] = log.map((r) => r.event);
    ctx.diagnostic(`queue_log: ${events.join(' ')}`);
    for (const e of ['ENTERQUEUE', 'CONNECT']) assert.ok(events.includes(e), `${e} in the queue log`);
  });

  it('hands the associated data set in the IVR to the agent in the offer (screen pop)', async (ctx) => {
    const desk = await connect(TOKENS.agent);
    // Still ready from the first call; its 1 s of wrap-up must pass before the next offer.
    const deadline = Date.now() + 5_000;
    while (t.server.acd.agentStatus(['1002'])[0]?.activity !== 'idle' && Date.now() < deadline)
      await new Promise((r) => setTimeout(r, 100));
    assert.equal(t.server.acd.agentStatus(['1002'])[0]?.presence, 'ready');
    const port = await freePort();
    await registerPhone(t, '1002', port);
    const agentPhone = runSipp({
      scenario: 'answer.xml',
      server: t.sipPort,
      localPort: port,
      timeoutSeconds: 40,
    });
    const caller = await runSipp({
      scenario: 'call-pause-bye.xml',
      server: t.sipPort,
      localPort: await freePort(),
      fields: [`${dialling('1001', IVR_DID)};3000`],
      timeoutSeconds: 40,
    }).done;
    assert.equal(caller.code, 0, caller.errors || caller.stdout);
    assert.equal((await agentPhone.done).code, 0, '1002 answered the call the IVR queued');
    const offered = desk.events.find(
      (e): e is Extract<CtiEvent, { event: 'callOffered' }> =>
        e.event === 'callOffered' && e.called === IVR_DID,
    );
    ctx.diagnostic(`callOffered: ${JSON.stringify(offered)}`);
    assert.ok(offered, `offered; got ${desk.events.map((e) => e.event).join(', ')}`);
    assert.equal(offered.data['CUSTOMER_TIER'], 'gold', 'a variable the flow set');
    assert.equal(offered.data['caseType'], 'complaint', 'the transfer node’s own data');
    assert.equal(offered.data['DNIS'], IVR_DID);
  });

  it('shows a watching supervisor the queue statistics, also as JSON, and logs the agent out from its desktop', async (ctx) => {
    const lead = await connect(TOKENS.lead);
    await ask(lead, { type: 'watch', queues: ['sales'] });
    const isSales = (e: CtiEvent): e is Extract<CtiEvent, { event: 'queueStats' }> =>
      e.event === 'queueStats' && e.queue === 'sales';
    await lead.until(() => lead.events.some(isSales), 5_000);
    const stats = lead.events.find(isSales)!;
    assert.ok(stats.offered >= 1 && stats.answered >= 1, `queue statistics: ${JSON.stringify(stats)}`);
    assert.equal(stats.agentsLoggedIn, 1);
    assert.ok(stats.asaMs !== null && stats.asaMs >= 0, `an average speed of answer: ${stats.asaMs}`);
    // The same figures as JSON over HTTP on the CTI port, for wallboards.
    const res = await fetch(`http://127.0.0.1:${ctiPort}/acd/stats?queues=sales&agents=1002`, {
      headers: { authorization: `Bearer ${TOKENS.lead}` },
    });
    assert.equal(res.status, 200);
    const json = (await res.json()) as {
      queues: Array<{ queue: string; answered: number }>;
      agents: Array<{
        agent: string;
        answered: number;
        talkMs: number;
        timeInStateMs: Record<string, number>;
      }>;
    };
    ctx.diagnostic(`GET /acd/stats: ${JSON.stringify(json)}`);
    assert.equal(json.queues[0]?.queue, 'sales');
    assert.equal(json.queues[0]?.answered, stats.answered);
    assert.equal(json.agents[0]?.agent, '1002');
    assert.equal(json.agents[0]?.answered, stats.answered, 'every answered call was 1002’s');
    assert.ok((json.agents[0]?.talkMs ?? 0) >= 2000, 'talked about 3 s on the first call');
    assert.ok((json.agents[0]?.timeInStateMs['ready/talking'] ?? 0) >= 2000);
    const forbidden = await fetch(`http://127.0.0.1:${ctiPort}/acd/stats`, {
      headers: { authorization: `Bearer ${TOKENS.agent}` },
    });
    assert.equal(forbidden.status, 403, 'an agent token may not read everyone’s figures');
    await forbidden.body?.cancel();
    const desk = await connect(TOKENS.agent);
    const out = await ask(desk, { type: 'logout' });
    assert.equal(out['presence'], 'loggedOut');
    const status = await t.server.acd.agentStatus(['1002']);
    assert.equal(status[0]?.presence, 'loggedOut');
  });
});
