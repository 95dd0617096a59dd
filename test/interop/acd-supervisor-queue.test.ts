/**
 * A supervisor's seat steers waiting calls and agents, with real calls: a carrier (sipp on a
 * trunk from 127.0.0.2) delivers callers to queue `sales` (agent 1002) while the supervisor
 * (a CTI connection with no phone of its own) watches the queues and agent 1002. It moves a
 * waiting call to queue `support`, where agent 1003's sipp phone takes it, or straight to an
 * agent's phone; it reorders waiting callers with setCallPriority (the CONNECT order shows
 * it); and it forces 1002 not ready, ready and logged out (agentStateChanged reaches the
 * seat, the queue log gets PAUSE, UNPAUSE, REMOVEMEMBER), the last while 1002 is talking.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { CtiEvent } from '../../src/cti/index.js';
import { TestCtiClient } from '../../src/cti/testing.js';
import type { StoredQueueLogEntry } from '../../src/report/queue-log.js';
import { agentPhone, carrierCall, events, queueLogOf, ran, until, untilIdle } from './harness/acd.js';
import { cdrWhere, dialling } from './harness/calls.js';
import { freePort } from './harness/ports.js';
import { startTestServer, type TestServer } from './harness/server.js';
import { receivedMessages, runSipp } from './harness/sipp.js';
import { ctiSection } from './harness/cti.js';

const TOKEN = 'interop-token-seat-ops';
const SALES = '96160';
const CALLERS = ['13800000001', '13800000002', '13800000003'] as const;

type EventOf<K extends CtiEvent['event']> = Extract<CtiEvent, { event: K }>;

describe('a supervisor steers waiting calls and agents over CTI', () => {
  let t: TestServer;
  let ctiPort: number;
  let seat: TestCtiClient;
  before(async () => {
    ctiPort = await freePort();
    t = await startTestServer({
      config: {
        trunks: [{ name: 'carrier', host: '127.0.0.2', allow: ['127.0.0.2'], options: { interval: 0 } }],
        cti: ctiSection(ctiPort, [{ token: TOKEN, role: 'supervisor', name: 'ops' }]),
        inbound: { numbers: [{ number: SALES, destination: { type: 'queue', queue: 'sales' } }] },
        acd: {
          queues: [
            { name: 'sales', strategy: 'longestIdle', wrapUpSeconds: 0 },
            { name: 'support', strategy: 'longestIdle', wrapUpSeconds: 0 },
          ],
          agents: [
            { agent: '1002', queues: [{ queue: 'sales' }] },
            { agent: '1003', queues: [{ queue: 'support' }] },
          ],
        },
      },
    });
    seat = await TestCtiClient.connect(ctiPort, TOKEN);
    const watched = await ask({ type: 'watch', queues: ['sales', 'support'], agents: ['1002'] });
    assert.deepEqual(watched['queues'], ['sales', 'support']);
  });
  after(async () => {
    await seat.close();
    await t.stop();
  });

  async function ask(body: Record<string, unknown>): Promise<Record<string, unknown>> {
    const resp = await seat.request(body);
    assert.ok(resp.ok, `${String(body['type'])} failed: ${JSON.stringify(resp)}`);
    return resp.result as Record<string, unknown>;
  }
  /** The events of `kind` the seat received that match. */
  const seen = <K extends CtiEvent['event']>(kind: K, match: (e: EventOf<K>) => boolean = () => true) =>
    seat.events.filter((e): e is EventOf<K> => e.event === kind && match(e as EventOf<K>));
  async function eventOf<K extends CtiEvent['event']>(kind: K, match: (e: EventOf<K>) => boolean) {
    await seat.until(() => seen(kind, match).length > 0, 20_000);
    return seen(kind, match)[0]!;
  }
  /** The id of the call from `caller` that the seat saw waiting in `queue` since `since`. */
  const queuedFrom = async (caller: string, since: number, queue = 'sales') =>
    (await eventOf('callQueued', (e) => e.caller.number === caller && e.queue === queue && e.at >= since))
      .callId;
  const presence = (agent: string) => t.server.acd.agentStatus([agent])[0]?.presence;
  /** 1002 logged in to sales, ready and idle, whatever an earlier test left. */
  async function ready1002(): Promise<void> {
    if (presence('1002') === undefined || presence('1002') === 'loggedOut')
      t.server.acd.login('1002', undefined, { ready: true });
    else if (presence('1002') !== 'ready') t.server.acd.ready('1002');
    await untilIdle(t, ['1002']);
  }
  /** The queue log rows since `since`. */
  const rowsSince = async (since: number): Promise<StoredQueueLogEntry[]> =>
    t.server.store.queueLog.list({ from: since, limit: 10_000 });

  it('moves a waiting call to another queue, where that queue’s agent takes it', async (ctx) => {
    const since = Date.now();
    t.server.acd.login('1002'); // not ready: sales callers wait
    t.server.acd.login('1003', undefined, { ready: true });
    const phone1003 = await agentPhone(t, '1003', 'answer-hangup.xml');
    const call = carrierCall(t, CALLERS[0], SALES);
    const callId = await queuedFrom(CALLERS[0], since);

    await ask({ type: 'moveCall', callId, to: { type: 'queue', queue: 'support' } });
    ran(await call, 'the caller talked to 1003 and got its BYE');
    ran(await phone1003.done, '1003 answered the moved call');
    const left = await eventOf('callEnded', (e) => e.callId === callId && e.queue === 'sales');
    assert.deepEqual([left.by, left.cause], ['system', 'moved'], 'the sales watchers see it leave');
    const there = await eventOf('callQueued', (e) => e.callId === callId && e.queue === 'support');
    assert.equal(there.position, 1);
    const rows = await queueLogOf(t, callId, 'COMPLETEAGENT');
    ctx.diagnostic(`queue log: ${rows.map((r) => `${r.queue}:${r.event}:${r.agent}`).join(' ')}`);
    assert.deepEqual(
      rows.map((r) => `${r.queue}:${r.event}:${r.agent}`),
      [
        'sales:ENTERQUEUE:NONE',
        'support:ENTERQUEUE:NONE',
        'support:CONNECT:1003',
        'support:COMPLETEAGENT:1003',
      ],
    );
    t.server.acd.logout('1003');
  });

  it("moves a waiting call straight to an agent's phone", async (ctx) => {
    const since = Date.now();
    const phone1002 = await agentPhone(t, '1002', 'answer-hangup.xml');
    const call = carrierCall(t, CALLERS[1], SALES);
    const callId = await queuedFrom(CALLERS[1], since);
    await ask({ type: 'moveCall', callId, to: { type: 'agent', agent: '1002' } });
    ran(await call, 'the caller talked to 1002 and got its BYE');
    const rung = await phone1002.done;
    ran(rung, "1002's phone rang and answered, though 1002 is not ready in the queue");
    const invite = receivedMessages(rung.messages).find((m) => m.startsWith('INVITE '));
    assert.match(invite ?? '', new RegExp(`^From:.*${CALLERS[1]}`, 'm'), 'the phone shows the caller');
    const left = await eventOf('callEnded', (e) => e.callId === callId && e.queue === 'sales');
    assert.equal(left.cause, 'moved');
    const cdr = await cdrWhere(t, since, (c) => c.callId === callId);
    ctx.diagnostic(`CDR: ${JSON.stringify(cdr)}`);
    assert.equal(cdr.data?.['queueResult'], 'moved');
    assert.equal(cdr.disposition, 'answered');
    const rows = (await rowsSince(since)).filter((r) => r.callId === callId);
    assert.deepEqual(events(rows), ['ENTERQUEUE:NONE'], 'no agent of the queue took it');
  });

  it('forceNotReady holds callers back, setCallPriority reorders them, forceReady lets 1002 take them in that order', async (ctx) => {
    await ready1002();
    const since = Date.now();
    const paused = await ask({ type: 'forceNotReady', agent: '1002', reason: 'MEETING' });
    assert.deepEqual([paused['presence'], paused['reason']], ['notReady', 'MEETING']);
    await eventOf('agentStateChanged', (e) => e.status.agent === '1002' && e.status.reason === 'MEETING');

    const phone = await agentPhone(t, '1002', 'answer-hangup.xml', CALLERS.length);
    const calls = [];
    const ids: string[] = [];
    for (const caller of CALLERS) {
      calls.push(carrierCall(t, caller, SALES));
      ids.push(await queuedFrom(caller, since)); // in turn: the order they entered is known
    }
    const [first, second, third] = ids as [string, string, string];
    assert.equal(t.server.acd.queueStats(['sales'])[0]?.waiting, 3, 'nobody took them meanwhile');
    await ask({ type: 'setCallPriority', callId: third, priority: 90 });
    await ask({ type: 'setCallPriority', callId: second, priority: 50 });

    const ready = await ask({ type: 'forceReady', agent: '1002' });
    assert.equal(ready['presence'], 'ready');
    ran(await phone.done, '1002 answered the three callers');
    for (const c of calls) ran(await c, 'a caller was answered and got a BYE');

    const rows = await rowsSince(since);
    const connects = rows.filter((r) => r.event === 'CONNECT').map((r) => r.callId);
    ctx.diagnostic(`queue log: ${events(rows).join(' ')}`);
    assert.deepEqual(connects, [third, second, first], 'the highest priority first, then the next');
    // From the forced PAUSE on (the UNPAUSE of getting ready may share its millisecond).
    const member = rows.filter((r) => r.callId === 'NONE' && r.agent === '1002').map((r) => r.event);
    assert.deepEqual(member.slice(member.indexOf('PAUSE')), ['PAUSE', 'UNPAUSE']);
    assert.equal(rows.find((r) => r.event === 'PAUSE')?.data[0], 'MEETING');
    await eventOf(
      'agentStateChanged',
      (e) => e.status.agent === '1002' && e.at >= since && e.status.presence === 'ready',
    );
  });

  it('forceLogout while 1002 talks: the call goes on, REMOVEMEMBER and AGENTLOGOFF are written', async (ctx) => {
    await ready1002();
    const since = Date.now();
    const phone = await agentPhone(t, '1002', 'answer.xml');
    // 1001 (an extension) calls the queue, talks four seconds and hangs up itself.
    const caller = runSipp({
      scenario: 'call-pause-bye.xml',
      server: t.sipPort,
      localPort: await freePort(),
      fields: [`${dialling('1001', SALES)};4000`],
      timeoutSeconds: 30,
    }).done;
    await until(() => t.server.acd.agentStatus(['1002'])[0]?.activity === 'onCall', '1002 talks');
    const out = await ask({ type: 'forceLogout', agent: '1002' });
    assert.equal(out['presence'], 'loggedOut');
    await eventOf('agentStateChanged', (e) => e.status.agent === '1002' && e.status.presence === 'loggedOut');
    ran(await caller, 'the caller talked on and hung up itself');
    ran(await phone.done, "1002's phone took the caller's BYE");
    assert.equal(presence('1002'), 'loggedOut');

    const rows = await rowsSince(since);
    ctx.diagnostic(`queue log: ${events(rows).join(' ')}`);
    const of1002 = rows.filter((r) => r.agent === '1002').map((r) => r.event);
    assert.deepEqual(of1002.slice(of1002.indexOf('CONNECT')), [
      'CONNECT',
      'REMOVEMEMBER',
      'AGENTLOGOFF',
      'COMPLETECALLER',
    ]);
  });
});
