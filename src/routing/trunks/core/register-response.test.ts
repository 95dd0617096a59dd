import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Header, NameAddr, SipResponse, SipUri } from '../../../sip/message/types.js';
import { grantedExpires, registerEvent } from './register-response.js';

const ours: SipUri = { scheme: 'sip', user: '0208', host: '192.0.2.1', port: 5070, params: {}, headers: {} };

function response(status: number, headers: Header[] = [], contacts: NameAddr[] = []): SipResponse {
  const uri: SipUri = { scheme: 'sip', user: '0208', host: 'carrier.example', params: {}, headers: {} };
  return {
    kind: 'response',
    status,
    reason: 'x',
    vias: [],
    from: { uri, params: { tag: 'a' } },
    to: { uri, params: {} },
    callId: 'c',
    cseq: { seq: 1, method: 'REGISTER' },
    contacts,
    routes: [],
    recordRoutes: [],
    headers,
    body: Buffer.alloc(0),
  };
}

const challenge = (extra = '') => ({
  name: 'WWW-Authenticate',
  value: `Digest realm="c", nonce="n", qop="auth"${extra}`,
});

describe('reading a registrar’s answer', () => {
  it('takes the expires the registrar gave our own Contact', () => {
    const other: NameAddr = { uri: { ...ours, port: 5080 }, params: { expires: '3600' } };
    const mine: NameAddr = { uri: ours, params: { expires: '120' } };
    assert.equal(
      grantedExpires(response(200, [{ name: 'Expires', value: '600' }], [other, mine]), ours, 300),
      120,
    );
  });

  it('falls back to the Expires header, then to what was asked', () => {
    assert.equal(grantedExpires(response(200, [{ name: 'Expires', value: '600' }]), ours, 300), 600);
    assert.equal(grantedExpires(response(200), ours, 300), 300);
  });

  it('tells a challenge from a stale-nonce one, and refuses one it cannot answer', () => {
    assert.deepEqual(registerEvent(response(401, [challenge()]), ours, 300), { type: 'challenge' });
    assert.deepEqual(registerEvent(response(401, [challenge(', stale=true')]), ours, 300), {
      type: 'staleChallenge',
    });
    assert.deepEqual(
      registerEvent(response(407, [{ name: 'Proxy-Authenticate', value: 'Basic realm="x"' }]), ours, 300),
      { type: 'reject', status: 407 },
    );
  });

  it('reads 403, 423 with Min-Expires, and Retry-After', () => {
    assert.deepEqual(registerEvent(response(403), ours, 300), { type: 'forbidden' });
    assert.deepEqual(registerEvent(response(423, [{ name: 'Min-Expires', value: '900' }]), ours, 300), {
      type: 'tooBrief',
      minExpires: 900,
    });
    assert.deepEqual(
      registerEvent(response(503, [{ name: 'Retry-After', value: '120 (maintenance)' }]), ours, 300),
      {
        type: 'reject',
        status: 503,
        retryAfter: 120,
      },
    );
    assert.deepEqual(registerEvent(response(404), ours, 300), { type: 'reject', status: 404 });
  });
});
