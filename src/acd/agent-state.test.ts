import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ACTIVITY_TABLE, PRESENCE_TABLE, stateCode, transition, type AgentEvent } from './agent-state.js';
import { AcdError } from './errors.js';
import type { Activity, AgentState } from './types.js';

function parse(code: string): AgentState {
  const [p, activity] = code.split('/') as [string, Activity];
  const m = /^notReady\((.*)\)$/.exec(p);
  const presence = m ? { kind: 'notReady' as const, reason: m[1]! } : { kind: p as 'ready' | 'loggedOut' };
  return { presence, activity };
}

/** Every legal move, written out: [from, event, to]. */
const LEGAL: readonly [string, AgentEvent, string][] = [
  ['loggedOut/idle', { type: 'login' }, 'notReady(LOGIN)/idle'],
  ['loggedOut/idle', { type: 'login', ready: true }, 'ready/idle'],
  ['ready/idle', { type: 'notReady', reason: 'LUNCH' }, 'notReady(LUNCH)/idle'],
  ['ready/idle', { type: 'logout' }, 'loggedOut/idle'],
  ['ready/wrapUp', { type: 'logout' }, 'loggedOut/idle'],
  ['ready/talking', { type: 'forceNotReady' }, 'notReady(SUPERVISOR)/talking'],
  ['ready/reserved', { type: 'forceLogout' }, 'loggedOut/idle'],
  ['ready/talking', { type: 'forceLogout' }, 'loggedOut/talking'],
  ['notReady(LUNCH)/idle', { type: 'ready' }, 'ready/idle'],
  ['notReady(LUNCH)/idle', { type: 'notReady', reason: 'BREAK' }, 'notReady(BREAK)/idle'],
  ['notReady(LUNCH)/idle', { type: 'logout' }, 'loggedOut/idle'],
  ['notReady(RONA)/idle', { type: 'forceReady' }, 'ready/idle'],
  ['notReady(LUNCH)/idle', { type: 'forceNotReady', reason: 'MEETING' }, 'notReady(MEETING)/idle'],
  ['notReady(LUNCH)/held', { type: 'forceLogout' }, 'loggedOut/held'],
  ['ready/talking', { type: 'notReady', reason: 'BREAK' }, 'notReady(BREAK)/talking'],
  ['ready/idle', { type: 'reserve', callId: 'c1' }, 'ready/reserved'],
  ['ready/idle', { type: 'outboundStart' }, 'ready/outbound'],
  ['notReady(BREAK)/idle', { type: 'outboundStart' }, 'notReady(BREAK)/outbound'],
  ['ready/reserved', { type: 'answer' }, 'ready/talking'],
  ['ready/reserved', { type: 'ronaTimeout' }, 'notReady(RONA)/idle'],
  ['ready/reserved', { type: 'ronaTimeout', reason: 'DEVICE_FAILED' }, 'notReady(DEVICE_FAILED)/idle'],
  ['ready/reserved', { type: 'offerCancelled' }, 'ready/idle'],
  ['ready/reserved', { type: 'hangup' }, 'ready/idle'],
  ['ready/talking', { type: 'hold' }, 'ready/held'],
  ['ready/held', { type: 'retrieve' }, 'ready/talking'],
  ['ready/talking', { type: 'hangup', wrapUpSeconds: 10 }, 'ready/wrapUp'],
  ['ready/talking', { type: 'hangup', wrapUpSeconds: 'manual' }, 'ready/wrapUp'],
  ['ready/talking', { type: 'hangup', wrapUpSeconds: 0 }, 'ready/idle'],
  ['loggedOut/talking', { type: 'hangup', wrapUpSeconds: 10 }, 'loggedOut/idle'],
  ['ready/held', { type: 'hangup', wrapUpSeconds: 5 }, 'ready/wrapUp'],
  ['ready/wrapUp', { type: 'wrapUpDone' }, 'ready/idle'],
  ['notReady(BREAK)/wrapUp', { type: 'wrapUpTimeout' }, 'notReady(BREAK)/idle'],
  ['ready/wrapUp', { type: 'outboundStart' }, 'ready/outbound'],
  ['ready/outbound', { type: 'outboundEnd', wrapUpSeconds: 30 }, 'ready/wrapUp'],
  ['ready/outbound', { type: 'outboundEnd' }, 'ready/idle'],
];

describe('agent state machine', () => {
  for (const [from, event, to] of LEGAL) {
    it(`${from} --${event.type}--> ${to}`, () => {
      assert.equal(stateCode(transition(parse(from), event).next), to);
    });
  }

  it('covers every entry of both tables with at least one legal case', () => {
    const covered = new Set(LEGAL.map(([from, e]) => `${from}|${e.type}`));
    const seen = (space: 'p' | 'a', state: string, event: string): boolean =>
      [...covered].some((c) => {
        const [code, ev] = c.split('|') as [string, string];
        const s = parse(code);
        return ev === event && (space === 'p' ? s.presence.kind === state : s.activity === state);
      });
    for (const [state, row] of Object.entries(PRESENCE_TABLE)) {
      for (const event of Object.keys(row))
        assert.ok(seen('p', state, event), `presence ${state} × ${event}`);
    }
    for (const [state, row] of Object.entries(ACTIVITY_TABLE)) {
      for (const event of Object.keys(row))
        assert.ok(seen('a', state, event), `activity ${state} × ${event}`);
    }
  });

  it('throws a coded error naming the state and the event for an illegal move', () => {
    const cases: [string, AgentEvent][] = [
      ['loggedOut/idle', { type: 'ready' }],
      ['notReady(LUNCH)/idle', { type: 'reserve', callId: 'c1' }],
      ['ready/talking', { type: 'logout' }],
      ['ready/idle', { type: 'answer' }],
      ['ready/wrapUp', { type: 'reserve', callId: 'c1' }],
      ['loggedOut/idle', { type: 'outboundStart' }],
      ['ready/idle', { type: 'login' }],
    ];
    for (const [from, event] of cases) {
      assert.throws(
        () => transition(parse(from), event),
        (e: unknown) =>
          e instanceof AcdError &&
          e.code === 'ACD_ILLEGAL_AGENT_TRANSITION' &&
          e.message.includes(`"${event.type}"`) &&
          e.message.includes(`"${from}"`),
        `${from} × ${event.type}`,
      );
    }
  });

  it('reports becoming available, leaving availability, wrap-up timers and cancelled offers', () => {
    assert.deepEqual(transition(parse('notReady(LUNCH)/idle'), { type: 'ready' }).effects, [
      { kind: 'available' },
    ]);
    assert.deepEqual(transition(parse('ready/idle'), { type: 'reserve', callId: 'c' }).effects, [
      { kind: 'unavailable' },
    ]);
    assert.deepEqual(transition(parse('ready/talking'), { type: 'hangup', wrapUpSeconds: 15 }).effects, [
      { kind: 'startWrapUpTimer', seconds: 15 },
    ]);
    assert.deepEqual(
      transition(parse('ready/talking'), { type: 'hangup', wrapUpSeconds: 'manual' }).effects,
      [],
    );
    assert.deepEqual(transition(parse('ready/wrapUp'), { type: 'wrapUpTimeout' }).effects, [
      { kind: 'available' },
    ]);
    assert.deepEqual(transition(parse('ready/reserved'), { type: 'forceLogout' }).effects, [
      { kind: 'cancelOffer' },
    ]);
  });
});
