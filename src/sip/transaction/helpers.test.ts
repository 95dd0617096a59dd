import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { Endpoint, SipRequest } from '../message/types.js';
import { buildAckForFailure, buildCancel, buildTrying } from './build.js';
import { clientKey, serverKey, serverKeyPrefix } from './keys.js';
import { responseDestination } from './response-destination.js';
import { TCP_PEER, request, response } from './test-kit.js';

function withVia(req: SipRequest, params: Record<string, string | null>, port?: number): SipRequest {
  const top = req.vias[0]!;
  return { ...req, vias: [{ ...top, params: { ...top.params, ...params }, ...(port ? { port } : {}) }] };
}

describe('responseDestination (RFC 3261 §18.2.2, RFC 3581)', () => {
  const natSource: Endpoint = { transport: 'UDP', address: '198.51.100.7', port: 31000 };

  test('answers over the same connection on a reliable transport', () => {
    assert.deepEqual(responseDestination(request('INVITE', { transport: 'TCP' }), TCP_PEER), TCP_PEER);
    const ws: Endpoint = { transport: 'WSS', address: '203.0.113.5', port: 443, connectionId: 'ws-9' };
    assert.deepEqual(responseDestination(request('REGISTER'), ws), ws);
  });

  test('answers the source address and port over UDP when the Via has rport', () => {
    const req = withVia(request('INVITE'), { rport: '31000', received: '198.51.100.7' }, 5062);
    assert.deepEqual(responseDestination(req, natSource), natSource);
  });

  test('answers the source address and the sent-by port over UDP without rport', () => {
    const req = withVia(request('INVITE'), { received: '198.51.100.7' }, 5062);
    assert.deepEqual(responseDestination(req, natSource), {
      transport: 'UDP',
      address: '198.51.100.7',
      port: 5062,
    });
  });

  test('defaults the port to 5060 when the Via has none', () => {
    assert.deepEqual(responseDestination(request('INVITE'), natSource), {
      transport: 'UDP',
      address: '198.51.100.7',
      port: 5060,
    });
  });

  test('ignores received, rport values and maddr the peer wrote itself', () => {
    const req = withVia(request('INVITE'), { received: '203.0.113.99', rport: '1', maddr: '239.0.0.1' });
    assert.deepEqual(responseDestination(req, natSource), natSource);
  });

  test('falls back to the source when there is no Via', () => {
    assert.deepEqual(responseDestination({ ...request('INVITE'), vias: [] }, natSource), natSource);
  });
});

describe('transaction-layer message builders', () => {
  const invite = request('INVITE');

  test('the ACK for a non-2xx copies the INVITE but takes To from the response (§17.1.1.3)', () => {
    const ack = buildAckForFailure(invite, response(invite, 404, 'nf'));
    assert.equal(ack.method, 'ACK');
    assert.equal(ack.to.params.tag, 'nf');
    assert.deepEqual(ack.vias, invite.vias.slice(0, 1));
    assert.equal(ack.maxForwards, 70);
    assert.equal(ack.body.length, 0);
    assert.deepEqual(ack.headers, []);
  });

  test('the CANCEL copies the request line, To without tag, top Via and Route (§9.1)', () => {
    const cancel = buildCancel(invite);
    assert.equal(cancel.method, 'CANCEL');
    assert.deepEqual(cancel.to, invite.to);
    assert.deepEqual(cancel.vias, invite.vias.slice(0, 1));
    assert.deepEqual(cancel.routes, invite.routes);
    assert.deepEqual(cancel.cseq, { seq: 1, method: 'CANCEL' });
    assert.deepEqual(cancel.headers, []);
  });

  test('the 100 Trying copies all Vias and the CSeq and echoes Timestamp (§8.2.6)', () => {
    const trying = buildTrying(invite);
    assert.equal(trying.status, 100);
    assert.deepEqual(trying.vias, invite.vias);
    assert.deepEqual(trying.cseq, invite.cseq);
    assert.deepEqual(trying.headers, [{ name: 'Timestamp', value: '54' }]);
    assert.deepEqual(buildTrying({ ...invite, headers: [] }).headers, []);
  });
});

describe('transaction keys', () => {
  test('a client key is branch and method', () => {
    assert.notEqual(clientKey('z9hG4bK1', 'INVITE'), clientKey('z9hG4bK1', 'CANCEL'));
  });

  test('a server key with the magic cookie ignores all but branch, sent-by and method', () => {
    const a = request('OPTIONS', { callId: 'a', fromTag: 'x' });
    const b = request('OPTIONS', { callId: 'b', fromTag: 'y' });
    assert.equal(serverKeyPrefix(a), serverKeyPrefix(b));
    const c = request('OPTIONS', { viaPort: 5070 });
    assert.notEqual(serverKeyPrefix(a), serverKeyPrefix(c));
  });

  test('an RFC 2543 key depends on Call-ID, From tag, CSeq number and Request-URI', () => {
    const base = request('INVITE', { branch: undefined });
    const prefix = serverKeyPrefix(base)!;
    assert.ok(prefix.startsWith('2543 '));
    for (const other of [
      request('INVITE', { branch: undefined, callId: 'other' }),
      request('INVITE', { branch: undefined, fromTag: 'other' }),
      request('INVITE', { branch: undefined, seq: 9 }),
      request('INVITE', { branch: undefined, uriUser: '9' }),
    ]) {
      assert.notEqual(serverKeyPrefix(other), prefix);
    }
    assert.equal(serverKeyPrefix(request('INVITE', { branch: undefined, toTag: 'later' })), prefix);
    assert.equal(serverKey(prefix, 'INVITE'), prefix + 'INVITE');
  });
});
