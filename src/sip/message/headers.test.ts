import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { INVITE, REGISTER, mustParse } from './fixtures.test.js';
import {
  canonicalName,
  formatVia,
  getHeader,
  getHeaders,
  isListHeader,
  parseCSeq,
  parseParams,
  parseVia,
  splitHeaderValue,
  splitList,
  unquote,
} from './headers.js';
import type { Via } from './types.js';

function via(text: string): Via {
  const parsed = parseVia(text);
  if (!parsed.ok) assert.fail(`"${text}" did not parse: ${parsed.reason}`);
  return parsed.value;
}

describe('header names', () => {
  test('expands every compact form to its long name', () => {
    const expected: Record<string, string> = {
      i: 'Call-ID',
      m: 'Contact',
      e: 'Content-Encoding',
      l: 'Content-Length',
      c: 'Content-Type',
      f: 'From',
      s: 'Subject',
      k: 'Supported',
      t: 'To',
      v: 'Via',
      o: 'Event',
      u: 'Allow-Events',
      r: 'Refer-To',
      b: 'Referred-By',
      x: 'Session-Expires',
      y: 'Identity',
      a: 'Accept-Contact',
    };
    for (const [short, long] of Object.entries(expected)) {
      assert.equal(canonicalName(short), long);
      assert.equal(canonicalName(short.toUpperCase()), long);
    }
  });

  test('spells well-known names canonically whatever the case received', () => {
    assert.equal(canonicalName('call-id'), 'Call-ID');
    assert.equal(canonicalName('CSEQ'), 'CSeq');
    assert.equal(canonicalName('www-authenticate'), 'WWW-Authenticate');
    assert.equal(canonicalName('max-forwards'), 'Max-Forwards');
    assert.equal(canonicalName('RECORD-route'), 'Record-Route');
    assert.equal(canonicalName('X-Custom-Thing'), 'X-Custom-Thing');
  });

  test('knows which headers are comma lists and which only contain commas', () => {
    for (const name of ['Via', 'v', 'Contact', 'Route', 'Record-Route', 'Allow', 'Supported', 'Require']) {
      assert.equal(isListHeader(name), true, name);
    }
    for (const name of [
      'WWW-Authenticate',
      'Authorization',
      'Proxy-Authenticate',
      'Proxy-Authorization',
      'Date',
    ]) {
      assert.equal(isListHeader(name), false, name);
    }
  });
});

describe('splitList', () => {
  test('splits at commas outside quotes and angle brackets', () => {
    assert.deepEqual(splitList('"Doe, John" <sip:j@x;a=1,2>;q=0.5, <sip:k@y> , sip:l@z'), [
      '"Doe, John" <sip:j@x;a=1,2>;q=0.5',
      '<sip:k@y>',
      'sip:l@z',
    ]);
    assert.deepEqual(splitList('"a \\" , b", c'), ['"a \\" , b"', 'c']);
  });

  test('reports an unterminated quote or bracket and keeps empty entries', () => {
    assert.equal(splitList('"open, b'), undefined);
    assert.equal(splitList('<sip:x, y'), undefined);
    assert.deepEqual(splitList('a,,b'), ['a', '', 'b']);
  });

  test('does not split credentials whose parameters are comma-separated', () => {
    const value = 'Digest username="bob", realm="x", nonce="a,b"';
    assert.deepEqual(splitHeaderValue('Authorization', value), [value]);
    assert.deepEqual(splitHeaderValue('Date', 'Sat, 13 Nov 2010 23:29:00 GMT'), [
      'Sat, 13 Nov 2010 23:29:00 GMT',
    ]);
    assert.deepEqual(splitHeaderValue('Allow', 'INVITE, ACK,BYE'), ['INVITE', 'ACK', 'BYE']);
  });
});

describe('parseParams and unquote', () => {
  test('reads flags, values and quoted values with lower-cased names', () => {
    assert.deepEqual(parseParams(';Tag=AbC;lr;q=0.7;x="a;b"'), {
      tag: 'AbC',
      lr: null,
      q: '0.7',
      x: '"a;b"',
    });
    assert.equal(unquote('"a \\"b\\" \\\\c"'), 'a "b" \\c');
    assert.equal(unquote('token'), 'token');
  });

  test('refuses names that would touch the object prototype', () => {
    assert.equal(parseParams(';__proto__=x'), undefined);
    assert.deepEqual(parseParams(';constructor=1'), { constructor: '1' });
  });
});

