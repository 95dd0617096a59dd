import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { serverNonInviteTransition, type ServerNonInviteContext } from './server-non-invite.js';
import { DEFAULT_TIMERS } from './timers.js';
import { TCP_PEER, UDP_PEER, request, response, setup } from './test-kit.js';
import type { TerminationReason } from './types.js';

function incoming(method = 'REGISTER', peer = UDP_PEER) {
  const env = setup();
  const req = request(method, { transport: peer.transport });
  env.layer.receive(req, peer);
  const txn = env.core.txn();
  const reasons: TerminationReason[] = [];
  txn.onTerminated = (r) => reasons.push(r);
  return { ...env, req, txn, reasons };
}

describe('non-INVITE server transaction', () => {
  test('answers a retransmitted REGISTER with the cached 200', () => {
    const { sender, txn, req, layer, core } = incoming();
    assert.equal(txn.kind, 'server-non-invite');
    txn.respond(response(req, 200));
    layer.receive(req, UDP_PEER);
    layer.receive(req, UDP_PEER);
    assert.deepEqual(sender.labels(), ['200', '200', '200']);
    assert.equal(sender.sent[1]?.msg, sender.sent[0]?.msg);
    assert.equal(core.requests.length, 1);
  });

  test('sends no 100 Trying on its own and discards retransmissions in Trying', () => {
    const { sender, req, layer, clock, txn } = incoming('OPTIONS');
    clock.advance(1000);
    layer.receive(req, UDP_PEER);
    assert.deepEqual(sender.labels(), []);
    assert.equal(txn.state, 'trying');
  });

  test('resends the last provisional to a retransmission in Proceeding', () => {
    const { sender, txn, req, layer } = incoming('SUBSCRIBE');
    txn.respond(response(req, 100));
    assert.equal(txn.state, 'proceeding');
    layer.receive(req, UDP_PEER);
    txn.respond(response(req, 202));
    assert.deepEqual(sender.labels(), ['100', '100', '202']);
  });

  test('keeps the final response for 64*T1 on UDP, then forgets the request', () => {
    const { clock, txn, req, layer, core, reasons } = incoming();
    txn.respond(response(req, 401));
    assert.equal(txn.state, 'completed');
    clock.advance(31_999);
    assert.equal(txn.state, 'completed');
    clock.advance(1);
    assert.equal(txn.state, 'terminated');
    assert.deepEqual(reasons, ['normal']);
    assert.equal(clock.pendingCount, 0);
    layer.receive(req, UDP_PEER);
    assert.equal(core.requests.length, 2, 'a new transaction after Timer J');
  });

  test('terminates at once after the final response over TCP', () => {
    const { clock, txn, req, sender } = incoming('REGISTER', TCP_PEER);
    txn.respond(response(req, 200));
    assert.equal(txn.state, 'terminated');
    assert.deepEqual(sender.last().dest, TCP_PEER);
    assert.equal(clock.pendingCount, 0);
  });

  test('refuses a response after the final one', () => {
    const { txn, req } = incoming();
    txn.respond(response(req, 200));
    assert.throws(() => txn.respond(response(req, 200)), { code: 'SIP_TXN_ILLEGAL_TRANSITION' });
    assert.throws(() => txn.respond(response(req, 100)), { code: 'SIP_TXN_ILLEGAL_TRANSITION' });
  });

  test('ends with transportError when the response cannot be sent', () => {
    const { txn, req, sender, reasons, layer } = incoming();
    sender.failWith = new Error('no socket');
    txn.respond(response(req, 200));
    assert.equal(txn.state, 'terminated');
    assert.deepEqual(reasons, ['transportError']);
    assert.equal(layer.stats().total, 0);
  });

  test('ends with transportError when a resent final response fails in Completed', () => {
    const { txn, req, sender, reasons, layer } = incoming();
    txn.respond(response(req, 200));
    sender.failWith = new Error('no socket');
    layer.receive(req, UDP_PEER);
    assert.equal(txn.state, 'terminated');
    assert.deepEqual(reasons, ['transportError']);
  });

  test('logs and swallows a throwing onTerminated callback', () => {
    const { txn, req, layer } = incoming('REGISTER', TCP_PEER);
    txn.onTerminated = () => {
      throw new Error('TU bug');
    };
    assert.doesNotThrow(() => txn.respond(response(req, 200)));
    assert.equal(layer.stats().total, 0);
  });
});

describe('non-INVITE server transaction table', () => {
  const ctx: ServerNonInviteContext = { reliable: false, timers: DEFAULT_TIMERS };

  test('throws for Timer J in Trying or Proceeding', () => {
    for (const state of ['trying', 'proceeding', 'terminated'] as const) {
      assert.throws(() => serverNonInviteTransition(state, { type: 'timerJ', ms: 1 }, ctx), {
        code: 'SIP_TXN_ILLEGAL_TRANSITION',
      });
    }
  });

  test('a close event is legal in every state', () => {
    for (const state of ['trying', 'proceeding', 'completed', 'terminated'] as const) {
      assert.equal(serverNonInviteTransition(state, { type: 'close' }, ctx).next, 'terminated');
    }
  });
});
