import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Agent, AgentState, StrategyName } from '../types.js';
import { bestAgents, rankAgents, STRATEGIES, type RankContext } from './index.js';

const READY: AgentState = { presence: { kind: 'ready' }, activity: 'idle' };
const Q = 'support';

interface AgentOpts {
  skills?: Record<string, number>;
  tier?: number;
  position?: number;
  weight?: number;
  lastCallEndedAt?: number;
  callsTaken?: number;
  talkTimeMs?: number;
  state?: AgentState;
}

function agent(id: string, o: AgentOpts = {}): Agent {
  return {
    id,
    name: id,
    skills: o.skills ?? {},
    state: o.state ?? READY,
    queues: new Map([[Q, { queue: Q, tier: o.tier ?? 1, position: o.position ?? 1, weight: o.weight ?? 1 }]]),
    availableSince: 0,
    lastCallEndedAt: o.lastCallEndedAt,
    callsTaken: o.callsTaken ?? 0,
    talkTimeMs: o.talkTimeMs ?? 0,
  };
}

function ctx(rng: () => number = () => 0.5, last?: number): RankContext {
  return { now: 1_000_000, rng, memory: { lastPosition: () => last } };
}

const pick = (
  strategy: StrategyName,
  agents: Agent[],
  c = ctx(),
  skills?: Record<string, number>,
): string[] => bestAgents({ name: Q, strategy }, { skills }, agents, c);

describe('strategies', () => {
  it('has one registered strategy per name, each with a description', () => {
    for (const [name, s] of Object.entries(STRATEGIES)) {
      assert.equal(s.name, name);
      assert.ok(s.description.length > 10);
    }
  });

  it('longest idle: the agent whose last call ended earliest', () => {
    const agents = [
      agent('a', { lastCallEndedAt: 500 }),
      agent('b', { lastCallEndedAt: 100 }),
      agent('c', { lastCallEndedAt: 900 }),
    ];
    assert.deepEqual(pick('longestIdle', agents), ['b']);
  });

  it('linear: always the first in queue order, however busy they were', () => {
    const agents = [
      agent('a', { position: 3 }),
      agent('b', { position: 1, callsTaken: 50 }),
      agent('c', { position: 2 }),
    ];
    assert.deepEqual(pick('linear', agents), ['b']);
  });

  it('round-robin: resumes after the agent offered last, wrapping to the top', () => {
    const agents = [agent('a', { position: 1 }), agent('b', { position: 2 }), agent('c', { position: 3 })];
    assert.deepEqual(pick('roundRobin', agents, ctx(undefined, undefined)), ['a']);
    assert.deepEqual(pick('roundRobin', agents, ctx(undefined, 1)), ['b']);
    assert.deepEqual(pick('roundRobin', agents, ctx(undefined, 2)), ['c']);
    assert.deepEqual(pick('roundRobin', agents, ctx(undefined, 3)), ['a']);
  });

  it('fewest calls: the agent who answered least; a tie goes to the longest idle', () => {
    const agents = [
      agent('a', { callsTaken: 5, lastCallEndedAt: 1 }),
      agent('b', { callsTaken: 2, lastCallEndedAt: 900 }),
      agent('c', { callsTaken: 2, lastCallEndedAt: 300 }),
    ];
    assert.deepEqual(pick('fewestCalls', agents), ['c']);
  });

  it('least talk time: the agent who talked least', () => {
    const agents = [
      agent('a', { talkTimeMs: 60_000 }),
      agent('b', { talkTimeMs: 5_000, callsTaken: 9 }),
      agent('c', { talkTimeMs: 90_000 }),
    ];
    assert.deepEqual(pick('leastTalkTime', agents), ['b']);
  });

  it('random: the draw decides, so a different draw picks a different agent', () => {
    const agents = [agent('a'), agent('b'), agent('c')];
    const draws = (values: number[]) => () => values.shift() ?? 0.5;
    assert.deepEqual(pick('random', agents, ctx(draws([0.9, 0.1, 0.5]))), ['b']);
    assert.deepEqual(pick('random', agents, ctx(draws([0.2, 0.6, 0.7]))), ['a']);
  });

  it('weighted random: shares follow the weights over many draws', () => {
    const agents = [agent('heavy', { weight: 3 }), agent('light', { weight: 1 })];
    let seed = 42;
    const rng = () => (seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31;
    let heavy = 0;
    for (let i = 0; i < 4000; i++) if (pick('weightedRandom', agents, ctx(rng))[0] === 'heavy') heavy++;
    assert.ok(heavy / 4000 > 0.71 && heavy / 4000 < 0.79, `heavy share ${heavy / 4000}`);
  });

  it('highest skill: the expert in the required skill; lowest skill: the least proficient who qualifies', () => {
    const agents = [
      agent('novice', { skills: { billing: 3 } }),
      agent('expert', { skills: { billing: 9 } }),
      agent('middle', { skills: { billing: 6 } }),
      agent('unskilled', { skills: { sales: 10 } }),
    ];
    assert.deepEqual(pick('highestSkill', agents, ctx(), { billing: 2 }), ['expert']);
    assert.deepEqual(pick('lowestSkill', agents, ctx(), { billing: 2 }), ['novice']);
    assert.deepEqual(pick('lowestSkill', agents, ctx(), { billing: 5 }), ['middle']);
  });

  it('ring-all: every eligible agent of the best tier, longest idle first', () => {
    const agents = [
      agent('a', { lastCallEndedAt: 300 }),
      agent('b', { lastCallEndedAt: 100 }),
      agent('busy', { state: { presence: { kind: 'ready' }, activity: 'talking' } }),
      agent('backup', { tier: 2 }),
    ];
    assert.deepEqual(pick('ringAll', agents), ['b', 'a']);
    assert.deepEqual(pick('ringAll', [agents[3]!]), ['backup']);
  });

  it('tiers come before the strategy: tier 2 only when no tier-1 agent is eligible', () => {
    const agents = [
      agent('t2', { tier: 2, lastCallEndedAt: 0 }),
      agent('t1', { tier: 1, lastCallEndedAt: 999 }),
    ];
    assert.deepEqual(pick('longestIdle', agents), ['t1']);
    const notReady: AgentState = { presence: { kind: 'notReady', reason: 'LUNCH' }, activity: 'idle' };
    assert.deepEqual(pick('longestIdle', [agents[0]!, agent('t1', { state: notReady })]), ['t2']);
  });

  it('skills with minimum levels: an agent below the minimum, or without the skill, is not eligible', () => {
    const agents = [
      agent('low', { skills: { en: 4, billing: 9 } }),
      agent('ok', { skills: { en: 6, billing: 5 } }),
      agent('none', { skills: { billing: 10 } }),
    ];
    assert.deepEqual(
      rankAgents({ name: Q, strategy: 'longestIdle' }, { skills: { en: 5, billing: 5 } }, agents, ctx()).map(
        (r) => r.agentId,
      ),
      ['ok'],
    );
    assert.deepEqual(pick('longestIdle', agents, ctx(), { en: 7 }), []);
  });

  it('rankAgents orders every eligible agent with [tier, …score]', () => {
    const agents = [
      agent('a', { callsTaken: 3 }),
      agent('b', { callsTaken: 1, tier: 2 }),
      agent('c', { callsTaken: 2 }),
    ];
    const ranked = rankAgents({ name: Q, strategy: 'fewestCalls' }, {}, agents, ctx());
    assert.deepEqual(
      ranked.map((r) => r.agentId),
      ['c', 'a', 'b'],
    );
    assert.deepEqual(ranked[0]!.score.slice(0, 2), [1, 2]);
  });
});
