import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { FakeClock } from '../../platform/clock.js';
import { parseChallenge } from './challenge.js';
import { DigestClient } from './client.js';
import { formatCredentials } from './credentials.js';
import { computeResponse } from './digest.js';
import { DigestServer, type DigestServerOptions } from './server.js';
import type { DigestAlgorithm } from './types.js';

const USERS: Record<string, string> = { '1001': 'pw1001', '1002': 'pw1002' };
const lookupPassword = (u: string): string | undefined => USERS[u];

function setup(opts: Partial<DigestServerOptions> = {}): { clock: FakeClock; server: DigestServer } {
  const clock = new FakeClock();
  return { clock, server: new DigestServer({ realm: 'hotline', clock, nonceLifetimeMs: 60_000, ...opts }) };
}

function nonceOf(server: DigestServer, index = 0): string {
  const parsed = parseChallenge(server.challenge()[index]!);
  assert.ok(parsed.ok);
  return parsed.value.nonce;
}

/** Credentials for user/password against `nonce`, with an explicit nonce count. */
function creds(nonce: string, nc: number, password = 'pw1001', algorithm: DigestAlgorithm = 'MD5'): string {
  const base = {
    username: '1001',
    realm: 'hotline',
    nonce,
    uri: 'sip:pbx',
    cnonce: 'c0ffee',
    nc,
    qop: 'auth',
  } as const;
  const response = computeResponse({ ...base, algorithm, password, method: 'REGISTER' });
  return formatCredentials({ ...base, algorithm, response });
}

function verify(server: DigestServer, header: string | undefined, method = 'REGISTER') {
  return server.verify({ method, credentialsHeader: header, lookupPassword });
}

