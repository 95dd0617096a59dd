import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { VoicemailMessage } from '../../report/voicemail.js';
import { voicemailRig, type VoicemailRig } from '../testing/voicemail-rig.js';
import { samePin } from './voicemail-listen.js';

/** 2023-11-14 10:00 in Shanghai. */
const T0 = Date.UTC(2023, 10, 14, 2, 0);

function message(over: Partial<VoicemailMessage> = {}): VoicemailMessage {
  return {
    mailbox: '1001',
    callId: 'c',
    caller: '1002',
    receivedAt: T0,
    durationMs: 3000,
    path: '/vm/1001/a.wav',
    bytes: 48_044,
    sha256: 'a'.repeat(64),
    ...over,
  };
}

/** A rig whose clock reads 2023-11-14 12:00 in Shanghai, with messages in 1001's box. */
async function withMessages(messages: readonly Partial<VoicemailMessage>[], pin?: string) {
  const rig = voicemailRig({ boxes: pin ? [{ mailbox: '1001', pin }] : [] });
  rig.net.clock.advance(T0 + 2 * 3_600_000 - rig.net.clock.now());
  for (const m of messages) await rig.store.insert(message(m));
  return rig;
}

/** 1001 dials `code` and, once asked, gives the digits. */
async function dial(rig: VoicemailRig, code: string, ...answers: readonly [RegExp, string][]) {
  const call = rig.caller.invite(code);
  await rig.until(() => rig.legsOf('1001').length === 1, 'the leg');
  const ep = rig.legOf('1001').endpoint.id;
  for (const [prompt, keys] of answers) {
    await rig.playing(ep, prompt);
    for (const key of keys) rig.media.pressDigit(ep, key);
  }
  return { call, ep };
}

const hungUp = (rig: VoicemailRig, call: ReturnType<VoicemailRig['caller']['invite']>) =>
  rig.until(() => (call.dialog?.requests.length ?? 0) > 0, 'the BYE');

