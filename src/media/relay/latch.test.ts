import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { SourceLatch } from './latch.js';

describe('SourceLatch', () => {
  it('latches the first source when any source may latch', () => {
    const l = new SourceLatch({ anySource: true, relatchAfterMs: 2000 });
    l.reset('10.0.0.5');
    assert.equal(l.accept('203.0.113.9', 40000, 0), true);
    assert.deepEqual([l.address, l.port], ['203.0.113.9', 40000]);
  });

  it('latches only the SDP address when restricted, on any port', () => {
    const l = new SourceLatch({ anySource: false, relatchAfterMs: 2000 });
    assert.equal(l.accept('10.0.0.5', 4000, 0), false, 'nothing is expected before an SDP address');
    l.reset('10.0.0.5');
    assert.equal(l.accept('203.0.113.9', 4000, 0), false);
    assert.equal(l.accept('10.0.0.5', 4002, 1), true);
  });

  it('refuses another source while the latched one is alive, and lets it take over after silence', () => {
    const l = new SourceLatch({ anySource: true, relatchAfterMs: 2000 });
    assert.equal(l.accept('10.0.0.5', 4000, 0), true);
    assert.equal(l.accept('10.0.0.6', 4000, 1000), false);
    assert.equal(l.accept('10.0.0.5', 4000, 1500), true);
    assert.equal(l.accept('10.0.0.5', 4002, 3000), false, 'a new port is a new source');
    assert.equal(l.accept('10.0.0.5', 4002, 3500), true, '2000 ms after the last packet');
    assert.equal(l.accept('10.0.0.5', 4000, 3501), false);
  });

  it('forgets the latched source on a new SDP address', () => {
    const l = new SourceLatch({ anySource: true, relatchAfterMs: 2000 });
    l.accept('10.0.0.5', 4000, 0);
    l.reset('10.0.0.7');
    assert.equal(l.address, null);
    assert.equal(l.accept('10.0.0.8', 5000, 1), true);
  });
});
