import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { getHeader, referToWithReplaces } from '../../sip/message/index.js';
import type { SipRequest } from '../../sip/message/types.js';
import { answeredCall, bridgeRig, DOMAIN, MUSIC_ON_HOLD, type PhoneDialog } from '../test-kit.js';

const target = (user: string) => `<sip:${user}@${DOMAIN}>`;

/** The NOTIFYs a transferor got: the sipfrag status line of each, and their headers. */
function notifies(dialog: PhoneDialog) {
  return dialog.requests
    .filter((r) => r.method === 'NOTIFY')
    .map((r: SipRequest) => ({
      frag: r.body.toString('utf8'),
      type: r.contentType,
      event: getHeader(r, 'Event'),
      state: getHeader(r, 'Subscription-State'),
    }));
}

/** 1001 and 1002 talk; 1003 is registered and idle. */
async function talking() {
  const rig = bridgeRig();
  const third = rig.phone('1003');
  const up = await answeredCall(rig);
  return { rig, third, ...up, a: rig.legOf('1001').endpoint.id, b: rig.legOf('1002').endpoint.id };
}

describe('A blind transfer by REFER from a phone (RFC 3515)', () => {
  test('accepts with 202, reports 100 then 200 by NOTIFY, bridges the transferee to the target and hangs up the transferor', async () => {
    const { rig, third, callerDialog, calleeDialog, a } = await talking();
    const refer = calleeDialog.refer(target('1003'));
    await rig.net.settle();
    assert.equal(refer.final?.status, 202, rig.net.trace());
    const ringing = third.lastIncoming();
    assert.equal(ringing.invite.from.uri.user, '1001', 'the target sees who is transferred to it');
    ringing.answer();
    await rig.net.settle();
    assert.deepEqual(notifies(calleeDialog), [
      {
        frag: 'SIP/2.0 100 Trying\r\n',
        type: 'message/sipfrag;version=2.0',
        event: 'refer',
        state: 'active;expires=60',
      },
      {
        frag: 'SIP/2.0 200 OK\r\n',
        type: 'message/sipfrag;version=2.0',
        event: 'refer',
        state: 'terminated;reason=noresource',
      },
    ]);
    assert.deepEqual(
      calleeDialog.requests.map((r) => r.method),
      ['NOTIFY', 'NOTIFY', 'BYE'],
    );
    assert.equal(rig.media.peerOf(a), rig.legOf('1003').endpoint.id);
    assert.deepEqual(callerDialog.requests, [], 'the transferee’s phone sees nothing');
  });

  test('plays ring-back to the transferee while the target rings', async () => {
    const { rig, calleeDialog, a } = await talking();
    calleeDialog.refer(target('1003'));
    await rig.net.settle();
    assert.deepEqual(rig.media.playing(a)?.items, [{ tone: 'ringback' }]);
    assert.equal(rig.media.peerOf(a), undefined);
  });

  test('writes one CDR for the whole call, naming the target as the callee', async () => {
    const { rig, third, callerDialog, calleeDialog } = await talking();
    calleeDialog.refer(target('1003'));
    await rig.net.settle();
    third.lastIncoming().answer();
    await rig.net.settle();
    assert.equal(rig.cdrs.records.length, 0, 'the call goes on');
    callerDialog.bye();
    await rig.net.settle();
    assert.deepEqual(
      third.lastIncoming().dialog?.requests.map((r) => r.method),
      ['BYE'],
    );
    const cdr = rig.cdrs.only();
    assert.equal(cdr.caller, '1001');
    assert.equal(cdr.callee, '1003');
    assert.equal(cdr.disposition, 'answered');
    assert.equal(cdr.hangupBy, 'caller', 'the transferor leaving does not end the call');
    assert.equal(rig.endedCalls, 1);
    assert.deepEqual(rig.media.open, []);
  });

  test('completes the transfer when the transferor hangs up right after the 202', async () => {
    const { rig, third, calleeDialog, a } = await talking();
    calleeDialog.refer(target('1003'));
    await rig.net.settle();
    calleeDialog.bye();
    await rig.net.settle();
    third.lastIncoming().answer();
    await rig.net.settle();
    assert.equal(rig.media.peerOf(a), rig.legOf('1003').endpoint.id);
    assert.equal(rig.cdrs.records.length, 0);
  });

  test('reports a busy target with NOTIFY 486 and bridges transferor and transferee back', async () => {
    const { rig, third, callerDialog, calleeDialog, a, b } = await talking();
    calleeDialog.refer(target('1003'));
    await rig.net.settle();
    third.lastIncoming().respond(486);
    await rig.net.settle();
    assert.deepEqual(
      notifies(calleeDialog).map((n) => [n.frag, n.state]),
      [
        ['SIP/2.0 100 Trying\r\n', 'active;expires=60'],
        ['SIP/2.0 486 Busy Here\r\n', 'terminated;reason=noresource'],
      ],
    );
    assert.deepEqual(
      calleeDialog.requests.map((r) => r.method),
      ['NOTIFY', 'NOTIFY'],
      'no BYE',
    );
    assert.equal(rig.media.peerOf(a), b);
    assert.equal(rig.media.playing(a), undefined, 'the ring-back stopped');
    callerDialog.bye();
    await rig.net.settle();
    const cdr = rig.cdrs.only();
    assert.equal(cdr.callee, '1002');
    assert.equal(cdr.hangupBy, 'caller', 'the busy target did not end the call');
    assert.equal(cdr.sipCause, 200);
  });

  test('sends no NOTIFY to a transferor that asked for none (Refer-Sub: false, RFC 4488)', async () => {
    const { rig, third, calleeDialog } = await talking();
    const refer = calleeDialog.refer(target('1003'), [{ name: 'Refer-Sub', value: 'false' }]);
    await rig.net.settle();
    assert.equal(refer.final?.status, 202);
    third.lastIncoming().answer();
    await rig.net.settle();
    assert.deepEqual(
      calleeDialog.requests.map((r) => r.method),
      ['BYE'],
    );
  });

  test('refuses a REFER without Refer-To with 400 and keeps the call', async () => {
    const { rig, calleeDialog, a, b } = await talking();
    const refer = calleeDialog.send('REFER');
    await rig.net.settle();
    assert.equal(refer.final?.status, 400);
    assert.equal(rig.media.peerOf(a), b);
  });
});

