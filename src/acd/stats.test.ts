import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { estimateWaitSeconds, handleSecondsFor } from './ewt.js';
import { QueueStats } from './stats.js';

const S = 1000;

describe('QueueStats', () => {
  it('computes service level without short abandons, ASA, AHT and abandon rate', () => {
    const s = new QueueStats({ serviceLevelSeconds: 20 });
    for (let i = 0; i < 6; i++) s.record(0, { kind: 'offered' });
    s.record(1, { kind: 'answered', waitMs: 5 * S });
    s.record(2, { kind: 'answered', waitMs: 15 * S });
    s.record(3, { kind: 'answered', waitMs: 40 * S });
    s.record(4, { kind: 'abandoned', waitMs: 3 * S }); // short abandon: out of the SL
    s.record(5, { kind: 'abandoned', waitMs: 90 * S });
    s.record(6, { kind: 'answeredElsewhere' });
    s.record(7, { kind: 'handled', handleMs: 200 * S });
    s.record(8, { kind: 'handled', handleMs: 100 * S });
    const f = s.todayFigures();
    assert.equal(f.serviceLevel, 50); // 2 of (3 answered + 1 long abandon)
    assert.equal(f.asaSeconds, 20);
    assert.equal(f.ahtSeconds, 150);
    assert.equal(f.abandonRate, 40);
  });

  it('forgets the recent window after 15 minutes but keeps today until reset', () => {
    const s = new QueueStats({ serviceLevelSeconds: 20 });
    s.record(0, { kind: 'answered', waitMs: 1 });
    assert.equal(s.recentFigures(14 * 60 * S).answered, 1);
    assert.equal(s.recentFigures(16 * 60 * S).answered, 0);
    assert.equal(s.todayFigures().answered, 1);
    s.resetToday();
    assert.equal(s.todayFigures().answered, 0);
    assert.equal(s.todayFigures().serviceLevel, undefined);
  });
});

describe('estimated wait', () => {
  it('is position × AHT / staffed agents, less the idle agents, and unknown without staff', () => {
    assert.equal(
      estimateWaitSeconds({ position: 3, staffedAgents: 4, idleAgents: 0, handleSeconds: 200 }),
      150,
    );
    assert.equal(
      estimateWaitSeconds({ position: 3, staffedAgents: 4, idleAgents: 1, handleSeconds: 200 }),
      100,
    );
    assert.equal(
      estimateWaitSeconds({ position: 1, staffedAgents: 4, idleAgents: 2, handleSeconds: 200 }),
      0,
    );
    assert.equal(
      estimateWaitSeconds({ position: 1, staffedAgents: 0, idleAgents: 0, handleSeconds: 200 }),
      undefined,
    );
  });

  it('takes AHT from the recent window when it has enough calls, else today, else the default', () => {
    assert.equal(
      handleSecondsFor({ handled: 5, ahtSeconds: 100 }, { handled: 50, ahtSeconds: 300 }, 180),
      100,
    );
    assert.equal(
      handleSecondsFor({ handled: 2, ahtSeconds: 100 }, { handled: 50, ahtSeconds: 300 }, 180),
      300,
    );
    assert.equal(
      handleSecondsFor({ handled: 0, ahtSeconds: undefined }, { handled: 1, ahtSeconds: 300 }, 180),
      180,
    );
  });
});
