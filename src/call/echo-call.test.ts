import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { ServerInviteTransaction } from '../sip/transaction/index.js';
import { EchoCall } from './echo-call.js';
import { audio, FakeMedia, MEDIA_ADDRESS, MemoryCdrs, Network, Pbx, Phone } from './test-kit.js';

const MAX_DURATION_MS = 60_000;

function echoRig() {
  const net = new Network();
  const pbx = new Pbx(net);
  const media = new FakeMedia();
  const cdrs = new MemoryCdrs();
  const caller = new Phone(net, { user: '1001', address: '192.0.2.10' });
  const rig = { net, pbx, media, cdrs, caller, endedCalls: 0 };
  pbx.handle((req, txn) => {
    const deps = {
      ctx: pbx.ctx,
      media,
      mediaAddress: MEDIA_ADDRESS,
      cdrs,
      maxDurationMs: MAX_DURATION_MS,
      onEnded: () => void rig.endedCalls++,
    };
    void new EchoCall(deps, req, txn as ServerInviteTransaction, '1001', '*43').start(req);
  });
  return rig;
}

describe('EchoCall', () => {
  test('answers with the first offered codec, telephone-event and the relay’s address', async () => {
    const rig = echoRig();
    const call = rig.caller.invite('*43', { body: rig.caller.offer('sendrecv', [8, 0, 101]) });
    await rig.net.settle();
    const ok = call.exchange.final!;
    assert.equal(ok.status, 200, rig.net.trace());
    const answer = audio(ok);
    assert.deepEqual(
      answer.codecs.map((c) => [c.payloadType, c.name]),
      [
        [8, 'PCMA'],
        [101, 'telephone-event'],
      ],
    );
    assert.equal(answer.address, MEDIA_ADDRESS.advertisedAddress);
    assert.equal(answer.port, rig.media.created[0]!.port);
    assert.equal(answer.direction, 'sendrecv');
  });

  test('points its endpoint at the caller and asks the relay to echo on it', async () => {
    const rig = echoRig();
    rig.caller.invite('*43');
    await rig.net.settle();
    const id = rig.media.created[0]!.id;
    assert.deepEqual(rig.media.remotes(id), [
      { address: '192.0.2.10', port: rig.caller.mediaPort, rtcpPort: rig.caller.mediaPort + 1 },
    ]);
    assert.deepEqual(
      rig.media.calls.filter((c) => c.op === 'echo'),
      [{ op: 'echo', id }],
    );
  });

  test('hangs up with BYE after its maximum duration and says so in the CDR', async () => {
    const rig = echoRig();
    const call = rig.caller.invite('*43');
    await rig.net.settle();
    await rig.net.advance(MAX_DURATION_MS - 100, 1000);
    assert.equal(call.dialog?.requests.length, 0, 'not before the limit');
    await rig.net.advance(100);
    assert.deepEqual(
      call.dialog?.requests.map((r) => r.method),
      ['BYE'],
    );
    const cdr = rig.cdrs.only();
    assert.equal(cdr.disposition, 'answered');
    assert.equal(cdr.hangupBy, 'system');
    assert.equal(cdr.reason, 'echo time limit');
    assert.deepEqual(rig.media.open, []);
    assert.equal(rig.endedCalls, 1);
  });

  test('ends when the caller hangs up, and sends no BYE when the limit would have come', async () => {
    const rig = echoRig();
    const call = rig.caller.invite('*43');
    await rig.net.settle();
    const bye = call.dialog!.bye();
    await rig.net.settle();
    assert.equal(bye.final?.status, 200);
    assert.equal(rig.cdrs.only().hangupBy, 'caller');
    assert.deepEqual(rig.media.open, []);
    await rig.net.advance(MAX_DURATION_MS, 5000);
    assert.deepEqual(call.dialog?.requests, []);
    assert.equal(rig.endedCalls, 1);
  });

  test('answers a hold re-INVITE from the same endpoint with the direction mirrored', async () => {
    const rig = echoRig();
    const call = rig.caller.invite('*43');
    await rig.net.settle();
    const hold = call.dialog!.send('INVITE', rig.caller.offer('sendonly'));
    await rig.net.settle();
    assert.equal(hold.final?.status, 200);
    assert.equal(audio(hold.final!).direction, 'recvonly');
    assert.equal(audio(hold.final!).port, rig.media.created[0]!.port);
    assert.equal(rig.media.created.length, 1);
  });

  test('refuses an INVITE without SDP with 488 and records a failed call', async () => {
    const rig = echoRig();
    const call = rig.caller.invite('*43', { body: Buffer.alloc(0) });
    await rig.net.settle();
    assert.equal(call.exchange.final?.status, 488);
    assert.equal(rig.cdrs.only().disposition, 'failed');
    assert.deepEqual(rig.media.created, []);
  });

  test('closes its endpoint when the caller cancels while it is being created', async () => {
    const rig = echoRig();
    let openMedia = () => {};
    rig.media.gate = new Promise((resolve) => (openMedia = resolve));
    const call = rig.caller.invite('*43');
    await rig.net.settle();
    await rig.net.advance(200); // Hotline's 100 Trying lets the caller CANCEL (§9.1)
    call.cancel();
    await rig.net.settle();
    assert.equal(call.exchange.final?.status, 487);
    openMedia();
    await rig.net.settle();
    assert.equal(rig.media.created.length, 1);
    assert.deepEqual(rig.media.open, []);
    assert.equal(rig.cdrs.only().disposition, 'cancelled');
  });
});
