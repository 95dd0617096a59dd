import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { NameAddr, SipUri } from './types.js';
import { formatNameAddr, formatUri, parseNameAddr, parseUri } from './uri.js';

function uri(text: string): SipUri {
  const parsed = parseUri(text);
  if (!parsed.ok) assert.fail(`"${text}" did not parse: ${parsed.reason}`);
  return parsed.value;
}

function uriReason(text: string): string {
  const parsed = parseUri(text);
  if (parsed.ok) assert.fail(`"${text}" should not parse`);
  return parsed.reason;
}

function addr(text: string): NameAddr {
  const parsed = parseNameAddr(text);
  if (!parsed.ok) assert.fail(`"${text}" did not parse: ${parsed.reason}`);
  return parsed.value;
}

describe('parseUri', () => {
  test('reads user, password, host, port, params and headers of a sip URI', () => {
    assert.deepEqual(uri('sip:alice:secret@example.com:5070;transport=tcp;lr?subject=hi&priority=urgent'), {
      scheme: 'sip',
      user: 'alice',
      password: 'secret',
      host: 'example.com',
      port: 5070,
      params: { transport: 'tcp', lr: null },
      headers: { subject: 'hi', priority: 'urgent' },
    });
  });

  test('reads a URI with only a host', () => {
    assert.deepEqual(uri('sips:pbx.example.com'), {
      scheme: 'sips',
      host: 'pbx.example.com',
      params: {},
      headers: {},
    });
  });

  test('accepts schemes in any case and lower-cases parameter names', () => {
    const u = uri('SIP:Bob@Example.COM;Transport=TCP');
    assert.equal(u.scheme, 'sip');
    assert.equal(u.host, 'Example.COM');
    assert.deepEqual(u.params, { transport: 'TCP' });
  });

  test('reads IPv4 hosts and bracketed IPv6 references with ports', () => {
    assert.equal(uri('sip:192.0.2.4:5060').host, '192.0.2.4');
    const v6 = uri('sip:bob@[2001:db8::10]:5070;maddr=[2001:db8::1]');
    assert.equal(v6.host, '2001:db8::10');
    assert.equal(v6.port, 5070);
    assert.equal(v6.params.maddr, '[2001:db8::1]');
    assert.equal(uri('sip:[::ffff:192.0.2.1]').host, '::ffff:192.0.2.1');
  });

  test('unescapes %-escapes in user, password, params and headers', () => {
    const u = uri('sip:sips%3Auser%40example.com:p%40ss@example.net;x%3Dy=a%20b?h%26=v%3F');
    assert.equal(u.user, 'sips:user@example.com');
    assert.equal(u.password, 'p@ss');
    assert.deepEqual(u.params, { 'x=y': 'a b' });
    assert.deepEqual(u.headers, { 'h&': 'v?' });
  });

  test('unescapes multi-byte UTF-8 escapes and an escaped NUL', () => {
    assert.equal(uri('sip:%E5%BC%A0@example.com').user, '张');
    assert.equal(uri('sip:null-%00-null@example.com').user, 'null-\u0000-null');
  });

  test('keeps a semicolon-separated part of the user as user, not as URI params', () => {
    const u = uri('sip:user;par=u%40example.net@example.com;transport=udp');
    assert.equal(u.user, 'user;par=u@example.net');
    assert.deepEqual(u.params, { transport: 'udp' });
  });

  test('accepts the unusual but legal characters of the user part', () => {
    assert.equal(uri('sip:1_unusual.URI~(to-test!)@example.com').user, '1_unusual.URI~(to-test!)');
    assert.equal(uri('sip:*67#@example.com').user, '*67#');
  });

  test('reads tel URIs with the number in user and an empty host', () => {
    assert.deepEqual(uri('tel:+86-10-5555-1234;phone-context=example.com'), {
      scheme: 'tel',
      user: '+86-10-5555-1234',
      host: '',
      params: { 'phone-context': 'example.com' },
      headers: {},
    });
  });

  test('rejects unknown schemes with a reason that names the problem', () => {
    assert.equal(uriReason('http://example.com/'), 'Unsupported URI scheme');
    assert.equal(uriReason('urn:service:sos'), 'Unsupported URI scheme');
    assert.equal(uriReason('mailto:bob@example.com'), 'Unsupported URI scheme');
    assert.equal(uriReason('no-colon-here'), 'Bad URI');
  });

  test('rejects malformed URIs', () => {
    for (const bad of [
      'sip:',
      'sip:@example.com',
      'sip:bob@',
      'sip:bob@exa mple.com',
      'sip:bob@example.com:',
      'sip:bob@example.com:65536',
      'sip:bob@example.com:5o6o',
      'sip:bob@[2001:db8::1',
      'sip:bob@[not-v6]',
      'sip:b%6@example.com',
      'sip:b%zzob@example.com',
      'sip:%FF@example.com',
      'sip:bob@example.com;;lr',
      'sip:bob@example.com;lr;lr',
      'sip:bob@example.com?novalue',
      'sip:bob<@example.com',
      'sip:bob@example.com>',
      'tel:',
      'tel:+1-555-CALL-NOW',
    ]) {
      assert.equal(parseUri(bad).ok, false, bad);
    }
  });
});

