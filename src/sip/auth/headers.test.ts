import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { parseAuthParams } from './auth-params.js';
import { formatChallenge, parseChallenge } from './challenge.js';
import { formatCredentials, parseCredentials } from './credentials.js';
import { AuthError } from './errors.js';

const RFC_CHALLENGE =
  'Digest\r\n    realm="http-auth@example.org",\r\n    qop="auth, auth-int",\r\n    algorithm=SHA-256,\r\n' +
  '    nonce="7ypf/xlj9XXwfDPEoM4URrv/xwf94BcCAzFZH4GiTo0v",\r\n    opaque="FQhe/qaU925kfnzjCev0ciny7QMkPqMAFRtzCUYo5tdS"';

const RFC_CREDENTIALS =
  'Digest username="Mufasa", realm="http-auth@example.org", uri="/dir/index.html", algorithm=SHA-256, ' +
  'nonce="7ypf/xlj9XXwfDPEoM4URrv/xwf94BcCAzFZH4GiTo0v", nc=00000001, ' +
  'cnonce="f2/wE4q74E6zIJEtWaHKaf5wv/H5QzzpXusqGemxURZJ", qop=auth, ' +
  'response="753927fa0e85d155564e2e272a28d1802ca10daf4496794697cf8db5856cb6c1", ' +
  'opaque="FQhe/qaU925kfnzjCev0ciny7QMkPqMAFRtzCUYo5tdS"';

describe('auth-param parsing', () => {
  it('unescapes quoted pairs and lower-cases names', () => {
    const r = parseAuthParams('Digest REALM="a\\"b\\\\c", nonce=xyz');
    assert.ok(r.ok);
    assert.equal(r.value.params.get('realm'), 'a"b\\c');
    assert.equal(r.value.params.get('nonce'), 'xyz');
  });

  it('ignores empty list elements', () => {
    const r = parseAuthParams('Digest ,realm="r",, nonce="n",');
    assert.ok(r.ok);
    assert.equal(r.value.params.size, 2);
  });

  for (const [name, value] of [
    ['an unterminated quoted string', 'Digest realm="abc'],
    ['a duplicated parameter', 'Digest realm="a", realm="b"'],
    ['a parameter without a value', 'Digest realm'],
    ['two parameters without a comma', 'Digest realm="a" nonce="b"'],
    ['a control character inside quotes', 'Digest realm="a\u0001b"'],
    ['an empty bare value', 'Digest realm=, nonce="n"'],
    ['nothing at all', '   '],
  ] as const) {
    it(`rejects ${name}`, () => {
      assert.equal(parseAuthParams(value).ok, false);
    });
  }

  it('rejects an oversized value without scanning it', () => {
    assert.equal(parseAuthParams(`Digest realm="${'a'.repeat(5000)}"`).ok, false);
  });
});

describe('challenges', () => {
  it('parses the RFC 7616 example challenge with its folded lines', () => {
    const r = parseChallenge(RFC_CHALLENGE);
    assert.ok(r.ok, !r.ok ? r.reason : '');
    assert.deepEqual(r.value, {
      realm: 'http-auth@example.org',
      nonce: '7ypf/xlj9XXwfDPEoM4URrv/xwf94BcCAzFZH4GiTo0v',
      opaque: 'FQhe/qaU925kfnzjCev0ciny7QMkPqMAFRtzCUYo5tdS',
      algorithm: 'SHA-256',
      qop: ['auth', 'auth-int'],
      stale: false,
      userhash: false,
    });
  });

  it('defaults to MD5 without qop for a legacy challenge and reads stale and userhash', () => {
    const r = parseChallenge('digest realm="r", nonce="n", stale=true, userhash=TRUE');
    assert.ok(r.ok);
    assert.equal(r.value.algorithm, 'MD5');
    assert.deepEqual(r.value.qop, []);
    assert.equal(r.value.stale, true);
    assert.equal(r.value.userhash, true);
  });

  it('refuses other schemes, missing nonces and unknown algorithms', () => {
    assert.equal(parseChallenge('Basic realm="r"').ok, false);
    assert.equal(parseChallenge('Digest realm="r"').ok, false);
    assert.equal(parseChallenge('Digest realm="r", nonce="n", algorithm=SHA-1').ok, false);
  });

  it('round-trips through formatChallenge', () => {
    const text = formatChallenge({
      realm: 'call "center"',
      nonce: 'n/1=',
      opaque: 'o',
      algorithm: 'SHA-256',
      qop: ['auth', 'auth-int'],
      stale: true,
    });
    assert.equal(
      text,
      'Digest realm="call \\"center\\"", nonce="n/1=", opaque="o", algorithm=SHA-256, qop="auth,auth-int", stale=TRUE',
    );
    const r = parseChallenge(text);
    assert.ok(r.ok);
    assert.equal(r.value.realm, 'call "center"');
    assert.equal(r.value.stale, true);
  });

  it('refuses to write a CR or LF into a header', () => {
    assert.throws(() => formatChallenge({ realm: 'a\r\nVia: x', nonce: 'n' }), AuthError);
  });
});

describe('credentials', () => {
  it('parses the RFC 7616 example credentials', () => {
    const r = parseCredentials(RFC_CREDENTIALS);
    assert.ok(r.ok, !r.ok ? r.reason : '');
    assert.equal(r.value.username, 'Mufasa');
    assert.equal(r.value.algorithm, 'SHA-256');
    assert.equal(r.value.qop, 'auth');
    assert.equal(r.value.nc, 1);
    assert.equal(r.value.cnonce, 'f2/wE4q74E6zIJEtWaHKaf5wv/H5QzzpXusqGemxURZJ');
  });

  it('round-trips through formatCredentials', () => {
    const r = parseCredentials(RFC_CREDENTIALS);
    assert.ok(r.ok);
    const again = parseCredentials(formatCredentials(r.value));
    assert.ok(again.ok);
    assert.deepEqual(again.value, r.value);
  });

  it('accepts the RFC 2069 form without qop, nc or cnonce', () => {
    const r = parseCredentials(
      'Digest username="1001", realm="r", nonce="n", uri="sip:pbx", response="0123456789abcdef0123456789ABCDEF"',
    );
    assert.ok(r.ok);
    assert.equal(r.value.qop, undefined);
    assert.equal(r.value.response, '0123456789abcdef0123456789abcdef');
  });

  for (const [name, value] of [
    ['no response', 'Digest username="u", realm="r", nonce="n", uri="sip:x"'],
    [
      'a response of the wrong length',
      'Digest username="u", realm="r", nonce="n", uri="sip:x", response="abc"',
    ],
    [
      'qop without nc',
      'Digest username="u", realm="r", nonce="n", uri="sip:x", qop=auth, cnonce="c", response="0123456789abcdef0123456789abcdef"',
    ],
    [
      'a zero nonce count',
      'Digest username="u", realm="r", nonce="n", uri="sip:x", qop=auth, nc=00000000, cnonce="c", response="0123456789abcdef0123456789abcdef"',
    ],
    [
      'an unknown qop',
      'Digest username="u", realm="r", nonce="n", uri="sip:x", qop=auth-conf, nc=00000001, cnonce="c", response="0123456789abcdef0123456789abcdef"',
    ],
  ] as const) {
    it(`rejects credentials with ${name}`, () => {
      assert.equal(parseCredentials(value).ok, false);
    });
  }
});
