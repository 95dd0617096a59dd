import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { AcdError } from './errors.js';
import { offers, readyAgent, T0, testDispatcher } from './testing.js';
import type { QueueCallInit } from './types.js';

const S = 1000;
const call = (id: string, queues: string[], extra: Partial<QueueCallInit> = {}): QueueCallInit => ({
  id,
  callerNumber: '13800138000',
  priority: 50,
  queues,
  ...extra,
});

describe('Dispatcher: offering and answering', () => {
  it('offers a new call to the longest-idle ready agent at once', () => {
    const d = testDispatcher([{ name: 'q' }]);
    readyAgent(d, 'a', ['q'], T0);
    readyAgent(d, 'b', ['q'], T0 - 60 * S);
    // Neither has taken a call yet: idle time counts from becoming ready, and b was first.
    const out = d.callArrived(call('c1', ['q']), T0 + S);
    assert.deepEqual(offers(out), [{ callId: 'c1', agentIds: ['b'], queue: 'q' }]);
    assert.equal(d.agent('b').state.activity, 'reserved');
  });

  it("counts an agent's calls and talk time from its login, and its daily figures from midnight", () => {
    const d = testDispatcher([{ name: 'q', wrapUpSeconds: 0 }]);
    readyAgent(d, 'a', ['q'], T0);
    d.callArrived(call('c1', ['q']), T0);
    d.offerAccepted('c1', 'a', T0 + S);
    d.agentChanged('a', { type: 'hangup' }, T0 + 61 * S);
    assert.equal(d.agent('a').callsTaken, 1);
    assert.equal(d.agent('a').talkTimeMs, 60 * S);
    d.agentChanged('a', { type: 'logout' }, T0 + 70 * S);
    d.login('a', [{ queue: 'q' }], T0 + 80 * S, true);
    assert.equal(d.agent('a').callsTaken, 0, 'fewestCalls starts again at login');
    assert.equal(d.agent('a').talkTimeMs, 0);
    const today = d.agentSnapshot('a', T0 + 90 * S);
    assert.equal(today.answered, 1, 'the day still holds the call');
    assert.equal(today.talkTimeSeconds, 60);
    d.resetDay(T0 + 100 * S);
    const tomorrow = d.agentSnapshot('a', T0 + 110 * S);
    assert.equal(tomorrow.answered, 0);
    assert.deepEqual(tomorrow.timeInStateSeconds, { 'ready/idle': 10 });
  });

  it('gives a freed agent the waiting call instead of ringing anyone', () => {
    const d = testDispatcher([{ name: 'q', wrapUpSeconds: 0 }]);
    readyAgent(d, 'a', ['q'], T0);
    d.callArrived(call('c1', ['q']), T0);
    d.offerAccepted('c1', 'a', T0 + S);
    assert.deepEqual(offers(d.callArrived(call('c2', ['q']), T0 + 2 * S)), []);
    assert.equal(d.queueSnapshot('q', T0 + 2 * S).waiting, 1);
    const out = d.agentChanged('a', { type: 'hangup' }, T0 + 60 * S);
    assert.deepEqual(offers(out), [{ callId: 'c2', agentIds: ['a'], queue: 'q' }]);
  });

  it('ring-all: rings everyone; the first to answer takes it and the others are released', () => {
    const d = testDispatcher([{ name: 'q', strategy: 'ringAll' }]);
    for (const id of ['a', 'b', 'c']) readyAgent(d, id, ['q'], T0);
    const [offer] = offers(d.callArrived(call('c1', ['q']), T0 + S));
    assert.deepEqual([...offer!.agentIds].sort(), ['a', 'b', 'c']);
    const out = d.offerAccepted('c1', 'b', T0 + 3 * S);
    const cancel = out.find((x) => x.kind === 'cancelOffer');
    assert.deepEqual(cancel && [...cancel.agentIds].sort(), ['a', 'c']);
    assert.equal(d.agent('a').state.activity, 'idle');
    assert.equal(d.agent('b').state.activity, 'talking');
  });

  it('rejects an answer from an agent the call is not offered to, with a code', () => {
    const d = testDispatcher([{ name: 'q' }]);
    readyAgent(d, 'a', ['q'], T0);
    readyAgent(d, 'b', ['q'], T0 + S);
    d.callArrived(call('c1', ['q']), T0 + 2 * S);
    assert.throws(
      () => d.offerAccepted('c1', 'b', T0 + 3 * S),
      (e: unknown) => e instanceof AcdError && e.code === 'ACD_NO_SUCH_OFFER',
    );
    assert.throws(
      () => d.callArrived(call('c9', ['nope']), T0),
      (e: unknown) => e instanceof AcdError && e.code === 'ACD_UNKNOWN_QUEUE',
    );
    assert.throws(
      () => d.callArrived(call('c1', ['q']), T0),
      (e: unknown) => e instanceof AcdError && e.code === 'ACD_DUPLICATE',
    );
    assert.throws(
      () => d.callArrived(call('c8', ['q'], { priority: 101 }), T0),
      (e: unknown) => e instanceof AcdError && e.code === 'ACD_INVALID',
    );
  });

  it('applies a live strategy change to the next decision', () => {
    const d = testDispatcher([{ name: 'q', strategy: 'longestIdle' }]);
    readyAgent(d, 'a', [{ queue: 'q', position: 2 }], T0);
    readyAgent(d, 'b', [{ queue: 'q', position: 1 }], T0 + S);
    d.setQueue({ ...d.queueConfig('q'), strategy: 'linear' });
    assert.deepEqual(offers(d.callArrived(call('c1', ['q']), T0 + 2 * S))[0]!.agentIds, ['b']);
  });
});

