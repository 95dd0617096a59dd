import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { formatNameAddr } from '../../../sip/message/index.js';
import { presentCallerId } from './caller-id.js';

const caller = { number: '13800138000', name: 'Li Lei' };

describe('caller-ID presentation to a trunk', () => {
  it('passes the caller through by default, at the trunk domain, with no identity headers', () => {
    const p = presentCallerId({ mode: 'pass', privacy: 'none' }, caller, 'carrier.example');
    assert.equal(formatNameAddr(p.from), '"Li Lei" <sip:13800138000@carrier.example>');
    assert.deepEqual(p.headers, []);
  });

  it('presents the trunk’s own number in fixed mode', () => {
    const p = presentCallerId(
      { mode: 'fixed', number: '02088888888', name: 'Hotline', privacy: 'none' },
      caller,
      'carrier.example',
    );
    assert.equal(formatNameAddr(p.from), 'Hotline <sip:02088888888@carrier.example>');
    assert.deepEqual(p.identity, { number: '02088888888', name: 'Hotline' });
  });

  it('hides the number with privacy id: anonymous From, Privacy: id and the real identity asserted', () => {
    const p = presentCallerId({ mode: 'pass', privacy: 'id' }, caller, '203.0.113.5');
    assert.equal(formatNameAddr(p.from), 'Anonymous <sip:anonymous@anonymous.invalid>');
    assert.deepEqual(p.headers, [
      { name: 'P-Asserted-Identity', value: '"Li Lei" <sip:13800138000@203.0.113.5>' },
      { name: 'Privacy', value: 'id' },
    ]);
  });
});
