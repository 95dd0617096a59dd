import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { promptText, type DtmfKey } from '../../media/prompts/index.js';
import { callRig } from '../test-kit.js';

const said = (key: DtmfKey) => ({ file: `/tts/en/${promptText('digit', 'en', { key })}.wav` });

/** 1001 dials *44 and hears the introduction to its end. */
async function keyTest(maxMs = 60_000) {
  const rig = callRig({ autoFinishPlays: true, dtmfTestMaxDurationMs: maxMs });
  const call = rig.caller.invite('*44');
  await rig.idle();
  const ep = rig.legOf('1001').endpoint.id;
  return { rig, call, ep };
}

describe('The DTMF test (*44)', () => {
  test('answers and plays an introduction', async () => {
    const { rig, call, ep } = await keyTest();
    assert.equal(call.exchange.final?.status, 200, rig.net.trace());
    const [intro] = rig.media.playsOn(ep);
    assert.match(JSON.stringify(intro?.items), /key test/);
  });

  test('reads back every key pressed, one playback per key, and keeps them in the CDR', async () => {
    const { rig, call, ep } = await keyTest();
    for (const key of ['1', '5', '#'] as const) {
      rig.media.pressDigit(ep, key);
      await rig.idle();
    }
    assert.deepEqual(
      rig.media
        .playsOn(ep)
        .slice(1)
        .map((p) => p.items),
      [[said('1')], [said('5')], [said('#')]],
    );
    call.dialog!.bye();
    await rig.net.settle();
    const cdr = rig.cdrs.only();
    assert.equal(cdr.data?.digits, '15#');
    assert.equal(cdr.callee, '*44');
    assert.equal(cdr.disposition, 'answered');
    assert.equal(cdr.hangupBy, 'caller');
  });

  test('hears keys from every source: RFC 4733, in-band and SIP INFO', async () => {
    const { rig, call, ep } = await keyTest();
    rig.media.pressDigit(ep, '7', 'rfc4733');
    await rig.idle();
    rig.media.pressDigit(ep, '8', 'inband');
    await rig.idle();
    const info = call.dialog!.info('9');
    await rig.idle();
    assert.equal(info.final?.status, 200);
    call.dialog!.bye();
    await rig.net.settle();
    assert.equal(rig.cdrs.only().data?.digits, '789');
  });

  test('keeps keys pressed during the introduction', async () => {
    const rig = callRig({ dtmfTestMaxDurationMs: 60_000 });
    const call = rig.caller.invite('*44');
    await rig.idle();
    const ep = rig.legOf('1001').endpoint.id;
    rig.media.pressDigit(ep, '3');
    rig.media.finishPlay(ep);
    await rig.idle();
    assert.deepEqual(rig.media.playing(ep)?.items, [said('3')]);
    call.dialog!.bye();
    await rig.net.settle();
    assert.equal(rig.cdrs.only().data?.digits, '3');
  });

  test('answers a malformed DTMF INFO with 400 and counts nothing', async () => {
    const { rig, call } = await keyTest();
    const bad = call.dialog!.send('INFO', Buffer.from('Signal 5\r\n'), undefined, {
      contentType: 'application/dtmf-relay',
    });
    await rig.idle();
    assert.equal(bad.final?.status, 400);
    call.dialog!.bye();
    await rig.net.settle();
    assert.equal(rig.cdrs.only().data?.digits, undefined);
  });

  test('hangs up at the time limit', async () => {
    const { rig, call } = await keyTest(10_000);
    await rig.net.advance(10_000, 1000);
    assert.deepEqual(
      call.dialog?.requests.map((r) => r.method),
      ['BYE'],
    );
    const cdr = rig.cdrs.only();
    assert.equal(cdr.hangupBy, 'system');
    assert.equal(cdr.reason, 'test time limit');
    assert.equal(rig.endedCalls, 1);
    assert.deepEqual(rig.media.open, []);
  });
});
