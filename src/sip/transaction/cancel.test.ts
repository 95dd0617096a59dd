import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { Header, SipRequest } from '../message/types.js';
import { RecordingUser, TCP_PEER, UDP_PEER, request, response, sameTransaction, setup } from './test-kit.js';

const REASON: Header = { name: 'Reason', value: 'SIP;cause=200;text="Call completed elsewhere"' };

function ringing(peer = UDP_PEER) {
  const env = setup();
  const user = new RecordingUser();
  const invite = request('INVITE', { transport: peer.transport });
  const txn = env.layer.sendRequest(invite, peer, user);
  return { ...env, user, invite, txn };
}

function sentCancels(sent: readonly { msg: { kind: string } }[]): SipRequest[] {
  return sent
    .map((s) => s.msg)
    .filter((m): m is SipRequest => m.kind === 'request' && 'method' in m && m.method === 'CANCEL');
}

describe('CANCEL (RFC 3261 §9.1)', () => {
  test('CANCEL before any provisional waits for 180', () => {
    const { sender, layer, invite, txn } = ringing();
    layer.cancel(txn, [REASON]);
    assert.equal(sender.count('CANCEL'), 0);
    layer.receive(response(invite, 180), UDP_PEER);
    assert.equal(sender.count('CANCEL'), 1);
    const cancel = sentCancels(sender.sent)[0]!;
    assert.deepEqual(cancel.vias, [invite.vias[0]]);
    assert.deepEqual(cancel.cseq, { seq: invite.cseq.seq, method: 'CANCEL' });
    assert.deepEqual(cancel.uri, invite.uri);
    assert.deepEqual(cancel.to, invite.to);
    assert.deepEqual(cancel.from, invite.from);
    assert.deepEqual(cancel.routes, invite.routes);
    assert.deepEqual(cancel.headers, [REASON]);
    assert.deepEqual(sender.last().dest, UDP_PEER);
    assert.equal(layer.stats().clientNonInvite, 1);
  });

  test('CANCEL after a provisional goes at once and is retransmitted on UDP like any non-INVITE', () => {
    const { sender, layer, invite, txn, clock } = ringing();
    layer.receive(response(invite, 183), UDP_PEER);
    layer.cancel(txn);
    assert.equal(sender.count('CANCEL'), 1);
    clock.advance(500);
    assert.equal(sender.count('CANCEL'), 2);
  });

  test('a second cancel() sends no second CANCEL', () => {
    const { sender, layer, invite, txn } = ringing();
    layer.cancel(txn);
    layer.cancel(txn);
    layer.receive(response(invite, 180), UDP_PEER);
    layer.cancel(txn);
    layer.receive(response(invite, 180), UDP_PEER);
    assert.equal(sender.count('CANCEL'), 1);
  });

  test('no CANCEL when a final response arrives first', () => {
    const { sender, layer, invite, txn, user } = ringing();
    layer.cancel(txn);
    layer.receive(response(invite, 486), UDP_PEER);
    assert.equal(sender.count('CANCEL'), 0);
    layer.cancel(txn);
    assert.equal(sender.count('CANCEL'), 0);
    assert.deepEqual(user.responses, [486]);
  });

  test('no CANCEL after a 2xx', () => {
    const { sender, layer, invite, txn } = ringing();
    layer.receive(response(invite, 200), UDP_PEER);
    layer.cancel(txn);
    assert.equal(sender.count('CANCEL'), 0);
  });

  test('cancel() of a terminated transaction does nothing', () => {
    const { sender, layer, invite, txn } = ringing(TCP_PEER);
    layer.receive(response(invite, 486), TCP_PEER);
    layer.cancel(txn);
    assert.equal(sender.count('CANCEL'), 0);
  });

  test('the 487 after a CANCEL is ACKed and passed up; the 200 to the CANCEL ends its transaction', () => {
    const { sender, layer, invite, txn, user, clock } = ringing();
    layer.receive(response(invite, 180), UDP_PEER);
    layer.cancel(txn);
    const cancel = sentCancels(sender.sent)[0]!;
    layer.receive(response(cancel, 200), UDP_PEER);
    layer.receive(response(invite, 487), UDP_PEER);
    assert.deepEqual(user.responses, [180, 487]);
    assert.equal(sender.count('ACK'), 1);
    clock.advance(32_000);
    assert.equal(layer.stats().total, 0);
    assert.equal(clock.pendingCount, 0);
  });

  test('gives up 64*T1 after the CANCEL when no final response comes, and tells the TU', () => {
    const { layer, invite, txn, user, clock } = ringing(TCP_PEER);
    layer.receive(response(invite, 180), TCP_PEER);
    layer.cancel(txn);
    clock.advance(31_999);
    assert.equal(txn.state, 'proceeding');
    clock.advance(1);
    assert.equal(txn.state, 'terminated');
    assert.equal(user.timeouts, 1);
  });

  test('the CANCEL guard is cleared by the final response', () => {
    const { layer, invite, txn, user, clock } = ringing(TCP_PEER);
    layer.receive(response(invite, 180), TCP_PEER);
    layer.cancel(txn);
    layer.receive(response(invite, 200), TCP_PEER);
    clock.advance(40_000);
    assert.equal(user.timeouts, 0);
    assert.equal(clock.pendingCount, 0);
  });

  test('a TU may cancel from inside onResponse for the 180', () => {
    const env = setup();
    const invite = request('INVITE');
    const user = new RecordingUser();
    const txn = env.layer.sendRequest(invite, UDP_PEER, {
      onResponse: (r) => {
        user.onResponse(r);
        if (r.status === 180) env.layer.cancel(txn);
      },
      onTimeout: () => user.onTimeout(),
      onTransportError: (e) => user.onTransportError(e),
    });
    env.layer.receive(response(invite, 180), UDP_PEER);
    assert.equal(env.sender.count('CANCEL'), 1);
  });

  test('the CANCEL uses the branch of the INVITE but is matched separately by CSeq method', () => {
    const { sender, layer, invite, txn, user } = ringing();
    layer.receive(response(invite, 180), UDP_PEER);
    layer.cancel(txn);
    layer.receive(response(sameTransaction(invite, 'CANCEL'), 200), UDP_PEER);
    assert.deepEqual(user.responses, [180], 'the 200 to the CANCEL is not the INVITE’s');
    assert.equal(txn.state, 'proceeding');
    assert.equal(sender.count('CANCEL'), 1);
  });

  test('cancel() of a non-INVITE transaction sends nothing', () => {
    const { layer, sender } = setup();
    const txn = layer.sendRequest(request('OPTIONS'), UDP_PEER, new RecordingUser());
    layer.receive(response(request('OPTIONS'), 100), UDP_PEER);
    layer.cancel(txn);
    assert.equal(sender.count('CANCEL'), 0);
  });
});
