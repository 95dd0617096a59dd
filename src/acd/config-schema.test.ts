import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { acdSchema, queueConfig } from './config-schema.js';

describe('acd configuration', () => {
  it('fills every default from a queue name alone', () => {
    const q = queueConfig({ name: 'sales' });
    assert.equal(q.strategy, 'longestIdle');
    assert.equal(q.wrapUpSeconds, 10);
    assert.equal(q.ringTimeoutSeconds, 20);
    assert.equal(q.serviceLevelSeconds, 20);
    assert.deepEqual(q.aging, { perMinute: 0, max: 100, afterSeconds: 0 });
    assert.deepEqual(q.announce, { everySeconds: 0, position: true, estimatedWait: true });
  });

  it('names the key path of a mistake', () => {
    const r = acdSchema.safeParse({
      queues: [
        { name: 'a', strategy: 'fastest' },
        { name: 'b', overflow: [{ when: { waitedSeconds: 30 }, to: { type: 'queue', queue: 'nowhere' } }] },
      ],
      reasonCodes: ['RONA'],
    });
    assert.equal(r.success, false);
    const paths = r.error!.issues.map((i) => i.path.join('.'));
    assert.ok(paths.includes('queues.0.strategy'), paths.join(' | '));
  });

  it('refuses an overflow to an unknown queue, duplicate queues and reserved reason codes', () => {
    const r = acdSchema.safeParse({
      queues: [
        { name: 'b', overflow: [{ when: { waitedSeconds: 30 }, to: { type: 'queue', queue: 'nowhere' } }] },
        { name: 'b' },
      ],
      reasonCodes: ['RONA'],
    });
    assert.equal(r.success, false);
    const paths = r.error!.issues.map((i) => i.path.join('.'));
    assert.deepEqual(paths.sort(), ['queues.0.overflow.0.to.queue', 'queues.1.name', 'reasonCodes.0']);
  });

  it('refuses several queues as an overflow or max-wait target (only routes wait in several)', () => {
    const r = acdSchema.safeParse({
      queues: [
        {
          name: 'a',
          overflow: [{ when: { lengthAtLeast: 3 }, to: { type: 'queue', queue: 'b', queues: ['c'] } }],
          onMaxWait: { type: 'queue', queue: 'c', queues: ['b'] },
        },
        { name: 'b' },
        { name: 'c' },
      ],
    });
    assert.equal(r.success, false);
    const paths = r.error!.issues.map((i) => i.path.join('.'));
    assert.deepEqual(paths.sort(), ['queues.0.onMaxWait.queues', 'queues.0.overflow.0.to.queues']);
  });

  it('names the key path of an agent in an unknown queue, a duplicate agent and clashing codes', () => {
    const r = acdSchema.safeParse({
      queues: [{ name: 'sales' }],
      agents: [{ agent: '1002', queues: [{ queue: 'nowhere' }] }, { agent: '1002' }],
      featureCodes: { login: '*61' },
    });
    assert.equal(r.success, false);
    const paths = r.error!.issues.map((i) => i.path.join('.'));
    assert.ok(paths.includes('agents.0.queues.0.queue'), paths.join(' '));
    assert.ok(paths.includes('agents.1.agent'), paths.join(' '));
    assert.ok(paths.includes('featureCodes'), paths.join(' '));
  });

  it('gives agents tier 1 and the desk-phone codes *60 to *64 by default', () => {
    const acd = acdSchema.parse({
      queues: [{ name: 'sales' }],
      agents: [{ agent: '1002', queues: [{ queue: 'sales' }] }],
    });
    assert.equal(acd.agents[0]?.queues[0]?.tier, 1);
    assert.deepEqual(acd.featureCodes, {
      login: '*60',
      logout: '*61',
      ready: '*62',
      notReady: '*63',
      connect: '*64',
    });
  });
});
