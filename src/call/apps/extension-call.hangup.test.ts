import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { answeredCall, bridgeRig } from '../test-kit.js';

describe('An extension call hanging up', () => {
  test('carries a BYE from the caller to the callee and records the caller as hanging up', async () => {
    const rig = bridgeRig();
    const { callerDialog, calleeDialog } = await answeredCall(rig);
    const bye = callerDialog.bye();
    await rig.net.settle();
    assert.equal(bye.final?.status, 200);
    assert.deepEqual(
      calleeDialog.requests.map((r) => r.method),
      ['BYE'],
    );
    assert.equal(rig.net.between('1002', 'pbx').at(-1), '200 BYE');
    const cdr = rig.cdrs.only();
    assert.equal(cdr.disposition, 'answered');
    assert.equal(cdr.hangupBy, 'caller');
    assert.equal(cdr.sipCause, 200);
  });

  test('carries a BYE from the callee to the caller and records the callee as hanging up', async () => {
    const rig = bridgeRig();
    const { callerDialog, calleeDialog } = await answeredCall(rig);
    const bye = calleeDialog.bye();
    await rig.net.settle();
    assert.equal(bye.final?.status, 200);
    assert.deepEqual(
      callerDialog.requests.map((r) => r.method),
      ['BYE'],
    );
    const cdr = rig.cdrs.only();
    assert.equal(cdr.disposition, 'answered');
    assert.equal(cdr.hangupBy, 'callee');
  });

  test('sends the BYE to the caller inside the caller’s dialog', async () => {
    const rig = bridgeRig();
    const { call, callerDialog, calleeDialog } = await answeredCall(rig);
    calleeDialog.bye();
    await rig.net.settle();
    const bye = callerDialog.requests[0]!;
    const invite = call.exchange.request;
    assert.equal(bye.callId, invite.callId);
    assert.equal(bye.to.params.tag, invite.from.params.tag);
    assert.equal(bye.from.params.tag, callerDialog.remoteTag);
    assert.deepEqual(bye.uri, invite.contacts[0]?.uri, 'the Request-URI is the caller’s Contact');
  });

  test('closes both endpoints when the call ends', async () => {
    const rig = bridgeRig();
    const { callerDialog } = await answeredCall(rig);
    assert.equal(rig.media.open.length, 2);
    callerDialog.bye();
    await rig.net.settle();
    assert.deepEqual(rig.media.open, []);
  });

  test('releases its admission slot exactly once when both sides hang up at the same moment', async () => {
    const rig = bridgeRig();
    const { callerDialog, calleeDialog } = await answeredCall(rig);
    assert.equal(rig.admission.activeCalls, 1);
    callerDialog.bye();
    calleeDialog.bye();
    await rig.net.settle();
    assert.equal(rig.endedCalls, 1);
    assert.equal(rig.admission.activeCalls, 0);
    assert.equal(rig.cdrs.records.length, 1);
  });

  test('leaves no dialog and, once the timers have run, no transaction behind', async () => {
    const rig = bridgeRig();
    const { callerDialog } = await answeredCall(rig);
    assert.equal(rig.pbx.ua.dialogCount, 2);
    callerDialog.bye();
    await rig.net.settle();
    assert.equal(rig.pbx.ua.dialogCount, 0);
    await rig.net.advance(40_000, 1000);
    assert.equal(rig.pbx.transactions.stats().total, 0);
  });

  test('answers a request with a CSeq lower than the last one 500, and keeps the call up', async () => {
    const rig = bridgeRig();
    const { callerDialog } = await answeredCall(rig);
    callerDialog.send('INFO');
    await rig.net.settle();
    const stale = callerDialog.send('BYE', undefined, callerDialog.localSeq - 1);
    await rig.net.settle();
    assert.equal(stale.final?.status, 500);
    assert.equal(rig.cdrs.records.length, 0, 'the call is still up');
  });
});