describe('An attended transfer by REFER with Replaces (RFC 3891)', () => {
  /** 1001 talks to 1002, holds it, calls 1003; then transfers 1002 to 1003. */
  async function consulted() {
    const rig = bridgeRig();
    const c = rig.phone('1003');
    const first = await answeredCall(rig, rig.caller, rig.callee);
    first.callerDialog.send('INVITE', rig.caller.offer('sendonly'));
    await rig.net.settle();
    const second = await answeredCall(rig, rig.caller, c);
    const [ab, ac] = rig.legsOf('1001');
    const bLeg = rig.legOf('1002');
    const cLeg = rig.legOf('1003');
    const d = second.callerDialog;
    const referTo = referToWithReplaces(c.uri(), {
      callId: d.callId,
      toTag: d.remoteTag,
      fromTag: d.localTag,
      earlyOnly: false,
    });
    return { rig, c, first, second, ab: ab!, ac: ac!, bLeg, cLeg, referTo };
  }

  test('bridges the transferee to the target and hangs up both of the transferor’s legs', async () => {
    const { rig, first, second, bLeg, cLeg, referTo } = await consulted();
    assert.deepEqual(rig.media.playing(bLeg.endpoint.id)?.items, MUSIC_ON_HOLD, '1002 waits on hold');
    const refer = first.callerDialog.refer(referTo);
    await rig.net.settle();
    assert.equal(refer.final?.status, 202, rig.net.trace());
    assert.equal(rig.media.peerOf(bLeg.endpoint.id), cLeg.endpoint.id);
    assert.equal(rig.media.playing(bLeg.endpoint.id), undefined, 'the music stopped');
    assert.deepEqual(
      first.callerDialog.requests.map((r) => r.method),
      ['NOTIFY', 'NOTIFY', 'BYE'],
    );
    assert.deepEqual(notifies(first.callerDialog).at(-1)?.frag, 'SIP/2.0 200 OK\r\n');
    assert.deepEqual(
      second.callerDialog.requests.map((r) => r.method),
      ['BYE'],
    );
    assert.deepEqual(first.calleeDialog.requests, [], '1002’s phone sees nothing');
    assert.deepEqual(second.calleeDialog.requests, [], '1003’s phone sees nothing');
  });

  test('moves the target’s leg into the transferee’s call and writes one CDR per call', async () => {
    const { rig, first, second, ab, ac, bLeg, cLeg, referTo } = await consulted();
    const callOne = ab.callId;
    const callTwo = ac.callId;
    assert.notEqual(callOne, callTwo);
    first.callerDialog.refer(referTo);
    await rig.net.settle();
    assert.equal(cLeg.callId, callOne);
    assert.equal(bLeg.callId, callOne);
    assert.deepEqual(
      rig.cdrs.records.map((r) => r.callId),
      [callTwo],
      'the consultation call is over',
    );
    first.calleeDialog.bye();
    await rig.net.settle();
    assert.deepEqual(
      second.calleeDialog.requests.map((r) => r.method),
      ['BYE'],
    );
    assert.deepEqual(
      rig.cdrs.records.map((r) => r.callId),
      [callTwo, callOne],
    );
    const cdr = rig.cdrs.records[1]!;
    assert.equal(cdr.caller, '1001');
    assert.equal(cdr.callee, '1003');
    assert.equal(cdr.hangupBy, 'callee');
    assert.deepEqual(rig.media.open, []);
    assert.equal(rig.endedCalls, 2);
  });

  test('answers 481 when the Replaces names no dialog, and keeps both calls', async () => {
    const { rig, first, bLeg, referTo } = await consulted();
    const bogus = referTo.replace(/to-tag%3D[^%>]+/i, 'to-tag%3Dnosuchtag');
    assert.notEqual(bogus, referTo);
    const refer = first.callerDialog.refer(bogus);
    await rig.net.settle();
    assert.equal(refer.final?.status, 481, rig.net.trace());
    assert.equal(rig.legsOf('1001').length, 2);
    assert.equal(rig.media.playing(bLeg.endpoint.id)?.loop, true, '1002 still on hold');
  });
});
