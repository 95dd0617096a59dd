import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { offers, readyAgent, T0, testDispatcher } from './testing.js';
import type { Decision, QueueCallInit } from './types.js';

const S = 1000;
const MIN = 60 * S;
const call = (id: string, queues: string[], extra: Partial<QueueCallInit> = {}): QueueCallInit => ({
  id,
  callerNumber: '13800138000',
  priority: 50,
  queues,
  ...extra,
});
const kinds = (ds: readonly Decision[]) => ds.map((d) => d.kind);

describe('Dispatcher: overflow', () => {
  it('by waiting time: to voicemail after T seconds, leaving the ACD', () => {
    const d = testDispatcher([
      { name: 'q', overflow: [{ when: { waitedSeconds: 60 }, to: { type: 'voicemail', mailbox: '8000' } }] },
    ]);
    d.callArrived(call('c1', ['q']), T0);
    assert.deepEqual(d.tick(T0 + 59 * S), []);
    const out = d.tick(T0 + 60 * S);
    assert.deepEqual(out, [
      {
        kind: 'overflow',
        callId: 'c1',
        queue: 'q',
        to: { type: 'voicemail', mailbox: '8000' },
        rule: 'waited',
      },
    ]);
    assert.equal(d.size().calls, 0);
    assert.equal(d.queueSnapshot('q', T0 + 60 * S).today.overflowed, 1);
  });

  it('by waiting time into another queue, where a free agent takes it', () => {
    const d = testDispatcher([
      { name: 'q', overflow: [{ when: { waitedSeconds: 30 }, to: { type: 'queue', queue: 'backup' } }] },
      { name: 'backup' },
    ]);
    d.callArrived(call('c1', ['q']), T0);
    readyAgent(d, 'x', ['backup'], T0 + S);
    const out = d.tick(T0 + 30 * S);
    assert.deepEqual(kinds(out), ['overflow', 'offer']);
    assert.deepEqual(offers(out), [{ callId: 'c1', agentIds: ['x'], queue: 'backup' }]);
  });

  it('by queue length: a call that finds N waiting goes elsewhere at once', () => {
    const d = testDispatcher([
      { name: 'q', overflow: [{ when: { lengthAtLeast: 2 }, to: { type: 'external', number: '95588' } }] },
    ]);
    assert.deepEqual(d.callArrived(call('c1', ['q']), T0), []);
    assert.deepEqual(d.callArrived(call('c2', ['q']), T0), []);
    const out = d.callArrived(call('c3', ['q']), T0);
    assert.deepEqual(out, [
      {
        kind: 'overflow',
        callId: 'c3',
        queue: 'q',
        to: { type: 'external', number: '95588' },
        rule: 'length',
      },
    ]);
    assert.equal(d.queueSnapshot('q', T0).waiting, 2);
  });

  it('by service level: new calls go to the backup queue while the recent service level is below X %', () => {
    const d = testDispatcher([
      {
        name: 'q',
        serviceLevelSeconds: 20,
        overflow: [{ when: { serviceLevelBelow: 80, minCalls: 2 }, to: { type: 'queue', queue: 'backup' } }],
      },
      { name: 'backup' },
    ]);
    d.callArrived(call('c1', ['q']), T0);
    d.callArrived(call('c2', ['q']), T0);
    // Both callers give up after 30 s: 0 % answered within 20 s.
    d.callLeft('c1', 'abandoned', T0 + 30 * S);
    assert.deepEqual(kinds(d.callArrived(call('c3', ['q']), T0 + 31 * S)), []);
    d.callLeft('c2', 'abandoned', T0 + 32 * S);
    const out = d.callArrived(call('c4', ['q']), T0 + 33 * S);
    assert.deepEqual(out, [
      {
        kind: 'overflow',
        callId: 'c4',
        queue: 'q',
        to: { type: 'queue', queue: 'backup' },
        rule: 'serviceLevel',
      },
    ]);
    assert.equal(d.queueSnapshot('backup', T0 + 33 * S).waiting, 1);
  });

  it('refuses a call when the queue is at its maximum length, and times out a call at its maximum wait', () => {
    const d = testDispatcher([
      { name: 'q', maxLength: 1, maxWaitSeconds: 120, onMaxWait: { type: 'voicemail', mailbox: '1' } },
    ]);
    d.callArrived(call('c1', ['q']), T0);
    assert.deepEqual(d.callArrived(call('c2', ['q']), T0), [
      { kind: 'rejected', callId: 'c2', queue: 'q', reason: 'full' },
    ]);
    assert.deepEqual(d.tick(T0 + 120 * S), [
      {
        kind: 'timeout',
        callId: 'c1',
        queue: 'q',
        to: { type: 'voicemail', mailbox: '1' },
        stillWaiting: false,
      },
    ]);
    assert.equal(d.size().calls, 0);
  });
});

