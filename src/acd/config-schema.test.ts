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
});
