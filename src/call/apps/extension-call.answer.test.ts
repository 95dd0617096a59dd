import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { SipRequest } from '../../sip/message/types.js';
import { answeredCall, audio, bridgeRig, MEDIA_ADDRESS } from '../test-kit.js';

describe('An extension call being set up', () => {
  test('sends the callee an INVITE whose SDP carries the callee-facing endpoint’s address', async () => {
    const rig = bridgeRig();
    rig.caller.invite('1002');
    await rig.net.settle();
    const invite = rig.callee.lastIncoming().invite;
    const [callerSide, calleeSide] = rig.media.created;
    assert.ok(callerSide && calleeSide, 'two endpoints');
    const offer = audio(invite);
    assert.equal(offer.address, MEDIA_ADDRESS.advertisedAddress);
    assert.equal(offer.port, calleeSide.port);
    assert.deepEqual(
      offer.codecs.map((c) => c.payloadType),
      [0, 8, 101],
      'Hotline offers its own codecs and telephone-event',
    );
    assert.equal(invite.from.uri.user, '1001');
    assert.equal(invite.uri.user, '1002');
    assert.notEqual(invite.callId, rig.net.last('1001', 'pbx', 'INVITE').callId, 'a new Call-ID per leg');
  });

  test('points the caller-facing endpoint at the caller’s audio and connects the endpoints on answer', async () => {
    const rig = bridgeRig();
    rig.caller.invite('1002');
    await rig.net.settle();
    const [a, b] = rig.media.created;
    assert.deepEqual(rig.media.remotes(a!.id), [
      {
        address: rig.caller.endpoint.address,
        port: rig.caller.mediaPort,
        rtcpPort: rig.caller.mediaPort + 1,
      },
    ]);
    assert.equal(rig.media.peerOf(a!.id), undefined, 'nothing to hear while the callee only rings');
    rig.callee.lastIncoming().answer();
    await rig.net.settle();
    assert.equal(rig.media.peerOf(a!.id), b!.id);
  });

  test('configures each endpoint with the format negotiated with its own phone', async () => {
    const rig = bridgeRig();
    rig.caller.invite('1002', { body: rig.caller.offer('sendrecv', [8, 101]) });
    await rig.net.settle();
    rig.callee.lastIncoming().answer();
    await rig.net.settle();
    const [a, b] = rig.media.created;
    const formatOf = (id: string) => rig.media.ops('configure').findLast((c) => c.id === id)?.format;
    assert.deepEqual(formatOf(a!.id), {
      codec: 'PCMA',
      payloadType: 8,
      ptimeMs: 20,
      telephoneEvent: 101,
      direction: 'sendrecv',
    });
    assert.equal(formatOf(b!.id)?.codec, 'PCMU', 'the callee takes Hotline’s first codec');
  });

  test('passes a 180 from the callee on to the caller', async () => {
    const rig = bridgeRig();
    const call = rig.caller.invite('1002');
    await rig.net.settle();
    rig.callee.lastIncoming().ring();
    await rig.net.settle();
    assert.ok(call.statuses.includes(180), rig.net.trace());
    assert.ok(rig.net.last('pbx', '1001', '180 INVITE').to.params.tag, 'the 180 opens an early dialog');
  });

  test('passes a 183 with early media on from the caller-facing endpoint, and connects the endpoints', async () => {
    const rig = bridgeRig();
    rig.caller.invite('1002');
    await rig.net.settle();
    const incoming = rig.callee.lastIncoming();
    incoming.ring(183, rig.callee.answerTo(incoming.invite.body));
    await rig.net.settle();
    const [a, b] = rig.media.created;
    const early = audio(rig.net.last('pbx', '1001', '183 INVITE'));
    assert.equal(early.port, a!.port);
    assert.equal(early.address, MEDIA_ADDRESS.advertisedAddress);
    assert.deepEqual(rig.media.remotes(b!.id).at(-1)?.port, rig.callee.mediaPort);
    assert.equal(rig.media.peerOf(a!.id), b!.id, 'the caller hears the callee’s early media');
  });

  test('answers the caller with the caller-facing endpoint’s address when the callee answers', async () => {
    const rig = bridgeRig();
    const { call } = await answeredCall(rig);
    const ok = call.exchange.final!;
    assert.equal(ok.status, 200);
    const answer = audio(ok);
    assert.equal(answer.address, MEDIA_ADDRESS.advertisedAddress);
    assert.equal(answer.port, rig.media.created[0]!.port);
    assert.equal(ok.contacts[0]?.uri.host, rig.pbx.ctx.localAddress('UDP').host, 'Contact is Hotline');
  });

  test('ACKs the callee’s 200 with the INVITE’s CSeq number', async () => {
    const rig = bridgeRig();
    const { calleeDialog, incoming } = await answeredCall(rig);
    assert.equal(calleeDialog.acks.length, 1, rig.net.trace());
    const ack = calleeDialog.acks[0] as SipRequest;
    assert.equal(ack.cseq.seq, incoming.invite.cseq.seq);
    assert.equal(ack.to.params.tag, incoming.toTag);
  });

  test('points the callee-facing endpoint at the callee’s answer', async () => {
    const rig = bridgeRig();
    await answeredCall(rig);
    assert.deepEqual(rig.media.remotes(rig.media.created[1]!.id).at(-1), {
      address: rig.callee.endpoint.address,
      port: rig.callee.mediaPort,
      rtcpPort: rig.callee.mediaPort + 1,
    });
  });

  test('records the call as answered once it ends, under Hotline’s own call id', async () => {
    const rig = bridgeRig();
    const { callerDialog } = await answeredCall(rig);
    const answeredAt = rig.net.clock.now();
    await rig.net.advance(5000);
    callerDialog.bye();
    await rig.net.settle();
    const cdr = rig.cdrs.only();
    assert.equal(cdr.disposition, 'answered');
    assert.equal(cdr.answeredAt, answeredAt);
    assert.equal(cdr.endedAt - cdr.answeredAt!, 5000);
    assert.equal(cdr.caller, '1001');
    assert.equal(cdr.callee, '1002');
    assert.notEqual(cdr.callId, rig.net.last('1001', 'pbx', 'INVITE').callId, 'not a SIP Call-ID');
    assert.match(cdr.callId, /^[0-9a-f-]{36}$/);
  });

  test('refuses the caller with 488 and hangs up the callee when the callee answers without SDP', async () => {
    const rig = bridgeRig();
    const call = rig.caller.invite('1002');
    await rig.net.settle();
    const incoming = rig.callee.lastIncoming();
    incoming.answer(null);
    await rig.net.settle();
    assert.equal(call.exchange.final?.status, 488, rig.net.trace());
    assert.deepEqual(rig.net.between('pbx', '1002'), ['INVITE', 'ACK', 'BYE']);
    const cdr = rig.cdrs.only();
    assert.equal(cdr.disposition, 'failed');
    assert.equal(cdr.sipCause, 488);
    assert.equal(cdr.answeredAt, undefined);
  });

  test('refuses a caller INVITE whose body is not SDP with 488 and records it as failed', async () => {
    const rig = bridgeRig();
    const call = rig.caller.invite('1002', { body: Buffer.from('this is not SDP') });
    await rig.net.settle();
    assert.equal(call.exchange.final?.status, 488);
    assert.equal(rig.callee.incoming.length, 0);
    assert.equal(rig.cdrs.only().disposition, 'failed');
    assert.equal(rig.endedCalls, 1);
  });

  test('answers 503 when the engine has no endpoint to give, and rings nobody', async () => {
    const rig = bridgeRig();
    rig.media.failCreate = new Error('no ports');
    const call = rig.caller.invite('1002');
    await rig.net.settle();
    assert.equal(call.exchange.final?.status, 503);
    assert.equal(rig.callee.incoming.length, 0);
    assert.equal(rig.cdrs.only().sipCause, 503);
    assert.equal(rig.admission.activeCalls, 0);
  });
});
