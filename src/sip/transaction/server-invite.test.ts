import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { SipResponse } from '../message/types.js';
import { serverInviteTransition, type ServerInviteContext } from './server-invite.js';
import { DEFAULT_TIMERS } from './timers.js';
import { TCP_PEER, UDP_PEER, request, response, sameTransaction, sendTimes, setup } from './test-kit.js';
import type { TerminationReason } from './types.js';

function incomingInvite(peer = UDP_PEER) {
  const env = setup();
  const invite = request('INVITE', { transport: peer.transport, rport: true });
  env.layer.receive(invite, peer);
  const txn = env.core.txn();
  const reasons: TerminationReason[] = [];
  txn.onTerminated = (r) => reasons.push(r);
  return { ...env, invite, txn, reasons };
}

describe('INVITE server transaction', () => {
  test('creates a server transaction and hands the INVITE to the core', () => {
    const { core, txn, invite, layer } = incomingInvite();
    assert.equal(core.requests.length, 1);
    assert.equal(txn.kind, 'server-invite');
    assert.equal(txn.state, 'proceeding');
    assert.equal(txn.request, invite);
    assert.deepEqual(txn.source, UDP_PEER);
    assert.equal(layer.stats().serverInvite, 1);
  });

  test('sends 100 Trying after 200 ms when the TU has not answered', () => {
    const { clock, sender, invite } = incomingInvite();
    clock.advance(199);
    assert.equal(sender.sent.length, 0);
    clock.advance(1);
    assert.deepEqual(sender.labels(), ['100']);
    const trying = sender.last().msg as SipResponse;
    assert.deepEqual(trying.vias, invite.vias);
    assert.equal(trying.to.params.tag, undefined);
    assert.deepEqual(trying.headers, [{ name: 'Timestamp', value: '54' }]);
  });

  test('sends no 100 Trying when the TU answers within 200 ms', () => {
    const { clock, sender, txn, invite } = incomingInvite();
    clock.advance(100);
    txn.respond(response(invite, 180));
    clock.advance(1000);
    assert.deepEqual(sender.labels(), ['180']);
  });

  test('answers a retransmitted INVITE with the last provisional response', () => {
    const { clock, sender, txn, invite, layer, core } = incomingInvite();
    layer.receive(invite, UDP_PEER);
    assert.equal(sender.sent.length, 0, 'nothing to resend yet');
    clock.advance(200);
    layer.receive(invite, UDP_PEER);
    assert.deepEqual(sender.labels(), ['100', '100']);
    txn.respond(response(invite, 183));
    layer.receive(invite, UDP_PEER);
    assert.deepEqual(sender.labels(), ['100', '100', '183', '183']);
    assert.equal(core.requests.length, 1, 'retransmissions do not reach the core');
  });

  test('server INVITE resends 486 until ACK then stops', () => {
    const { clock, sender, txn, invite, layer, reasons } = incomingInvite();
    txn.respond(response(invite, 486));
    assert.equal(txn.state, 'completed');
    assert.deepEqual(sendTimes(sender, clock, '486', 12_000), [500, 1500, 3500, 7500, 11_500]);
    layer.receive(sameTransaction(invite, 'ACK', 'uas-tag'), UDP_PEER);
    assert.equal(txn.state, 'confirmed');
    assert.deepEqual(sendTimes(sender, clock, '486', 4_950), []);
    assert.equal(txn.state, 'confirmed');
    clock.advance(50);
    assert.equal(txn.state, 'terminated');
    assert.deepEqual(reasons, ['normal']);
    assert.equal(clock.pendingCount, 0);
  });

  test('answers a retransmitted INVITE in Completed with the final response', () => {
    const { sender, txn, invite, layer } = incomingInvite();
    txn.respond(response(invite, 603));
    layer.receive(invite, UDP_PEER);
    assert.deepEqual(sender.labels(), ['603', '603']);
  });

  test('absorbs ACK and INVITE retransmissions in Confirmed', () => {
    const { sender, txn, invite, layer, core } = incomingInvite();
    txn.respond(response(invite, 486));
    const ack = sameTransaction(invite, 'ACK', 'uas-tag');
    layer.receive(ack, UDP_PEER);
    layer.receive(ack, UDP_PEER);
    layer.receive(invite, UDP_PEER);
    assert.deepEqual(sender.labels(), ['486']);
    assert.equal(core.acks.length, 0);
    assert.equal(txn.state, 'confirmed');
  });

  test('gives up after 64*T1 without an ACK and tells the TU of the timeout', () => {
    const { clock, txn, invite, reasons, layer } = incomingInvite();
    txn.respond(response(invite, 486));
    clock.advance(31_999);
    assert.equal(txn.state, 'completed');
    clock.advance(1);
    assert.equal(txn.state, 'terminated');
    assert.deepEqual(reasons, ['timeout']);
    assert.equal(layer.stats().total, 0);
    assert.equal(clock.pendingCount, 0);
  });

  test('does not resend a 486 over TCP and terminates on the ACK at once', () => {
    const { clock, sender, txn, invite, layer } = incomingInvite(TCP_PEER);
    txn.respond(response(invite, 486));
    assert.deepEqual(sendTimes(sender, clock, '486', 10_000), []);
    assert.deepEqual(sender.last().dest, TCP_PEER);
    layer.receive(sameTransaction(invite, 'ACK', 'uas-tag'), TCP_PEER);
    assert.equal(txn.state, 'terminated');
    assert.equal(clock.pendingCount, 0);
  });

  test('moves to Accepted on a 2xx, passes further 2xx from the TU and ends after Timer L', () => {
    const { clock, sender, txn, invite, layer, reasons } = incomingInvite();
    txn.respond(response(invite, 180));
    txn.respond(response(invite, 200));
    assert.equal(txn.state, 'accepted');
    layer.receive(invite, UDP_PEER);
    assert.deepEqual(sender.labels(), ['180', '200'], 'INVITE retransmissions are absorbed');
    txn.respond(response(invite, 200));
    assert.deepEqual(sender.labels(), ['180', '200', '200']);
    clock.advance(32_000);
    assert.equal(txn.state, 'terminated');
    assert.deepEqual(reasons, ['normal']);
    assert.equal(clock.pendingCount, 0);
  });

  test('hands an ACK matching the transaction in Accepted to the core', () => {
    const { core, txn, invite, layer } = incomingInvite();
    txn.respond(response(invite, 200));
    layer.receive(sameTransaction(invite, 'ACK', 'uas-tag'), UDP_PEER);
    assert.equal(core.acks.length, 1);
    assert.equal(txn.state, 'accepted');
  });

  test('refuses a second final response with SIP_TXN_ILLEGAL_TRANSITION', () => {
    const { txn, invite } = incomingInvite();
    txn.respond(response(invite, 486));
    assert.throws(() => txn.respond(response(invite, 200)), { code: 'SIP_TXN_ILLEGAL_TRANSITION' });
    assert.throws(() => txn.respond(response(invite, 180)), { code: 'SIP_TXN_ILLEGAL_TRANSITION' });
  });

  test('refuses a provisional or a failure after a 2xx', () => {
    const { txn, invite } = incomingInvite();
    txn.respond(response(invite, 200));
    assert.throws(() => txn.respond(response(invite, 180)), { code: 'SIP_TXN_ILLEGAL_TRANSITION' });
    assert.throws(() => txn.respond(response(invite, 500)), { code: 'SIP_TXN_ILLEGAL_TRANSITION' });
  });

  test('refuses a status outside 100-699 with SIP_TXN_BAD_STATUS', () => {
    const { txn, invite } = incomingInvite();
    for (const status of [99, 700, 0, 180.5]) {
      assert.throws(() => txn.respond(response(invite, status)), { code: 'SIP_TXN_BAD_STATUS' });
    }
  });

  test('ends with transportError when a response cannot be sent, and drops later responses', () => {
    const { sender, txn, invite, reasons, clock } = incomingInvite();
    sender.failWith = new Error('gone');
    txn.respond(response(invite, 180));
    assert.equal(txn.state, 'terminated');
    assert.deepEqual(reasons, ['transportError']);
    sender.failWith = undefined;
    assert.doesNotThrow(() => txn.respond(response(invite, 487)));
    assert.deepEqual(sender.labels(), ['180']);
    assert.equal(clock.pendingCount, 0);
  });

  test('sends responses to the source port when the Via has rport', () => {
    const env = setup();
    const invite = request('INVITE', { rport: true, viaPort: 5070 });
    const natSource = { transport: 'UDP', address: '198.51.100.7', port: 31000 } as const;
    env.layer.receive(invite, natSource);
    env.core.txn().respond(response(invite, 180));
    assert.deepEqual(env.sender.last().dest, natSource);
  });
});

