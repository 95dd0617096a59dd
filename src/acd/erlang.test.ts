import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { agentsForServiceLevel, erlangB, erlangC, erlangCLoad } from './erlang.js';
import { AcdError } from './errors.js';

/** Erlang C straight from its textbook sum, in log space (a different road to the same number). */
function erlangCDirect(a: number, n: number): number {
  const logTerm = (k: number) => k * Math.log(a) - lgammaInt(k + 1);
  const logs = Array.from({ length: n }, (_, k) => logTerm(k));
  const top = logTerm(n) + Math.log(n / (n - a));
  const max = Math.max(top, ...logs);
  const sum = logs.reduce((s, l) => s + Math.exp(l - max), 0);
  return Math.exp(top - max) / (sum + Math.exp(top - max));
}
function lgammaInt(m: number): number {
  let s = 0;
  for (let i = 2; i < m; i++) s += Math.log(i);
  return s;
}

const close = (a: number, b: number, eps = 1e-9) => assert.ok(Math.abs(a - b) < eps, `${a} ≠ ${b}`);

describe('Erlang C', () => {
  it('matches the closed forms of M/M/1 and M/M/2', () => {
    close(erlangC(0.5, 1), 0.5); // M/M/1: Pw = ρ
    close(erlangC(1, 2), 1 / 3); // M/M/2 at ρ = 0.5: Pw = 2ρ²/(1+ρ)
    close(erlangB(1, 2), 0.2);
  });

  it('gives the textbook figures for 10 erlangs on 12 agents', () => {
    // λ = 200 calls/h, AHT = 180 s → A = 10 erlangs.
    const r = erlangCLoad({ callsPerHour: 200, ahtSeconds: 180, agents: 12 }, 20);
    close(r.erlangs, 10);
    close(r.probabilityWait, 0.4494, 1e-4);
    close(r.asaSeconds, (0.4494 * 180) / 2, 0.05);
    close(r.serviceLevel, 1 - r.probabilityWait * Math.exp((-2 * 20) / 180));
  });

  it('stays exact and finite for hundreds and thousands of agents', () => {
    for (const [a, n] of [
      [100, 110],
      [450, 470],
      [1800, 1850],
    ] as const) {
      const c = erlangC(a, n);
      assert.ok(Number.isFinite(c) && c > 0 && c < 1);
      close(c, erlangCDirect(a, n), 1e-9);
    }
  });

  it('says every call waits when the agents cannot keep up, and finds the staffing for a target', () => {
    const r = erlangCLoad({ callsPerHour: 600, ahtSeconds: 360, agents: 60 }, 20);
    assert.equal(r.probabilityWait, 1);
    assert.equal(r.asaSeconds, Infinity);
    const n = agentsForServiceLevel(720, 240, 20, 0.8);
    assert.ok(erlangCLoad({ callsPerHour: 720, ahtSeconds: 240, agents: n }, 20).serviceLevel >= 0.8);
    assert.ok(erlangCLoad({ callsPerHour: 720, ahtSeconds: 240, agents: n - 1 }, 20).serviceLevel < 0.8);
    assert.throws(() => erlangCLoad({ callsPerHour: -1, ahtSeconds: 1, agents: 1 }, 20), AcdError);
  });
});
