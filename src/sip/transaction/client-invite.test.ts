import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { SipRequest } from '../message/types.js';
import { clientInviteTransition, type ClientInviteContext } from './client-invite.js';
import { DEFAULT_TIMERS } from './timers.js';
import { TCP_PEER, UDP_PEER, RecordingUser, request, response, sendTimes, setup } from './test-kit.js';
import type { TerminationReason } from './types.js';

function inviteOver(peer = UDP_PEER) {
  const env = setup();
  const user = new RecordingUser();
  const invite = request('INVITE', { transport: peer.transport });
  const txn = env.layer.sendRequest(invite, peer, user);
  const reasons: TerminationReason[] = [];
  txn.onTerminated = (r) => reasons.push(r);
  return { ...env, user, invite, txn, reasons };
}

describe('INVITE client transaction', () => {
  test('retransmits INVITE on UDP at 500, 1000, 2000 ms intervals and times out after 64*T1', () => {
    const { clock, sender, user, txn, layer, reasons } = inviteOver();
    assert.deepEqual(sender.labels(), ['INVITE']);
    assert.deepEqual(sendTimes(sender, clock, 'INVITE', 32_000), [500, 1500, 3500, 7500, 15_500, 31_500]);
    assert.equal(user.timeouts, 1);
    assert.equal(txn.state, 'terminated');
    assert.deepEqual(reasons, ['timeout']);
    assert.equal(layer.stats().total, 0);
    assert.equal(clock.pendingCount, 0);
  });

  test('does not retransmit INVITE over TCP but still times out after 64*T1', () => {
    const { clock, sender, user, txn } = inviteOver(TCP_PEER);
    assert.deepEqual(sendTimes(sender, clock, 'INVITE', 31_950), []);
    assert.equal(clock.pendingCount, 1);
    clock.advance(50);
    assert.equal(user.timeouts, 1);
    assert.equal(txn.state, 'terminated');
  });

  test('sends the INVITE to the given destination', () => {
    const { sender } = inviteOver(TCP_PEER);
    assert.deepEqual(sender.last().dest, TCP_PEER);
  });

  test('stops retransmitting after a provisional and waits in Proceeding without a timeout', () => {
    const { clock, sender, user, txn, layer, invite } = inviteOver();
    clock.advance(600);
    layer.receive(response(invite, 100), UDP_PEER);
    layer.receive(response(invite, 180), UDP_PEER);
    assert.equal(txn.state, 'proceeding');
    clock.advance(300_000);
    assert.equal(sender.count('INVITE'), 2);
    assert.deepEqual(user.responses, [100, 180]);
    assert.equal(user.timeouts, 0);
    assert.equal(clock.pendingCount, 0);
  });

  test('ACKs a 486 itself with the same branch, the To tag of the response and the Route set', () => {
    const { sender, user, layer, invite } = inviteOver();
    layer.receive(response(invite, 486, 'busy-tag'), UDP_PEER);
    assert.deepEqual(user.responses, [486]);
    const ack = sender.last().msg as SipRequest;
    assert.equal(ack.method, 'ACK');
    assert.equal(ack.vias.length, 1);
    assert.deepEqual(ack.vias[0], invite.vias[0]);
    assert.equal(ack.to.params.tag, 'busy-tag');
    assert.deepEqual(ack.from, invite.from);
    assert.deepEqual(ack.cseq, { seq: invite.cseq.seq, method: 'ACK' });
    assert.deepEqual(ack.uri, invite.uri);
    assert.deepEqual(ack.routes, invite.routes);
    assert.equal(ack.callId, invite.callId);
    assert.deepEqual(sender.last().dest, UDP_PEER);
  });

  test('re-ACKs a retransmitted 486 without passing it to the TU again', () => {
    const { sender, user, layer, invite, txn } = inviteOver();
    layer.receive(response(invite, 180), UDP_PEER);
    layer.receive(response(invite, 486), UDP_PEER);
    layer.receive(response(invite, 486), UDP_PEER);
    layer.receive(response(invite, 180), UDP_PEER);
    layer.receive(response(invite, 200), UDP_PEER);
    assert.equal(txn.state, 'completed');
    assert.deepEqual(user.responses, [180, 486]);
    assert.equal(sender.count('ACK'), 2);
    assert.equal(sender.sent[1]?.msg, sender.sent[2]?.msg, 'the same ACK is resent');
  });

  test('stays in Completed for Timer D (32 s) on UDP after a 486', () => {
    const { clock, layer, invite, txn, reasons } = inviteOver();
    layer.receive(response(invite, 486), UDP_PEER);
    clock.advance(31_999);
    assert.equal(txn.state, 'completed');
    clock.advance(1);
    assert.equal(txn.state, 'terminated');
    assert.deepEqual(reasons, ['normal']);
    assert.equal(clock.pendingCount, 0);
  });

  test('terminates at once after a 486 over TCP', () => {
    const { clock, sender, layer, invite, txn, user } = inviteOver(TCP_PEER);
    layer.receive(response(invite, 486), TCP_PEER);
    assert.equal(txn.state, 'terminated');
    assert.equal(sender.count('ACK'), 1);
    assert.deepEqual(user.responses, [486]);
    assert.equal(clock.pendingCount, 0);
    assert.equal(layer.stats().clientInvite, 0);
  });

  test('absorbs retransmitted 200 in Accepted and passes it to the TU', () => {
    const { clock, sender, user, layer, invite, core, txn } = inviteOver();
    layer.receive(response(invite, 180), UDP_PEER);
    layer.receive(response(invite, 200), UDP_PEER);
    assert.equal(txn.state, 'accepted');
    layer.receive(response(invite, 200), UDP_PEER);
    layer.receive(response(invite, 200, 'other-fork'), UDP_PEER);
    assert.deepEqual(user.responses, [180, 200, 200, 200]);
    assert.equal(core.strays.length, 0);
    assert.equal(sender.count('ACK'), 0, 'the ACK for a 2xx is the TU’s job');
    clock.advance(500);
    assert.equal(sender.count('INVITE'), 1, 'no retransmission after a 2xx');
  });

  test('discards a late 486 or 180 in Accepted', () => {
    const { user, layer, invite, sender } = inviteOver();
    layer.receive(response(invite, 200), UDP_PEER);
    layer.receive(response(invite, 486), UDP_PEER);
    layer.receive(response(invite, 180), UDP_PEER);
    assert.deepEqual(user.responses, [200]);
    assert.equal(sender.count('ACK'), 0);
  });

  test('ends Accepted after Timer M; a later 200 goes to the core as a stray response', () => {
    const { clock, layer, invite, core, txn, reasons } = inviteOver();
    layer.receive(response(invite, 200), UDP_PEER);
    clock.advance(32_000);
    assert.equal(txn.state, 'terminated');
    assert.deepEqual(reasons, ['normal']);
    layer.receive(response(invite, 200), UDP_PEER);
    assert.equal(core.strays.length, 1);
    assert.equal(clock.pendingCount, 0);
  });

  test('reports a transport error on the INVITE and terminates', () => {
    const env = setup();
    const user = new RecordingUser();
    env.sender.failWith = new Error('no route');
    const txn = env.layer.sendRequest(request('INVITE'), UDP_PEER, user);
    assert.equal(txn.state, 'terminated');
    assert.deepEqual(
      user.errors.map((e) => e.message),
      ['no route'],
    );
    assert.equal(env.clock.pendingCount, 0);
    assert.equal(env.layer.stats().total, 0);
  });

  test('reports an asynchronous transport error in Proceeding', () => {
    const { sender, user, layer, invite, txn, reasons } = inviteOver(TCP_PEER);
    layer.receive(response(invite, 180), TCP_PEER);
    sender.sent[0]?.onError?.(new Error('connection reset'));
    assert.equal(txn.state, 'terminated');
    assert.equal(user.errors.length, 1);
    assert.deepEqual(reasons, ['transportError']);
  });

  test('does not bother the TU when the ACK for a 486 cannot be sent', () => {
    const { sender, user, layer, invite, txn } = inviteOver();
    layer.receive(response(invite, 486), UDP_PEER);
    sender.last().onError?.(new Error('socket closed'));
    assert.equal(txn.state, 'terminated');
    assert.equal(user.errors.length, 0);
  });

  test('ignores a late transport error in Accepted and after termination', () => {
    const { sender, user, layer, invite, txn, clock } = inviteOver();
    layer.receive(response(invite, 200), UDP_PEER);
    sender.sent[0]?.onError?.(new Error('late'));
    assert.equal(txn.state, 'accepted');
    clock.advance(32_000);
    sender.sent[0]?.onError?.(new Error('later'));
    assert.equal(user.errors.length, 0);
  });

  test('keeps its state consistent when the TU throws from onResponse', () => {
    const env = setup();
    const user = new RecordingUser();
    user.onResponse = () => {
      throw new Error('TU bug');
    };
    const invite = request('INVITE');
    const txn = env.layer.sendRequest(invite, UDP_PEER, user);
    env.layer.receive(response(invite, 486), UDP_PEER);
    assert.equal(txn.state, 'completed');
    assert.equal(env.sender.count('ACK'), 1);
    assert.equal(env.clock.pendingCount, 1);
  });
});