describe('INVITE server transaction table', () => {
  const ctx: ServerInviteContext = { reliable: false, timers: DEFAULT_TIMERS };

  test('throws for Timer G in Proceeding, Timer H in Confirmed and Timer L in Completed', () => {
    for (const [state, type] of [
      ['proceeding', 'timerG'],
      ['confirmed', 'timerH'],
      ['completed', 'timerL'],
      ['accepted', 'timerTrying'],
      ['terminated', 'timerI'],
    ] as const) {
      assert.throws(() => serverInviteTransition(state, { type, ms: 1 }, ctx), {
        code: 'SIP_TXN_ILLEGAL_TRANSITION',
      });
    }
  });

  test('caps Timer G at T2', () => {
    const step = serverInviteTransition('completed', { type: 'timerG', ms: 4000 }, ctx);
    assert.deepEqual(step.effects, [{ do: 'resendLast' }, { do: 'startTimer', timer: 'G', ms: 4000 }]);
  });

  test('a TU response in Confirmed is illegal', () => {
    const invite = request('INVITE');
    assert.throws(
      () => serverInviteTransition('confirmed', { type: 'tu2xx', response: response(invite, 200) }, ctx),
      (err: unknown) => {
        assert.equal((err as { code: string }).code, 'SIP_TXN_ILLEGAL_TRANSITION');
        assert.deepEqual((err as { details: unknown }).details, {
          machine: 'server-invite',
          state: 'confirmed',
          event: 'tu2xx',
        });
        return true;
      },
    );
  });
});
