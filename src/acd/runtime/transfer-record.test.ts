import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Leg } from '../../call/control/leg.js';
import type { QueueLogEntry } from '../../report/queue-log.js';
import { acdRig, flush } from './test-rig.js';

/** Queue `sales` (30 s wrap-up) with agent 1002, queue `support` with agent 1003; the queue log kept. */
function rig() {
  const r = acdRig(
    {},
    {
      acd: {
        queues: [{ name: 'sales', wrapUpSeconds: 30 }, { name: 'support' }],
        agents: [
          { agent: '1002', queues: [{ queue: 'sales' }] },
          { agent: '1003', queues: [{ queue: 'support' }] },
        ],
      },
    },
  );
  return {
    ...r,
    get call() {
      return r.call('c1');
    },
    get callerLeg() {
      return r.callerLeg('c1') as unknown as Leg;
    },
    activity: (agent: string) => r.service.agentStatus([agent])[0]?.activity,
    /** 1002 (ready) answers call c1 from `sales` after 4 s of waiting; then 10 s of talk. */
    async talking() {
      r.service.login('1002', undefined, { ready: true });
      await r.enter('c1', '13800000001', {}, 'sales');
      r.clock.advance(4_000);
      await flush();
      r.agentLeg('1002').answer();
      await flush();
      r.clock.advance(10_000);
      r.rows.length = 0;
    },
  };
}

const logged = (rows: readonly QueueLogEntry[]) =>
  rows.map((r) => `${r.event}:${r.queue}:${r.agent}:${r.data.join(',')}`);

describe('AcdService: an agent transfers its queue call', () => {
  it('writes TRANSFER (where to, hold and talk time, position) instead of a completion and starts wrap-up', async () => {
    const r = rig();
    await r.talking();
    assert.equal(r.service.agentTransferred('c1', '1002', '1003'), true);
    r.agentLeg('1002').hangup(200); // the CTI releases the agent's leg next
    await flush();
    assert.deepEqual(logged(r.rows), ['TRANSFER:sales:1002:1003,hotline,4,10,1']);
    assert.equal(r.activity('1002'), 'wrapUp');
    const ended = r.events.find((e) => e.event === 'callEnded' && e.agent === '1002');
    assert.deepEqual(ended && [ended.event === 'callEnded' && ended.cause], ['transferred']);
  });

  it('ignores a transfer by an agent who is not talking on that call', async () => {
    const r = rig();
    await r.talking();
    assert.equal(r.service.agentTransferred('c1', '1003', '1001'), false);
    assert.equal(r.service.agentTransferred('other', '1002', '1001'), false);
    assert.deepEqual(r.rows, []);
    assert.equal(r.activity('1002'), 'onCall');
  });

  it('keeps a call transferred into another queue waiting there after the agent leaves', async () => {
    const r = rig();
    await r.talking();
    r.service.login('1003', undefined, { ready: false });
    await r.service.enqueue(r.call, r.callerLeg, { queues: ['support'] });
    r.service.agentTransferred('c1', '1002', 'support');
    r.agentLeg('1002').hangup(200);
    await flush();
    assert.deepEqual(r.service.callAgents('c1'), [], 'still the ACD’s call, waiting in support');
    r.service.ready('1003');
    await flush();
    assert.deepEqual(r.service.callAgents('c1'), ['1003'], 'offered to support’s agent');
    const events = logged(r.rows).map((row) => row.split(':').slice(0, 3).join(':'));
    assert.deepEqual(
      events.filter((e) => /^(TRANSFER|ENTERQUEUE)/.test(e)),
      ['TRANSFER:sales:1002', 'ENTERQUEUE:support:NONE'],
      'the agent hands the call on, then it enters the queue',
    );
    assert.equal(events.filter((e) => e.startsWith('TRANSFER')).length, 1, 'written once');
    const offered = r.events.findLast((e) => e.event === 'callOffered');
    assert.equal(
      offered?.event === 'callOffered' && offered.data['agent'],
      undefined,
      'not 1002’s call any more',
    );
    assert.equal(offered?.event === 'callOffered' && offered.data['previousAgent'], '1002');
  });
});
