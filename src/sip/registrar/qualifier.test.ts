import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { FakeClock } from '../../platform/clock.js';
import { silentLogger } from '../../platform/log.js';
import { Qualifier, type QualifierOptions } from './qualifier.js';
import type { Binding } from './types.js';

function binding(i: number): Binding {
  return {
    aor: `10${i}`,
    contactUri: `sip:10${i}@192.0.2.${i}`,
    expiresAt: Number.MAX_SAFE_INTEGER,
    callId: `c${i}`,
    cseq: 1,
    source: { transport: 'UDP', address: `192.0.2.${i}`, port: 5060 },
    updatedAt: 0,
  };
}

const tick = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

function setup(over: Partial<QualifierOptions> & Pick<QualifierOptions, 'sendOptions'>) {
  const clock = new FakeClock();
  let bindings = [binding(1)];
  const qualifier = new Qualifier({
    bindings: () => bindings,
    clock,
    log: silentLogger(),
    intervalMs: 1000,
    maxFailures: 3,
    ...over,
  });
  return { clock, qualifier, set: (b: Binding[]) => (bindings = b) };
}

describe('Qualifier', () => {
  it('marks a binding unreachable after N failures and reachable again after one answer', async () => {
    let answer = false;
    const changes: boolean[] = [];
    const { qualifier } = setup({ sendOptions: async () => answer });
    qualifier.onReachabilityChange((_b, reachable) => changes.push(reachable));
    assert.equal(qualifier.isReachable(binding(1)), true);
    await qualifier.runOnce();
    await qualifier.runOnce();
    assert.equal(qualifier.isReachable(binding(1)), true);
    await qualifier.runOnce();
    assert.equal(qualifier.isReachable(binding(1)), false);
    answer = true;
    await qualifier.runOnce();
    assert.equal(qualifier.isReachable(binding(1)), true);
    assert.deepEqual(changes, [false, true]);
  });

  it('counts a rejected probe as a failure', async () => {
    const { qualifier } = setup({ sendOptions: () => Promise.reject(new Error('timeout')), maxFailures: 1 });
    await qualifier.runOnce();
    assert.equal(qualifier.isReachable(binding(1)), false);
  });

  it('probes at most maxConcurrent bindings at a time', async () => {
    let inFlight = 0;
    let peak = 0;
    let probes = 0;
    const { qualifier, set } = setup({
      maxConcurrent: 4,
      sendOptions: async () => {
        probes++;
        peak = Math.max(peak, ++inFlight);
        await tick();
        inFlight--;
        return true;
      },
    });
    set(Array.from({ length: 50 }, (_, i) => binding(i)));
    await qualifier.runOnce();
    assert.equal(probes, 50);
    assert.equal(peak, 4);
  });

  it('runs a pass every interval on the clock until stopped', async () => {
    let probes = 0;
    const { clock, qualifier } = setup({ sendOptions: async () => (probes++, true) });
    qualifier.start();
    qualifier.start();
    clock.advance(999);
    await tick();
    assert.equal(probes, 0);
    clock.advance(1);
    await tick();
    assert.equal(probes, 1);
    clock.advance(1000);
    await tick();
    assert.equal(probes, 2);
    qualifier.stop();
    qualifier.stop();
    clock.advance(5000);
    await tick();
    assert.equal(probes, 2);
    assert.equal(clock.pendingCount, 0);
  });

  it('forgets the state of bindings that are gone', async () => {
    const { qualifier, set } = setup({ sendOptions: async () => false, maxFailures: 1 });
    await qualifier.runOnce();
    assert.equal(qualifier.isReachable(binding(1)), false);
    set([]);
    await qualifier.runOnce();
    assert.equal(qualifier.isReachable(binding(1)), true);
  });
});