describe('parseVia', () => {
  test('reads transport, host, port, branch, valueless rport and received', () => {
    assert.deepEqual(via('SIP/2.0/UDP 192.0.2.1:5060;branch=z9hG4bK776;rport;received=198.51.100.2'), {
      transport: 'UDP',
      host: '192.0.2.1',
      port: 5060,
      params: { branch: 'z9hG4bK776', rport: null, received: '198.51.100.2' },
    });
  });

  test('accepts the whitespace the grammar allows around / and :, and lower-case protocol', () => {
    const v = via('sip / 2.0 / wss  client.invalid : 443 ; branch = z9hG4bKx');
    assert.equal(v.transport, 'WSS');
    assert.equal(v.host, 'client.invalid');
    assert.equal(v.port, 443);
    assert.equal(v.params.branch, 'z9hG4bKx');
  });

  test('reads IPv6 sent-by and an IPv6 received value', () => {
    const v = via('SIP/2.0/TCP [2001:db8::9]:5070;branch=z9hG4bKa;received=2001:db8::1');
    assert.equal(v.host, '2001:db8::9');
    assert.equal(v.port, 5070);
    assert.equal(v.params.received, '2001:db8::1');
  });

  test('rejects malformed Vias', () => {
    for (const bad of [
      'SIP/2.0 192.0.2.1',
      'SIP/3.0/UDP 192.0.2.1',
      'HTTP/2.0/UDP 192.0.2.1',
      'SIP/2.0/UDP',
      'SIP/2.0/UDP 192.0.2.1:99999',
      'SIP/2.0/UDP 192.0.2.1:',
      'SIP/2.0/UDP bad host',
      'SIP/2.0/UDP [2001:db8::1',
      'SIP/2.0/UDP 192.0.2.1;branch',
      'SIP/2.0/UDP 192.0.2.1;rport=abc',
      'SIP/2.0/UDP 192.0.2.1;received',
    ]) {
      assert.equal(parseVia(bad).ok, false, bad);
    }
  });

  test('formats back to text that parses to the same Via', () => {
    for (const text of [
      'SIP/2.0/UDP 192.0.2.1:5060;branch=z9hG4bK1;rport',
      'SIP/2.0/TLS [2001:db8::9];branch=z9hG4bK2',
    ]) {
      const v = via(text);
      assert.equal(formatVia(v), text);
      assert.deepEqual(via(formatVia(v)), v);
    }
  });
});

describe('parseCSeq', () => {
  test('reads the number and method, with any run of whitespace between', () => {
    assert.deepEqual(parseCSeq('  4711 \t INVITE '), { ok: true, value: { seq: 4711, method: 'INVITE' } });
    assert.deepEqual(parseCSeq('4294967295 BYE'), { ok: true, value: { seq: 4294967295, method: 'BYE' } });
  });

  test('rejects numbers beyond 32 bits, missing methods and junk', () => {
    for (const bad of [
      '4294967296 INVITE',
      '36893488147419103232 INVITE',
      'INVITE',
      '1',
      '1INVITE',
      '-1 INVITE',
      '1 IN VITE',
      '',
    ]) {
      assert.equal(parseCSeq(bad).ok, false, bad);
    }
  });
});

describe('getHeader and getHeaders', () => {
  test('read parsed headers by any spelling, formatted back', () => {
    const msg = mustParse(INVITE);
    assert.equal(getHeader(msg, 'call-id'), '3848276298220188511@192.0.2.10');
    assert.equal(getHeader(msg, 'i'), '3848276298220188511@192.0.2.10');
    assert.equal(getHeader(msg, 'CSEQ'), '1 INVITE');
    assert.equal(getHeader(msg, 'v'), 'SIP/2.0/UDP 192.0.2.10:5060;branch=z9hG4bK74bf9;rport');
    assert.equal(getHeader(msg, 'Content-Length'), String(msg.body.length));
    assert.equal(getHeader(msg, 'Max-Forwards'), '70');
    assert.equal(getHeader(msg, 'Route'), undefined);
  });

  test('join a list header into one value and split it into entries', () => {
    const msg = mustParse(INVITE);
    assert.equal(getHeader(msg, 'supported'), 'replaces, timer');
    assert.equal(getHeader(msg, 'k'), 'replaces, timer');
    assert.deepEqual(getHeaders(msg, 'Allow'), ['INVITE', 'ACK', 'CANCEL', 'BYE', 'OPTIONS']);
    assert.equal(getHeader(msg, 'X-Absent'), undefined);
    assert.deepEqual(getHeaders(msg, 'X-Absent'), []);
  });

  test('return an Authorization header whole, commas and all', () => {
    const msg = mustParse(REGISTER);
    const value = getHeader(msg, 'authorization');
    assert.ok(value?.startsWith('Digest username="bob"'));
    assert.ok(value?.includes('nonce="ab,c"'));
    assert.equal(getHeaders(msg, 'Authorization').length, 1);
  });
});
