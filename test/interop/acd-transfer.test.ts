/**
 * An agent hands a queue call on from its desktop, with real phones: a caller (sipp, 1001)
 * reaches queue `sales` and agent 1002's sipp phone answers; 1002's CTI connection consults
 * 1003 while the caller is held and then completes the transfer or makes a conference, or
 * transfers blind to 1003, or into queue `support` where 1003 is an agent. Each phone sends
 * its own tone, so what reaches each phone shows who talks with whom; the queue log gets a
 * TRANSFER row and 1002 goes to wrap-up.
 */
import { after, before, describe, it, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import type { CtiEvent } from '../../src/cti/index.js';
import { TestCtiClient } from '../../src/cti/testing.js';
import type { StoredQueueLogEntry } from '../../src/report/queue-log.js';
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
  tonedCaller,
  toneLevels,
  type Span,
  type TonePhone,
} from './harness/tone-parties.js';
import { ask, connectCti, ctiSection } from './harness/cti.js';
import { ran } from './harness/acd.js';

const TOKENS = { agent: 'interop-token-xfer-agent-1002', third: 'interop-token-xfer-agent-1003' };
const DID = '96140';
const HZ = { caller: 440, agent: 1000, third: 1700 } as const;

type Role = 'caller' | 'agent' | 'third';
type Phones = Record<Role, TonePhone>;