describe('INVITE client transaction table', () => {
  const ctx: ClientInviteContext = { reliable: false, timers: DEFAULT_TIMERS, cancelRequested: false };
  const invite = request('INVITE');

  test('throws SIP_TXN_ILLEGAL_TRANSITION for Timer A in Proceeding', () => {
    assert.throws(() => clientInviteTransition('proceeding', { type: 'timerA', ms: 500 }, ctx), {
      code: 'SIP_TXN_ILLEGAL_TRANSITION',
    });
  });

  test('throws for Timer B in Accepted, Timer D in Calling and any timer once terminated', () => {
    for (const [state, type] of [
      ['accepted', 'timerB'],
      ['calling', 'timerD'],
      ['completed', 'timerM'],
      ['terminated', 'timerD'],
      ['calling', 'timerCancelGuard'],
    ] as const) {
      assert.throws(() => clientInviteTransition(state, { type, ms: 1 }, ctx), {
        code: 'SIP_TXN_ILLEGAL_TRANSITION',
      });
    }
  });

  test('doubles Timer A with no cap at T2', () => {
    const step = clientInviteTransition('calling', { type: 'timerA', ms: 16_000 }, ctx);
    assert.deepEqual(step.effects, [{ do: 'sendRequest' }, { do: 'startTimer', timer: 'A', ms: 32_000 }]);
  });

  test('absorbs every response once terminated', () => {
    for (const type of ['recv1xx', 'recv2xx', 'recvFailure'] as const) {
      const step = clientInviteTransition('terminated', { type, response: response(invite, 200) }, ctx);
      assert.deepEqual(step, { next: 'terminated', effects: [] });
    }
  });

  test('goes from a 486 straight to Terminated on a reliable transport, ACK first', () => {
    const step = clientInviteTransition(
      'proceeding',
      { type: 'recvFailure', response: response(invite, 486) },
      { ...ctx, reliable: true },
    );
    assert.equal(step.next, 'terminated');
    assert.deepEqual(
      step.effects.map((e) => e.do),
      ['clearTimer', 'sendAck', 'deliver'],
    );
  });
});
