import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { FakeClock } from '../../platform/clock.js';
import { createLogger } from '../../platform/log.js';
import {
  findLastAgent,
  lastAgentWindowHours,
  RecentAgents,
  type LastAgentHint,
  type LastAgentLookup,
} from './last-agent.js';

const HOUR = 3_600_000;
const logger = createLogger({ level: 'silent' });

describe('RecentAgents', () => {
  it('keeps the agent of each caller’s latest connect, within the window asked', () => {
    const recent = new RecentAgents();
    recent.remember('13800138000', '1002', 1_000);
    recent.remember('13800138000', '1003', 5_000);
    assert.deepEqual(recent.find('13800138000', 0), { agentId: '1003', at: 5_000 });
    assert.equal(recent.find('13800138000', 5_001), undefined, 'too long ago');
    assert.equal(recent.find('13900139000', 0), undefined);
  });

  it('forgets the caller whose connect is oldest once full, and never remembers an empty number', () => {
    const recent = new RecentAgents(2);
    recent.remember('a', '1', 1);
    recent.remember('b', '2', 2);
    recent.remember('a', '3', 3); // a is now the newest
    recent.remember('c', '4', 4);
    recent.remember('', '5', 5);
    assert.equal(recent.size, 2);
    assert.equal(recent.find('b', 0), undefined);
    assert.equal(recent.find('a', 0)?.agentId, '3');
    assert.equal(recent.find('c', 0)?.agentId, '4');
  });
});

describe('lastAgentWindowHours', () => {
  it('is the longest window of the queues that ask for last-agent routing, or none', () => {
    assert.equal(lastAgentWindowHours([{}, {}]), undefined);
    assert.equal(
      lastAgentWindowHours([
        { lastAgent: { hours: 4, waitSeconds: 10 } },
        {},
        { lastAgent: { hours: 48, waitSeconds: 0 } },
      ]),
      48,
    );
  });
});

describe('findLastAgent', () => {
  const NOW = 1_700_000_000_000;

  function rig(lookup?: LastAgentLookup, timeoutMs = 500) {
    const clock = new FakeClock(NOW);
    const recent = new RecentAgents();
    const asked: { caller: string; since: number }[] = [];
    const deps = {
      recent,
      lookup:
        lookup &&
        ((caller: string, since: number) => {
          asked.push({ caller, since });
          return lookup(caller, since);
        }),
      clock,
      logger,
      timeoutMs,
    };
    return {
      clock,
      recent,
      asked,
      find: (caller: string, hours: number) => findLastAgent(deps, caller, hours, NOW),
    };
  }

  it('answers from memory without asking the store', async () => {
    const { recent, asked, find } = rig(() => Promise.resolve({ agentId: 'store', at: NOW - HOUR }));
    recent.remember('13800138000', '1003', NOW - 10_000);
    assert.deepEqual(await find('13800138000', 2), { agentId: '1003', at: NOW - 10_000 });
    assert.equal(asked.length, 0);
  });

  it('asks the store for callers not in memory, for the window of `hours`', async () => {
    const { asked, find } = rig((caller) =>
      Promise.resolve(caller === '13800138000' ? { agentId: '1002', at: NOW - HOUR } : undefined),
    );
    assert.deepEqual(await find('13800138000', 2), { agentId: '1002', at: NOW - HOUR });
    assert.equal(await find('13900139000', 2), undefined);
    assert.deepEqual(asked[0], { caller: '13800138000', since: NOW - 2 * HOUR });
  });

  it('ignores a store answer older than the window', async () => {
    const { find } = rig(() => Promise.resolve({ agentId: '1002', at: NOW - 3 * HOUR }));
    assert.equal(await find('13800138000', 2), undefined);
  });

  it('gives no hint when the store fails', async () => {
    const { find } = rig(() => Promise.reject(new Error('database is locked')));
    assert.equal(await find('13800138000', 2), undefined);
  });

  it('gives no hint when the store is slower than the bound, and does not wait for it', async () => {
    let answer: ((h: LastAgentHint) => void) | undefined;
    const { clock, find } = rig(() => new Promise((resolve) => (answer = resolve)), 300);
    let settled: LastAgentHint | undefined | 'pending' = 'pending';
    const pending = find('13800138000', 2).then((h) => (settled = h));
    await new Promise((r) => setImmediate(r));
    clock.advance(299);
    await new Promise((r) => setImmediate(r));
    assert.equal(settled, 'pending', 'still within the bound');
    clock.advance(1);
    await pending;
    assert.equal(settled, undefined);
    answer?.({ agentId: '1002', at: NOW }); // a late answer changes nothing
  });

  it('does not ask about an empty caller number', async () => {
    const { asked, find } = rig(() => Promise.resolve({ agentId: '1002', at: NOW }));
    assert.equal(await find('', 2), undefined);
    assert.equal(asked.length, 0);
  });
});
