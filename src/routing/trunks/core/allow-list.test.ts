import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { AllowList } from './allow-list.js';

describe('trunk allow-list', () => {
  const list = new AllowList(['203.0.113.0/24', '198.51.100.7', '2001:db8::/32']);

  it('takes addresses inside a block or equal to a single address', () => {
    assert.deepEqual(
      ['203.0.113.1', '203.0.113.255', '198.51.100.7', '2001:db8::5'].map((a) => list.has(a)),
      [true, true, true, true],
    );
  });

  it('refuses everything else', () => {
    assert.deepEqual(
      ['203.0.114.1', '198.51.100.8', '2001:db9::1', 'not-an-ip', ''].map((a) => list.has(a)),
      [false, false, false, false, false],
    );
  });

  it('reads an IPv4 peer seen on a dual-stack socket as IPv4', () => {
    assert.equal(list.has('::ffff:203.0.113.9'), true);
  });

  it('allows nothing when empty', () => {
    assert.equal(new AllowList([]).has('127.0.0.1'), false);
  });
});
