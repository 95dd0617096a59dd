/**
 * Each distribution strategy choosing between two real agents: 1001 (sipp) calls a DID routed
 * to a queue of that strategy, agents 1002 and 1003 are sipp phones registered with Hotline
 * and logged in through the ACD service, and the queue log shows who took each call. Every
 * test starts a fresh server, so no agent carries idle time or counters from another test,
 * and logs its agents in so that longest idle (the default) would choose differently from
 * the strategy under test. An agent the strategy must not choose has no phone: an offer to
 * it would fail and show as RINGNOANSWER before the CONNECT.
 */
import { afterEach, beforeEach, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { cdrWhere } from './harness/calls.js';
import { agentPhone, pause, queueCall, ran, rowOf, takenBy } from './harness/acd.js';
import { startTestServer, type TestServer } from './harness/server.js';
import type { StrategyName } from '../../src/acd/types.js';

/** Queue name → its strategy and DID. */
const QUEUES = {
  all: { strategy: 'ringAll', did: '96140' },
  rr: { strategy: 'roundRobin', did: '96141' },
  side: { strategy: 'longestIdle', did: '96142' },
  line: { strategy: 'linear', did: '96143' },
  fewest: { strategy: 'fewestCalls', did: '96144' },
  talk: { strategy: 'leastTalkTime', did: '96145' },
  rand: { strategy: 'random', did: '96146' },
  weighted: { strategy: 'weightedRandom', did: '96147' },
  expert: { strategy: 'highestSkill', did: '96148' },
  novice: { strategy: 'lowestSkill', did: '96149' },
} as const satisfies Record<string, { strategy: StrategyName; did: string }>;
type QueueName = keyof typeof QUEUES;

/** Calls of the skill queues need billing at level 2 or more; both agents have it. */
const BILLING = { billing: 2 };

const CONFIG = {
  inbound: {
    numbers: Object.entries(QUEUES).map(([queue, q]) => ({
      number: q.did,
      destination: {
        type: 'queue',
        queue,
        ...(queue === 'expert' || queue === 'novice' ? { skills: BILLING } : {}),
      },
    })),
  },
  acd: {
    queues: Object.entries(QUEUES).map(([name, q]) => ({
      name,
      strategy: q.strategy,
      ringTimeoutSeconds: 10,
      wrapUpSeconds: 0,
    })),
    agents: [
      {
        agent: '1002',
        skills: { billing: 3 },
        queues: [
          { queue: 'rr', position: 2 },
          { queue: 'line', position: 2 },
          { queue: 'weighted', position: 1, weight: 0 },
        ],
      },
      {
        agent: '1003',
        skills: { billing: 8 },
        queues: [
          { queue: 'rr', position: 1 },
          { queue: 'line', position: 1 },
          { queue: 'weighted', position: 2, weight: 1 },
        ],
      },
    ],
  },
};

/** Draws the random strategies take, in order; Math.random once the list is empty. */
const draws: number[] = [];

describe('ACD strategies choosing between real agents', () => {
  let t: TestServer;
  beforeEach(async () => {
    draws.length = 0;
    t = await startTestServer({ config: CONFIG, acdRng: () => draws.shift() ?? Math.random() });
  });
  afterEach(async () => t.stop());

  /** Logs agents in to `queues` in this order, apart in time: the first is the longest idle. */
  async function logIn(queues: readonly QueueName[], agents: ReadonlyArray<readonly [string, boolean]>) {
    for (const [agent, ready] of agents) {
      t.server.acd.login(agent, queues, { ready });
      await pause(20);
    }
  }
  const call = (queue: QueueName, holdMs = 1000) => queueCall(t, QUEUES[queue].did, queue, holdMs);
  const cdrAgent = async (callId: string) =>
    (await cdrWhere(t, 0, (c) => c.callId === callId)).data?.['agent'];

  it('ring-all rings every free agent at once; the first to answer takes the call, the other is cancelled', async () => {
    await logIn(
      ['all'],
      [
        ['1003', true],
        ['1002', true],
      ],
    );
    const ringer = await agentPhone(t, '1003', 'ring.xml');
    const answerer = await agentPhone(t, '1002', 'answer.xml');
    const rows = await call('all');
    ran(await ringer.done, '1003 rang and was cancelled when 1002 answered');
    ran(await answerer.done, '1002 answered');
    assert.equal(takenBy(rows), '1002');
    assert.equal(await cdrAgent(rows[0]!.callId), '1002');
    const status = t.server.acd.agentStatus(['1003'])[0];
    assert.equal(status?.presence, 'ready', 'a cancelled ring is not a ring-no-answer');
  });

  it('round-robin resumes after the agent offered the previous call in the queue, not the longest idle', async () => {
    await logIn(
      ['rr', 'side'],
      [
        ['1003', true],
        ['1002', false],
      ],
    );
    const phones = [
      await agentPhone(t, '1003', 'answer.xml', 2),
      await agentPhone(t, '1002', 'answer.xml', 2),
    ];
    const first = await call('rr'); // only 1003 is ready: position 1 is remembered
    t.server.acd.notReady('1003', 'BREAK');
    t.server.acd.ready('1002');
    const elsewhere = await call('side'); // 1002 works a call of another queue
    t.server.acd.ready('1003'); // 1003 is now the longest idle and first in the list
    const next = await call('rr');
    const wrapped = await call('rr');
    for (const p of phones) ran(await p.done, 'agent phone');
    assert.deepEqual([first, elsewhere, next, wrapped].map(takenBy), ['1003', '1002', '1002', '1003']);
  });

  it('linear offers every call top-down to the first free agent in the list', async () => {
    await logIn(
      ['line'],
      [
        ['1002', true],
        ['1003', true],
      ],
    );
    const phone = await agentPhone(t, '1003', 'answer.xml', 2);
    const calls = [await call('line'), await call('line')];
    ran(await phone.done, '1003 took both calls');
    assert.deepEqual(calls.map(takenBy), ['1003', '1003']);
  });

  it('fewest calls offers the call to the agent who answered fewer since login', async () => {
    await logIn(
      ['fewest'],
      [
        ['1002', true],
        ['1003', false],
      ],
    );
    const phones = [await agentPhone(t, '1002', 'answer.xml'), await agentPhone(t, '1003', 'answer.xml')];
    const first = await call('fewest');
    await pause(20);
    t.server.acd.ready('1003'); // ready after 1002's call ended: 1002 is the longest idle
    const second = await call('fewest');
    for (const p of phones) ran(await p.done, 'agent phone');
    assert.deepEqual([first, second].map(takenBy), ['1002', '1003']);
  });

  it('least talk time offers the call to the agent who talked less, though both took one call', async () => {
    await logIn(
      ['talk'],
      [
        ['1002', true],
        ['1003', false],
      ],
    );
    const phones = [await agentPhone(t, '1002', 'answer.xml'), await agentPhone(t, '1003', 'answer.xml', 2)];
    const long = await call('talk', 3000);
    t.server.acd.notReady('1002', 'BREAK');
    t.server.acd.ready('1003');
    const short = await call('talk', 1000);
    t.server.acd.ready('1002'); // 1002's call ended first: it is the longest idle
    const next = await call('talk');
    for (const p of phones) ran(await p.done, 'agent phone');
    assert.deepEqual([long, short, next].map(takenBy), ['1002', '1003', '1003']);
    const talked = (rows: typeof long) => Number(rowOf(rows, 'COMPLETECALLER').data[1]);
    assert.ok(talked(long) > talked(short), `talk ${talked(long)} s against ${talked(short)} s`);
  });

  it('random lets the draw decide, whoever is longest idle', async () => {
    await logIn(
      ['rand'],
      [
        ['1002', true],
        ['1003', true],
      ],
    );
    const phones = [await agentPhone(t, '1003', 'answer.xml'), await agentPhone(t, '1002', 'answer.xml')];
    // One draw per free agent, in the order they became free; the lowest draw wins.
    draws.push(0.9, 0.1);
    const first = await call('rand');
    assert.equal(draws.length, 0, 'one draw for each of the two agents');
    draws.push(0.1, 0.9);
    const second = await call('rand');
    assert.equal(draws.length, 0);
    for (const p of phones) ran(await p.done, 'agent phone');
    assert.deepEqual([first, second].map(takenBy), ['1003', '1002']);
  });

  it('weighted random never offers a call to an agent of weight 0 while one of weight above 0 is free', async () => {
    await logIn(
      ['weighted'],
      [
        ['1002', true],
        ['1003', true],
      ],
    );
    const phone = await agentPhone(t, '1003', 'answer.xml', 2);
    const calls = [await call('weighted'), await call('weighted')];
    ran(await phone.done, '1003 took both calls');
    assert.deepEqual(calls.map(takenBy), ['1003', '1003']);
  });

  it('highest skill offers the call to the agent most proficient in its required skill', async () => {
    await logIn(
      ['expert'],
      [
        ['1002', true],
        ['1003', true],
      ],
    );
    const phone = await agentPhone(t, '1003', 'answer.xml');
    const rows = await call('expert');
    ran(await phone.done, '1003 (billing 8) took the call');
    assert.equal(takenBy(rows), '1003');
    assert.equal(await cdrAgent(rows[0]!.callId), '1003');
  });

  it('lowest skill offers the call to the least proficient agent who still qualifies', async () => {
    await logIn(
      ['novice'],
      [
        ['1003', true],
        ['1002', true],
      ],
    );
    const phone = await agentPhone(t, '1002', 'answer.xml');
    const rows = await call('novice');
    ran(await phone.done, '1002 (billing 3) took the call');
    assert.equal(takenBy(rows), '1002');
    assert.equal(await cdrAgent(rows[0]!.callId), '1002');
  });
});
