/**
 * What a supervisor's seat sees of waiting calls and does to them, through the runtime with
 * fake legs: `callQueued` when a call starts to wait somewhere, moving it to another queue
 * or to an agent's extension, and picking it up (代接).
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Destination } from '../../routing/types.js';
import { acdRig, flush } from './test-rig.js';
import type { AcdEvent } from './types.js';

type Queued = Extract<AcdEvent, { event: 'callQueued' }>;
type Ended = Extract<AcdEvent, { event: 'callEnded' }>;

function seat() {
  const routed: Destination[] = [];
  const r = acdRig(
    {},
    {
      acd: {
        queues: [
          { name: 'sales', wrapUpSeconds: 0 },
          { name: 'support', wrapUpSeconds: 0 },
        ],
        agents: [
          { agent: '1002', queues: [{ queue: 'sales' }] },
          { agent: '1003', queues: [{ queue: 'support' }] },
        ],
      },
      deps: { route: (_call, _leg, to) => Promise.resolve(void routed.push(to)) },
    },
  );
  r.service.login('1002'); // not ready: sales callers wait
  r.service.login('1003'); // not ready in support
  const queued = () => r.events.filter((e): e is Queued => e.event === 'callQueued');
  const ended = () => r.events.filter((e): e is Ended => e.event === 'callEnded');
  const logged = () =>
    r.rows.filter((row) => row.callId !== 'NONE').map((row) => `${row.event}:${row.queue}:${row.agent}`);
  return { ...r, routed, queued, ended, logged };
}

describe('a supervisor and the waiting calls', () => {
  it('tells the watchers of a queue of each call that waits there, with its position, priority and data', async () => {
    const s = seat();
    await s.enter('c1', '13800000001', { did: '96120', vip: true }, 'sales');
    await s.enter('c2', '13800000002', {}, 'sales');
    const [first, second] = s.queued();
    assert.deepEqual(
      [first?.callId, first?.queue, first?.position, first?.caller.number, first?.called],
      ['c1', 'sales', 1, '13800000001', '96120'],
    );
    assert.equal(first?.data['vip'], true, 'the VIP mark for the seat');
    assert.deepEqual([second?.callId, second?.position, second?.priority], ['c2', 2, 0]);
  });

  it('moves a waiting call to another queue: gone from the first (callEnded moved), waiting in the other, offered there', async () => {
    const s = seat();
    await s.enter('c1', '13800000001', {}, 'sales');
    s.service.ready('1003');
    await s.service.moveCall('c1', { type: 'queue', queue: 'support', priority: 40 });
    await flush();
    const left = s.ended().find((e) => e.callId === 'c1');
    assert.deepEqual([left?.queue, left?.by, left?.cause], ['sales', 'system', 'moved']);
    const there = s.queued().find((e) => e.queue === 'support');
    assert.deepEqual([there?.callId, there?.position, there?.priority], ['c1', 1, 40]);
    assert.equal(s.service.queueStats(['sales'])[0]?.waiting, 0);
    await s.answer('1003');
    assert.deepEqual(s.logged(), [
      'ENTERQUEUE:sales:NONE',
      'ENTERQUEUE:support:NONE',
      'CONNECT:support:1003',
    ]);
  });

  it("moves a waiting call to an agent: out of the ACD and on to the agent's extension", async () => {
    const s = seat();
    await s.enter('c1', '13800000001', {}, 'sales');
    await s.service.moveCall('c1', { type: 'agent', agent: '1002' });
    await flush();
    assert.deepEqual(s.routed, [{ type: 'extension', number: '1002' }]);
    const left = s.ended().find((e) => e.callId === 'c1');
    assert.deepEqual([left?.queue, left?.cause], ['sales', 'moved']);
    assert.equal(s.call('c1').data['queueResult'], 'moved');
    assert.equal(s.service.queueStats(['sales'])[0]?.waiting, 0);
  });

  it('refuses to move or pick up a call that is not waiting', async () => {
    const s = seat();
    await assert.rejects(s.service.moveCall('nope', { type: 'queue', queue: 'support' }), {
      code: 'ACD_UNKNOWN_CALL',
    });
    await assert.rejects(s.service.pickup('nope', '1009'), { code: 'ACD_UNKNOWN_CALL' });
  });

  it('picks a waiting call up for a supervisor: CONNECT names the supervisor, the queue empties', async () => {
    const s = seat();
    await s.enter('c1', '13800000001', {}, 'sales');
    s.clock.advance(4_000);
    const { call, leg } = await s.service.pickup('c1', '1009');
    assert.equal(call.id, 'c1');
    assert.equal(leg, s.callerLeg('c1') as unknown);
    assert.deepEqual(s.logged(), ['ENTERQUEUE:sales:NONE', 'CONNECT:sales:1009']);
    const connect = s.rows.find((row) => row.event === 'CONNECT');
    assert.equal(connect?.data[0], '4', 'the hold time in seconds');
    const left = s.ended().find((e) => e.callId === 'c1');
    assert.deepEqual([left?.by, left?.cause], ['system', 'pickedUp']);
    assert.equal(s.service.queueStats(['sales'])[0]?.waiting, 0);
    assert.equal(call.data['queueResult'], 'pickedUp');
  });
});
