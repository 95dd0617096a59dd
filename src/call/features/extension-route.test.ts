import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { featureRig } from './testing.js';

const FWD = { noAnswer: '1003', busy: '1003', noAnswerTimeout: 5 };

describe('A call to an extension with forwarding', () => {
  test('forwards an unanswered call after the extension’s timeout: 1002 gets CANCEL, 1003 rings and answers', async () => {
    const rig = featureRig({ extensions: [{ number: '1002', forward: FWD }, { number: '1003' }] });
    const c = rig.phone('1003');
    const call = rig.caller.invite('1002');
    await rig.net.settle();
    rig.callee.lastIncoming().ring();
    await rig.net.advance(4900);
    assert.equal(c.incoming.length, 0, '1003 is not rung before the timeout');
    await rig.net.advance(200);
    assert.ok(rig.callee.lastIncoming().cancelled, '1002 is cancelled');
    c.lastIncoming().ring();
    await rig.net.settle();
    c.lastIncoming().answer();
    await rig.idle();
    assert.equal(call.exchange.final?.status, 200);
    assert.deepEqual(
      call.statuses.filter((s) => s >= 200),
      [200],
      'the caller gets one final answer',
    );
    assert.equal(rig.peerOfParty('1001'), rig.legOf('1003').endpoint.id, 'the caller talks to 1003');
    call.dialog!.bye();
    await rig.idle();
    const cdr = rig.cdrs.only();
    assert.equal(cdr.callee, '1003');
    assert.equal(cdr.disposition, 'answered');
    assert.equal(cdr.data?.forwardedFrom, '1002');
    assert.equal(cdr.data?.forwardReason, 'no-answer');
    assert.deepEqual(rig.errors, []);
  });

  test('forwards a call the phone answers 486 to the busy forward at once', async () => {
    const rig = featureRig({ extensions: [{ number: '1002', forward: FWD }, { number: '1003' }] });
    const c = rig.phone('1003');
    const call = rig.caller.invite('1002');
    await rig.net.settle();
    rig.callee.lastIncoming().respond(486);
    await rig.idle();
    c.lastIncoming().answer();
    await rig.idle();
    assert.equal(call.exchange.final?.status, 200);
    assert.equal(rig.legOf('1003').isUp, true);
  });

  test('refuses a busy extension without a busy forward with 486, as before features existed', async () => {
    const rig = featureRig();
    const call = rig.caller.invite('1002');
    await rig.net.settle();
    rig.callee.lastIncoming().respond(486);
    await rig.idle();
    assert.equal(call.exchange.final?.status, 486);
    assert.equal(rig.cdrs.only().disposition, 'busy');
  });

  test('gives up with 480 after the no-answer timeout when nothing else is set', async () => {
    const rig = featureRig({ noAnswerTimeoutMs: 3000 });
    const call = rig.caller.invite('1002');
    await rig.net.settle();
    rig.callee.lastIncoming().ring();
    await rig.net.advance(3100);
    await rig.idle();
    assert.ok(rig.callee.lastIncoming().cancelled);
    assert.equal(call.exchange.final?.status, 480);
    assert.deepEqual(rig.media.open, [], 'every endpoint is closed');
  });

  test('forwards unconditionally without ringing the extension', async () => {
    const rig = featureRig({
      extensions: [{ number: '1002', forward: { always: '1003' } }, { number: '1003' }],
    });
    const c = rig.phone('1003');
    rig.caller.invite('1002');
    await rig.idle();
    assert.equal(rig.callee.incoming.length, 0);
    assert.equal(c.incoming.length, 1);
  });

  test('refuses a call for an extension in DND with 486 without ringing it, and records it as busy', async () => {
    const rig = featureRig({ extensions: [{ number: '1002', dnd: true }] });
    const call = rig.caller.invite('1002');
    await rig.idle();
    assert.equal(call.exchange.final?.status, 486);
    assert.equal(rig.callee.incoming.length, 0);
    assert.equal(rig.cdrs.only().disposition, 'busy');
  });

  test('treats an extension already on a call as busy when it has no call waiting', async () => {
    const rig = featureRig({ extensions: [{ number: '1002', callWaiting: false }, { number: '1003' }] });
    const c = rig.phone('1003');
    c.invite('1002');
    await rig.net.settle();
    rig.callee.lastIncoming().answer();
    await rig.idle();
    const second = rig.caller.invite('1002');
    await rig.idle();
    assert.equal(second.exchange.final?.status, 486);
    assert.equal(rig.callee.incoming.length, 1, 'the phone on a call is not rung again');
  });

  test('forwards an unregistered extension’s calls to its no-answer forward at once', async () => {
    const rig = featureRig({ extensions: [{ number: '1009', forward: { noAnswer: '1002' } }] });
    const call = rig.caller.invite('1009');
    await rig.net.settle();
    rig.callee.lastIncoming().answer();
    await rig.idle();
    assert.equal(call.exchange.final?.status, 200);
  });

  test('answers 480 for an unregistered extension with nothing set', async () => {
    const rig = featureRig({ extensions: [{ number: '1009' }] });
    const call = rig.caller.invite('1009');
    await rig.idle();
    assert.equal(call.exchange.final?.status, 480);
  });

  test('takes an unanswered call to the extension’s voicemail when voicemail is wired', async () => {
    const rig = featureRig({
      voicemail: true,
      noAnswerTimeoutMs: 2000,
      extensions: [{ number: '1002', voicemail: true }],
    });
    const call = rig.caller.invite('1002');
    await rig.net.settle();
    rig.callee.lastIncoming().ring();
    await rig.net.advance(2100);
    await rig.idle();
    assert.deepEqual(rig.mailboxes, ['1002']);
    assert.equal(call.exchange.final?.status, 200, 'voicemail answered the caller');
  });

  test('refuses an unanswered call with 480 when the extension did not ask for voicemail', async () => {
    const rig = featureRig({ voicemail: true, noAnswerTimeoutMs: 2000 });
    const call = rig.caller.invite('1002');
    await rig.net.settle();
    await rig.net.advance(2100);
    await rig.idle();
    assert.deepEqual(rig.mailboxes, []);
    assert.equal(call.exchange.final?.status, 480);
  });

  test('stops a forwarding loop: 1002 → 1003 → back to 1002 is skipped and the caller gets 480', async () => {
    const rig = featureRig({
      extensions: [
        { number: '1002', forward: { noAnswer: '1003', noAnswerTimeout: 2 } },
        { number: '1003', forward: { noAnswer: '1002', noAnswerTimeout: 2 } },
      ],
    });
    const c = rig.phone('1003');
    const call = rig.caller.invite('1002');
    await rig.net.settle();
    await rig.net.advance(2100);
    await rig.net.advance(2100);
    await rig.idle();
    assert.equal(call.exchange.final?.status, 480);
    assert.equal(rig.callee.incoming.length, 1, '1002 was rung once only');
    assert.equal(c.incoming.length, 1);
  });

  test('passes a caller’s CANCEL on to every phone ringing at that moment', async () => {
    const rig = featureRig({ extensions: [{ number: '1002', forward: FWD }, { number: '1003' }] });
    const c = rig.phone('1003');
    const call = rig.caller.invite('1002');
    await rig.net.settle();
    await rig.net.advance(5100);
    c.lastIncoming().ring();
    await rig.net.settle();
    call.cancel();
    await rig.idle();
    assert.ok(c.lastIncoming().cancelled);
    assert.equal(call.exchange.final?.status, 487);
    assert.equal(rig.cdrs.only().disposition, 'cancelled');
    assert.deepEqual(rig.media.open, []);
  });

  test('passes early media on from a single ringing phone, and records only once answered', async () => {
    const rig = featureRig({ recording: true });
    const call = rig.caller.invite('1002');
    await rig.net.settle();
    const incoming = rig.callee.lastIncoming();
    incoming.ring(183, rig.callee.answerTo(incoming.invite.body));
    await rig.idle();
    assert.ok(call.statuses.includes(183));
    assert.equal(rig.media.activeRecordings().length, 0, 'early media is not recorded');
    incoming.answer();
    await rig.until(() => rig.media.activeRecordings().length === 1, 'the recording');
    assert.equal(call.exchange.final?.status, 200);
  });
});

