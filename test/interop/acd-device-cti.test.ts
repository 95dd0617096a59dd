/**
 * Desktop requests reach agents who are not on a desk phone, with real peers. Agent 1002
 * works on a persistent connection (常摘机): its sipp phone is called once at login and stays
 * up; a queue call from 1001 (sipp) is put through to it, its desktop holds it (1001 hears
 * music), retrieves it (1001 hears 1002 again) and transfers it blind to 1003 (a sipp phone):
 * 1001 talks with 1003, 1002's phone gets no BYE and takes the next queue call, which its
 * desktop hangs up (COMPLETEAGENT). Agent 1003 is then a mobile agent reached through a sipp
 * "carrier" trunk; its desktop holds a queue call and hangs it up. Each party sends its own
 * tone, so what reaches the caller shows whom it hears.
 */
import { after, before, describe, it, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import type { CtiEvent } from '../../src/cti/index.js';
import { TestCtiClient } from '../../src/cti/testing.js';
import { events, queueLogOf, ran, until } from './harness/acd.js';
import { mediaPort, pcapOf } from './harness/calls.js';
import { concatAudio, type RtpPacket } from './harness/pcap.js';
import { freePort } from './harness/ports.js';
import { startTestServer, type TestServer } from './harness/server.js';
import { matchWindows, median, sine, toDb, tonePower } from './harness/signals.js';
import { receivedMessages, runSipp, type SippRun } from './harness/sipp.js';
import {
  answeringPhone,
  bridged,
  HEARD,
  heardDuring,
  idle,
  pause,
  spanOf,
  tonedCaller,
  type Span,
} from './harness/tone-parties.js';
import { readWav } from './harness/wav.js';
import { ask, connectCti, ctiSection } from './harness/cti.js';

const TOKENS = { persistent: 'interop-token-device-1002', mobile: 'interop-token-device-1003' };
const DESK_DID = '96160';
const MOBILE_DID = '96161';
const MOBILE = '13900139001';
const HZ = { caller: 440, agent: 1000, third: 1700, mobile: 1500 } as const;

type Answered = Extract<CtiEvent, { event: 'callAnswered' }>;

describe('CTI call requests reach agents on persistent connections and mobiles', () => {
  let t: TestServer;
  let ctiPort: number;
  let carrier: { port: number; done: Promise<SippRun> };
  const clients: TestCtiClient[] = [];
  before(async () => {
    ctiPort = await freePort();
    const port = await freePort();
    // The carrier answers the call to the mobile and plays the mobile agent's tone.
    const run = runSipp({
      scenario: 'answer-play.xml',
      server: 5060, // unused: a UAS answers where requests come from
      localPort: port,
      mediaPort: await mediaPort(),
      timeoutSeconds: 120,
      files: { 'audio.pcap': pcapOf(sine(HZ.mobile, 45, -12), 0x7300) },
    });
    carrier = { port, done: run.done };
    t = await startTestServer({
      config: {
        registrar: { qualifyInterval: 0 }, // sipp phones take no OPTIONS
        cti: ctiSection(ctiPort, [
          { token: TOKENS.persistent, role: 'agent', agent: '1002', name: 'desk-1002' },
          { token: TOKENS.mobile, role: 'agent', agent: '1003', name: 'desk-1003' },
        ]),
        trunks: [{ name: 'carrier', host: '127.0.0.1', port, options: { interval: 0 } }],
        outbound: { routes: [{ name: 'mobiles', patterns: ['_1[3-9]XXXXXXXXX'], trunks: ['carrier'] }] },
        inbound: {
          numbers: [
            { number: DESK_DID, destination: { type: 'queue', queue: 'desk' } },
            { number: MOBILE_DID, destination: { type: 'queue', queue: 'mobile' } },
          ],
        },
        acd: {
          queues: [
            { name: 'desk', wrapUpSeconds: 1, ringTimeoutSeconds: 10 },
            { name: 'mobile', wrapUpSeconds: 0, ringTimeoutSeconds: 15 },
          ],
          agents: [
            { agent: '1002', device: { persistent: { autoAnswerMs: 300 } }, queues: [{ queue: 'desk' }] },
            { agent: '1003', device: { type: 'external', number: MOBILE }, queues: [{ queue: 'mobile' }] },
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
  /** The id of the next queue call the ACD connects to the desk's agent (its callAnswered). */
  const nextAnswered = async (desk: TestCtiClient, queue: string, from: number): Promise<string> => {
    const match = (e: CtiEvent): e is Answered => e.event === 'callAnswered' && e.queue === queue;
    await desk.until(() => desk.events.slice(from).some(match), 20_000);
    return desk.events.slice(from).find(match)!.callId;
  };
  const endsOf = (desk: TestCtiClient, callId: string) =>
    desk.events.filter((e) => e.event === 'callEnded' && e.callId === callId);

  /** The level (dB) of `hz` in what `packets` carried during `span`, printed for the record. */
  function level(ctx: TestContext, what: string, packets: readonly RtpPacket[], span: Span, hz: number) {
    const db = toDb(tonePower(heardDuring(packets, span), hz));
    ctx.diagnostic(`${what}: ${hz} Hz at ${db.toFixed(1)} dB`);
    return db;
  }
  /** How closely what `packets` carried during `span` matches the default music on hold (0 … 1). */
  function music(ctx: TestContext, packets: readonly RtpPacket[], span: Span): number {
    const file = readWav(path.join(t.dataDir, 'moh', 'default', 'default.wav'));
    const heard = concatAudio(packets.filter((p) => p.time * 1000 >= span.from && p.time * 1000 < span.to));
    const similarity = median(matchWindows(file.samples, heard).map((m) => m.peak));
    ctx.diagnostic(`held audio vs the music-on-hold file: ${similarity.toFixed(3)}`);
    return similarity;
  }

  /** Talks, holds, retrieves; returns the spans, once the desk has the agent back. */
  async function holdAndRetrieve(desk: TestCtiClient, callId: string) {
    await pause(800);
    const talking = await spanOf(() => pause(2_000));
    await ask(desk, { type: 'hold', callId });
    await pause(500);
    const held = await spanOf(() => pause(2_500));
    await ask(desk, { type: 'retrieve', callId });
    await pause(500);
    const back = await spanOf(() => pause(2_000));
    return { talking, held, back };
  }

  it('holds, retrieves and transfers blind a call on a persistent connection, which stays up for the next call', async (ctx) => {
    const desk = await connect(TOKENS.persistent);
    const third = await connect(TOKENS.mobile); // 1003's desktop, not logged in to the ACD
    const agent = await answeringPhone(t, '1002', HZ.agent);
    let agentPhoneDone = false;
    void agent.done.then(() => (agentPhoneDone = true));
    await ask(desk, { type: 'login', queues: ['desk'] });
    await ask(desk, { type: 'ready' });
    await until(() => t.server.acd.agentStatus(['1002'])[0]?.presence === 'ready', '1002 connected', 10_000);
    const thirdPhone = await answeringPhone(t, '1003', HZ.third);

    const caller = await tonedCaller(t, '1001', DESK_DID, HZ.caller);
    const callId = await nextAnswered(desk, 'desk', 0);
    const { talking, held, back } = await holdAndRetrieve(desk, callId);
    await ask(desk, { type: 'transfer', callId, mode: 'blind', target: { type: 'agent', agent: '1003' } });
    await bridged(t, callId, '1003');
    await pause(500);
    const transferred = await spanOf(() => pause(2_500));
    await ask(third, { type: 'hangup', callId });
    ok(await caller.done, 'the caller got a BYE');
    ok(await thirdPhone.done, "1003's phone got a BYE");

    const heard = await caller.stopListening();
    const thirdHeard = await thirdPhone.stopListening();
    assert.ok(level(ctx, 'talking', heard, talking, HZ.agent) > HEARD, 'the caller hears 1002');
    assert.ok(level(ctx, 'held', heard, held, HZ.agent) < HEARD, 'the held caller does not hear 1002');
    assert.ok(music(ctx, heard, held) > 0.9, 'the held caller hears the music on hold');
    assert.ok(level(ctx, 'retrieved', heard, back, HZ.agent) > HEARD, 'the caller hears 1002 again');
    assert.ok(level(ctx, 'transferred', heard, transferred, HZ.third) > HEARD, 'the caller hears 1003');
    assert.ok(level(ctx, 'transferred', heard, transferred, HZ.agent) < HEARD, 'and no longer 1002');
    assert.ok(
      level(ctx, '1003, transferred', thirdHeard, transferred, HZ.caller) > HEARD,
      '1003 hears the caller',
    );
    const rows = await queueLogOf(t, callId, 'TRANSFER');
    assert.deepEqual(events(rows), ['ENTERQUEUE:NONE', 'CONNECT:1002', 'TRANSFER:1002']);
    assert.equal(agentPhoneDone, false, "1002's phone got no BYE: the connection is up");

    // The next call is put through to the same connection; the desktop hangs it up.
    await idle(t, '1002');
    const from = desk.events.length;
    const next = await tonedCaller(t, '1001', DESK_DID, HZ.caller);
    const nextId = await nextAnswered(desk, 'desk', from);
    await pause(800);
    const second = await spanOf(() => pause(2_000));
    await ask(desk, { type: 'hangup', callId: nextId });
    ok(await next.done, 'the second caller got a BYE');
    const nextHeard = await next.stopListening();
    assert.ok(level(ctx, 'second call', nextHeard, second, HZ.agent) > HEARD, 'the second caller hears 1002');
    const nextRows = await queueLogOf(t, nextId, 'COMPLETEAGENT');
    assert.deepEqual(events(nextRows), ['ENTERQUEUE:NONE', 'CONNECT:1002', 'COMPLETEAGENT:1002']);
    await desk.until(() => endsOf(desk, nextId).length > 0, 5_000);
    await pause(300);
    assert.equal(endsOf(desk, nextId).length, 1, 'one callEnded for the call');
    assert.equal(agentPhoneDone, false, 'the connection is still up after the hangup');

    await ask(desk, { type: 'logout' });
    const phone = await agent.done;
    ok(phone, "1002's phone answered once and took the BYE at logout");
    const invites = receivedMessages(phone.messages).filter((m) => /^INVITE /.test(m));
    assert.equal(invites.length, 1, 'one INVITE for both calls');
    const agentHeard = await agent.stopListening();
    assert.ok(level(ctx, '1002, talking', agentHeard, talking, HZ.caller) > HEARD, '1002 hears the caller');
    assert.ok(level(ctx, '1002, held', agentHeard, held, HZ.caller) < HEARD, 'but not while it is held');
    assert.ok(level(ctx, '1002, retrieved', agentHeard, back, HZ.caller) > HEARD, 'and again after');
    assert.ok(
      level(ctx, '1002, transferred', agentHeard, transferred, HZ.caller) < HEARD,
      'not after the transfer',
    );
  });

  it('holds a call on a mobile agent through the carrier trunk, then hangs it up', async (ctx) => {
    const desk = await connect(TOKENS.mobile);
    const from = desk.events.length;
    await ask(desk, { type: 'login', queues: ['mobile'] });
    await ask(desk, { type: 'ready' });
    const caller = await tonedCaller(t, '1001', MOBILE_DID, HZ.caller);
    const callId = await nextAnswered(desk, 'mobile', from);
    const { talking, held, back } = await holdAndRetrieve(desk, callId);
    await ask(desk, { type: 'hangup', callId });
    ok(await caller.done, 'the caller got a BYE');
    ok(await carrier.done, 'the carrier answered the call to the mobile and took the BYE');

    const heard = await caller.stopListening();
    assert.ok(level(ctx, 'talking', heard, talking, HZ.mobile) > HEARD, 'the caller hears the mobile');
    assert.ok(level(ctx, 'held', heard, held, HZ.mobile) < HEARD, 'the held caller does not hear it');
    assert.ok(music(ctx, heard, held) > 0.9, 'the held caller hears the music on hold');
    assert.ok(level(ctx, 'retrieved', heard, back, HZ.mobile) > HEARD, 'the caller hears the mobile again');
    const rows = await queueLogOf(t, callId, 'COMPLETEAGENT');
    assert.deepEqual(events(rows), ['ENTERQUEUE:NONE', 'CONNECT:1003', 'COMPLETEAGENT:1003']);
    const statuses = desk.events
      .slice(from)
      .flatMap((e) =>
        e.event === 'agentStateChanged' && e.status.callId === callId ? [e.status.activity] : [],
      );
    ctx.diagnostic(`1003's activities on the call: ${statuses.join(' ')}`);
    assert.ok(statuses.includes('held'), 'the mobile agent was held');
    await desk.until(() => endsOf(desk, callId).length > 0, 5_000);
    assert.equal(endsOf(desk, callId).length, 1, 'one callEnded for the call');
  });
});
