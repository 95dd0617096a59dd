/**
 * Who is answered first, through the runtime with fake legs: VIP callers (call data `vip`),
 * a supervisor's setCallPriority, and last-agent routing from memory and from the lookup.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Call } from '../../call/control/call.js';
import type { Leg } from '../../call/control/leg.js';
import type { LastAgentLookup } from './last-agent.js';
import { acdRig, FakeLeg, flush } from './test-rig.js';

function rig(queue: Record<string, unknown>, lastAgent?: LastAgentLookup) {
  const r = acdRig(queue, { deps: lastAgent ? { lastAgent, lastAgentTimeoutMs: 200 } : {} });
  return {
    clock: r.clock,
    service: r.service,
    offered: () => r.events.flatMap((e) => (e.event === 'callOffered' ? [e] : [])),
    /** A caller from `number` enters the queue; `data` is the call data routing gave it. */
    async enter(id: string, number: string, data: Record<string, string | number | boolean> = {}) {
      await r.enter(id, number, data);
      r.clock.advance(1000);
    },
    /** The agent rung last answers, talks, and hangs up; wrap-up (0 s) ends. */
    async talk(agent: string) {
      await r.answer(agent);
      r.agentLeg(agent).hangup(200, 'remote');
      r.clock.advance(1000);
      await flush();
    },
  };
}

describe('AcdService: the order callers are answered in', () => {
  it('answers a VIP (call data) before earlier, higher-priority callers, and a call a supervisor raised before all', async () => {
    const r = rig({ vipPriority: 90 });
    r.service.login('1002');
    await r.enter('first', '13800000001');
    await r.enter('high', '13800000002', { priority: 50 });
    await r.enter('vip', '13900009999', { vip: true, priority: 10 });
    r.service.setCallPriority('first', 100);
    r.service.ready('1002');
    for (let i = 0; i < 3; i++) await r.talk('1002');
    assert.deepEqual(
      r.offered().map((e) => e.callId),
      ['first', 'vip', 'high'],
    );
    assert.equal(r.offered()[1]?.data['vip'], true, 'the screen pop shows the VIP');
    assert.equal(r.offered()[2]?.data['vip'], undefined);
  });

  it('returns a supervisor-raised call to its own priority when the override is cleared', async () => {
    const r = rig({});
    r.service.login('1002');
    await r.enter('first', '13800000001');
    await r.enter('second', '13800000002');
    r.service.setCallPriority('second', 100);
    r.service.setCallPriority('second', undefined);
    r.service.ready('1002');
    await r.talk('1002');
    assert.equal(r.offered()[0]?.callId, 'first');
  });

  it('offers a returning caller to the agent who talked to them, though another is idle longer', async () => {
    const r = rig({ lastAgent: { hours: 24, waitSeconds: 20 } });
    r.service.login('1003', undefined, { ready: true });
    await r.enter('a1', '13800138000');
    await flush();
    r.service.login('1002', undefined, { ready: true }); // idle from now: longer than 1003 will be
    await r.talk('1003');
    await r.enter('a2', '13800138000');
    assert.deepEqual(
      r.offered().map((e) => `${e.callId}:${e.agent}`),
      ['a1:1003', 'a2:1003'],
    );
  });

  it('without last-agent routing, the same caller goes to the longest-idle agent', async () => {
    const r = rig({});
    r.service.login('1003', undefined, { ready: true });
    await r.enter('a1', '13800138000');
    r.service.login('1002', undefined, { ready: true });
    await r.talk('1003');
    await r.enter('a2', '13800138000');
    assert.deepEqual(
      r.offered().map((e) => `${e.callId}:${e.agent}`),
      ['a1:1003', 'a2:1002'],
    );
  });

  it('takes the hint from the lookup (the CDRs) when memory has none', async () => {
    const asked: string[] = [];
    const r = rig({ lastAgent: { hours: 24, waitSeconds: 20 } }, (caller, since) => {
      asked.push(caller);
      return Promise.resolve(caller === '13800138000' ? { agentId: '1003', at: since + 1000 } : undefined);
    });
    r.service.login('1002', undefined, { ready: true });
    r.clock.advance(60_000);
    r.service.login('1003', undefined, { ready: true });
    await r.enter('a', '13800138000');
    assert.deepEqual(asked, ['13800138000']);
    assert.deepEqual(
      r.offered().map((e) => `${e.callId}:${e.agent}`),
      ['a:1003'],
    );
  });

  it('queues the caller without a hint when the lookup does not answer in time', async () => {
    const r = rig({ lastAgent: { hours: 24, waitSeconds: 20 } }, () => new Promise(() => {}));
    r.service.login('1002', undefined, { ready: true });
    r.clock.advance(60_000);
    r.service.login('1003', undefined, { ready: true });
    const call = new Call({ number: '13800138000' }, '96120', r.clock.now(), 'slow');
    const entered = r.service.enqueue(call, new FakeLeg('13800138000') as unknown as Leg, { queues: ['q'] });
    await flush();
    assert.equal(r.service.queueStats(['q'])[0]?.offered, 0, 'still looking up');
    r.clock.advance(200);
    await entered;
    await flush();
    assert.deepEqual(
      r.offered().map((e) => `${e.callId}:${e.agent}`),
      ['slow:1002'],
    );
  });
});
