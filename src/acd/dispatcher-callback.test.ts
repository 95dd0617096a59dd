import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { offers, readyAgent, T0, testDispatcher } from './testing.js';
import type { Decision, QueueCallInit } from './types.js';

const S = 1000;
const call = (id: string, extra: Partial<QueueCallInit> = {}): QueueCallInit => ({
  id,
  callerNumber: '13800138000',
  priority: 50,
  queues: ['q'],
  ...extra,
});
const kinds = (ds: readonly Decision[]) => ds.map((d) => d.kind);

describe('Dispatcher: queue callback', () => {
  it('keeps a caller who asked for a callback in place, past overflow, max wait and announcements', () => {
    const d = testDispatcher([
      {
        name: 'q',
        maxWaitSeconds: 120,
        onMaxWait: { type: 'voicemail', mailbox: '8000' },
        overflow: [{ when: { waitedSeconds: 60 }, to: { type: 'external', number: '95588' } }],
        announce: { everySeconds: 30 },
      },
    ]);
    d.callArrived(call('c1'), T0);
    d.callArrived(call('c2'), T0 + S);
    d.toCallback('c1');
    const later = d.tick(T0 + 200 * S);
    assert.deepEqual(
      later.filter((x) => 'callId' in x && x.callId === 'c1'),
      [],
      'no rule applies to the callback',
    );
    assert.ok(kinds(later).includes('overflow'), 'c2 still overflows');
    assert.equal(d.position('c1', 'q', T0 + 200 * S), 1);
    const out = readyAgent(d, 'a', ['q'], T0 + 201 * S);
    assert.deepEqual(offers(out), [{ callId: 'c1', agentIds: ['a'], queue: 'q' }]);
  });

  it('overflow by waiting time to a callback keeps the call in its queue, ahead of later callers', () => {
    const d = testDispatcher([
      { name: 'q', overflow: [{ when: { waitedSeconds: 30 }, to: { type: 'callback' } }] },
    ]);
    d.callArrived(call('c1'), T0);
    d.callArrived(call('c2'), T0 + 10 * S);
    const out = d.tick(T0 + 30 * S);
    assert.deepEqual(out, [
      { kind: 'overflow', callId: 'c1', queue: 'q', to: { type: 'callback' }, rule: 'waited' },
    ]);
    assert.deepEqual(
      d.tick(T0 + 100 * S).map((x) => 'callId' in x && x.callId),
      ['c2'],
    );
    assert.equal(d.size().calls, 2, 'both still queued');
    const first = readyAgent(d, 'a', ['q'], T0 + 101 * S);
    assert.deepEqual(offers(first), [{ callId: 'c1', agentIds: ['a'], queue: 'q' }]);
  });

  it('overflow by length to a callback seats the caller anyway', () => {
    const d = testDispatcher([
      { name: 'q', overflow: [{ when: { lengthAtLeast: 1 }, to: { type: 'callback' } }] },
    ]);
    assert.deepEqual(d.callArrived(call('c1'), T0), []);
    const out = d.callArrived(call('c2'), T0 + S);
    assert.deepEqual(out, [
      { kind: 'overflow', callId: 'c2', queue: 'q', to: { type: 'callback' }, rule: 'length' },
    ]);
    assert.equal(d.queueSnapshot('q', T0 + S).waiting, 2);
    assert.equal(d.position('c2', 'q', T0 + S), 2);
  });

  it('max wait to a callback: the call stays, flagged, and is offered when an agent is free', () => {
    const d = testDispatcher([{ name: 'q', maxWaitSeconds: 60, onMaxWait: { type: 'callback' } }]);
    d.callArrived(call('c1'), T0);
    const out = d.tick(T0 + 60 * S);
    assert.deepEqual(out, [
      { kind: 'timeout', callId: 'c1', queue: 'q', to: { type: 'callback' }, stillWaiting: true },
    ]);
    assert.deepEqual(d.tick(T0 + 600 * S), []);
    assert.deepEqual(offers(readyAgent(d, 'a', ['q'], T0 + 601 * S)), [
      { callId: 'c1', agentIds: ['a'], queue: 'q' },
    ]);
  });

  it('a callback re-entering after a failed attempt is not turned away by the length rule', () => {
    const d = testDispatcher([
      {
        name: 'q',
        maxLength: 1,
        overflow: [{ when: { lengthAtLeast: 1 }, to: { type: 'external', number: '95588' } }],
      },
    ]);
    d.callArrived(call('c1'), T0);
    assert.deepEqual(d.callArrived(call('c2', { callback: true }), T0 + S), []);
    assert.equal(d.queueSnapshot('q', T0 + S).waiting, 2);
  });
});
