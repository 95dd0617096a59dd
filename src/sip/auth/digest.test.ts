import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { computeHa1, computeResponse, formatNc, toDigestAlgorithm } from './digest.js';
import { AuthError } from './errors.js';

const h = (alg: string, s: string | Buffer): string => createHash(alg).update(s).digest('hex');

// RFC 7616 §3.9.1, the Mufasa example.
const RFC = {
  username: 'Mufasa',
  realm: 'http-auth@example.org',
  password: 'Circle of Life',
  method: 'GET',
  uri: '/dir/index.html',
  nonce: '7ypf/xlj9XXwfDPEoM4URrv/xwf94BcCAzFZH4GiTo0v',
  nc: 1,
  cnonce: 'f2/wE4q74E6zIJEtWaHKaf5wv/H5QzzpXusqGemxURZJ',
  qop: 'auth',
} as const;

describe('computeResponse', () => {
  it('gives the SHA-256 response published in RFC 7616 §3.9.1', () => {
    assert.equal(
      computeResponse({ ...RFC, algorithm: 'SHA-256' }),
      '753927fa0e85d155564e2e272a28d1802ca10daf4496794697cf8db5856cb6c1',
    );
  });

  it('gives the MD5 response published in RFC 7616 §3.9.1', () => {
    assert.equal(computeResponse({ ...RFC, algorithm: 'MD5' }), '8ca523f5e9506fed4657c9700eebdbec');
  });

  it('matches an independent MD5 qop=auth computation for a SIP REGISTER', () => {
    const ha1 = h('md5', '1001:hotline:s3cret');
    const ha2 = h('md5', 'REGISTER:sip:pbx.example.com');
    const expected = h('md5', `${ha1}:abc:0000002a:xyz:auth:${ha2}`);
    const got = computeResponse({
      algorithm: 'MD5',
      username: '1001',
      realm: 'hotline',
      password: 's3cret',
      method: 'REGISTER',
      uri: 'sip:pbx.example.com',
      nonce: 'abc',
      nc: 42,
      cnonce: 'xyz',
      qop: 'auth',
    });
    assert.equal(got, expected);
  });

  it('matches an independent SHA-256 computation of the RFC 2069 form without qop', () => {
    const ha1 = h('sha256', '1001:hotline:s3cret');
    const ha2 = h('sha256', 'INVITE:sip:2000@pbx');
    const expected = h('sha256', `${ha1}:n1:${ha2}`);
    const got = computeResponse({
      algorithm: 'SHA-256',
      username: '1001',
      realm: 'hotline',
      password: 's3cret',
      method: 'INVITE',
      uri: 'sip:2000@pbx',
      nonce: 'n1',
    });
    assert.equal(got, expected);
  });

  it('hashes the body into HA2 for qop=auth-int', () => {
    const body = Buffer.from('v=0\r\n');
    const ha1 = h('md5', 'u:r:p');
    const ha2 = h('md5', `INVITE:sip:x:${h('md5', body)}`);
    const expected = h('md5', `${ha1}:n:00000001:c:auth-int:${ha2}`);
    const got = computeResponse({
      algorithm: 'MD5',
      username: 'u',
      realm: 'r',
      password: 'p',
      method: 'INVITE',
      uri: 'sip:x',
      nonce: 'n',
      nc: 1,
      cnonce: 'c',
      qop: 'auth-int',
      body,
    });
    assert.equal(got, expected);
  });

  it('folds nonce and cnonce into HA1 for the -sess algorithms', () => {
    const ha1 = h('sha256', `${h('sha256', 'u:r:p')}:n:c`);
    const ha2 = h('sha256', 'REGISTER:sip:x');
    const expected = h('sha256', `${ha1}:n:00000001:c:auth:${ha2}`);
    const input = {
      username: 'u',
      realm: 'r',
      method: 'REGISTER',
      uri: 'sip:x',
      nonce: 'n',
      nc: 1,
      cnonce: 'c',
    };
    assert.equal(
      computeResponse({ ...input, algorithm: 'SHA-256-sess', password: 'p', qop: 'auth' }),
      expected,
    );
  });

  it('accepts a stored HA1 instead of the password', () => {
    const ha1 = computeHa1('MD5', RFC.username, RFC.realm, RFC.password);
    const { password: _password, ...rest } = RFC;
    assert.equal(computeResponse({ ...rest, algorithm: 'MD5', ha1 }), '8ca523f5e9506fed4657c9700eebdbec');
  });

  it('refuses qop without nc and cnonce', () => {
    assert.throws(
      () => computeResponse({ ...RFC, algorithm: 'MD5', nc: undefined }),
      (e: unknown) => e instanceof AuthError && e.code === 'AUTH_INVALID_INPUT',
    );
  });

  it('refuses both password and ha1 at once', () => {
    assert.throws(() => computeResponse({ ...RFC, algorithm: 'MD5', ha1: 'x' }), AuthError);
  });
});

describe('digest helpers', () => {
  it('writes the nonce count as 8 lower-case hex digits', () => {
    assert.equal(formatNc(1), '00000001');
    assert.equal(formatNc(0xabc), '00000abc');
    assert.throws(() => formatNc(0), AuthError);
  });

  it('reads algorithm tokens case-insensitively', () => {
    assert.equal(toDigestAlgorithm('sha-256'), 'SHA-256');
    assert.equal(toDigestAlgorithm('md5-SESS'), 'MD5-sess');
    assert.equal(toDigestAlgorithm('SHA-1'), undefined);
  });
});
