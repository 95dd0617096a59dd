import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { featureRig } from './testing.js';

const SALES = [
  { number: '1002', pickupGroup: 'sales' },
  { number: '1003', pickupGroup: 'sales' },
  { number: '1004' },
];

/** 1001 calls 1002, whose phone rings. */
async function ringing(rig: ReturnType<typeof featureRig>) {
  const call = rig.caller.invite('1002');
  await rig.net.settle();
  rig.callee.lastIncoming().ring();
  await rig.net.settle();
  return call;
}

describe('Call pickup', () => {
  test('*8 answers the call ringing in the picker’s group: the phone gets CANCEL, the caller talks to the picker', async () => {
    const rig = featureRig({ extensions: SALES });
    const c = rig.phone('1003');
    const call = await ringing(rig);
    assert.equal(rig.registry.size, 1, 'the ringing call is listed');
    const pick = c.invite('*8');
    await rig.idle();
    assert.equal(pick.exchange.final?.status, 200, 'the picker is answered');
    assert.equal(call.exchange.final?.status, 200, 'the caller is answered');
    assert.ok(rig.callee.lastIncoming().cancelled, '1002 stops ringing');
    assert.equal(rig.peerOfParty('1001'), rig.legOf('1003').endpoint.id);
    assert.equal(rig.registry.size, 0);
    call.dialog!.bye();
    await rig.idle();
    assert.equal(pick.dialog!.requests.at(-1)?.method, 'BYE', 'the picker is hung up with the caller');
    const cdr = rig.cdrs.only();
    assert.equal(cdr.callee, '1003', 'the CDR names the picker as the callee');
    assert.equal(cdr.disposition, 'answered');
  });

  test('**1002 picks up the call ringing at 1002 from outside its group', async () => {
    const rig = featureRig({ extensions: SALES });
    const d = rig.phone('1004');
    const call = await ringing(rig);
    const pick = d.invite('**1002');
    await rig.idle();
    assert.equal(pick.exchange.final?.status, 200);
    assert.equal(call.exchange.final?.status, 200);
    assert.ok(rig.callee.lastIncoming().cancelled);
  });

  test('a group pickup from outside the group finds nothing: 480, and the call rings on', async () => {
    const rig = featureRig({ extensions: SALES });
    const d = rig.phone('1004');
    const call = await ringing(rig);
    const pick = d.invite('*8');
    await rig.idle();
    assert.equal(pick.exchange.final?.status, 480);
    assert.equal(call.exchange.final, undefined);
    assert.equal(rig.callee.lastIncoming().cancelled, false);
  });

  test('takes the oldest of two calls ringing in the group', async () => {
    const rig = featureRig({ extensions: [...SALES, { number: '1005', pickupGroup: 'sales' }] });
    const [c, e] = [rig.phone('1003'), rig.phone('1005')];
    const first = await ringing(rig);
    await rig.net.advance(1000);
    const second = c.invite('1005');
    await rig.net.settle();
    e.lastIncoming().ring();
    await rig.net.settle();
    const pick = rig.phone('1003').invite('*8');
    await rig.idle();
    assert.equal(pick.exchange.final?.status, 200);
    assert.equal(first.exchange.final?.status, 200, 'the older call is picked up');
    assert.equal(second.exchange.final, undefined, 'the newer one rings on');
  });

  test('leaves no call to pick up once the ringing phone has answered', async () => {
    const rig = featureRig({ extensions: SALES });
    const c = rig.phone('1003');
    await ringing(rig);
    rig.callee.lastIncoming().answer();
    await rig.idle();
    assert.equal(rig.registry.size, 0);
    const pick = c.invite('*8');
    await rig.idle();
    assert.equal(pick.exchange.final?.status, 480);
  });
});

describe('Feature codes from phones', () => {
  test('*78 turns DND on with a spoken confirmation, and calls then get 486 without ringing; *79 turns it off', async () => {
    const rig = featureRig();
    const set = rig.callee.invite('*78');
    await rig.idle();
    assert.equal(set.exchange.final?.status, 200);
    assert.equal(set.dialog!.requests.at(-1)?.method, 'BYE', 'hung up after the confirmation');
    assert.deepEqual(await rig.state.get('1002'), { dnd: true });
    const plays = rig.media.ops('play').map((p) => p.play.items);
    assert.deepEqual(plays.at(-1), [{ file: '/tts/en/Do not disturb is on..wav' }]);
    const call = rig.caller.invite('1002');
    await rig.idle();
    assert.equal(call.exchange.final?.status, 486);
    assert.equal(rig.callee.incoming.length, 0);
    rig.callee.invite('*79');
    await rig.idle();
    assert.deepEqual(await rig.state.get('1002'), { dnd: false });
    rig.caller.invite('1002');
    await rig.idle();
    assert.equal(rig.callee.incoming.length, 1, 'rung again');
  });

  test('*72<number> forwards every call of the phone’s extension there, and *73 ends it', async () => {
    const rig = featureRig({ extensions: [{ number: '1003' }] });
    const c = rig.phone('1003');
    rig.callee.invite('*721003');
    await rig.idle();
    assert.deepEqual(await rig.state.get('1002'), { forwardAlways: '1003' });
    const plays = rig.media.ops('play').map((p) => p.play.items);
    assert.deepEqual(plays.at(-1), [{ file: '/tts/en/Your calls are forwarded to 1 0 0 3..wav' }]);
    rig.caller.invite('1002');
    await rig.idle();
    assert.deepEqual([rig.callee.incoming.length, c.incoming.length], [0, 1]);
    rig.callee.invite('*73');
    await rig.idle();
    assert.deepEqual(await rig.state.get('1002'), { forwardAlways: null });
    rig.caller.invite('1002');
    await rig.idle();
    assert.equal(rig.callee.incoming.length, 1);
  });

  test('refuses to forward to itself, to an unknown short number, or to nothing, and stores nothing', async () => {
    const rig = featureRig();
    for (const code of ['*721002', '*72123', '*72']) {
      const call = rig.callee.invite(code);
      await rig.idle();
      assert.equal(call.exchange.final?.status, 200, code);
    }
    assert.equal(await rig.state.get('1002'), undefined);
    const said = rig.media.ops('play').map((p) => JSON.stringify(p.play.items));
    assert.equal(said.length, 3);
    assert.deepEqual(
      [...new Set(said)],
      [JSON.stringify([{ file: '/tts/en/Calls cannot be forwarded to that number..wav' }])],
    );
  });

  test('says the setting failed when the toggles cannot be stored', async () => {
    const rig = featureRig();
    rig.state.set = () => Promise.reject(new Error('database down'));
    rig.callee.invite('*78');
    await rig.idle();
    const said = rig.media.ops('play').map((p) => p.play.items[0]);
    assert.deepEqual(said.at(-1), {
      file: '/tts/en/The setting could not be saved. Please try again later..wav',
    });
  });
});