describe('Listening to voicemail', () => {
  test('*97 asks for the PIN, counts the messages, and plays new ones first, oldest first, each with its header', async () => {
    const rig = await withMessages(
      [
        { path: '/vm/1001/newer.wav', receivedAt: T0 + 60_000 },
        { path: '/vm/1001/older.wav', caller: '13800138000' },
        { path: '/vm/1001/heard.wav', receivedAt: T0 - 86_400_000 },
      ],
      '2580',
    );
    await rig.store.markHeard(3);
    const { call, ep } = await dial(rig, '*97', [/enter your PIN/, '2580#']);
    for (let i = 0; i < 3; i++) {
      await rig.playing(ep, /To delete this message/);
      rig.media.pressDigit(ep, '#');
    }
    await hungUp(rig, call);
    const plays = rig.played(ep);
    assert.ok(
      plays.some((p) => /You have two new messages and one saved message\./.test(p)),
      plays.join('\n'),
    );
    const messages = plays.filter((p) => /\/vm\/1001\//.test(p));
    assert.deepEqual(
      messages.map((p) => /\/vm\/1001\/(\w+)\.wav/.exec(p)?.[1]),
      ['older', 'newer', 'heard'],
    );
    assert.match(
      messages[0]!,
      /Message one, from one three eight zero zero one three eight zero zero zero, received today at ten o'clock in the morning/,
    );
    assert.match(
      messages[1]!,
      /Message two, from one zero zero two, received today at ten oh one in the morning/,
    );
    assert.match(messages[2]!, /Message three, .*received yesterday at ten o'clock in the morning/);
    assert.match(plays.at(-1)!, /There are no more messages\. Goodbye\./);
    assert.deepEqual(
      rig.store.rows.map((m) => m.heard),
      [true, true, true],
      'played to the end: heard',
    );
    assert.deepEqual(rig.changed, ['1001', '1001'], 'MWI told of each message newly heard');
  });

  test('a wrong PIN three times plays no message, says goodbye and hangs up', async () => {
    const rig = await withMessages([{}], '2580');
    const { call, ep } = await dial(
      rig,
      '*97',
      [/enter your PIN/, '1111#'],
      [/enter your PIN/, '2581#'],
      [/enter your PIN/, '#'],
    );
    await hungUp(rig, call);
    const plays = rig.played(ep);
    assert.equal(plays.filter((p) => /Login incorrect/.test(p)).length, 3);
    assert.ok(!plays.some((p) => /\/vm\//.test(p)), 'no message played');
    assert.match(plays.at(-1)!, /Goodbye/);
    assert.equal(rig.cdrs.only().reason, 'voicemail login failed');
    assert.equal(rig.store.rows[0]?.heard, false);
  });

  test('*97 opens the caller’s own box without a PIN when the box has none', async () => {
    const rig = await withMessages([]);
    const { call, ep } = await dial(rig, '*97');
    await hungUp(rig, call);
    const plays = rig.played(ep);
    assert.ok(!plays.some((p) => /PIN/.test(p)));
    assert.match(plays[0]!, /You have no messages\./);
  });

  test('*98 asks for the mailbox and its PIN, then plays that box', async () => {
    const rig = voicemailRig({ boxes: [{ mailbox: '1002', pin: '4321' }] });
    await rig.store.insert(message({ mailbox: '1002', path: '/vm/1002/x.wav' }));
    const { call, ep } = await dial(
      rig,
      '*98',
      [/enter the mailbox number/, '1002#'],
      [/enter your PIN/, '4321#'],
    );
    await rig.playing(ep, /To delete this message/);
    rig.media.pressDigit(ep, '#');
    await hungUp(rig, call);
    assert.ok(rig.played(ep).some((p) => p.includes('/vm/1002/x.wav')));
  });

  test('*98 cannot open a box without a PIN, nor a box that does not exist', async () => {
    const rig = voicemailRig();
    await rig.store.insert(message({ mailbox: '1002' }));
    const { call, ep } = await dial(
      rig,
      '*98',
      [/enter the mailbox number/, '1002#'],
      [/enter your PIN/, '#'],
      [/enter the mailbox number/, '7777#'],
      [/enter your PIN/, '1234#'],
      [/enter the mailbox number/, '#'],
      [/enter your PIN/, '#'],
    );
    await hungUp(rig, call);
    assert.equal(rig.played(ep).filter((p) => /Login incorrect/.test(p)).length, 3);
    assert.ok(!rig.played(ep).some((p) => /\/vm\//.test(p)));
  });

  test('7 during a message deletes it without marking it heard first', async () => {
    const rig = await withMessages([{}, { receivedAt: T0 + 1 }]);
    rig.media.autoFinishPlays = false;
    const { call, ep } = await dial(rig, '*97');
    /** Waits for a playback matching `match` and lets it play to its end. */
    const played = async (match: RegExp) => {
      await rig.until(() => match.test(JSON.stringify(rig.media.playing(ep)?.items ?? '')), `${match}`);
      rig.media.finishPlay(ep);
    };
    await played(/You have two new messages/);
    await rig.until(
      () => /Message one/.test(JSON.stringify(rig.media.playing(ep)?.items ?? '')),
      'message one',
    );
    rig.media.pressDigit(ep, '7');
    await played(/Message deleted/);
    await played(/Message two/);
    await played(/To delete this message/);
    rig.media.pressDigit(ep, '#');
    await played(/There are no more messages/);
    await hungUp(rig, call);
    assert.equal(rig.store.rows[0]?.deletedAt, rig.net.clock.now());
    assert.equal(rig.store.rows[0]?.heard, false);
    assert.deepEqual(await rig.store.counts('1001'), { newCount: 0, oldCount: 1 });
    assert.deepEqual(rig.changed, ['1001', '1001'], 'the deletion, then the second message heard');
  });

  test('9 saves, * plays the message again, and an unknown key is refused', async () => {
    const rig = await withMessages([{}]);
    const { call, ep } = await dial(rig, '*97');
    await rig.playing(ep, /To delete this message/);
    rig.media.pressDigit(ep, '5');
    await rig.playing(ep, /That key is not valid/);
    await rig.playing(ep, /To delete this message/);
    rig.media.pressDigit(ep, '*');
    await rig.until(
      () => rig.played(ep).filter((p) => p.includes('/vm/1001/a.wav')).length === 2,
      'the replay',
    );
    await rig.playing(ep, /To delete this message/);
    rig.media.pressDigit(ep, '9');
    await hungUp(rig, call);
    assert.ok(rig.played(ep).some((p) => /Message saved/.test(p)));
    assert.equal(rig.store.rows[0]?.heard, true);
    assert.equal(rig.store.rows[0]?.deletedAt, undefined);
  });

  test('moves on after the menu was offered three times without a key', async () => {
    const rig = await withMessages([{}]);
    const { call, ep } = await dial(rig, '*97');
    await rig.playing(ep, /To delete this message/);
    for (let s = 0; s < 30 && (call.dialog?.requests.length ?? 0) === 0; s++)
      await rig.net.advance(1_000, 1_000);
    await hungUp(rig, call);
    assert.equal(rig.played(ep).filter((p) => /To delete this message/.test(p)).length, 3);
  });

  test('compares PINs by value only', () => {
    assert.equal(samePin('2580', '2580'), true);
    assert.equal(samePin('258', '2580'), false);
    assert.equal(samePin('25800', '2580'), false);
    assert.equal(samePin('', '2580'), false);
  });
});