describe('formatUri', () => {
  test('escapes what each component may not hold raw (RFC 3261 §19.1.2)', () => {
    const text = formatUri({
      scheme: 'sip',
      user: 'a b@c#',
      password: 'p:w',
      host: 'example.com',
      params: { 'x y': 'a;b' },
      headers: { subject: 'hello world&more' },
    });
    assert.equal(text, 'sip:a%20b%40c%23:p%3Aw@example.com;x%20y=a%3Bb?subject=hello%20world%26more');
  });

  test('escapes non-ASCII as UTF-8 bytes and puts IPv6 hosts in brackets', () => {
    assert.equal(
      formatUri({ scheme: 'sip', user: '张', host: '2001:db8::1', port: 5060, params: {}, headers: {} }),
      'sip:%E5%BC%A0@[2001:db8::1]:5060',
    );
  });

  test('round-trips every URI it parses', () => {
    for (const text of [
      'sip:alice@example.com',
      'sips:alice:pw@example.com:5061;transport=tls;lr?subject=x',
      'sip:user;par=u%40example.net@example.com',
      'sip:[2001:db8::10]:5070',
      'tel:+86-10-5555-1234;phone-context=example.com',
      'sip:%E5%BC%A0@example.com',
    ]) {
      const once = uri(text);
      assert.deepEqual(uri(formatUri(once)), once, text);
    }
  });
});

describe('parseNameAddr', () => {
  test('reads a quoted display name with escapes, the URI and header params', () => {
    assert.deepEqual(addr('"Alice \\"A\\" Smith" <sip:alice@example.com;transport=tcp>;tag=abc;expires=60'), {
      displayName: 'Alice "A" Smith',
      uri: { scheme: 'sip', user: 'alice', host: 'example.com', params: { transport: 'tcp' }, headers: {} },
      params: { tag: 'abc', expires: '60' },
    });
  });

  test('reads a token display name, with or without space before <', () => {
    assert.equal(addr('Bob Smith <sip:bob@example.com>').displayName, 'Bob Smith');
    assert.equal(addr('Bob<sip:bob@example.com>').displayName, 'Bob');
    assert.equal(addr('<sip:bob@example.com>').displayName, undefined);
    assert.equal(addr('"" <sip:bob@example.com>').displayName, '');
  });

  test('gives params after a bare addr-spec to the header, not the URI (RFC 3261 §20.10)', () => {
    const a = addr('sip:bob@example.com;tag=887s;lr');
    assert.deepEqual(a.uri.params, {});
    assert.deepEqual(a.params, { tag: '887s', lr: null });
  });

  test('keeps quoted header parameter values with their quotes', () => {
    const a = addr('<sip:bob@example.com>;+sip.instance="<urn:uuid:1;2>";reg-id=1');
    assert.equal(a.params['+sip.instance'], '"<urn:uuid:1;2>"');
    assert.equal(a.params['reg-id'], '1');
  });

  test('tolerates whitespace around ; and = in header params', () => {
    assert.deepEqual(addr('<sip:bob@example.com> ; tag = 1 ;lr').params, { tag: '1', lr: null });
  });

  test('rejects broken addresses', () => {
    for (const bad of [
      '',
      '"unterminated <sip:bob@example.com>',
      'Bob <sip:bob@example.com',
      '<http://example.com>',
      '<sip:bob@example.com> tag=1',
      '<sip:bob@example.com>;tag="open',
      '<sip:bob@example.com>;=1',
      '<sip:bob@example.com>;tag=1;tag=2',
      '"Bob" sip:bob@example.com',
      'Bob@home <sip:bob@example.com>',
    ]) {
      assert.equal(parseNameAddr(bad).ok, false, bad);
    }
  });
});

describe('formatNameAddr', () => {
  test('always brackets the URI and quotes display names that are not one token', () => {
    assert.equal(
      formatNameAddr({
        displayName: 'Alice "A"',
        uri: { scheme: 'sip', host: 'example.com', params: { lr: null }, headers: {} },
        params: { tag: 'x' },
      }),
      '"Alice \\"A\\"" <sip:example.com;lr>;tag=x',
    );
    assert.equal(
      formatNameAddr({ displayName: 'Bob', uri: uri('sip:bob@example.com'), params: {} }),
      'Bob <sip:bob@example.com>',
    );
  });

  test('round-trips every address it parses', () => {
    for (const text of [
      '"Alice \\"A\\" Smith" <sip:alice@example.com;transport=tcp>;tag=abc',
      'sip:bob@example.com;tag=887s',
      '<sip:bob@example.com>;+sip.instance="<urn:uuid:1>"',
      '"张三" <tel:+8613800000000>',
      '"" <sip:x@y>',
    ]) {
      const once = addr(text);
      assert.deepEqual(addr(formatNameAddr(once)), once, text);
    }
  });
});
