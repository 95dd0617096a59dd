/**
 * Who is answered first, through the runtime with fake legs: VIP callers (call data `vip`),
 * a supervisor's setCallPriority, and last-agent routing from memory and from the lookup.
 */
import assert from 'node:assert/strict';
import { EventEmitter } from 'node:events';
import { describe, it } from 'node:test';
import { Call } from '../../call/control/call.js';
import type { CallControl } from '../../call/control/control.js';
import type { Leg } from '../../call/control/leg.js';
import type { Speech } from '../../call/control/speech.js';
import { FakeClock } from '../../platform/clock.js';
import { parseConfig } from '../../platform/config/index.js';
import { createLogger } from '../../platform/log.js';
import type { LastAgentLookup } from './last-agent.js';
import { AcdService } from './service.js';
import type { AcdEvent } from './types.js';

/** Just enough of a leg for the ACD: play, hang up, answer. */
class FakeLeg extends EventEmitter {
  readonly id: string;
  isEnded = false;
  isUp = false;
  ended: { by: 'remote' | 'local'; status: number } | undefined;
  constructor(readonly number: string) {
    super();
    this.id = `leg-${number}-${Math.random()}`;
  }
  startPlay(): void {}
  stopPlay(): Promise<void> {
    return Promise.resolve();
  }
  play(): Promise<object> {
    return Promise.resolve({});
  }
  answer(): void {
    this.isUp = true;
    this.emit('answered');
  }
  hangup(status = 200, by: 'remote' | 'local' = 'local'): void {
    if (this.isEnded) return;
    this.isEnded = true;
    this.ended = { by, status };
    this.emit('ended', this.ended);
  }
}

const flush = () => new Promise((r) => setImmediate(r));

function rig(queue: Record<string, unknown>, lastAgent?: LastAgentLookup) {
  const clock = new FakeClock();
  const events: AcdEvent[] = [];
  const agentLegs = new Map<string, FakeLeg>();
  const control = {
    ctx: { clock },
    onLegAttached: () => () => {},
    markAnswered: () => {},
    originate: (_call: Call, agent: string) => {
      const leg = new FakeLeg(agent);
      agentLegs.set(agent, leg);
      return Promise.resolve(leg);
    },
    answered: (leg: FakeLeg) =>
      new Promise<boolean>((resolve) => {
        leg.once('answered', () => resolve(true));
        leg.once('ended', () => resolve(false));
      }),
    bridge: () => Promise.resolve(),
  };
  const config = parseConfig(
    JSON.stringify({
      acd: {
        queues: [{ name: 'q', wrapUpSeconds: 0, ...queue }],
        agents: [
          { agent: '1002', queues: [{ queue: 'q' }] },
          { agent: '1003', queues: [{ queue: 'q' }] },
        ],
      },
    }),
    'test',
  );
  const service = new AcdService({
    control: control as unknown as CallControl,
    speech: {} as Speech,
    config: () => config.acd,
    musicOnHold: () => Promise.resolve([]),
    prompts: () => Promise.resolve([]),
    queueLog: [{ append: () => Promise.resolve() }],
    route: () => Promise.resolve(),
    contactsOf: () => [{ requestUri: {}, dest: {} }] as never,
    logger: createLogger({ level: 'silent' }),
    ...(lastAgent ? { lastAgent, lastAgentTimeoutMs: 200 } : {}),
  });
  service.subscribe((e) => events.push(e));
  const offered = () => events.flatMap((e) => (e.event === 'callOffered' ? [e] : []));
  return {
    clock,
    service,
    offered,
    /** A caller from `number` enters the queue; `data` is the call data routing gave it. */
    async enter(id: string, number: string, data: Record<string, string | number | boolean> = {}) {
      const call = new Call({ number }, '96120', clock.now(), id);
      for (const [k, v] of Object.entries(data)) call.setData(k, v);
      await service.enqueue(call, new FakeLeg(number) as unknown as Leg, { queues: ['q'] });
      await flush();
      clock.advance(1000);
    },
    /** The agent rung last answers, talks, and hangs up; wrap-up (0 s) ends. */
    async talk(agent: string) {
      await flush();
      agentLegs.get(agent)!.answer();
      await flush();
      agentLegs.get(agent)!.hangup(200, 'remote');
      clock.advance(1000);
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
