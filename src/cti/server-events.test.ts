import assert from 'node:assert/strict';
import type { Socket } from 'node:net';
import { afterEach, describe, it } from 'node:test';
import { CTI_CLOSE_CODES } from './connection.js';
import type { CtiEvent } from './protocol.js';
import type { CtiServer } from './server.js';
import { fakeQueueStats, fakeStatus, startFakeCtiServer, TEST_TOKENS, TestCtiClient } from './testing.js';

const offered = (agent: string, callId: string): CtiEvent => ({
  v: 1,
  event: 'callOffered',
  at: 1,
  callId,
  agent,
  caller: { number: '13800138000' },
  queue: 'sales',
  waitMs: 5_000,
  direction: 'inbound',
  data: { orderId: 'A-42' },
});

/** The client's raw TCP socket, to stop reading as a stuck browser tab would. */
const socketOf = (client: TestCtiClient): Socket => (client.ws as unknown as { _socket: Socket })._socket;

const closeCode = (client: TestCtiClient): Promise<number> =>
  new Promise((resolve) => client.ws.once('close', (code) => resolve(code)));

describe('CTI server events', () => {
  let server: CtiServer | undefined;
  const clients: TestCtiClient[] = [];
  const connect = async (token: string): Promise<TestCtiClient> => {
    const client = await TestCtiClient.connect(server!.port, token);
    clients.push(client);
    return client;
  };
  afterEach(async () => {
    for (const c of clients.splice(0)) c.ws.terminate();
    await server?.close();
  });

  it('delivers a call event to the agent and its watchers only, never to another agent', async () => {
    ({ server } = await startFakeCtiServer());
    const a1001 = await connect(TEST_TOKENS.agent1001);
    const a1002 = await connect(TEST_TOKENS.agent1002);
    const lead = await connect(TEST_TOKENS.supervisor);
    const crm = await connect(TEST_TOKENS.crm);
    assert.ok((await lead.request({ type: 'watch', queues: ['sales'] })).ok);
    assert.ok((await crm.request({ type: 'watch', agents: ['1002'] })).ok);
    assert.ok((await a1002.request({ type: 'watch', queues: ['sales'] })).ok);

    server.emit(offered('1001', 'c-9'), { agents: ['1001'], queues: ['sales'] });
    // A second event that reaches everyone: once it has arrived, the first would have too.
    const marker: CtiEvent = { v: 1, event: 'agentStateChanged', at: 2, status: fakeStatus('1002') };
    server.emit(marker, { agents: ['1002'], queues: ['sales'] });
    for (const c of [a1002, lead, crm])
      await c.until(() => c.events.some((e) => e.event === 'agentStateChanged'));
    await a1001.until(() => a1001.events.length > 0);

    assert.deepEqual(a1001.events, [offered('1001', 'c-9')]);
    assert.deepEqual(lead.events, [offered('1001', 'c-9'), marker]);
    assert.deepEqual(crm.events, [marker]);
    assert.deepEqual(a1002.events, [marker]);
  });

  it('sends queue statistics to watchers on every tick and stops after unwatch', async () => {
    const started = await startFakeCtiServer({ statsIntervalMs: 20 });
    server = started.server;
    started.fake.stats.set('sales', fakeQueueStats('sales'));
    started.fake.stats.set('support', fakeQueueStats('support'));
    const lead = await connect(TEST_TOKENS.supervisor);
    const other = await connect(TEST_TOKENS.crm);
    const stats = () => lead.events.filter((e) => e.event === 'queueStats');
    assert.ok((await lead.request({ type: 'watch', queues: ['sales'] })).ok);
    await lead.until(() => stats().length >= 3);
    const first = stats()[0];
    assert.deepEqual(first, { v: 1, event: 'queueStats', at: first?.at, ...fakeQueueStats('sales') });
    assert.ok(
      stats().every((e) => e.event === 'queueStats' && e.queue === 'sales'),
      'only the watched queue',
    );
    assert.ok((await lead.request({ type: 'unwatch' })).ok);
    const count = stats().length;
    await new Promise((r) => setTimeout(r, 100));
    assert.ok(stats().length <= count + 1, 'at most the tick already under way arrives after unwatch');
    assert.deepEqual(other.events, []);
  });

  it('closes a connection that stops reading once its send buffer passes the limit', async () => {
    ({ server } = await startFakeCtiServer({ maxBufferedBytes: 64 * 1024 }));
    const slow = await connect(TEST_TOKENS.agent1001);
    const healthy = await connect(TEST_TOKENS.supervisor);
    assert.ok((await healthy.request({ type: 'watch', agents: ['1001'] })).ok);
    const closed = closeCode(slow);
    socketOf(slow).pause();
    const big = {
      ...offered('1001', 'c-big'),
      data: Object.fromEntries(Array.from({ length: 16 }, (_, i) => [`k${i}`, 'x'.repeat(1000)])),
    };
    for (let i = 0; i < 2_000 && server.connectionCount === 2; i++) {
      server.emit(big, { agents: ['1001'] });
      await new Promise((r) => setImmediate(r));
    }
    socketOf(slow).resume();
    assert.equal(await closed, CTI_CLOSE_CODES.SLOW_CONSUMER);
    assert.equal(healthy.ws.readyState, healthy.ws.OPEN);
  });

  it('closes a connection after four unanswered pings and keeps one that answers', async () => {
    ({ server } = await startFakeCtiServer({ pingIntervalMs: 20, closeGraceMs: 50 }));
    const silent = await connect(TEST_TOKENS.agent1001);
    const alive = await connect(TEST_TOKENS.agent1002);
    const closed = closeCode(silent);
    socketOf(silent).pause();
    const started = Date.now();
    await new Promise<void>((resolve) => {
      const t = setInterval(() => server!.connectionCount === 1 && (clearInterval(t), resolve()), 5);
    });
    assert.ok(Date.now() - started >= 60, 'not before three intervals have passed without a pong');
    socketOf(silent).resume();
    assert.ok([CTI_CLOSE_CODES.NO_PONG, 1006].includes((await closed) as 1006));
    assert.equal(alive.ws.readyState, alive.ws.OPEN);
  });
});