describe('an agent transfers a queue call over CTI', () => {
  let t: TestServer;
  let ctiPort: number;
  const clients: TestCtiClient[] = [];
  before(async () => {
    ctiPort = await freePort();
    t = await startTestServer({
      config: {
        cti: ctiSection(ctiPort, [
          { token: TOKENS.agent, role: 'agent', agent: '1002', name: 'desk-1002' },
          { token: TOKENS.third, role: 'agent', agent: '1003', name: 'desk-1003' },
        ]),
        inbound: { numbers: [{ number: DID, destination: { type: 'queue', queue: 'sales' } }] },
        acd: {
          queues: [
            { name: 'sales', ringTimeoutSeconds: 10, wrapUpSeconds: 2 },
            { name: 'support', ringTimeoutSeconds: 10, wrapUpSeconds: 1 },
          ],
          agents: [
            { agent: '1002', queues: [{ queue: 'sales' }] },
            { agent: '1003', queues: [{ queue: 'support' }] },
          ],
        },
      },
    });
  });
  after(async () => {
    for (const c of clients) await c.close();
    await t.stop();
  });

  const connect = (token: string) => connectCti(ctiPort, token, clients);
  const ok = ran;
  const answeredOn = (client: TestCtiClient, match: (e: CtiEvent & { event: 'callAnswered' }) => boolean) =>
    client.until(() => client.events.some((e) => e.event === 'callAnswered' && match(e)), 20_000);

  /** 1002 ready in `sales`; the three phones up; the queue call answered by 1002. */
  async function queueCall() {
    const desk = await connect(TOKENS.agent);
    const third = await connect(TOKENS.third);
    if (t.server.acd.agentStatus(['1002'])[0]?.presence !== 'ready') {
      await ask(desk, { type: 'login', queues: ['sales'] });
      await ask(desk, { type: 'ready' });
    }
    await idle(t, '1002');
    const phones: Phones = {
      agent: await answeringPhone(t, '1002', HZ.agent),
      third: await answeringPhone(t, '1003', HZ.third),
      caller: await tonedCaller(t, '1001', DID, HZ.caller),
    };
    await answeredOn(desk, (e) => e.queue === 'sales');
    const answered = desk.events.find((e) => e.event === 'callAnswered' && e.queue === 'sales');
    const callId = (answered as { callId: string }).callId;
    await bridged(t, callId, '1002');
    return { desk, third, phones, callId };
  }

  /** 1002 consults 1003 (the caller held); resolves once 1003 answered. */
  async function consultThird(desk: TestCtiClient, callId: string) {
    const { consultCallId } = (await ask(desk, {
      type: 'consult',
      callId,
      target: { type: 'agent', agent: '1003' },
    })) as { consultCallId: string };
    await answeredOn(desk, (e) => e.callId === consultCallId);
    return consultCallId;
  }

  /** What each phone heard of each tone in each span, printed for the record. */
  async function hearing(ctx: TestContext, phones: Phones, spans: Record<string, Span>) {
    const all = Object.values(phones);
    const out: Record<string, Record<Role, Record<string, number>>> = {};
    for (const name of Object.keys(spans)) out[name] = {} as Record<Role, Record<string, number>>;
    for (const [role, phone] of Object.entries(phones) as [Role, TonePhone][]) {
      const packets = await phone.stopListening();
      for (const [name, span] of Object.entries(spans)) {
        const audio = heardDuring(packets, span);
        out[name]![role] = toneLevels(audio, all);
        ctx.diagnostic(
          `${name}: ${role} ${phone.number} heard ${(audio.length / 8000).toFixed(1)} s: ` +
            all.map((p) => `${p.hz} Hz ${out[name]![role][p.number]!.toFixed(1)} dB`).join(', '),
        );
      }
    }
    return out;
  }

  async function queueLogOf(callId: string, agent: string): Promise<StoredQueueLogEntry[]> {
    const deadline = Date.now() + 5_000;
    let rows: StoredQueueLogEntry[] = [];
    while (Date.now() < deadline) {
      rows = (await t.server.store.queueLog.list({ agent })).filter((r) => r.callId === callId);
      if (rows.some((r) => r.event === 'TRANSFER')) return rows;
      await pause(100);
    }
    return rows;
  }

  /** The TRANSFER row of 1002 for the call, no COMPLETE* row, and 1002 in wrap-up after it. */
  async function handedOn(desk: TestCtiClient, callId: string, to: string) {
    const rows = await queueLogOf(callId, '1002');
    const events = rows.map((r) => r.event);
    assert.ok(events.includes('TRANSFER'), `a TRANSFER row; got ${events.join(' ')}`);
    assert.ok(!events.some((e) => e.startsWith('COMPLETE')), `no COMPLETE row; got ${events.join(' ')}`);
    const row = rows.find((r) => r.event === 'TRANSFER')!;
    assert.equal(row.queue, 'sales');
    assert.deepEqual([row.data[0], row.data[1]], [to, 'hotline']);
    const wrapUp = (e: CtiEvent) =>
      e.event === 'agentStateChanged' && e.status.agent === '1002' && e.status.activity === 'wrapUp';
    await desk.until(() => desk.events.some(wrapUp), 5_000);
  }

  const talking = (heard: Record<Role, Record<string, number>>, a: Role, b: Role, phones: Phones) => {
    assert.ok(heard[a][phones[b].number]! > HEARD, `${a} hears ${b}`);
    assert.ok(heard[b][phones[a].number]! > HEARD, `${b} hears ${a}`);
  };
  const deaf = (
    heard: Record<Role, Record<string, number>>,
    who: Role,
    to: Role,
    than: Role,
    phones: Phones,
  ) =>
    assert.ok(
      heard[who][phones[to].number]! < heard[who][phones[than].number]! - APART,
      `${who} does not hear ${to}`,
    );

  it('consults 1003 while the caller is held, then completes the transfer: caller and 1003 talk', async (ctx) => {
    const { desk, third, phones, callId } = await queueCall();
    const consultCallId = await consultThird(desk, callId);
    const consulting = await spanOf(() => pause(3_000));
    await ask(desk, { type: 'transfer', callId, mode: 'complete', consultCallId });
    ok(await phones.agent.done, "the agent's phone was released");
    await pause(500);
    const transferred = await spanOf(() => pause(3_000));
    await ask(third, { type: 'hangup', callId });
    ok(await phones.caller.done, 'the caller got a BYE');
    ok(await phones.third.done, "1003's phone got a BYE");

    const heard = await hearing(ctx, phones, { consulting, transferred });
    talking(heard['consulting']!, 'agent', 'third', phones);
    for (const other of ['agent', 'third'] as const)
      assert.ok(
        heard['consulting']!.caller[phones[other].number]! < HEARD,
        `the held caller does not hear ${other}`,
      );
    talking(heard['transferred']!, 'caller', 'third', phones);
    await handedOn(desk, callId, '1003');
  });

  it('consults 1003, then makes a conference: all three hear each other', async (ctx) => {
    const { desk, third, phones, callId } = await queueCall();
    const consultCallId = await consultThird(desk, callId);
    await ask(desk, { type: 'conference', callId, consultCallId });
    await pause(500);
    const conference = await spanOf(() => pause(3_000));
    await ask(desk, { type: 'hangup', callId });
    ok(await phones.agent.done, "the agent's phone was released");
    await ask(third, { type: 'hangup', callId });
    ok(await phones.caller.done, 'the caller got a BYE');
    ok(await phones.third.done, "1003's phone got a BYE");

    const heard = (await hearing(ctx, phones, { conference }))['conference']!;
    talking(heard, 'caller', 'agent', phones);
    talking(heard, 'caller', 'third', phones);
    talking(heard, 'agent', 'third', phones);
  });

  it('transfers blind to 1003: the agent is released and the caller talks with 1003', async (ctx) => {
    const { desk, third, phones, callId } = await queueCall();
    await ask(desk, { type: 'transfer', callId, mode: 'blind', target: { type: 'agent', agent: '1003' } });
    ok(await phones.agent.done, "the agent's phone was released");
    await answeredOn(third, (e) => e.callId === callId);
    await pause(500);
    const transferred = await spanOf(() => pause(3_000));
    await ask(third, { type: 'hangup', callId });
    ok(await phones.caller.done, 'the caller got a BYE');
    ok(await phones.third.done, "1003's phone got a BYE");

    const heard = (await hearing(ctx, phones, { transferred }))['transferred']!;
    talking(heard, 'caller', 'third', phones);
    deaf(heard, 'caller', 'agent', 'third', phones);
    await handedOn(desk, callId, '1003');
  });

  it('transfers into queue support, where agent 1003 answers', async (ctx) => {
    const { desk, third, phones, callId } = await queueCall();
    await ask(third, { type: 'login', queues: ['support'] });
    await ask(third, { type: 'ready' });
    await ask(desk, { type: 'transferToQueue', callId, queue: 'support' });
    ok(await phones.agent.done, "the agent's phone was released");
    await answeredOn(third, (e) => e.callId === callId && e.queue === 'support');
    await pause(500);
    const transferred = await spanOf(() => pause(3_000));
    await ask(third, { type: 'hangup', callId });
    ok(await phones.caller.done, 'the caller got a BYE');
    ok(await phones.third.done, "1003's phone got a BYE");

    const heard = (await hearing(ctx, phones, { transferred }))['transferred']!;
    talking(heard, 'caller', 'third', phones);
    deaf(heard, 'caller', 'agent', 'third', phones);
    await handedOn(desk, callId, 'support');
    const support = (await t.server.store.queueLog.list({ queue: 'support' })).filter(
      (r) => r.callId === callId,
    );
    const events: string[] = support.map((r) => r.event);
    for (const e of ['ENTERQUEUE', 'CONNECT'])
      assert.ok(events.includes(e), `${e} in support; got ${events.join(' ')}`);
  });
});
