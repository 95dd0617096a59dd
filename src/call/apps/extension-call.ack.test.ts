import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { bridgeRig } from '../test-kit.js';

/** A call answered by the callee, whose caller does not ACK the 200 on its own. */
async function answeredWithoutAck() {
  const rig = bridgeRig();
  const call = rig.caller.invite('1002', { autoAck: false });
  await rig.net.settle();
  const incoming = rig.callee.lastIncoming();
  incoming.answer();
  await rig.net.settle();
  const oksToCaller = () => rig.net.messages('pbx', '1001', '200 INVITE').length;
  return { rig, call, incoming, oksToCaller };
}

describe('An extension call and the ACK for its 200 (RFC 3261 §13.3.1.4, UDP)', () => {
  test('retransmits the 200 to the caller at T1, 2*T1, 4*T1… until the ACK', async () => {
    const { rig, oksToCaller } = await answeredWithoutAck();
    assert.equal(oksToCaller(), 1);
    const seenAt: number[] = [];
    const start = rig.net.clock.now();
    for (let t = 0; t < 7500; t += 100) {
      const before = oksToCaller();
      await rig.net.advance(100);
      if (oksToCaller() > before) seenAt.push(rig.net.clock.now() - start);
    }
    assert.deepEqual(seenAt, [500, 1500, 3500, 7500]);
  });

  test('stops retransmitting once the caller ACKs', async () => {
    const { rig, call, oksToCaller } = await answeredWithoutAck();
    await rig.net.advance(600);
    call.ack();
    await rig.net.settle();
    const sent = oksToCaller();
    await rig.net.advance(40_000, 500);
    assert.equal(oksToCaller(), sent);
    assert.equal(rig.cdrs.records.length, 0, 'the call is up');
    assert.deepEqual(rig.net.between('pbx', '1001').slice(-1), ['200 INVITE'], 'and no BYE');
  });

  test('hangs up both sides with BYE when no ACK arrives within 64*T1', async () => {
    const { rig, call } = await answeredWithoutAck();
    await rig.net.advance(31_900, 500);
    assert.equal(rig.cdrs.records.length, 0, 'still waiting just before 64*T1');
    await rig.net.advance(100);
    assert.deepEqual(
      call.dialog?.requests.map((r) => r.method),
      ['BYE'],
      rig.net.trace(),
    );
    assert.equal(rig.net.between('pbx', '1002').at(-1), 'BYE');
    const cdr = rig.cdrs.only();
    assert.equal(cdr.disposition, 'answered');
    assert.equal(cdr.hangupBy, 'system');
    assert.equal(cdr.reason, 'no ACK');
  });

  test('frees the media and the admission slot of a call that timed out waiting for the ACK', async () => {
    const { rig } = await answeredWithoutAck();
    await rig.net.advance(32_000, 1000);
    assert.deepEqual(rig.media.open, []);
    assert.equal(rig.endedCalls, 1);
    assert.equal(rig.admission.activeCalls, 0);
    assert.equal(rig.pbx.ua.dialogCount, 0);
  });

  test('ACKs a retransmitted 200 from the callee again', async () => {
    const rig = bridgeRig();
    rig.caller.invite('1002');
    await rig.net.settle();
    const incoming = rig.callee.lastIncoming();
    incoming.answer();
    await rig.net.settle();
    incoming.respond(200, {
      body: rig.callee.answerTo(incoming.invite.body),
      contentType: 'application/sdp',
    });
    await rig.net.settle();
    assert.equal(incoming.dialog?.acks.length, 2, rig.net.trace());
    assert.equal(rig.net.messages('pbx', '1001', '200 INVITE').length, 1, 'the caller is not bothered');
  });
});