describe('Dispatcher: priority', () => {
  it('serves VIP first, then higher priority, then the longest waiting', () => {
    const d = testDispatcher([{ name: 'q', vipPriority: 90, wrapUpSeconds: 0 }]);
    d.callArrived(call('plain', ['q']), T0);
    d.callArrived(call('high', ['q'], { priority: 70 }), T0 + S);
    d.callArrived(call('vip', ['q'], { vip: true }), T0 + 2 * S);
    d.callArrived(call('plain2', ['q']), T0 + 3 * S);
    assert.equal(d.position('vip', 'q', T0 + 4 * S), 1);
    const order: string[] = [];
    let out = readyAgent(d, 'a', ['q'], T0 + 5 * S);
    for (let i = 0; i < 4; i++) {
      const o = offers(out)[0]!;
      order.push(o.callId);
      d.offerAccepted(o.callId, 'a', T0 + 6 * S);
      out = d.agentChanged('a', { type: 'hangup' }, T0 + 7 * S);
    }
    assert.deepEqual(order, ['vip', 'high', 'plain', 'plain2']);
  });

  it('ages priority with waiting time: an old low-priority call overtakes a newer higher one', () => {
    const setup = (perMinute: number) => {
      const d = testDispatcher([{ name: 'q', aging: { perMinute, max: 100 } }]);
      d.callArrived(call('old', ['q'], { priority: 40 }), T0);
      d.callArrived(call('new', ['q'], { priority: 60 }), T0 + 4 * MIN);
      return offers(readyAgent(d, 'a', ['q'], T0 + 4 * MIN + S))[0]!.callId;
    };
    assert.equal(setup(0), 'new');
    // 40 + 10/min × 4 min = 80 > 60.
    assert.equal(setup(10), 'old');
  });

  it('caps aging at the formula maximum, so a capped call cannot pass a VIP', () => {
    const d = testDispatcher([{ name: 'q', vipPriority: 90, aging: { perMinute: 10, max: 80 } }]);
    d.callArrived(call('old', ['q'], { priority: 40 }), T0);
    d.callArrived(call('vip', ['q'], { vip: true }), T0 + 30 * MIN);
    assert.equal(offers(readyAgent(d, 'a', ['q'], T0 + 30 * MIN + S))[0]!.callId, 'vip');
  });

  it('lets a supervisor move a call to the front by setting its priority', () => {
    const d = testDispatcher([{ name: 'q' }]);
    d.callArrived(call('c1', ['q']), T0);
    d.callArrived(call('c2', ['q']), T0 + S);
    d.setPriority('c2', 100, T0 + 2 * S);
    assert.equal(d.position('c2', 'q', T0 + 3 * S), 1);
    assert.equal(offers(readyAgent(d, 'a', ['q'], T0 + 4 * S))[0]!.callId, 'c2');
  });
});

