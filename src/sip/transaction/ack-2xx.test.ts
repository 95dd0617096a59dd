import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { FakeClock } from '../../platform/clock.js';
import { silentLogger } from '../../platform/log.js';
import { Ack2xxRetransmitter, ack2xxTransition } from './ack-2xx.js';
import { DEFAULT_TIMERS } from './timers.js';
import { RecordingSender, TCP_PEER, UDP_PEER, request, response, sendTimes, setup } from './test-kit.js';

function retransmitter(dest = UDP_PEER) {
  const clock = new FakeClock();
  const sender = new RecordingSender();
  let timeouts = 0;
  const ok = response(request('INVITE'), 200);
  const r = new Ack2xxRetransmitter({
    sender,
    clock,
    logger: silentLogger(),
    response: ok,
    destination: dest,
    onTimeout: () => timeouts++,
  });
  return { clock, sender, r, ok, timeouts: () => timeouts };
}

describe('2xx retransmission until the ACK (RFC 3261 §13.3.1.4)', () => {
  test('retransmits the 2xx at T1 doubling to T2 until ack()', () => {
    const { clock, sender, r, ok } = retransmitter();
    assert.deepEqual(sendTimes(sender, clock, '200', 16_000), [500, 1500, 3500, 7500, 11_500, 15_500]);
    assert.equal(sender.last().msg, ok);
    assert.deepEqual(sender.last().dest, UDP_PEER);
    r.ack();
    assert.equal(r.state, 'acknowledged');
    assert.deepEqual(sendTimes(sender, clock, '200', 40_000), []);
    assert.equal(clock.pendingCount, 0);
  });

  test('calls onTimeout after 64*T1 without an ACK and stops', () => {
    const { clock, sender, r, timeouts } = retransmitter();
    clock.advance(31_999);
    assert.equal(timeouts(), 0);
    clock.advance(1);
    assert.equal(timeouts(), 1);
    assert.equal(r.state, 'timedOut');
    const sent = sender.sent.length;
    clock.advance(60_000);
    assert.equal(sender.sent.length, sent);
    assert.equal(clock.pendingCount, 0);
  });

  test('retransmits over TCP too, since hops behind a proxy may be unreliable', () => {
    const { clock, sender } = retransmitter(TCP_PEER);
    clock.advance(500);
    assert.equal(sender.count('200'), 1);
  });

  test('ack() and stop() are idempotent and a late ack() after the timeout does nothing', () => {
    const { clock, r, timeouts } = retransmitter();
    r.stop();
    r.stop();
    r.ack();
    assert.equal(r.state, 'stopped');
    assert.equal(clock.pendingCount, 0);
    const second = retransmitter();
    second.clock.advance(32_000);
    second.r.ack();
    assert.equal(second.r.state, 'timedOut');
    assert.equal(timeouts(), 0);
  });

  test('keeps retransmitting when one send fails', () => {
    const { clock, sender } = retransmitter();
    sender.failWith = new Error('EHOSTUNREACH');
    clock.advance(1500);
    assert.equal(sender.count('200'), 2);
  });

  test('a retransmitter started through the layer is counted until acknowledged', () => {
    const { layer, core, sender, clock } = setup();
    const invite = request('INVITE', { rport: true });
    const source = { transport: 'UDP', address: '198.51.100.7', port: 31000 } as const;
    layer.receive(invite, source);
    const ok = response(invite, 200);
    core.inviteTxn().respond(ok);
    const r = layer.retransmit2xx(core.inviteTxn(), ok, () => {});
    assert.equal(layer.stats().ack2xx, 1);
    clock.advance(500);
    assert.deepEqual(sender.last().dest, source, 'to the response destination, not the Via');
    r.ack();
    assert.equal(layer.stats().ack2xx, 0);
  });

  test('the table refuses a retransmit timer once acknowledged', () => {
    assert.throws(
      () =>
        ack2xxTransition('acknowledged', { type: 'timerRetransmit', ms: 500 }, { timers: DEFAULT_TIMERS }),
      {
        code: 'SIP_TXN_ILLEGAL_TRANSITION',
      },
    );
  });
});
