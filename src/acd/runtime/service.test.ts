import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { CallControl } from '../../call/control/control.js';
import type { Speech } from '../../call/control/speech.js';
import type { AgentStatus, QueueStats } from '../../cti/protocol.js';
import { FakeClock } from '../../platform/clock.js';
import { parseConfig } from '../../platform/config/index.js';
import { createLogger } from '../../platform/log.js';
import type { QueueLogEntry } from '../../report/queue-log.js';
import { AcdService } from './service.js';
import type { AcdAgentStatus, AcdEvent, AcdQueueStats } from './types.js';

// The ACD's shapes are the CTI protocol's, field for field (checked at compile time).
const _status: AgentStatus = {} as AcdAgentStatus;
const _stats: QueueStats = {} as AcdQueueStats;
void _status;
void _stats;

function rig(acd: Record<string, unknown> = {}) {
  const clock = new FakeClock();
  const rows: QueueLogEntry[] = [];
  const events: AcdEvent[] = [];
  let config = parseConfig(
    JSON.stringify({
      acd: {
        queues: [{ name: 'sales' }, { name: 'support' }],
        agents: [
          { agent: '1002', skills: { en: 5 }, queues: [{ queue: 'sales' }, { queue: 'support', tier: 2 }] },
        ],
        ...acd,
      },
    }),
    'test',
  );
  const service = new AcdService({
    control: { ctx: { clock }, onLegAttached: () => () => {} } as unknown as CallControl,
    speech: {} as Speech,
    config: () => config.acd,
    musicOnHold: () => Promise.resolve([]),
    prompts: () => Promise.resolve([]),
    queueLog: [{ append: (e) => Promise.resolve(void rows.push(e)) }],
    route: () => Promise.resolve(),
    contactsOf: () => [],
    logger: createLogger({ level: 'silent' }),
  });
  service.subscribe((e) => events.push(e));
  return {
    clock,
    rows,
    events,
    service,
    reload: (next: Record<string, unknown>) =>
      (config = parseConfig(JSON.stringify({ acd: next }), 'reloaded')),
  };
}

const logged = (rows: readonly QueueLogEntry[]) =>
  rows.map((r) => `${r.event}:${r.queue}:${r.data.join(',')}`);

describe('AcdService agents', () => {
  it('logs an agent in to its configured queues, not ready, with AGENTLOGIN and a paused ADDMEMBER per queue', () => {
    const { service, rows } = rig();
    const status = service.login('1002');
    assert.equal(status.presence, 'notReady');
    assert.equal(status.reason, 'LOGIN');
    assert.deepEqual(status.queues, ['sales', 'support']);
    assert.deepEqual(logged(rows), [
      'AGENTLOGIN:sales:1002',
      'ADDMEMBER:sales:PAUSED',
      'AGENTLOGIN:support:1002',
      'ADDMEMBER:support:PAUSED',
    ]);
  });

  it('writes PAUSE with the reason, UNPAUSE, then REMOVEMEMBER and AGENTLOGOFF with the logged-in time', () => {
    const { service, rows, clock } = rig();
    service.login('1002', ['sales'], { ready: true });
    rows.length = 0;
    service.notReady('1002', 'LUNCH');
    service.ready('1002');
    clock.advance(90_000);
    const out = service.logout('1002');
    assert.equal(out.presence, 'loggedOut');
    assert.deepEqual(logged(rows), [
      'PAUSE:sales:LUNCH',
      'UNPAUSE:sales:',
      'REMOVEMEMBER:sales:',
      'AGENTLOGOFF:sales:1002,90',
    ]);
  });

  it('logs in an extension without configuration to the queues it names, and refuses one with none', () => {
    const { service } = rig();
    assert.deepEqual(service.login('1003', ['support'], { ready: true }).queues, ['support']);
    assert.throws(
      () => service.login('1004'),
      (e: Error & { code?: string }) => e.code === 'ACD_INVALID',
    );
  });

  it('refuses an unknown queue with the dispatcher’s coded error', () => {
    const { service } = rig();
    assert.throws(
      () => service.login('1003', ['nowhere']),
      (e: Error & { code?: string }) => e.code === 'ACD_UNKNOWN_QUEUE',
    );
  });

  it('tells listeners of each state change, shaped for the CTI', () => {
    const { service, events, clock } = rig();
    service.login('1002', ['sales']);
    clock.advance(1000);
    service.ready('1002');
    const states = events.flatMap((e) => (e.event === 'agentStateChanged' ? [e.status] : []));
    assert.deepEqual(
      states.map((s) => `${s.presence}/${s.activity}`),
      ['notReady/idle', 'ready/idle'],
    );
    assert.equal(states[1]?.since, clock.now());
  });

  it('answers status and statistics only for agents and queues it knows', () => {
    const { service } = rig();
    service.login('1002', ['sales'], { ready: true });
    assert.deepEqual(
      service.agentStatus(['1002', 'ghost']).map((s) => s.agent),
      ['1002'],
    );
    const stats = service.queueStats(['sales', 'ghost']);
    assert.equal(stats.length, 1);
    assert.equal(stats[0]?.agentsLoggedIn, 1);
    assert.equal(stats[0]?.agentsReady, 1);
    assert.equal(stats[0]?.serviceLevel, null);
  });

  it("gives today's figures of every queue and known agent, and starts a new day at local midnight", () => {
    const { service, clock } = rig();
    service.login('1002', ['sales'], { ready: false });
    service.notReady('1002', 'LUNCH');
    clock.advance(60_000);
    service.ready('1002');
    clock.advance(30_000);
    const day1 = service.stats();
    assert.deepEqual(
      day1.queues.map((q) => q.queue),
      ['sales', 'support'],
    );
    assert.equal(day1.queues[0]?.agentsReady, 1);
    assert.equal(day1.queues[0]?.asaMs, null, 'no call answered yet');
    const agent = day1.agents[0];
    assert.equal(agent?.agent, '1002');
    assert.equal(agent?.timeInStateMs['notReady(LUNCH)/idle'], 60_000);
    assert.equal(agent?.timeInStateMs['ready/idle'], 30_000);
    assert.deepEqual(service.stats(['support'], ['ghost']), {
      queues: [service.queueStats(['support'])[0]],
      agents: [],
    });
    const midnight = new Date(clock.now());
    midnight.setHours(24, 0, 0, 0);
    clock.advance(midnight.getTime() - clock.now() + 10_000);
    const day2 = service.stats([], ['1002']).agents[0];
    assert.deepEqual(day2?.timeInStateMs, { 'ready/idle': 10_000 }, 'only the time since midnight');
    assert.equal(day2?.since, agent?.since, 'the status keeps when the state began');
  });

  it('applies a queue added by a reload to the next operation', () => {
    const { service, reload } = rig();
    reload({ queues: [{ name: 'sales' }, { name: 'vip' }] });
    assert.deepEqual(service.login('1003', ['vip']).queues, ['vip']);
  });

  it('the desk-phone codes and default reason follow the configuration', () => {
    const { service } = rig({ featureCodes: { login: '*70' }, reasonCodes: ['AWAY'] });
    assert.equal(service.featureCodes().login, '*70');
    assert.equal(service.featureCodes().logout, '*61');
    assert.equal(service.defaultReason(), 'AWAY');
  });
});