describe('Dispatcher: last agent (呼叫记忆)', () => {
  const Q = { name: 'q', lastAgent: { hours: 24, waitSeconds: 30 }, wrapUpSeconds: 0 };
  const hint = (at: number) => ({ lastAgent: { agentId: 'fav', at } });

  it('offers the call to the last agent when free, even if another agent is idle longer', () => {
    const d = testDispatcher([Q]);
    readyAgent(d, 'other', ['q'], T0 - 600 * S);
    readyAgent(d, 'fav', ['q'], T0);
    const out = d.callArrived(call('c1', ['q'], hint(T0 - 3600 * S)), T0 + S);
    assert.deepEqual(out, [{ kind: 'offer', callId: 'c1', queue: 'q', agentIds: ['fav'], lastAgent: true }]);
  });

  it('waits up to T seconds for the busy last agent and gives the call to them when they free up', () => {
    const d = testDispatcher([Q]);
    readyAgent(d, 'other', ['q'], T0);
    readyAgent(d, 'fav', ['q'], T0 + S);
    assert.deepEqual(offers(d.callArrived(call('first', ['q']), T0 + S))[0]!.agentIds, ['other']);
    assert.deepEqual(offers(d.callArrived(call('x', ['q']), T0 + S))[0]!.agentIds, ['fav']);
    d.offerAccepted('first', 'other', T0 + S);
    d.offerAccepted('x', 'fav', T0 + S);
    // Both busy now; free "other" first: the held call must not go to them.
    assert.deepEqual(offers(d.callArrived(call('c1', ['q'], hint(T0)), T0 + 2 * S)), []);
    assert.deepEqual(offers(d.agentChanged('other', { type: 'hangup' }, T0 + 10 * S)), []);
    assert.deepEqual(offers(d.agentChanged('fav', { type: 'hangup' }, T0 + 20 * S)), [
      { callId: 'c1', agentIds: ['fav'], queue: 'q' },
    ]);
  });

  it('falls back to any agent after T seconds', () => {
    const d = testDispatcher([Q]);
    readyAgent(d, 'fav', ['q'], T0);
    readyAgent(d, 'other', ['q'], T0);
    d.agentChanged('fav', { type: 'outboundStart' }, T0);
    assert.deepEqual(d.callArrived(call('c1', ['q'], hint(T0)), T0 + S), []);
    assert.deepEqual(d.tick(T0 + 30 * S), []);
    assert.deepEqual(offers(d.tick(T0 + 31 * S)), [{ callId: 'c1', agentIds: ['other'], queue: 'q' }]);
  });

  it('does not wait for a logged-out last agent, nor after N hours', () => {
    const d = testDispatcher([Q]);
    readyAgent(d, 'other', ['q'], T0);
    d.addAgent({ id: 'fav', name: 'fav', skills: {} }, T0);
    assert.deepEqual(offers(d.callArrived(call('c1', ['q'], hint(T0)), T0 + S))[0]!.agentIds, ['other']);
    const d2 = testDispatcher([Q]);
    readyAgent(d2, 'other', ['q'], T0);
    readyAgent(d2, 'fav', ['q'], T0 + S);
    assert.deepEqual(
      offers(d2.callArrived(call('c1', ['q'], hint(T0 - 25 * 3600 * S)), T0 + 2 * S))[0]!.agentIds,
      ['other'],
    );
  });
});

describe('Dispatcher: several queues at once', () => {
  it('a call waiting in two queues is taken by the first agent of either', () => {
    const d = testDispatcher([{ name: 'sales' }, { name: 'service' }, { name: 'vip' }]);
    d.callArrived(call('c1', ['sales', 'service', 'vip']), T0);
    assert.equal(d.queueSnapshot('service', T0).waiting, 1);
    const out = readyAgent(d, 'svc', ['service'], T0 + 5 * S);
    assert.deepEqual(offers(out), [{ callId: 'c1', agentIds: ['svc'], queue: 'service' }]);
    d.offerAccepted('c1', 'svc', T0 + 6 * S);
    assert.equal(d.queueSnapshot('sales', T0 + 6 * S).waiting, 0);
    assert.equal(d.queueSnapshot('sales', T0 + 6 * S).today.answeredElsewhere, 1);
    assert.equal(d.queueSnapshot('service', T0 + 6 * S).today.answered, 1);
  });

  it('on arrival, the first queue (in the call order) with a free agent offers it', () => {
    const d = testDispatcher([{ name: 'a' }, { name: 'b' }]);
    readyAgent(d, 'inB', ['b'], T0);
    assert.deepEqual(offers(d.callArrived(call('c1', ['a', 'b']), T0 + S)), [
      { callId: 'c1', agentIds: ['inB'], queue: 'b' },
    ]);
  });

  it('matches skills with minimum levels: a waiting call goes only to an agent who qualifies', () => {
    const d = testDispatcher([{ name: 'q' }]);
    d.callArrived(call('en', ['q'], { skills: { english: 6 } }), T0);
    d.callArrived(call('any', ['q']), T0 + S);
    assert.equal(offers(readyAgent(d, 'weak', ['q'], T0 + 2 * S, { english: 5 }))[0]!.callId, 'any');
    assert.equal(offers(readyAgent(d, 'fluent', ['q'], T0 + 3 * S, { english: 8 }))[0]!.callId, 'en');
  });
});

