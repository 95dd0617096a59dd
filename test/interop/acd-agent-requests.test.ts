/**
 * Agent desktop requests on queue calls, with real phones: a caller (sipp, 1001) reaches
 * queue `sales` and agent 1002's sipp phone answers; 1002's desktop then sends the caller to
 * an IVR flow (the step log and the CDR show the flow ran), edits the associated data and
 * hands the caller to queue `support` (1003's desktop gets the data in callOffered, the CDR
 * keeps it), or sends DTMF (the caller's phone receives the RFC 4733 digits). Click-to-dial
 * to a number outside rings 1002's phone, then a carrier (sipp) through the outbound route.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { CtiEvent } from '../../src/cti/index.js';
import { TestCtiClient } from '../../src/cti/testing.js';
import { Rfc4733Receiver } from '../../src/media/dtmf/rfc4733-receiver.js';
import { agentPhone, events, queueLogOf, ran, rowOf, untilIdle } from './harness/acd.js';
import { cdrWhere, mediaPort } from './harness/calls.js';
import type { RtpPacket } from './harness/pcap.js';
import { freePort } from './harness/ports.js';
import { startTestServer, type TestServer } from './harness/server.js';
import { receivedMessages, runSipp } from './harness/sipp.js';
import { bridged, stopAllListening, tonedCaller } from './harness/tone-parties.js';
import { ask, connectCti, ctiSection } from './harness/cti.js';

const TOKENS = { desk1002: 'interop-token-req-agent-1002', desk1003: 'interop-token-req-agent-1003' };
const SALES = '96170';

/** Thanks the caller, with the data the desktop passed along, and hangs up. */
const SURVEY = {
  id: 'survey',
  lang: 'en',
  start: 'thanks',
  nodes: {
    thanks: { type: 'play', prompts: [{ tts: 'Thank you for calling.' }], next: 'bye' },
    bye: { type: 'hangup' },
  },
};

type EventOf<K extends CtiEvent['event']> = Extract<CtiEvent, { event: K }>;

/** The digits RFC 4733 telephone-events (payload type 101) in `packets` carry. */
function digitsIn(packets: readonly RtpPacket[]): string {
  const rx = new Rfc4733Receiver({ payloadType: 101 });
  const t0 = packets[0]?.time ?? 0;
  const presses = packets
    .filter((p) => p.payloadType === 101)
    .flatMap((p) => [
      ...rx.push({
        payloadType: p.payloadType,
        marker: p.marker,
        sequenceNumber: p.seq,
        timestamp: p.timestamp,
        ssrc: p.ssrc,
        payload: p.payload,
        arrivalMs: (p.time - t0) * 1000,
      }),
    ]);
  return [...presses, ...rx.poll(1e12)].map((e) => e.digit).join('');
}

