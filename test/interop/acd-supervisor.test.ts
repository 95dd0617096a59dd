/**
 * A supervisor's seat takes calls, with real phones: a caller (sipp, 1001) reaches queue
 * `sales`; the supervisor (a CTI connection bound to 1003, whose sipp phone answers) learns
 * of the waiting call from `callQueued` and picks it up (代接) while no agent is ready, or
 * intercepts (强接) the call agent 1002's sipp phone answered. Each phone sends its own tone;
 * what reaches each phone's media port afterwards shows who talks with whom, and the queue
 * log shows what the ACD made of it.
 */
import { after, before, describe, it, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import type { CtiEvent } from '../../src/cti/index.js';
import { TestCtiClient } from '../../src/cti/testing.js';
import { events, queueLogOf, ran, rowOf } from './harness/acd.js';
import { freePort } from './harness/ports.js';
import { startTestServer, type TestServer } from './harness/server.js';
import {
  answeringPhone,
  APART,
  bridged,
  HEARD,
  heardDuring,
  idle,
  pause,
  spanOf,
  stopAllListening,
  tonedCaller,
  toneLevels,
  type Span,
  type TonePhone,
} from './harness/tone-parties.js';
import { ask, connectCti, ctiSection } from './harness/cti.js';

const TOKENS = { agent: 'interop-token-seat-agent-1002', lead: 'interop-token-seat-lead-1003' };
const DID = '96150';
const HZ = { caller: 440, agent: 1000, supervisor: 1700 } as const;

type EventOf<K extends CtiEvent['event']> = Extract<CtiEvent, { event: K }>;

describe('a supervisor takes a queue call onto its own phone (pickup, intercept)', () => {
  let t: TestServer;
  let ctiPort: number;
  const clients: TestCtiClient[] = [];
  before(async () => {
    ctiPort = await freePort();
    t = await startTestServer({
      config: {
        cti: ctiSection(ctiPort, [
          { token: TOKENS.agent, role: 'agent', agent: '1002', name: 'desk-1002' },
          { token: TOKENS.lead, role: 'supervisor', agent: '1003', name: 'lead' },
        ]),
        inbound: { numbers: [{ number: DID, destination: { type: 'queue', queue: 'sales' } }] },
        acd: {
          queues: [{ name: 'sales', ringTimeoutSeconds: 10, wrapUpSeconds: 1 }],
          agents: [{ agent: '1002', queues: [{ queue: 'sales' }] }],
        },
      },
    });
  });
  after(async () => {
    await stopAllListening();
    for (const c of clients) await c.close();
    await t.stop();
  });

  const connect = (token: string) => connectCti(ctiPort, token, clients);
  const ok = ran;
  /** The first event of `kind` that matches, once the client has it. */
  async function eventOf<K extends CtiEvent['event']>(
    client: TestCtiClient,
    kind: K,
    match: (e: EventOf<K>) => boolean = () => true,
  ): Promise<EventOf<K>> {
    const find = () => client.events.find((e): e is EventOf<K> => e.event === kind && match(e as EventOf<K>));
    await client.until(() => find() !== undefined, 20_000);
    return find()!;
  }

  /** 1002's desk, logged in to `sales` (whatever the last test left) and ready or not. */
  async function desk1002(ready: boolean) {
    const desk = await connect(TOKENS.agent);
    const presence = t.server.acd.agentStatus(['1002'])[0]?.presence;
    if (presence === undefined || presence === 'loggedOut')
      await ask(desk, { type: 'login', queues: ['sales'] });
    if (ready) await ask(desk, { type: 'ready' });
    else await ask(desk, { type: 'notReady', reason: 'BREAK' });
    await idle(t, '1002');
    return desk;
  }

  /** Each phone's tone levels during `span`, printed for the record. */
  async function hearing(ctx: TestContext, phones: Record<string, TonePhone>, span: Span) {
    const all = Object.values(phones);
    const out: Record<string, Record<string, number>> = {};
    for (const [role, phone] of Object.entries(phones)) {
      const audio = heardDuring(await phone.stopListening(), span);
      out[role] = toneLevels(audio, all);
      ctx.diagnostic(
        `${role} ${phone.number} heard ${(audio.length / 8000).toFixed(1)} s: ` +
          all.map((p) => `${p.hz} Hz ${out[role]![p.number]!.toFixed(1)} dB`).join(', '),
      );
    }
    return out;
  }

  it('pickup: the supervisor answers a waiting call on its phone; CONNECT names the supervisor and the queue empties', async (ctx) => {
    await desk1002(false); // the caller waits
    const lead = await connect(TOKENS.lead);
    await ask(lead, { type: 'watch', queues: ['sales'] });
    const supervisor = await answeringPhone(t, '1003', HZ.supervisor);
    const caller = await tonedCaller(t, '1001', DID, HZ.caller);

    const queued = await eventOf(lead, 'callQueued', (e) => e.queue === 'sales');
    ctx.diagnostic(`callQueued: ${JSON.stringify(queued)}`);
    assert.equal(queued.caller.number, '1001');
    assert.equal(queued.position, 1);
    const { callId } = queued;
    await eventOf(lead, 'queueStats', (e) => e.queue === 'sales' && e.waiting === 1);

    const asked = Date.now();
    await ask(lead, { type: 'pickup', callId });
    const left = await eventOf(lead, 'callEnded', (e) => e.callId === callId);
    assert.deepEqual(
      [left.by, left.cause],
      ['system', 'pickedUp'],
      'the watchers see the call leave the queue',
    );
    const after = await eventOf(lead, 'queueStats', (e) => e.queue === 'sales' && e.at > asked);
    assert.equal(after.waiting, 0, 'the queue is empty again');
    await pause(500);
    const span = await spanOf(() => pause(4_000));

    await ask(lead, { type: 'forceRelease', callId });
    ok(await caller.done, 'the caller got a BYE');
    ok(await supervisor.done, "the supervisor's phone got a BYE");
    const heard = await hearing(ctx, { caller, supervisor }, span);
    assert.ok(heard['caller']!['1003']! > HEARD, 'the caller hears the supervisor');
    assert.ok(heard['supervisor']!['1001']! > HEARD, 'the supervisor hears the caller');
    assert.ok(
      heard['caller']!['1001']! < heard['caller']!['1003']! - APART,
      'the caller does not hear itself',
    );

    const rows = await queueLogOf(t, callId, 'CONNECT');
    ctx.diagnostic(`queue log: ${events(rows).join(' ')}`);
    assert.deepEqual(events(rows), ['ENTERQUEUE:NONE', 'CONNECT:1003']);
    assert.equal(rowOf(rows, 'CONNECT').data[2], '0', 'no phone rang before the pickup');
  });

  it("intercept: the agent's phone is released, the caller and the supervisor talk on", async (ctx) => {
    const desk = await desk1002(true);
    const phones = {
      agent: await answeringPhone(t, '1002', HZ.agent),
      supervisor: await answeringPhone(t, '1003', HZ.supervisor),
      caller: await tonedCaller(t, '1001', DID, HZ.caller),
    };
    const { callId } = await eventOf(desk, 'callAnswered', (e) => e.queue === 'sales');
    await bridged(t, callId, '1002');
    await pause(1_000); // a second of talk between caller and agent

    const lead = await connect(TOKENS.lead);
    await ask(lead, { type: 'intercept', callId });
    ok(await phones.agent.done, "the agent's phone got a BYE");
    const ended = await eventOf(desk, 'callEnded', (e) => e.callId === callId);
    ctx.diagnostic(
      `the desk's callEnded: ${JSON.stringify(desk.events.filter((e) => e.event === 'callEnded'))}`,
    );
    assert.equal(ended.agent, '1002');
    await pause(500);
    const span = await spanOf(() => pause(4_000));
    assert.equal(t.server.control.get(callId)?.ended, false, 'the call goes on without the agent');

    await ask(lead, { type: 'forceRelease', callId });
    ok(await phones.caller.done, 'the caller got a BYE');
    ok(await phones.supervisor.done, "the supervisor's phone got a BYE");
    const heard = await hearing(ctx, phones, span);
    assert.ok(heard['caller']!['1003']! > HEARD, 'the caller hears the supervisor');
    assert.ok(heard['supervisor']!['1001']! > HEARD, 'the supervisor hears the caller');
    assert.ok(
      heard['caller']!['1002']! < heard['caller']!['1003']! - APART,
      'the agent is no longer on the call',
    );

    const rows = await queueLogOf(t, callId, 'CONNECT');
    ctx.diagnostic(`queue log: ${events(rows).join(' ')}`);
    const [enter, connected, ...closing] = rows;
    assert.deepEqual([enter?.event, connected?.event, connected?.agent], ['ENTERQUEUE', 'CONNECT', '1002']);
    assert.deepEqual(
      events(closing),
      ['TRANSFER:1002'],
      'the call went on (to the supervisor), it did not end',
    );
    assert.equal(closing[0]?.data[0], '1003', 'TRANSFER names the supervisor as where the call went');
  });
});
