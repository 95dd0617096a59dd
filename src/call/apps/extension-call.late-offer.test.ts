import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { audio, bridgeRig } from '../test-kit.js';

describe('An extension call from a phone that sends no SDP in its INVITE (late offer)', () => {
  test('offers Hotline’s codecs in the 200, takes the answer from the ACK and configures the caller’s endpoint', async () => {
    const rig = bridgeRig();
    const call = rig.caller.invite('1002', { body: Buffer.alloc(0), autoAck: false });
    await rig.net.settle();
    rig.callee.lastIncoming().answer();
    await rig.net.settle();
    const ok = call.exchange.final;
    assert.equal(ok?.status, 200);
    const [a] = rig.media.created;
    const offer = audio(ok!);
    assert.equal(offer.port, a!.port, 'the 200 carries our offer from the caller-facing endpoint');
    assert.deepEqual(
      offer.codecs.map((c) => c.payloadType),
      [0, 8, 101],
    );
    const configuredBefore = rig.media.ops('configure').filter((c) => c.id === a!.id);
    assert.equal(configuredBefore.length, 0, 'nothing to configure before the answer arrives');
    call.ack(rig.caller.offer('sendrecv', [8, 101]));
    await rig.net.settle();
    const format = rig.media.ops('configure').findLast((c) => c.id === a!.id)?.format;
    assert.equal(format?.codec, 'PCMA', 'the codec the caller chose in its ACK');
    assert.deepEqual(rig.media.remotes(a!.id).at(-1), {
      address: rig.caller.endpoint.address,
      port: rig.caller.mediaPort,
      rtcpPort: rig.caller.mediaPort + 1,
    });
    assert.equal(rig.net.messages('pbx', '1001', 'BYE').length, 0, 'the call stays up');
  });

  test('hangs up with BYE when the ACK carries no SDP answer', async () => {
    const rig = bridgeRig();
    const call = rig.caller.invite('1002', { body: Buffer.alloc(0), autoAck: false });
    await rig.net.settle();
    rig.callee.lastIncoming().answer();
    await rig.net.settle();
    call.ack();
    await rig.net.settle();
    assert.equal(rig.net.messages('pbx', '1001', 'BYE').length, 1);
    assert.equal(rig.net.messages('pbx', '1002', 'BYE').length, 1, 'the callee is released too');
  });
});
