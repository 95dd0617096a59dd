import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { SequenceUnwrapper, nextSeq, seqDelta, seqIsNewer, tsAdd, tsDelta, tsIsNewer } from './seq.js';

describe('sequence and timestamp arithmetic', () => {
  it('compares sequence numbers across the 16-bit wrap', () => {
    assert.equal(seqDelta(0, 65535), 1);
    assert.equal(seqDelta(65535, 0), -1);
    assert.equal(seqDelta(100, 50), 50);
    assert.equal(seqIsNewer(2, 65530), true);
    assert.equal(seqIsNewer(65530, 2), false);
    assert.equal(seqIsNewer(7, 7), false);
    assert.equal(nextSeq(65535), 0);
  });

  it('treats a distance of exactly half the space as older, as RFC 1982 leaves it undefined', () => {
    assert.equal(seqDelta(32768, 0), -32768);
    assert.equal(seqIsNewer(32768, 0), false);
  });

  it('compares timestamps across the 32-bit wrap', () => {
    assert.equal(tsDelta(80, 0xffffffb0), 160);
    assert.equal(tsDelta(0xffffffb0, 80), -160);
    assert.equal(tsIsNewer(80, 0xffffffb0), true);
    assert.equal(tsAdd(0xffffffb0, 160), 80);
  });

  it('extends sequence numbers across wraps, and keeps a late packet in the cycle it was sent', () => {
    const u = new SequenceUnwrapper();
    assert.equal(u.unwrap(65534), 65534);
    assert.equal(u.unwrap(65535), 65535);
    assert.equal(u.unwrap(1), 65537);
    assert.equal(u.unwrap(0), 65536, 'reordered across the wrap');
    assert.equal(u.unwrap(65535), 65535, 'late from the previous cycle');
    assert.equal(u.highestExtended, 65537);
    for (let s = 2; s < 70000; s++) u.unwrap(s & 0xffff);
    assert.equal(u.highestExtended, 65536 + 69999);
  });
});
