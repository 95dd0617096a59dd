import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { clientNonInviteTransition, type ClientNonInviteContext } from './client-non-invite.js';
import { DEFAULT_TIMERS } from './timers.js';
import { RecordingUser, TCP_PEER, UDP_PEER, request, response, sendTimes, setup } from './test-kit.js';
import type { TerminationReason } from './types.js';

function byeOver(peer = UDP_PEER) {
  const env = setup();
  const user = new RecordingUser();
  const bye = request('BYE', { transport: peer.transport, toTag: 'to-tag' });
  const txn = env.layer.sendRequest(bye, peer, user);
  const reasons: TerminationReason[] = [];
  txn.onTerminated = (r) => reasons.push(r);
  return { ...env, user, bye, txn, reasons };
}

describe('non-INVITE client transaction', () => {
  test('retransmits a BYE on UDP at T1 doubling to T2 and times out after 64*T1', () => {
    const { clock, sender, user, txn, reasons, layer } = byeOver();
    assert.deepEqual(
      sendTimes(sender, clock, 'BYE', 32_000),
      [500, 1500, 3500, 7500, 11_500, 15_500, 19_500, 23_500, 27_500, 31_500],
    );
    assert.equal(user.timeouts, 1);
    assert.equal(txn.state, 'terminated');
    assert.deepEqual(reasons, ['timeout']);
    assert.equal(layer.stats().total, 0);
    assert.equal(clock.pendingCount, 0);
  });

  test('retransmits every T2 once in Proceeding', () => {
    const { clock, sender, layer, bye, txn } = byeOver();
    clock.advance(600);
    layer.receive(response(bye, 100), UDP_PEER);
    assert.equal(txn.state, 'proceeding');
    // E still runs on its Trying schedule (next at 1500), then every T2.
    assert.deepEqual(sendTimes(sender, clock, 'BYE', 10_000), [900, 4900, 8900]);
  });

  test('does not retransmit over TCP and terminates at once on the final response', () => {
    const { clock, sender, layer, bye, txn, user } = byeOver(TCP_PEER);
    assert.deepEqual(sendTimes(sender, clock, 'BYE', 10_000), []);
    layer.receive(response(bye, 200), TCP_PEER);
    assert.equal(txn.state, 'terminated');
    assert.deepEqual(user.responses, [200]);
    assert.equal(clock.pendingCount, 0);
  });

  test('times out over TCP after 64*T1 with a single timer', () => {
    const { clock, user } = byeOver(TCP_PEER);
    assert.equal(clock.pendingCount, 1);
    clock.advance(32_000);
    assert.equal(user.timeouts, 1);
  });

  test('passes provisionals and the final response to the TU, then absorbs retransmissions for T4', () => {
    const { clock, sender, layer, bye, txn, user, reasons } = byeOver();
    layer.receive(response(bye, 100), UDP_PEER);
    layer.receive(response(bye, 180), UDP_PEER);
    layer.receive(response(bye, 200), UDP_PEER);
    assert.equal(txn.state, 'completed');
    layer.receive(response(bye, 200), UDP_PEER);
    layer.receive(response(bye, 100), UDP_PEER);
    assert.deepEqual(user.responses, [100, 180, 200]);
    clock.advance(4_999);
    assert.equal(txn.state, 'completed');
    assert.equal(sender.count('BYE'), 1, 'no retransmission in Completed');
    clock.advance(1);
    assert.equal(txn.state, 'terminated');
    assert.deepEqual(reasons, ['normal']);
    assert.equal(clock.pendingCount, 0);
  });

  test('treats a 4xx as final like a 2xx', () => {
    const { layer, bye, txn, user } = byeOver();
    layer.receive(response(bye, 481), UDP_PEER);
    assert.equal(txn.state, 'completed');
    assert.deepEqual(user.responses, [481]);
  });

  test('reports a transport error so that the TU can synthesize a 503', () => {
    const env = setup();
    const user = new RecordingUser();
    env.sender.failWith = new Error('refused');
    const txn = env.layer.sendRequest(request('OPTIONS'), TCP_PEER, user);
    assert.equal(txn.state, 'terminated');
    assert.equal(user.errors.length, 1);
    assert.equal(env.clock.pendingCount, 0);
  });

  test('reports a transport error on a retransmission in Proceeding', () => {
    const { layer, bye, sender, txn, user } = byeOver();
    layer.receive(response(bye, 100), UDP_PEER);
    sender.failWith = new Error('unreachable');
    sender.sent[0]?.onError?.(sender.failWith);
    assert.equal(txn.state, 'terminated');
    assert.equal(user.errors.length, 1);
  });

  test('ignores a late transport error in Completed', () => {
    const { layer, bye, sender, txn, user } = byeOver();
    layer.receive(response(bye, 200), UDP_PEER);
    sender.sent[0]?.onError?.(new Error('late'));
    assert.equal(txn.state, 'completed');
    assert.equal(user.errors.length, 0);
  });
});

describe('non-INVITE client transaction table', () => {
  const ctx: ClientNonInviteContext = { reliable: false, timers: DEFAULT_TIMERS };

  test('caps Timer E at T2 in Trying', () => {
    const step = clientNonInviteTransition('trying', { type: 'timerE', ms: 4000 }, ctx);
    assert.deepEqual(step.effects[1], { do: 'startTimer', timer: 'E', ms: 4000 });
  });

  test('throws SIP_TXN_ILLEGAL_TRANSITION for Timer K in Trying and Timer E in Completed', () => {
    assert.throws(() => clientNonInviteTransition('trying', { type: 'timerK', ms: 1 }, ctx), {
      code: 'SIP_TXN_ILLEGAL_TRANSITION',
    });
    assert.throws(() => clientNonInviteTransition('completed', { type: 'timerE', ms: 1 }, ctx), {
      code: 'SIP_TXN_ILLEGAL_TRANSITION',
    });
    assert.throws(() => clientNonInviteTransition('terminated', { type: 'timerF', ms: 1 }, ctx), {
      code: 'SIP_TXN_ILLEGAL_TRANSITION',
    });
  });
});
