import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { bridgeRig } from '../test-kit.js';

/** The caller dials a callee with two registered contacts; both ring. */
async function forked() {
  const rig = bridgeRig({ contacts: 2 });
  const call = rig.caller.invite('1002');
  await rig.net.settle();
  const [first, second] = rig.callees.map((p) => p.lastIncoming());
  first!.ring();
  second!.ring();
  await rig.net.settle();
  return { rig, call, first: first!, second: second! };
}

describe('An extension call forking to every contact of the callee', () => {
  test('rings every contact in parallel with the same offer', async () => {
    const { rig } = await forked();
    const [one, two] = rig.callees.map((p) => p.lastIncoming().invite);
    assert.notEqual(one!.callId, two!.callId);
    assert.deepEqual(one!.body, two!.body);
    assert.equal(
      rig.media.created.length,
      2,
      'one caller-facing and one callee-facing endpoint, shared by the forks',
    );
  });

  test('connects the first contact to answer and cancels the other', async () => {
    const { rig, call, first, second } = await forked();
    second.answer();
    await rig.net.settle();
    assert.equal(call.exchange.final?.status, 200);
    assert.ok(first.cancelled, rig.net.trace());
    assert.equal(first.status, 487);
    assert.deepEqual(
      rig.net.between('pbx', '1001').filter((l) => l.startsWith('200')),
      ['200 INVITE'],
      'the caller gets one answer',
    );
    assert.equal(rig.cdrs.records.length, 0, 'the call is up');
    assert.equal(rig.pbx.ua.dialogCount, 2, 'the caller’s and the winner’s dialogs');
  });

  test('hangs up a second contact whose 200 crossed the CANCEL, and keeps the call with the first', async () => {
    const { rig, call, first, second } = await forked();
    first.answer();
    second.answer();
    await rig.net.settle();
    assert.equal(call.exchange.final?.status, 200);
    assert.deepEqual(second.dialog?.acks.length, 1, 'the late 200 is ACKed');
    assert.deepEqual(
      second.dialog?.requests.map((r) => r.method),
      ['BYE'],
      'then ended with a BYE',
    );
    assert.deepEqual(first.dialog?.requests, [], 'the winner is left alone');
    assert.deepEqual(call.dialog?.requests, [], 'the caller keeps the call');
    assert.equal(rig.cdrs.records.length, 0, rig.net.trace());
    assert.equal(rig.endedCalls, 0);
  });

  test('carries on ringing the other contact when one refuses', async () => {
    const { rig, call, first, second } = await forked();
    first.respond(480);
    await rig.net.settle();
    assert.equal(call.exchange.final?.status, undefined);
    second.answer();
    await rig.net.settle();
    assert.equal(call.exchange.final?.status, 200);
  });

  test('tells the caller busy when one contact is busy and the other unavailable', async () => {
    const { rig, call, first, second } = await forked();
    first.respond(486);
    second.respond(480);
    await rig.net.settle();
    assert.equal(call.exchange.final?.status, 486);
    assert.equal(rig.cdrs.only().disposition, 'busy');
  });

  test('cancels every contact when the caller gives up', async () => {
    const { rig, call, first, second } = await forked();
    call.cancel();
    await rig.net.settle();
    assert.ok(first.cancelled && second.cancelled);
    assert.equal(call.exchange.final?.status, 487);
    assert.equal(rig.cdrs.only().disposition, 'cancelled');
    assert.deepEqual(rig.media.open, []);
  });
});
