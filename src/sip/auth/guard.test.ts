import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { FakeClock } from '../../platform/clock.js';
import { AbuseGuard } from './guard.js';

describe('AbuseGuard', () => {
  it('blocks an address after maxFailures failures and unblocks it after blockMs', () => {
    const clock = new FakeClock();
    const guard = new AbuseGuard({ clock, maxFailures: 3, windowMs: 60_000, blockMs: 600_000 });
    assert.equal(guard.recordFailure('198.51.100.7'), 'counted');
    assert.equal(guard.recordFailure('198.51.100.7'), 'counted');
    assert.equal(guard.isBlocked('198.51.100.7'), false);
    assert.equal(guard.recordFailure('198.51.100.7'), 'blocked');
    assert.equal(guard.isBlocked('198.51.100.7'), true);
    assert.equal(guard.isBlocked('198.51.100.8'), false);
    clock.advance(599_999);
    assert.equal(guard.isBlocked('198.51.100.7'), true);
    clock.advance(1);
    assert.equal(guard.isBlocked('198.51.100.7'), false);
    assert.equal(guard.recordFailure('198.51.100.7'), 'counted');
  });

  it('forgets failures older than the window', () => {
    const clock = new FakeClock();
    const guard = new AbuseGuard({ clock, maxFailures: 2, windowMs: 60_000 });
    guard.recordFailure('a');
    clock.advance(60_000);
    assert.equal(guard.recordFailure('a'), 'counted');
    assert.equal(guard.recordFailure('a'), 'blocked');
  });

  it('resets the count on success', () => {
    const guard = new AbuseGuard({ clock: new FakeClock(), maxFailures: 2 });
    guard.recordFailure('a');
    guard.recordSuccess('a');
    assert.equal(guard.recordFailure('a'), 'counted');
  });

  it('recognises scanner user agents case-insensitively', () => {
    const guard = new AbuseGuard({ clock: new FakeClock() });
    assert.equal(guard.isScanner('friendly-scanner'), true);
    assert.equal(guard.isScanner('SIPVicious 0.3.4'), true);
    assert.equal(guard.isScanner('vaxsipuseragent/3.1'), true);
    assert.equal(guard.isScanner('Yealink SIP-T46S 66.86.0.15'), false);
    assert.equal(guard.isScanner(undefined), false);
    assert.equal(
      new AbuseGuard({ clock: new FakeClock(), blockedUserAgents: ['evil'] }).isScanner('sipvicious'),
      false,
    );
  });

  it('keeps memory bounded under failures from a million distinct addresses', () => {
    const guard = new AbuseGuard({ clock: new FakeClock(), maxTrackedAddresses: 10_000, maxFailures: 5 });
    for (let i = 0; i < 1_000_000; i++)
      guard.recordFailure(`10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}:${i}`);
    const stats = guard.stats();
    assert.equal(stats.tracked, 10_000);
    assert.equal(stats.blocked, 0);
    assert.equal(stats.evictions, 990_000);
  });

  it('does not let a flood of single failures push out a blocked address', () => {
    const guard = new AbuseGuard({ clock: new FakeClock(), maxTrackedAddresses: 100, maxFailures: 2 });
    guard.recordFailure('attacker');
    guard.recordFailure('attacker');
    for (let i = 0; i < 10_000; i++) guard.recordFailure(`spoof-${i}`);
    assert.equal(guard.isBlocked('attacker'), true);
    assert.ok(guard.stats().tracked <= 100);
  });

  it('bounds the block table too and sweeps expired entries', () => {
    const clock = new FakeClock();
    const guard = new AbuseGuard({ clock, maxTrackedAddresses: 50, blockMs: 1_000, windowMs: 500 });
    for (let i = 0; i < 200; i++) guard.block(`b${i}`);
    for (let i = 0; i < 10; i++) guard.recordFailure(`f${i}`);
    assert.equal(guard.stats().blocked, 50);
    assert.equal(guard.stats().blocksTotal, 200);
    clock.advance(1_000);
    assert.equal(guard.sweep(), 60);
    assert.deepEqual(guard.stats(), { tracked: 0, blocked: 0, blocksTotal: 200, evictions: 150 });
  });
});
