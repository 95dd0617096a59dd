/**
 * An agent holding its queue call, with real phones: the agent's state follows the hold, so
 * a desktop (CTI) and the queue's figures show the agent `held` while the caller waits on
 * music, and `onCall` again after the retrieve. Agent 1002 (a sipp phone, its desktop a CTI
 * client) takes a call from 1001 (sipp) through queue `help`; the hold comes once from the
 * desktop (CTI `hold` / `retrieve`) and once from the phone itself (re-INVITE a=sendonly,
 * then a=sendrecv).
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { AgentStatus, CtiEvent } from '../../src/cti/index.js';
import { TestCtiClient } from '../../src/cti/testing.js';
import { agentPhone, callFrom1001, events, pause, queueLogOf, ran } from './harness/acd.js';
import { mediaPort, registerPhone } from './harness/calls.js';
import { freePort } from './harness/ports.js';
import { startTestServer, type TestServer } from './harness/server.js';
import { runSipp } from './harness/sipp.js';
import { ctiSection } from './harness/cti.js';

const DID = '96150';
const TOKEN = 'interop-token-hold-1002';

type AgentStateChanged = Extract<CtiEvent, { event: 'agentStateChanged' }>;

describe("the agent's hold in the ACD", () => {
  let t: TestServer;
  let desk: TestCtiClient;
  before(async () => {
    const ctiPort = await freePort();
    t = await startTestServer({
      config: {
        tts: { language: 'en', rate: 1.5 },
        registrar: { qualifyInterval: 0 }, // sipp phones take no OPTIONS
        cti: ctiSection(ctiPort, [{ token: TOKEN, role: 'agent', agent: '1002', name: 'desk-1002' }]),
        inbound: { numbers: [{ number: DID, destination: { type: 'queue', queue: 'help' } }] },
        acd: {
          queues: [{ name: 'help', wrapUpSeconds: 0, ringTimeoutSeconds: 15 }],
          agents: [{ agent: '1002', queues: [{ queue: 'help' }] }],
        },
      },
    });
    desk = await TestCtiClient.connect(ctiPort, TOKEN);
    for (const type of ['login', 'ready']) {
      const resp = await desk.request({ type });
      assert.ok(resp.ok, JSON.stringify(resp));
    }
  });
  after(async () => {
    await desk.close();
    await t.stop();
  });

  /** The statuses the desktop was sent since `from` (an index into its events). */
  const statuses = (from = 0): AgentStatus[] =>
    desk.events
      .slice(from)
      .filter((e): e is AgentStateChanged => e.event === 'agentStateChanged')
      .map((e) => e.status);
  const activities = (from: number) =>
    statuses(from)
      .map((s) => s.activity)
      .join(' ');

  it('shows the agent held while its desktop holds the queue call, and on the call again after retrieve', async (ctx) => {
    const from = desk.events.length;
    const agent = await agentPhone(t, '1002', 'answer.xml');
    const caller = callFrom1001(t, DID, 6000);
    await desk.until(() => statuses(from).some((s) => s.activity === 'onCall'), 8000);
    const callId = statuses(from).find((s) => s.activity === 'onCall')?.callId;
    assert.ok(callId, 'the status names the call');
    // onCall comes as the agent answers; the bridge follows a moment later, and only a
    // bridged call can be held (INVALID_STATE "not talking to anyone" until then).
    let held = await desk.request({ type: 'hold', callId });
    for (let i = 0; i < 20 && !held.ok; i++) {
      await pause(100);
      held = await desk.request({ type: 'hold', callId });
    }
    assert.ok(held.ok, JSON.stringify(held));
    await desk.until(() => statuses(from).at(-1)?.activity === 'held');
    assert.equal(statuses(from).at(-1)?.callId, callId);
    assert.equal(t.server.acd.agentStatus(['1002'])[0]?.activity, 'held');
    assert.equal(t.server.acd.queueStats(['help'])[0]?.agentsOnCall, 1, 'a held agent is still on a call');
    const back = await desk.request({ type: 'retrieve', callId });
    assert.ok(back.ok, JSON.stringify(back));
    await desk.until(() => statuses(from).at(-1)?.activity === 'onCall');
    ctx.diagnostic(`1002's activities: ${activities(from)}`);
    ran(await caller, 'the caller talked and hung up');
    ran(await agent.done, '1002 answered and took the BYE');
    const rows = await queueLogOf(t, callId, 'COMPLETECALLER');
    assert.deepEqual(events(rows), ['ENTERQUEUE:NONE', 'CONNECT:1002', 'COMPLETECALLER:1002']);
    await desk.until(() => statuses(from).at(-1)?.activity === 'idle');
  });

  it("follows the agent's phone holding the caller (re-INVITE a=sendonly) and taking it back", async (ctx) => {
    const from = desk.events.length;
    const port = await freePort();
    await registerPhone(t, '1002', port);
    // Holds 1.5 s after answering, resumes 2 s later, then waits for the caller's BYE.
    const phone = runSipp({
      scenario: 'answer-hold-resume.xml',
      server: t.sipPort,
      localPort: port,
      mediaPort: await mediaPort(),
      timeoutSeconds: 40,
    }).done;
    await pause(300);
    const caller = callFrom1001(t, DID, 7000);
    ran(await phone, "1002's phone held and resumed (Hotline answered a=recvonly), then took the BYE");
    ran(await caller, 'the caller talked and hung up');
    await desk.until(() => statuses(from).at(-1)?.activity === 'idle');
    ctx.diagnostic(`1002's activities: ${activities(from)}`);
    assert.match(activities(from), /^ringing onCall held onCall idle$/);
  });
});