describe('Dispatcher: abandonment, announcements and statistics', () => {
  it('a caller hanging up while ringing cancels the offer and frees the agent', () => {
    const d = testDispatcher([{ name: 'q' }]);
    readyAgent(d, 'a', ['q'], T0);
    d.callArrived(call('c1', ['q']), T0);
    const out = d.callLeft('c1', 'abandoned', T0 + 5 * S);
    assert.deepEqual(out, [{ kind: 'cancelOffer', callId: 'c1', agentIds: ['a'] }]);
    assert.deepEqual(d.agent('a').state, { presence: { kind: 'ready' }, activity: 'idle' });
    assert.equal(d.queueSnapshot('q', T0 + 5 * S).today.abandonedWithinSl, 1);
  });

  it('announces position and an estimated wait from recent handle times and staffing', () => {
    const d = testDispatcher([
      { name: 'q', wrapUpSeconds: 0, announce: { everySeconds: 30 }, defaultHandleSeconds: 100 },
    ]);
    readyAgent(d, 'a', ['q'], T0);
    readyAgent(d, 'b', ['q'], T0);
    d.callArrived(call('busyA', ['q']), T0);
    d.callArrived(call('busyB', ['q']), T0);
    d.offerAccepted('busyA', 'a', T0);
    d.offerAccepted('busyB', 'b', T0);
    d.callArrived(call('c1', ['q']), T0 + S);
    d.callArrived(call('c2', ['q']), T0 + 2 * S);
    const out = d.tick(T0 + 32 * S);
    // 2 staffed agents, none idle, 100 s per call: position 1 waits 50 s, position 2 100 s.
    assert.deepEqual(out, [
      { kind: 'announce', callId: 'c1', queue: 'q', position: 1, estimatedWaitSeconds: 50 },
      { kind: 'announce', callId: 'c2', queue: 'q', position: 2, estimatedWaitSeconds: 100 },
    ]);
  });

  it('reports waiting, longest wait, agents per state, service level, ASA and AHT', () => {
    const d = testDispatcher([{ name: 'q', wrapUpSeconds: 0, serviceLevelSeconds: 20 }]);
    readyAgent(d, 'a', ['q'], T0);
    d.addAgent({ id: 'n', name: 'n', skills: {} }, T0);
    d.login('n', [{ queue: 'q' }], T0);
    d.callArrived(call('fast', ['q']), T0);
    d.offerAccepted('fast', 'a', T0 + 10 * S);
    d.callArrived(call('slow', ['q']), T0 + 20 * S);
    d.agentChanged('a', { type: 'hangup' }, T0 + 70 * S);
    d.offerAccepted('slow', 'a', T0 + 75 * S);
    d.callArrived(call('waits', ['q']), T0 + 80 * S);
    const snap = d.queueSnapshot('q', T0 + 100 * S);
    assert.equal(snap.waiting, 1);
    assert.equal(snap.longestWaitSeconds, 20);
    assert.deepEqual(snap.agents, {
      loggedIn: 2,
      ready: 1,
      notReady: 1,
      available: 0,
      reserved: 0,
      talking: 1,
      held: 0,
      wrapUp: 0,
      outbound: 0,
    });
    assert.equal(snap.today.offered, 3);
    assert.equal(snap.today.answered, 2);
    assert.equal(snap.today.serviceLevel, 50); // 10 s in, 55 s out
    assert.equal(snap.today.asaSeconds, 32.5);
    assert.equal(snap.today.ahtSeconds, 60);
    assert.equal(d.agentSnapshot('a', T0 + 100 * S).answered, 2);
  });
});