describe('Find-me', () => {
  test('rings the find-me numbers after the extension (sequential), and the first to answer takes the call', async () => {
    const rig = featureRig({
      extensions: [
        {
          number: '1002',
          forward: { noAnswerTimeout: 3 },
          findMe: { mode: 'sequential', steps: [{ numbers: ['1003', '1004'], ringTime: 10 }] },
        },
        { number: '1003' },
        { number: '1004' },
      ],
    });
    const [c, d] = [rig.phone('1003'), rig.phone('1004')];
    const call = rig.caller.invite('1002');
    await rig.net.settle();
    assert.equal(c.incoming.length + d.incoming.length, 0);
    await rig.net.advance(3100);
    assert.ok(rig.callee.lastIncoming().cancelled);
    c.lastIncoming().ring();
    await rig.net.settle();
    d.lastIncoming().answer();
    await rig.idle();
    assert.ok(c.lastIncoming().cancelled, '1003 is cancelled when 1004 answers');
    assert.equal(call.exchange.final?.status, 200);
  });

  test('rings the find-me numbers together with the extension in parallel mode, without ringing it again', async () => {
    const rig = featureRig({
      extensions: [
        {
          number: '1002',
          findMe: {
            mode: 'parallel',
            steps: [
              { numbers: ['1003'], ringTime: 4 },
              { numbers: ['1004'], ringTime: 4 },
            ],
          },
        },
        { number: '1003' },
        { number: '1004' },
      ],
    });
    const [c, d] = [rig.phone('1003'), rig.phone('1004')];
    const call = rig.caller.invite('1002');
    await rig.net.settle();
    assert.equal(c.incoming.length, 1, '1003 rings at once');
    c.lastIncoming().ring();
    rig.callee.lastIncoming().ring();
    await rig.net.advance(4100);
    assert.ok(c.lastIncoming().cancelled, '1003’s step is over');
    assert.equal(d.incoming.length, 1, '1004 rings now');
    assert.equal(rig.callee.incoming.length, 1, '1002 was rung once and rings on');
    assert.equal(rig.callee.lastIncoming().cancelled, false);
    d.lastIncoming().ring();
    await rig.net.settle();
    rig.callee.lastIncoming().answer();
    await rig.idle();
    assert.equal(call.exchange.final?.status, 200);
    assert.ok(d.lastIncoming().cancelled);
  });

  test('fails a find-me number outside when no trunk is wired in, and gives up with 480', async () => {
    const rig = featureRig({
      noAnswerTimeoutMs: 2000,
      extensions: [
        {
          number: '1002',
          findMe: { mode: 'sequential', steps: [{ numbers: ['13800138000'], ringTime: 10 }] },
        },
      ],
    });
    const call = rig.caller.invite('1002');
    await rig.net.settle();
    await rig.net.advance(2100);
    await rig.idle();
    assert.equal(call.exchange.final?.status, 480);
    assert.deepEqual(rig.errors, []);
  });

  test('rings a number outside through dialExternal, and connects the caller when it answers', async () => {
    const rig = featureRig({
      extensions: [{ number: '1002', forward: { always: '13800138000' } }],
      dialExternal: async (call, number, opts) => {
        const leg = await rig.control.originate(call, number, {
          contacts: [gateway.callee],
          ringTimeoutMs: opts.ringTimeoutMs,
        });
        return (await rig.control.answered(leg))
          ? { ok: true, leg }
          : { ok: false, status: 480, reason: 'no answer' };
      },
    });
    const gateway = rig.phone('gw');
    const call = rig.caller.invite('1002');
    await rig.net.settle();
    gateway.lastIncoming().answer();
    await rig.idle();
    assert.equal(call.exchange.final?.status, 200);
    assert.equal(rig.cdrs.records.length, 0);
    assert.equal(rig.legOf('13800138000').isUp, true);
  });
});
