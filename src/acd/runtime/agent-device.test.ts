/**
 * Agents' devices through the runtime with fake legs: a persistent connection dialled once
 * and handed two calls in a row (auto-answer and the desktop's answer), the agent hanging it
 * up, a mobile agent dialled through the router, and the agent number said to the caller
 * before the bridge.
 */
import assert from 'node:assert/strict';
import { EventEmitter } from 'node:events';
import { describe, it } from 'node:test';
import { Call } from '../../call/control/call.js';
import type { CallControl } from '../../call/control/control.js';
import type { Leg } from '../../call/control/leg.js';
import type { Speech } from '../../call/control/speech.js';
import type { PlayItem } from '../../media/index.js';
import { FakeClock } from '../../platform/clock.js';
import { parseConfig } from '../../platform/config/index.js';
import { createLogger } from '../../platform/log.js';
import { acdSchema } from '../config-schema.js';
import { deviceOf } from './agent-device.js';
import { AcdService } from './service.js';
import type { DialNumber } from './types.js';

/** Just enough of a leg: plays are recorded, hangups end it. */
class FakeLeg extends EventEmitter {
  readonly id: string;
  callId = '';
  isEnded = false;
  isUp = false;
  ended: { by: 'remote' | 'local'; status: number } | undefined;
  readonly played: string[] = [];
  constructor(readonly number: string) {
    super();
    this.id = `leg-${number}-${Math.random()}`;
  }
  startPlay(items: readonly PlayItem[]): void {
    void this.play(items);
  }
  stopPlay(): Promise<void> {
    return Promise.resolve();
  }
  play(items: readonly PlayItem[]): Promise<string> {
    for (const i of items) this.played.push('tone' in i ? i.tone : 'file' in i ? i.file : 'silence');
    return Promise.resolve('finished');
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

const flush = async () => {
  for (let i = 0; i < 5; i++) await new Promise((r) => setImmediate(r));
};

function rig(agent: Record<string, unknown>, queue: Record<string, unknown> = {}) {
  const clock = new FakeClock();
  const originated: FakeLeg[] = [];
  const bridges: string[] = [];
  const dialled: string[] = [];
  const order: string[] = [];
  const control = {
    ctx: { clock },
    onLegAttached: () => () => {},
    deps: { ringTimeoutMs: 30_000 },
    markAnswered: () => {},
    createCall: (caller: { number: string }, callee: string) => new Call(caller, callee, clock.now()),
    originate: (call: Call, number: string) => {
      const leg = new FakeLeg(number);
      leg.callId = call.id;
      originated.push(leg);
      return Promise.resolve(leg);
    },
    answered: (leg: FakeLeg) =>
      leg.isUp
        ? Promise.resolve(true)
        : new Promise<boolean>((resolve) => {
            leg.once('answered', () => resolve(true));
            leg.once('ended', () => resolve(false));
          }),
    bridge: (a: FakeLeg, b: FakeLeg) => {
      bridges.push(`${a.number}<>${b.number}`);
      order.push('bridge');
      return Promise.resolve();
    },
    protect: () => {},
    unbridge: () => Promise.resolve(),
    hangupCall: () => {},
  };
  const dial: DialNumber = (call, number) => {
    dialled.push(number);
    const leg = new FakeLeg(number);
    leg.answer();
    return Promise.resolve({ leg: leg as unknown as Leg });
  };
  const speech = {
    prompt: (id: string, params: Record<string, unknown>) => {
      order.push(`${id} ${String(params['digits'])}`);
      return Promise.resolve([{ file: `${id}-${String(params['digits'])}` }]);
    },
  };
  const config = parseConfig(
    JSON.stringify({
      acd: {
        queues: [{ name: 'q', wrapUpSeconds: 0, ringTimeoutSeconds: 10, ...queue }],
        agents: [{ agent: '1002', queues: [{ queue: 'q' }], ...agent }],
      },
    }),
    'test',
  );
  const service = new AcdService({
    control: control as unknown as CallControl,
    speech: speech as unknown as Speech,
    config: () => config.acd,
    musicOnHold: () => Promise.resolve([{ file: 'moh.wav' }]),
    prompts: () => Promise.resolve([]),
    queueLog: [{ append: () => Promise.resolve() }],
    route: () => Promise.resolve(),
    contactsOf: (n) => (n === '1002' ? [{} as never] : []),
    dial,
    logger: createLogger({ level: 'silent' }),
  });
  const caller = async (number: string) => {
    const call = new Call({ number }, 'q', clock.now());
    const leg = new FakeLeg(number);
    leg.callId = call.id;
    await service.enqueue(call, leg as unknown as Leg, { queues: ['q'] });
    return { call, leg };
  };
  const status = () => service.agentStatus(['1002'])[0];
  return { clock, service, originated, bridges, dialled, order, caller, status, config };
}

describe('agent devices', () => {
  it('dials a persistent connection once and hands it two calls in a row, beeping and answering automatically', async () => {
    const r = rig({ device: { type: 'phone', persistent: { autoAnswerMs: 500, idle: 'music' } } });
    const login = r.service.login('1002', undefined, { ready: true });
    assert.equal(login.presence, 'notReady', 'not ready until the connection is up');
    await r.clock.advance(0);
    await flush();
    assert.equal(r.originated.length, 1, 'the phone is called at login');
    r.originated[0]!.answer();
    await flush();
    assert.equal(r.status()?.presence, 'ready');
    const open = r.originated[0]!;
    assert.deepEqual(open.played, ['moh.wav'], 'music between calls');

    for (const number of ['13800000001', '13800000002']) {
      const { leg } = await r.caller(number);
      await flush();
      assert.equal(r.status()?.activity, 'ringing', 'offered on the open leg');
      assert.equal(open.played.at(-1), 'callWaiting', 'a beep instead of ringing');
      r.clock.advance(499);
      await flush();
      assert.equal(r.status()?.activity, 'ringing');
      r.clock.advance(1);
      await flush();
      assert.equal(r.status()?.activity, 'onCall');
      leg.hangup(200, 'remote');
      await flush();
      assert.equal(r.status()?.activity, 'idle');
      assert.equal(open.isEnded, false, 'the connection outlives the call');
    }
    assert.equal(r.originated.length, 1, 'no new call to the phone');
    assert.deepEqual(r.bridges, ['13800000001<>1002', '13800000002<>1002']);
    assert.equal(open.played.at(-1), 'moh.wav', 'music again after the last call');

    r.service.logout('1002');
    assert.equal(open.isEnded, true, 'logout hangs the connection up');
  });

  it('waits for the desktop’s answer without auto-answer, and keeps the connection when the agent leaves the call', async () => {
    const r = rig({ device: { persistent: {} } });
    r.service.login('1002', undefined, { ready: true });
    await flush();
    r.originated[0]!.answer();
    await flush();
    const { call, leg } = await r.caller('13800000003');
    await flush();
    assert.equal(
      r.service.agentLeg(call.id, '1002'),
      r.originated[0],
      'the call is the agent’s: its leg is the open one, in a call of its own',
    );
    r.clock.advance(5_000);
    await flush();
    assert.equal(r.status()?.activity, 'ringing', 'no auto-answer');
    assert.equal(r.service.answerOffer('another-call', '1002'), false);
    assert.equal(r.service.answerOffer(call.id, '1002'), true);
    await flush();
    assert.equal(r.status()?.activity, 'onCall');
    // The desktop's hangup: the ACD records the agent's choice, the connection leaves the
    // call, and the CTI then releases the caller.
    assert.equal(r.service.agentReleased(call.id, '1002', 'agent'), true);
    assert.equal(r.service.releaseConnection(r.originated[0]! as unknown as Leg), true);
    assert.equal(leg.isEnded, false, 'leaving does not hang the caller up');
    leg.hangup(200);
    await flush();
    assert.equal(r.originated[0]!.isEnded, false, 'the connection stays');
    assert.equal(r.status()?.activity, 'idle');
    assert.equal(r.service.agentLeg(call.id, '1002'), undefined, 'no longer the agent’s call');
  });

  it('makes the agent not ready (DEVICE_DISCONNECTED) when it hangs the connection up', async () => {
    const r = rig({ device: { persistent: { autoAnswerMs: 0 } } });
    r.service.login('1002', undefined, { ready: true });
    await flush();
    r.originated[0]!.answer();
    await flush();
    r.originated[0]!.hangup(200, 'remote');
    await flush();
    assert.equal(r.status()?.presence, 'notReady');
    assert.equal(r.status()?.reason, 'DEVICE_DISCONNECTED');
    r.service.ready('1002');
    await flush();
    assert.equal(r.originated.length, 2, 'going ready dials the device again');
    assert.equal(r.status()?.presence, 'notReady');
    r.originated[1]!.answer();
    await flush();
    assert.equal(r.status()?.presence, 'ready');
  });

  it('dials a mobile agent through the router and tells the caller its number before the bridge', async () => {
    const r = rig(
      { device: { type: 'external', number: '13900139000' }, workNumber: '8001' },
      { announceAgent: true },
    );
    r.service.login('1002', undefined, { ready: true });
    const { leg } = await r.caller('13800000004');
    await flush();
    assert.deepEqual(r.dialled, ['13900139000']);
    assert.deepEqual(r.order, ['agent-number 8001', 'bridge']);
    assert.equal(leg.played.at(-1), 'agent-number-8001', 'the caller heard it (after the queue music)');
    assert.deepEqual(r.bridges, ['13800000004<>13900139000']);
  });

  it('rings the device named at login (CTI login.device) instead of the phone, until logout', async () => {
    const r = rig({});
    r.service.login('1002', undefined, { ready: true, device: { type: 'external', number: '13911112222' } });
    const { leg } = await r.caller('13800000005');
    await flush();
    assert.deepEqual(r.dialled, ['13911112222']);
    assert.equal(r.originated.length, 0, 'the phone did not ring');
    leg.hangup(200, 'remote');
    await flush();
    r.service.logout('1002');
    r.service.login('1002', undefined, { ready: true });
    await r.caller('13800000006');
    await flush();
    assert.equal(r.originated.length, 1, 'back to the phone after logout');
  });

  it('refuses an external device without its number, and a persistent auto-answer out of range', () => {
    const parse = (device: unknown) =>
      acdSchema.safeParse({ agents: [{ agent: '1002', device }] }).error?.issues.map((i) => i.path.join('.'));
    assert.deepEqual(parse({ type: 'external' }), ['agents.0.device.number']);
    assert.deepEqual(parse({ persistent: { autoAnswerMs: 61_000 } }), [
      'agents.0.device.persistent.autoAnswerMs',
    ]);
    assert.equal(parse({ type: 'external', number: '13900139000', persistent: {} }), undefined);
  });

  it('takes the device named at login over the configured one, keeping its persistence', () => {
    const { config } = rig({ device: { type: 'phone', persistent: { autoAnswerMs: 0 } } });
    assert.deepEqual(deviceOf(config.acd, '1002', { type: 'external', number: '13900139000' }), {
      type: 'external',
      number: '13900139000',
      persistent: { autoAnswerMs: 0, idle: 'silence' },
    });
    assert.deepEqual(deviceOf(config.acd, '1009'), { type: 'phone' });
  });
});
