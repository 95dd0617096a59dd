/**
 * A supervisor on a queue call, with real phones: a caller (sipp, 1001) reaches queue
 * `sales`, agent 1002's sipp phone answers, and the supervisor (token for 1003) whispers
 * or barges from a CTI connection, which rings 1003's sipp phone. Each phone sends its own
 * tone; what reaches each phone's media port while the supervisor is on the call shows who
 * hears whom. A force release ends the call for everyone.
 */
import { after, before, describe, it, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import type { CtiEvent } from '../../src/cti/index.js';
import { TestCtiClient } from '../../src/cti/testing.js';
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

const TOKENS = { agent: 'interop-token-sup-agent-1002', lead: 'interop-token-sup-lead-1003' };
const DID = '96130';
const HZ = { caller: 440, agent: 1000, supervisor: 1700 } as const;

describe('a supervisor on a queue call (whisper, barge, force release)', () => {
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
    for (const c of clients) await c.close();
    await t.stop();
  });

  const connect = (token: string) => connectCti(ctiPort, token, clients);
  const ok = ran;

  /** Agent 1002 ready in `sales`, the three phones up, and the queue call answered by 1002. */
  async function queueCall() {
    const desk = await connect(TOKENS.agent);
    if (t.server.acd.agentStatus(['1002'])[0]?.presence !== 'ready') {
      await ask(desk, { type: 'login', queues: ['sales'] });
      await ask(desk, { type: 'ready' });
    }
    // The previous call's wrap-up (1 s) must be over before the next offer.
    await idle(t, '1002');
    const agent = await answeringPhone(t, '1002', HZ.agent);
    const supervisor = await answeringPhone(t, '1003', HZ.supervisor);
    const caller = await tonedCaller(t, '1001', DID, HZ.caller);
    const answered = (e: CtiEvent) => e.event === 'callAnswered' && 'queue' in e && e.queue === 'sales';
    await desk.until(() => desk.events.some(answered), 20_000);
    const callId = (desk.events.find(answered) as { callId: string }).callId;
    await bridged(t, callId, '1002');
    return { desk, callId, phones: { caller, agent, supervisor } };
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
      assert.ok(audio.length >= 2 * 8000, `${role} received at least 2 s of audio in the span`);
    }
    return out;
  }

  it('whisper: the agent hears the supervisor and the caller does not; forceRelease ends the call', async (ctx) => {
    const { desk, callId, phones } = await queueCall();
    const lead = await connect(TOKENS.lead);
    await ask(lead, { type: 'whisper', callId });
    // Half a second for the mix to settle, then four seconds of whispering.
    await pause(500);
    const span = await spanOf(() => pause(4_000));

    await ask(lead, { type: 'forceRelease', callId });
    ok(await phones.caller.done, 'the caller got a BYE');
    ok(await phones.agent.done, "the agent's phone got a BYE");
    ok(await phones.supervisor.done, "the supervisor's phone got a BYE");
    const byLead = (e: CtiEvent): e is Extract<CtiEvent, { event: 'callEnded' }> =>
      e.event === 'callEnded' && e.callId === callId && e.by === 'supervisor';
    await desk.until(() => desk.events.some(byLead), 5_000);
    assert.equal(desk.events.find(byLead)?.cause, 'forceReleased');
    // The ACD closed the agent's part of the queue call.
    const rows = (await t.server.store.queueLog.list({ agent: '1002' })).filter((r) => r.callId === callId);
    const events = rows.map((r) => r.event);
    assert.ok(events.includes('CONNECT'), `CONNECT; got ${events.join(' ')}`);
    assert.ok(
      events.some((e) => e.startsWith('COMPLETE')),
      `a COMPLETE row; got ${events.join(' ')}`,
    );

    const { caller, agent, supervisor } = {
      caller: phones.caller.number,
      agent: phones.agent.number,
      supervisor: phones.supervisor.number,
    };
    const heard = await hearing(ctx, phones, span);
    assert.ok(heard['agent']![supervisor]! > HEARD, 'the agent hears the supervisor');
    assert.ok(heard['agent']![caller]! > HEARD, 'the agent hears the caller');
    assert.ok(heard['caller']![agent]! > HEARD, 'the caller hears the agent');
    assert.ok(
      heard['caller']![supervisor]! < heard['caller']![agent]! - APART,
      'the caller does not hear the supervisor',
    );
    assert.ok(heard['supervisor']![caller]! > HEARD, 'the supervisor hears the caller');
    assert.ok(heard['supervisor']![agent]! > HEARD, 'the supervisor hears the agent');
  });

  it('barge: caller, agent and supervisor all hear each other', async (ctx) => {
    const { desk, callId, phones } = await queueCall();
    const lead = await connect(TOKENS.lead);
    await ask(lead, { type: 'barge', callId });
    await pause(500);
    const span = await spanOf(() => pause(4_000));

    await ask(desk, { type: 'hangup', callId });
    for (const [role, phone] of Object.entries(phones)) ok(await phone.done, `${role} got a BYE`);

    const heard = await hearing(ctx, phones, span);
    for (const [role, phone] of Object.entries(phones)) {
      for (const other of Object.values(phones)) {
        if (other === phone) continue;
        assert.ok(heard[role]![other.number]! > HEARD, `${role} ${phone.number} hears ${other.number}`);
      }
      const others = Object.values(phones).filter((p) => p !== phone);
      const loudest = Math.max(...others.map((p) => heard[role]![p.number]!));
      assert.ok(heard[role]![phone.number]! < loudest - APART, `${role} does not hear itself`);
    }
  });
});
