import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { startChain } from './chain.js';
import { ringGroupFallback, ringGroupPlan, type RingGroup } from './ring-group.js';
import type { Availability } from './types.js';

const free: Availability = { registered: true, dnd: false, busy: false };
const group = (over: Partial<RingGroup> = {}): RingGroup => ({
  number: '600',
  strategy: 'all',
  members: ['1002', '1003', '1004'],
  ringTimeMs: 20_000,
  ...over,
});
const numbers = (plan: ReturnType<typeof ringGroupPlan>) =>
  plan.stages.map((s) => [s.targets.map((t) => t.number), s.durationMs]);

describe('ringGroupPlan', () => {
  test('rings every member at once for the group’s ring time (all)', () => {
    assert.deepEqual(numbers(ringGroupPlan(group(), () => free)), [[['1002', '1003', '1004'], 20_000]]);
  });

  test('rings members one after the other, each for the ring time, in the listed order (ordered)', () => {
    assert.deepEqual(numbers(ringGroupPlan(group({ strategy: 'ordered', ringTimeMs: 5000 }), () => free)), [
      [['1002'], 5000],
      [['1003'], 5000],
      [['1004'], 5000],
    ]);
  });

  test('skips members in DND, unregistered, busy without call waiting, unknown, and the caller, saying why', () => {
    const avail: Record<string, Availability> = {
      '1002': { ...free, dnd: true },
      '1003': { ...free, registered: false },
      '1004': { ...free, busy: true },
      '1005': free,
    };
    const plan = ringGroupPlan(
      group({ strategy: 'ordered', members: ['1001', '1002', '1003', '1004', '1009', '1005'] }),
      (n) => avail[n] ?? (n === '1001' ? free : undefined),
      '1001',
    );
    assert.deepEqual(numbers(plan), [[['1005'], 20_000]]);
    assert.deepEqual(plan.skipped, [
      { number: '1001', why: 'caller' },
      { number: '1002', why: 'dnd' },
      { number: '1003', why: 'unregistered' },
      { number: '1004', why: 'busy' },
      { number: '1009', why: 'unknown' },
    ]);
  });

  test('has no stage at all when every member is skipped', () => {
    assert.deepEqual(ringGroupPlan(group(), () => ({ ...free, dnd: true })).stages, []);
  });
});

describe('ringGroupFallback', () => {
  const chain = startChain({ type: 'ringGroup', group: '600' }, '1001');

  test('refuses an unanswered call with 480 when the group has no fallback', () => {
    assert.deepEqual(ringGroupFallback(group(), chain), { kind: 'reject', status: 480, reason: 'fallback' });
  });

  test('sends it to the fallback destination, counting a forward', () => {
    const t = ringGroupFallback(group({ fallback: { type: 'extension', number: '1009' } }), chain);
    assert.ok(t.kind === 'forward');
    assert.deepEqual(t.to, { type: 'extension', number: '1009' });
    assert.equal(t.chain.hops, 1);
  });

  test('hangs up with the fallback’s cause, and takes voicemail without counting a forward', () => {
    assert.deepEqual(ringGroupFallback(group({ fallback: { type: 'hangup', cause: 503 } }), chain), {
      kind: 'reject',
      status: 503,
      reason: 'fallback',
    });
    const vm = ringGroupFallback(group({ fallback: { type: 'voicemail', mailbox: '1002' } }), chain);
    assert.equal(vm.kind === 'forward' && vm.chain.hops, 0);
  });

  test('refuses a fallback to a ring group the call already went through', () => {
    const t = ringGroupFallback(
      group({ number: '601', fallback: { type: 'ringGroup', group: '600' } }),
      chain,
    );
    assert.deepEqual(t, {
      kind: 'reject',
      status: 480,
      reason: 'fallback',
      skipped: { to: '600', why: 'loop' },
    });
  });
});
