import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { sameContactUri } from './contact-uri.js';

describe('sameContactUri', () => {
  const equal: [string, string][] = [
    ['sip:1001@10.0.0.5:5062', 'SIP:1001@10.0.0.5:5062'],
    ['sip:1001@PBX.Example.COM', 'sip:1001@pbx.example.com'],
    ['sip:%61lice@h', 'sip:alice@h'],
    ['sip:1001@10.0.0.5', 'sip:1001@10.0.0.5:5060'],
    ['sips:1001@h', 'sips:1001@h:5061'],
    ['sip:1001@h;transport=UDP', 'sip:1001@h;transport=udp'],
    ['sip:1001@h;transport=tcp;ob', 'sip:1001@h'],
    ['sip:1001@[2001:DB8::1]:5060', 'sip:1001@[2001:db8::1]'],
    ['<sip:1001@h>', 'sip:1001@h'],
    ['sip:1001@h?Subject=a&Priority=urgent', 'sip:1001@h?priority=urgent&subject=a'],
    ['sip:+861085;phone-context=x@h', 'sip:+861085;phone-context=x@h'],
  ];
  for (const [a, b] of equal) {
    it(`treats ${a} and ${b} as the same contact`, () => {
      assert.equal(sameContactUri(a, b), true);
      assert.equal(sameContactUri(b, a), true);
    });
  }

  const different: [string, string][] = [
    ['sip:Alice@h', 'sip:alice@h'],
    ['sip:1001@h', 'sips:1001@h'],
    ['sip:1001@h:5062', 'sip:1001@h:5063'],
    ['sip:1001@h', 'sip:1002@h'],
    ['sip:1001@h', 'sip:1001@h;maddr=10.0.0.1'],
    ['sip:1001@h;user=phone', 'sip:1001@h'],
    ['sip:1001@h;transport=tcp', 'sip:1001@h;transport=udp'],
    ['sip:1001@h?Subject=a', 'sip:1001@h'],
    ['sip:1001:pw@h', 'sip:1001@h'],
    ['not a uri', 'not-a-uri'],
  ];
  for (const [a, b] of different) {
    it(`tells ${a} and ${b} apart`, () => {
      assert.equal(sameContactUri(a, b), false);
      assert.equal(sameContactUri(b, a), false);
    });
  }
});