describe('DigestServer', () => {
  it('offers one challenge per algorithm, MD5 first by default', () => {
    const { server } = setup();
    const challenges = server.challenge();
    assert.equal(challenges.length, 2);
    assert.match(challenges[0]!, /algorithm=MD5, qop="auth"$/);
    assert.match(challenges[1]!, /algorithm=SHA-256, qop="auth"$/);
  });

  it('accepts credentials computed by a client for the first challenge', () => {
    const { server } = setup();
    const client = new DigestClient();
    const header = client.authorize({
      challengeHeader: server.challenge(),
      method: 'REGISTER',
      uri: 'sip:pbx.example.com',
      username: '1002',
      password: 'pw1002',
    });
    assert.match(header, /algorithm=MD5/);
    assert.deepEqual(verify(server, header), { ok: true, username: '1002' });
  });

  it('accepts SHA-256 credentials when the client prefers SHA-256', () => {
    const { server } = setup();
    const client = new DigestClient({ preferSha256: true });
    const header = client.authorize({
      challengeHeader: server.challenge(),
      method: 'INVITE',
      uri: 'sip:2000@pbx',
      username: '1001',
      password: 'pw1001',
    });
    assert.match(header, /algorithm=SHA-256/);
    assert.deepEqual(verify(server, header, 'INVITE'), { ok: true, username: '1001' });
  });

  it('accepts increasing nonce counts on the same nonce', () => {
    const { server } = setup();
    const nonce = nonceOf(server);
    assert.equal(verify(server, creds(nonce, 1)).ok, true);
    assert.equal(verify(server, creds(nonce, 2)).ok, true);
    assert.equal(verify(server, creds(nonce, 7)).ok, true);
  });

  it('refuses a replayed nonce count', () => {
    const { server } = setup();
    const nonce = nonceOf(server);
    const header = creds(nonce, 3);
    assert.equal(verify(server, header).ok, true);
    assert.deepEqual(verify(server, header), { ok: false, reason: 'replay', username: '1001' });
    assert.deepEqual(verify(server, creds(nonce, 2)), { ok: false, reason: 'replay', username: '1001' });
  });

  it('answers a nonce past its lifetime as stale and re-challenges with stale=TRUE', () => {
    const { clock, server } = setup();
    const nonce = nonceOf(server);
    clock.advance(60_001);
    const result = verify(server, creds(nonce, 1));
    assert.deepEqual(result, { ok: false, reason: 'stale', username: '1001' });
    assert.ok(server.challengeAfter(result).every((c) => c.endsWith('stale=TRUE')));
  });

  it('does not call a wrong password stale, even on an old nonce', () => {
    const { clock, server } = setup();
    const nonce = nonceOf(server);
    clock.advance(60_001);
    const result = verify(server, creds(nonce, 1, 'wrong'));
    assert.equal(!result.ok && result.reason, 'bad-password');
    assert.ok(server.challengeAfter(result).every((c) => !c.includes('stale')));
  });

  it('refuses a tampered nonce', () => {
    const { server } = setup();
    const nonce = nonceOf(server);
    const tampered = (nonce[0] === 'A' ? 'B' : 'A') + nonce.slice(1);
    assert.equal(verify(server, creds(tampered, 1)).ok, false);
    assert.deepEqual(verify(server, creds(tampered, 1)), {
      ok: false,
      reason: 'bad-nonce',
      username: '1001',
    });
    assert.deepEqual(verify(server, creds('made-up', 1)), {
      ok: false,
      reason: 'bad-nonce',
      username: '1001',
    });
  });

  it('refuses a nonce minted with another secret', () => {
    const { server: other } = setup({ secret: Buffer.alloc(32, 1) });
    const { server } = setup({ secret: Buffer.alloc(32, 2) });
    assert.equal(!verify(server, creds(nonceOf(other), 1)).ok && 'refused', 'refused');
  });

  it('gives an unknown user and a wrong password identical challenges', () => {
    const random = (n: number): Buffer => Buffer.alloc(n, 7);
    const { server } = setup({ random });
    const nonce = nonceOf(server);
    const looked: string[] = [];
    const lookup = (u: string): string | undefined => (looked.push(u), USERS[u]);
    const wrongPassword = server.verify({
      method: 'REGISTER',
      credentialsHeader: creds(nonce, 1, 'bad'),
      lookupPassword: lookup,
    });
    const unknownHeader = creds(nonce, 1, 'bad').replace('username="1001"', 'username="9999"');
    const unknownUser = server.verify({
      method: 'REGISTER',
      credentialsHeader: unknownHeader,
      lookupPassword: lookup,
    });
    assert.equal(!wrongPassword.ok && wrongPassword.reason, 'bad-password');
    assert.equal(!unknownUser.ok && unknownUser.reason, 'unknown-user');
    assert.deepEqual(looked, ['1001', '9999']);
    assert.deepEqual(server.challengeAfter(unknownUser), server.challengeAfter(wrongPassword));
  });

  it('refuses credentials for another realm or an algorithm it did not offer', () => {
    const { server } = setup({ algorithms: ['SHA-256'] });
    const nonce = nonceOf(server);
    assert.equal(verify(server, creds(nonce, 1)).ok === false && 'x', 'x');
    assert.deepEqual(verify(server, creds(nonce, 1)), { ok: false, reason: 'algorithm', username: '1001' });
    const otherRealm = creds(nonce, 1, 'pw1001', 'SHA-256').replace('realm="hotline"', 'realm="evil"');
    assert.deepEqual(verify(server, otherRealm), { ok: false, reason: 'realm-mismatch', username: '1001' });
    assert.equal(verify(server, creds(nonce, 1, 'pw1001', 'SHA-256')).ok, true);
  });

  it('reports missing and malformed credentials', () => {
    const { server } = setup();
    assert.deepEqual(verify(server, undefined), { ok: false, reason: 'missing' });
    assert.deepEqual(verify(server, ''), { ok: false, reason: 'missing' });
    assert.deepEqual(verify(server, 'Digest username="1001"'), { ok: false, reason: 'malformed' });
    assert.deepEqual(verify(server, 'Basic MTAwMTpwdw=='), { ok: false, reason: 'malformed' });
  });

  it('accepts the RFC 2069 form only when configured to', () => {
    const legacy = (server: DigestServer): string => {
      const base = { username: '1001', realm: 'hotline', nonce: nonceOf(server), uri: 'sip:pbx' };
      const response = computeResponse({ ...base, algorithm: 'MD5', password: 'pw1001', method: 'REGISTER' });
      return formatCredentials({ ...base, response });
    };
    const lenient = setup().server;
    assert.equal(verify(lenient, legacy(lenient)).ok, true);
    const strict = setup({ acceptNoQop: false }).server;
    assert.deepEqual(verify(strict, legacy(strict)), { ok: false, reason: 'malformed', username: '1001' });
  });

  it('keeps the nonce-count table bounded and treats forgotten nonces as stale, never as fresh', () => {
    const { clock, server } = setup({ maxTrackedNonces: 2 });
    const nonces: string[] = [];
    for (let i = 0; i < 3; i++) {
      nonces.push(nonceOf(server));
      clock.advance(10);
    }
    for (const n of nonces) assert.equal(verify(server, creds(n, 1)).ok, true);
    assert.equal(server.trackedNonces, 2);
    // The first nonce was evicted: a replay of it must not pass as a first use.
    assert.deepEqual(verify(server, creds(nonces[0]!, 1)), { ok: false, reason: 'stale', username: '1001' });
    assert.equal(verify(server, creds(nonces[2]!, 2)).ok, true);
  });

  it('verifies qop=auth-int over the body', () => {
    const { server } = setup({ qop: ['auth-int'] });
    const body = Buffer.from('v=0\r\n');
    const header = new DigestClient().authorize({
      challengeHeader: server.challenge()[0]!,
      method: 'INVITE',
      uri: 'sip:2000@pbx',
      username: '1001',
      password: 'pw1001',
      body,
    });
    assert.equal(
      server.verify({ method: 'INVITE', credentialsHeader: header, lookupPassword, body }).ok,
      true,
    );
    const other = server.verify({
      method: 'INVITE',
      credentialsHeader: header,
      lookupPassword,
      body: Buffer.from('x'),
    });
    assert.equal(other.ok, false);
  });
});
