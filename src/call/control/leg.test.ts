import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { answeredCall, bridgeRig } from '../test-kit.js';

/** An answered 1001 → 1002 call; the caller's leg and endpoint. */
async function upCall() {
  const rig = bridgeRig();
  const up = await answeredCall(rig);
  const leg = rig.legOf('1001');
  return { rig, ...up, leg, ep: leg.endpoint.id };
}

const PROMPT = [{ file: '/prompts/enter-account.wav' }];

describe('A leg’s playback and key presses', () => {
  test('resolves a playback with how the engine reports it ended', async () => {
    const { rig, leg, ep } = await upCall();
    const done = leg.play(PROMPT);
    await rig.net.settle();
    assert.deepEqual(rig.media.playing(ep)?.items, PROMPT);
    rig.media.finishPlay(ep);
    assert.equal(await done, 'finished');
  });

  test('ends a playback as stopped when a new one replaces it', async () => {
    const { rig, leg } = await upCall();
    const first = leg.play(PROMPT);
    await rig.net.settle();
    void leg.play([{ silenceMs: 100 }]);
    assert.equal(await first, 'stopped');
  });

  test('ends a playback as stopped when the phone hangs up', async () => {
    const { rig, leg, callerDialog } = await upCall();
    const done = leg.play(PROMPT);
    await rig.net.settle();
    callerDialog.bye();
    await rig.net.settle();
    assert.equal(await done, 'stopped');
    assert.equal(await leg.play(PROMPT), 'stopped', 'and plays nothing once ended');
  });

  test('tells its listeners each key with where it came from', async () => {
    const { rig, leg, ep, callerDialog } = await upCall();
    const heard: [string, string][] = [];
    leg.on('dtmf', (digit, source) => heard.push([digit, source]));
    rig.media.pressDigit(ep, '4', 'rfc4733');
    rig.media.pressDigit(ep, '*', 'inband');
    callerDialog.info('#');
    await rig.net.settle();
    assert.deepEqual(heard, [
      ['4', 'rfc4733'],
      ['*', 'inband'],
      ['#', 'info'],
    ]);
  });

  test('collects digits up to the terminator, a key during the prompt stopping it and counting', async () => {
    const { rig, leg, ep } = await upCall();
    const collecting = leg.collect({ prompt: PROMPT, maxDigits: 8 });
    await rig.net.settle();
    assert.equal(rig.media.playing(ep)?.interruptOnDtmf, true);
    rig.media.pressDigit(ep, '1');
    await rig.net.settle();
    assert.equal(rig.media.playing(ep), undefined, 'the prompt stopped');
    rig.media.pressDigit(ep, '2');
    rig.media.pressDigit(ep, '#');
    assert.deepEqual(await collecting, { digits: '12', reason: 'terminator' });
  });

  test('collects no more than maxDigits', async () => {
    const { rig, leg, ep } = await upCall();
    const collecting = leg.collect({ maxDigits: 2 });
    for (const d of '123') rig.media.pressDigit(ep, d);
    assert.deepEqual(await collecting, { digits: '12', reason: 'max' });
  });

  test('gives up collecting after the inter-digit timeout', async () => {
    const { rig, leg, ep } = await upCall();
    let collected: unknown;
    void leg
      .collect({ maxDigits: 4, firstDigitTimeoutMs: 5000, interDigitTimeoutMs: 2000 })
      .then((c) => (collected = c));
    await rig.net.advance(4000, 1000);
    rig.media.pressDigit(ep, '9');
    await rig.net.settle();
    await rig.net.advance(1900);
    assert.equal(collected, undefined, 'still waiting for the next key');
    await rig.net.advance(100);
    assert.deepEqual(collected, { digits: '9', reason: 'timeout' });
  });

  test('stops collecting when the phone hangs up', async () => {
    const { rig, leg, ep, callerDialog } = await upCall();
    const collecting = leg.collect({ maxDigits: 4 });
    rig.media.pressDigit(ep, '5');
    await rig.net.settle();
    callerDialog.bye();
    await rig.net.settle();
    assert.deepEqual(await collecting, { digits: '5', reason: 'hangup' });
  });

  test('sends digits to its phone through the engine', async () => {
    const { rig, leg, ep } = await upCall();
    await leg.sendDtmf('0#');
    assert.deepEqual(rig.media.ops('sendDtmf'), [{ op: 'sendDtmf', id: ep, digits: '0#' }]);
  });
});