describe('Dispatcher: ring-no-answer (RONA)', () => {
  it('makes the agent not ready (RONA) after the ring timeout and puts the call back at the head', () => {
    const d = testDispatcher([{ name: 'q', strategy: 'linear', ringTimeoutSeconds: 15, wrapUpSeconds: 0 }]);
    readyAgent(d, 'a', [{ queue: 'q', position: 1 }], T0);
    readyAgent(d, 'b', [{ queue: 'q', position: 2 }], T0);
    d.callArrived(call('c1', ['q']), T0);
    d.callArrived(call('c2', ['q']), T0 + S);
    d.offerAccepted('c2', 'b', T0 + 2 * S);
    // A VIP call arrives while c1 still rings a.
    d.callArrived(call('vip', ['q'], { priority: 99 }), T0 + 3 * S);
    assert.deepEqual(d.tick(T0 + 14 * S), []);
    const out = d.tick(T0 + 15 * S);
    assert.deepEqual(d.agent('a').state, {
      presence: { kind: 'notReady', reason: 'RONA' },
      activity: 'idle',
    });
    assert.ok(out.some((x) => x.kind === 'agentState' && x.agentId === 'a'));
    assert.equal(d.position('c1', 'q', T0 + 15 * S), 1);
    // b frees up: the returned call goes before the VIP that was waiting.
    assert.deepEqual(offers(d.agentChanged('b', { type: 'hangup' }, T0 + 20 * S)), [
      { callId: 'c1', agentIds: ['b'], queue: 'q' },
    ]);
  });

  it('re-offers at once to another free agent after an explicit rejection', () => {
    const d = testDispatcher([{ name: 'q', strategy: 'linear' }]);
    readyAgent(d, 'a', [{ queue: 'q', position: 1 }], T0);
    readyAgent(d, 'b', [{ queue: 'q', position: 2 }], T0);
    d.callArrived(call('c1', ['q']), T0);
    const out = d.offerRejected('c1', 'a', 'failed', T0 + 2 * S);
    assert.deepEqual(d.agent('a').state.presence, { kind: 'notReady', reason: 'DEVICE_FAILED' });
    assert.deepEqual(offers(out), [{ callId: 'c1', agentIds: ['b'], queue: 'q' }]);
  });
});

describe('Dispatcher: wrap-up', () => {
  it('timed wrap-up: the agent is ready again after the queue wrap-up seconds and takes the next call', () => {
    const d = testDispatcher([{ name: 'q', wrapUpSeconds: 30 }]);
    readyAgent(d, 'a', ['q'], T0);
    d.callArrived(call('c1', ['q']), T0);
    d.offerAccepted('c1', 'a', T0 + S);
    d.agentChanged('a', { type: 'hangup' }, T0 + 100 * S);
    assert.equal(d.agent('a').state.activity, 'wrapUp');
    d.callArrived(call('c2', ['q']), T0 + 101 * S);
    assert.deepEqual(d.tick(T0 + 129 * S), []);
    assert.equal(d.nextDeadline(), T0 + 130 * S);
    const out = d.tick(T0 + 130 * S);
    assert.deepEqual(offers(out), [{ callId: 'c2', agentIds: ['a'], queue: 'q' }]);
    assert.equal(d.agentSnapshot('a', T0 + 130 * S).ahtSeconds, 129);
  });

  it('manual wrap-up: lasts until the agent ends it', () => {
    const d = testDispatcher([{ name: 'q', wrapUpSeconds: 'manual' }]);
    readyAgent(d, 'a', ['q'], T0);
    d.callArrived(call('c1', ['q']), T0);
    d.offerAccepted('c1', 'a', T0 + S);
    d.agentChanged('a', { type: 'hangup' }, T0 + 10 * S);
    d.callArrived(call('c2', ['q']), T0 + 11 * S);
    assert.deepEqual(offers(d.tick(T0 + 3600 * S)), []);
    assert.equal(d.agent('a').state.activity, 'wrapUp');
    assert.deepEqual(offers(d.agentChanged('a', { type: 'wrapUpDone' }, T0 + 3601 * S))[0]?.callId, 'c2');
  });
});
