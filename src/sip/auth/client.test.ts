import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { parseCredentials } from './credentials.js';
import { DigestClient, pickChallenge } from './client.js';
import { AuthError } from './errors.js';

const MD5 = 'Digest realm="r", nonce="n1", algorithm=MD5, qop="auth"';
const SHA = 'Digest realm="r", nonce="n1", algorithm=SHA-256, qop="auth"';
const input = { method: 'REGISTER', uri: 'sip:trunk.example.com', username: 'acct', password: 'pw' } as const;

function parsed(header: string) {
  const r = parseCredentials(header);
  assert.ok(r.ok, !r.ok ? r.reason : '');
  return r.value;
}

describe('pickChallenge', () => {
  it('takes the first supported challenge by default', () => {
    assert.equal(pickChallenge([MD5, SHA])?.algorithm, 'MD5');
    assert.equal(pickChallenge(['Digest realm="r", nonce="n", algorithm=SHA-1', SHA])?.algorithm, 'SHA-256');
  });

  it('takes SHA-256 when configured to prefer it', () => {
    assert.equal(pickChallenge([MD5, SHA], { preferSha256: true })?.algorithm, 'SHA-256');
    assert.equal(pickChallenge([MD5], { preferSha256: true })?.algorithm, 'MD5');
  });

  it('skips challenges offering only unknown qop values and non-Digest schemes', () => {
    assert.equal(
      pickChallenge(['Digest realm="r", nonce="n", qop="auth-conf"', 'Basic realm="r"']),
      undefined,
    );
  });
});

describe('DigestClient', () => {
  it('chooses qop=auth when offered and counts up per nonce', () => {
    const client = new DigestClient();
    const first = parsed(
      client.authorize({ ...input, challengeHeader: 'Digest realm="r", nonce="n1", qop="auth-int,auth"' }),
    );
    const second = parsed(client.authorize({ ...input, challengeHeader: MD5 }));
    const other = parsed(
      client.authorize({ ...input, challengeHeader: 'Digest realm="r", nonce="n2", qop="auth"' }),
    );
    assert.equal(first.qop, 'auth');
    assert.deepEqual([first.nc, second.nc, other.nc], [1, 2, 1]);
  });

  it('uses a fresh random cnonce each time and echoes opaque', () => {
    const client = new DigestClient();
    const challenge = 'Digest realm="r", nonce="n1", opaque="op", qop="auth"';
    const a = parsed(client.authorize({ ...input, challengeHeader: challenge }));
    const b = parsed(client.authorize({ ...input, challengeHeader: challenge }));
    assert.notEqual(a.cnonce, b.cnonce);
    assert.match(a.cnonce ?? '', /^[0-9a-f]{32}$/);
    assert.equal(a.opaque, 'op');
  });

  it('answers a legacy challenge without qop, nc or cnonce', () => {
    const cr = parsed(
      new DigestClient().authorize({ ...input, challengeHeader: 'Digest realm="r", nonce="n"' }),
    );
    assert.equal(cr.qop, undefined);
    assert.equal(cr.nc, undefined);
    assert.equal(cr.cnonce, undefined);
  });

  it('throws a coded error on an unusable challenge', () => {
    const client = new DigestClient();
    for (const challengeHeader of [
      'Basic realm="r"',
      ['Digest realm="r"'],
      'Digest realm="r", nonce="n", qop="x"',
    ]) {
      assert.throws(
        () => client.authorize({ ...input, challengeHeader }),
        (e: unknown) => e instanceof AuthError && e.code === 'AUTH_BAD_CHALLENGE',
      );
    }
  });

  it('keeps nonce counts for a bounded number of nonces', () => {
    const client = new DigestClient({ maxNonces: 2 });
    const ch = (n: string): string => `Digest realm="r", nonce="${n}", qop="auth"`;
    client.authorize({ ...input, challengeHeader: ch('a') });
    client.authorize({ ...input, challengeHeader: ch('b') });
    client.authorize({ ...input, challengeHeader: ch('c') });
    // "a" was forgotten, so it starts again at 1 (the server then answers stale and we re-challenge).
    assert.equal(parsed(client.authorize({ ...input, challengeHeader: ch('a') })).nc, 1);
    assert.equal(parsed(client.authorize({ ...input, challengeHeader: ch('c') })).nc, 2);
  });
});
