/**
 * Queue rules with real calls: 1001 (sipp) calls queues' DIDs, agents 1002 and 1003 are
 * sipp phones. An agent in wrap-up is not offered a call until the wrap-up time is over (or,
 * with manual wrap-up, until the agent's desktop sends wrapUpDone over CTI); a call that
 * finds the queue too long overflows at once (EXITEMPTY); a route naming two queues makes
 * the call wait in both, and the agent who frees first in either takes it. Each test starts
 * a fresh server; outcomes are read from the queue log and the CDRs.
 */
import { afterEach, beforeEach, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { CtiEvent } from '../../src/cti/index.js';
import { TestCtiClient } from '../../src/cti/testing.js';
import {
  agentPhone,
  callEntering,
  callFrom1001,
  events,
  pause,
  queueCall,
  queueLogOf,
  ran,
  rowOf,
  takenBy,
  until,
} from './harness/acd.js';
import { cdrWhere } from './harness/calls.js';
import { freePort } from './harness/ports.js';
import { startTestServer, type TestServer } from './harness/server.js';
import { ctiSection } from './harness/cti.js';

const TOKEN = 'interop-token-wrap-up-1002';
const WRAP_UP_SECONDS = 3;
const DID = { wrap: '96150', manual: '96151', short: '96152', both: '96153' } as const;

function config(ctiPort: number) {
  return {
    cti: ctiSection(ctiPort, [{ token: TOKEN, role: 'agent', agent: '1002', name: 'desk-1002' }]),
    inbound: {
      numbers: [
        { number: DID.wrap, destination: { type: 'queue', queue: 'wrap' } },
        { number: DID.manual, destination: { type: 'queue', queue: 'manual' } },
        { number: DID.short, destination: { type: 'queue', queue: 'short' } },
        { number: DID.both, destination: { type: 'queue', queue: 'first', queues: ['second'] } },
      ],
    },
    acd: {
      queues: [
        { name: 'wrap', wrapUpSeconds: WRAP_UP_SECONDS, ringTimeoutSeconds: 10 },
        { name: 'manual', wrapUpSeconds: 'manual', ringTimeoutSeconds: 10 },
        {
          name: 'short',
          overflow: [{ when: { lengthAtLeast: 1 }, to: { type: 'extension', number: '1003' } }],
        },
        { name: 'first', wrapUpSeconds: 0, ringTimeoutSeconds: 10 },
        { name: 'second', wrapUpSeconds: 0, ringTimeoutSeconds: 10 },
      ],
      agents: [
        { agent: '1002', queues: [{ queue: 'wrap' }, { queue: 'manual' }, { queue: 'first' }] },
        { agent: '1003', queues: [{ queue: 'second' }] },
      ],
    },
  };
}

describe('wrap-up, overflow by length and a call in two queues, with real calls', () => {
  let t: TestServer;
  let ctiPort: number;
  beforeEach(async () => {
    ctiPort = await freePort();
    t = await startTestServer({ config: config(ctiPort) });
  });
  afterEach(async () => t.stop());

  const activityOf = (agent: string) => t.server.acd.agentStatus([agent])[0]?.activity;
  const waitingIn = (queue: string) => t.server.acd.queueStats([queue])[0]?.waiting;

  it('keeps the agent in wrap-up for wrapUpSeconds: a call arriving meanwhile waits, then is offered to them', async () => {
    t.server.acd.login('1002', ['wrap'], { ready: true });
    const phone = await agentPhone(t, '1002', 'answer.xml', 2);
    const first = await queueCall(t, DID.wrap, 'wrap');
    assert.equal(takenBy(first), '1002');
    const since = Date.now();
    const caller = callFrom1001(t, DID.wrap, 6000);
    const callId = await callEntering(t, 'wrap', since);
    await until(() => waitingIn('wrap') === 1, 'the second call waiting');
    assert.equal(activityOf('1002'), 'wrapUp', 'the only agent is in wrap-up, so the call waits');
    ran(await caller, 'the second caller');
    ran(await phone.done, '1002 answered both calls');
    const second = await queueLogOf(t, callId, 'COMPLETECALLER');
    assert.equal(takenBy(second), '1002');
    const gap = rowOf(second, 'CONNECT').time - rowOf(first, 'COMPLETECALLER').time;
    assert.ok(gap >= WRAP_UP_SECONDS * 1000, `offered again only after the wrap-up (${gap} ms)`);
  });

  it('ends a manual wrap-up only when the agent sends wrapUpDone from the desktop', async () => {
    const desk = await TestCtiClient.connect(ctiPort, TOKEN);
    try {
      for (const type of ['login', 'ready']) {
        const resp = await desk.request({ type, ...(type === 'login' ? { queues: ['manual'] } : {}) });
        assert.ok(resp.ok, `${type}: ${JSON.stringify(resp)}`);
      }
      const phone = await agentPhone(t, '1002', 'answer.xml', 2);
      assert.equal(takenBy(await queueCall(t, DID.manual, 'manual')), '1002');
      const since = Date.now();
      const caller = callFrom1001(t, DID.manual, 6000);
      const callId = await callEntering(t, 'manual', since);
      const inWrapUp = (e: CtiEvent) => e.event === 'agentStateChanged' && e.status.activity === 'wrapUp';
      await desk.until(() => desk.events.some(inWrapUp), 5000);
      await pause(2000); // longer than any timer would hold it
      assert.equal(activityOf('1002'), 'wrapUp', 'still in wrap-up');
      assert.equal(waitingIn('manual'), 1, 'the second call still waits');
      const done = Date.now();
      const resp = await desk.request({ type: 'wrapUpDone' });
      assert.ok(resp.ok, `wrapUpDone: ${JSON.stringify(resp)}`);
      ran(await caller, 'the second caller');
      ran(await phone.done, '1002 answered both calls');
      const rows = await queueLogOf(t, callId, 'COMPLETECALLER');
      assert.equal(takenBy(rows), '1002');
      assert.ok(rowOf(rows, 'CONNECT').time >= done, 'connected after wrapUpDone');
    } finally {
      await desk.close();
    }
  });

  it('sends the call that finds the queue too long to the overflow target, logging EXITEMPTY', async () => {
    const target = await agentPhone(t, '1003', 'answer.xml');
    let since = Date.now();
    const waiter = callFrom1001(t, DID.short, 4000); // no agent in `short`: this caller waits
    const waiterId = await callEntering(t, 'short', since);
    await until(() => waitingIn('short') === 1, 'the first call waiting');
    since = Date.now();
    ran(await callFrom1001(t, DID.short, 1500), 'the second caller');
    const overflowId = await callEntering(t, 'short', since);
    ran(await target.done, '1003 took the overflowing call');
    ran(await waiter, 'the caller who waited');
    const rows = await queueLogOf(t, overflowId, 'EXITEMPTY');
    assert.deepEqual(events(rows), ['ENTERQUEUE:NONE', 'EXITEMPTY:NONE']);
    const cdr = await cdrWhere(t, since, (c) => c.callId === overflowId);
    assert.equal(cdr.callee, '1003');
    assert.equal(cdr.data?.['queueResult'], 'overflow');
    const waited = await queueLogOf(t, waiterId, 'ABANDON');
    assert.deepEqual(events(waited), ['ENTERQUEUE:NONE', 'ABANDON:NONE'], 'the first call kept its place');
  });

  it('waits in both queues a route names; the agent who frees first in either takes the call', async () => {
    t.server.acd.login('1002', ['first'], { ready: false });
    t.server.acd.login('1003', ['second'], { ready: false });
    const phone = await agentPhone(t, '1003', 'answer.xml');
    const since = Date.now();
    const caller = callFrom1001(t, DID.both, 4000);
    const callId = await callEntering(t, 'first', since);
    await until(() => waitingIn('first') === 1 && waitingIn('second') === 1, 'the call waiting in both');
    t.server.acd.ready('1003');
    ran(await caller, 'the caller');
    ran(await phone.done, '1003 answered');
    const rows = await queueLogOf(t, callId, 'COMPLETECALLER');
    assert.deepEqual(
      rows.map((r) => `${r.event}:${r.queue}:${r.agent}`),
      [
        'ENTERQUEUE:first:NONE',
        'ENTERQUEUE:second:NONE',
        'CONNECT:second:1003',
        'COMPLETECALLER:second:1003',
      ],
    );
    const cdr = await cdrWhere(t, since, (c) => c.callId === callId);
    assert.equal(cdr.data?.['agent'], '1003');
    assert.equal(cdr.data?.['queue'], 'second');
    const [first, second] = t.server.acd.queueStats(['first', 'second']);
    assert.deepEqual([first?.offered, first?.answered, first?.waiting], [1, 0, 0]);
    assert.deepEqual([second?.offered, second?.answered, second?.waiting], [1, 1, 0]);
  });
});