describe('agent desktop requests on queue calls, with real phones', () => {
  let t: TestServer;
  let ctiPort: number;
  let carrierPort: number;
  const clients: TestCtiClient[] = [];
  before(async () => {
    ctiPort = await freePort();
    carrierPort = await freePort();
    t = await startTestServer({
      config: {
        tts: { language: 'en', rate: 1.5 },
        trunks: [{ name: 'carrier', host: '127.0.0.1', port: carrierPort, options: { interval: 0 } }],
        outbound: {
          areaCode: '010',
          routes: [{ name: 'national', patterns: ['_01[3-9]XXXXXXXXX'], strip: 1, trunks: ['carrier'] }],
        },
        cti: ctiSection(ctiPort, [
          { token: TOKENS.desk1002, role: 'agent', agent: '1002', name: 'desk-1002' },
          { token: TOKENS.desk1003, role: 'agent', agent: '1003', name: 'desk-1003' },
        ]),
        inbound: { numbers: [{ number: SALES, destination: { type: 'queue', queue: 'sales' } }] },
        ivr: { flows: { survey: SURVEY } },
        acd: {
          queues: [
            { name: 'sales', ringTimeoutSeconds: 10, wrapUpSeconds: 0 },
            { name: 'support', ringTimeoutSeconds: 10, wrapUpSeconds: 0 },
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
    await stopAllListening();
    for (const c of clients) await c.close();
    await t.stop();
  });

  const connect = (token: string) => connectCti(ctiPort, token, clients);
  async function eventOf<K extends CtiEvent['event']>(
    client: TestCtiClient,
    kind: K,
    match: (e: EventOf<K>) => boolean,
  ): Promise<EventOf<K>> {
    const find = () => client.events.find((e): e is EventOf<K> => e.event === kind && match(e as EventOf<K>));
    await client.until(() => find() !== undefined, 20_000);
    return find()!;
  }

  /** The desk of `agent`, logged in to `queue` and ready, whatever an earlier test left. */
  async function readyDesk(token: string, agent: string, queue: string) {
    const desk = await connect(token);
    const presence = t.server.acd.agentStatus([agent])[0]?.presence;
    if (presence === undefined || presence === 'loggedOut')
      await ask(desk, { type: 'login', queues: [queue] });
    if (presence !== 'ready') await ask(desk, { type: 'ready' });
    await untilIdle(t, [agent]);
    return desk;
  }

  /** 1002 ready in `sales`, its phone answering; 1001 calls in and 1002 talks to it. */
  async function queueCall(hz: number) {
    const desk = await readyDesk(TOKENS.desk1002, '1002', 'sales');
    const since = Date.now();
    const phone = await agentPhone(t, '1002', 'answer.xml');
    const caller = await tonedCaller(t, '1001', SALES, hz);
    const { callId } = await eventOf(desk, 'callAnswered', (e) => e.queue === 'sales' && e.at >= since);
    await bridged(t, callId, '1002');
    return { desk, phone, caller, callId, since };
  }

  it('transferToIvr: the caller runs the flow (step log, CDR) and 1002 is released with TRANSFER', async (ctx) => {
    const { desk, phone, caller, callId, since } = await queueCall(440);
    await ask(desk, { type: 'transferToIvr', callId, flow: 'survey', data: { survey: 'csat' } });
    ran(await phone.done, "1002's phone got a BYE");
    ran(await caller.done, 'the flow hung the caller up');
    await caller.stopListening();
    const moved = await eventOf(desk, 'callTransferred', (e) => e.callId === callId);
    assert.deepEqual(moved.to, { type: 'ivr', flow: 'survey' });

    const steps = await t.server.store.ivrSteps.listByCall(callId);
    ctx.diagnostic(`IVR steps: ${steps.map((s) => `${s.flowId}/${s.nodeId}`).join(' ')}`);
    assert.deepEqual(
      steps.map((s) => s.nodeId),
      ['thanks', 'bye'],
    );
    const cdr = await cdrWhere(t, since, (c) => c.callId === callId);
    ctx.diagnostic(`CDR: ${JSON.stringify(cdr)}`);
    assert.equal(cdr.data?.['ivrFlow'], 'survey@1');
    assert.equal(cdr.data?.['DNIS'], SALES, 'the number the caller dialled, not the agent it talked to');
    assert.equal(cdr.data?.['survey'], 'csat', 'the data the desktop passed along');
    const rows = await queueLogOf(t, callId, 'TRANSFER');
    assert.equal(rowOf(rows, 'TRANSFER').data[0], 'survey', 'TRANSFER names the flow');
  });

  it('setAssociatedData, then transferToQueue: the next agent gets the data in callOffered, the CDR keeps it', async (ctx) => {
    const next = await readyDesk(TOKENS.desk1003, '1003', 'support');
    const phone1003 = await agentPhone(t, '1003', 'answer-hangup.xml');
    const { desk, phone, caller, callId, since } = await queueCall(440);

    const edited = await ask(desk, {
      type: 'setAssociatedData',
      callId,
      data: { ticket: 'T-1024', tier: 'gold' },
    });
    assert.equal((edited['data'] as Record<string, unknown>)['ticket'], 'T-1024');
    await ask(desk, { type: 'transferToQueue', callId, queue: 'support' });
    ran(await phone.done, "1002's phone got a BYE");
    ran(await phone1003.done, '1003 answered and hung up');
    ran(await caller.done, 'the caller got a BYE');
    await caller.stopListening();

    const offered = await eventOf(next, 'callOffered', (e) => e.callId === callId);
    ctx.diagnostic(`1003's callOffered: ${JSON.stringify(offered)}`);
    assert.equal(offered.queue, 'support');
    assert.equal(offered.data['ticket'], 'T-1024');
    assert.equal(offered.data['tier'], 'gold');
    const cdr = await cdrWhere(t, since, (c) => c.callId === callId);
    assert.equal(cdr.data?.['ticket'], 'T-1024');
    const rows = await queueLogOf(t, callId, 'COMPLETEAGENT');
    ctx.diagnostic(`queue log: ${events(rows).join(' ')}`);
    assert.equal(rows.filter((r) => r.event === 'CONNECT' && r.agent === '1003').length, 1);
    await ask(next, { type: 'logout' });
  });

  it("sendDtmf: the caller's phone receives the digits as RFC 4733 telephone-events", async (ctx) => {
    const { desk, caller, phone, callId } = await queueCall(440);
    await ask(desk, { type: 'sendDtmf', callId, digits: '2580#' });
    await new Promise((r) => setTimeout(r, 2_000)); // five presses, each well under 400 ms
    await ask(desk, { type: 'hangup', callId });
    ran(await caller.done, 'the caller got a BYE');
    ran(await phone.done, "1002's phone got a BYE");
    const packets = await caller.stopListening();
    const events101 = packets.filter((p) => p.payloadType === 101);
    ctx.diagnostic(`the caller received ${events101.length} telephone-event packets`);
    assert.equal(digitsIn(packets), '2580#');
  });

  it('makeCall to a number outside: 1002 answers first, then the carrier rings through the outbound route', async (ctx) => {
    const since = Date.now();
    const carrier = runSipp({
      scenario: 'answer.xml',
      server: 5060, // a UAS answers where requests come from
      localPort: carrierPort,
      mediaPort: await mediaPort(),
      extra: ['-rtp_echo'],
      timeoutSeconds: 40,
    }).done;
    await new Promise((r) => setTimeout(r, 300));
    const phone = await agentPhone(t, '1002', 'answer.xml');
    const desk = await connect(TOKENS.desk1002);
    const made = await ask(desk, { type: 'makeCall', number: '013800138000' });
    const callId = made['callId'] as string;
    await eventOf(desk, 'callAnswered', (e) => e.callId === callId);
    await new Promise((r) => setTimeout(r, 1_000));
    await ask(desk, { type: 'hangup', callId });
    ran(await phone.done, "1002's phone rang first, answered and got a BYE");
    const out = await carrier;
    ran(out, 'the carrier answered and got a BYE');
    const invite = receivedMessages(out.messages).find((m) => m.startsWith('INVITE '));
    assert.match(invite ?? '', /^INVITE sip:13800138000@/, 'the route stripped the leading 0');
    const cdr = await cdrWhere(t, since, (c) => c.callId === callId);
    ctx.diagnostic(`CDR: ${JSON.stringify(cdr)}`);
    assert.equal(cdr.caller, '1002');
    assert.equal(cdr.callee, '13800138000', 'the number the carrier was asked for');
    assert.equal(cdr.disposition, 'answered');
    assert.equal(cdr.data?.['trunk'], 'carrier');
    assert.equal(cdr.data?.['clickToDial'], '1002');
  });
});
