import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { callRig } from '../test-kit.js';

/** 1001 and 1002 dial the conference room *46, one after the other or at once. */
async function room(atOnce = false) {
  const rig = callRig();
  const first = rig.caller.invite('*46');
  if (!atOnce) await rig.net.settle();
  const second = rig.callee.invite('*46');
  await rig.net.settle();
  return { rig, first, second, a: rig.legOf('1001').endpoint.id, b: rig.legOf('1002').endpoint.id };
}

describe('The conference room (*46)', () => {
  test('answers every caller and joins them all to the same mixer as full members', async () => {
    const { rig, first, second, a, b } = await room();
    assert.equal(first.exchange.final?.status, 200);
    assert.equal(second.exchange.final?.status, 200);
    const mixers = rig.media.mixers();
    assert.equal(mixers.size, 1, rig.net.trace());
    const [members] = mixers.values();
    assert.deepEqual([...members!.entries()].sort(), [
      [a, { role: 'full' }],
      [b, { role: 'full' }],
    ]);
  });

  test('uses one mixer for callers arriving at the same moment', async () => {
    const { rig } = await room(true);
    assert.equal(rig.media.ops('createMixer').length, 1);
    assert.equal([...rig.media.mixers().values()][0]?.size, 2);
  });

  test('keeps the room open while someone is in it and closes the mixer when the last one leaves', async () => {
    const { rig, first, second, b } = await room();
    first.dialog!.bye();
    await rig.net.settle();
    const [mixer, members] = [...rig.media.mixers()][0]!;
    assert.deepEqual([...members.keys()], [b]);
    second.dialog!.bye();
    await rig.net.settle();
    assert.equal(rig.media.mixers().size, 0);
    assert.deepEqual(rig.media.ops('closeMixer'), [{ op: 'closeMixer', mixer }]);
    assert.equal(rig.cdrs.records.length, 2, 'one CDR per caller’s call');
    for (const cdr of rig.cdrs.records) {
      assert.equal(cdr.disposition, 'answered');
      assert.equal(cdr.data?.conference, '*46');
    }
    assert.equal(rig.endedCalls, 2);
  });

  test('opens a new mixer for the next caller once the room has closed', async () => {
    const { rig, first, second } = await room();
    first.dialog!.bye();
    second.dialog!.bye();
    await rig.net.settle();
    rig.caller.invite('*46');
    await rig.net.settle();
    assert.equal(rig.media.ops('createMixer').length, 2);
    assert.equal(rig.media.mixers().size, 1);
  });

  test('hangs up a caller whose room cannot be opened, and tries again for the next one', async () => {
    const rig = callRig();
    rig.media.failing.set('createMixer', new Error('no mixer'));
    const call = rig.caller.invite('*46');
    await rig.net.settle();
    assert.deepEqual(
      call.dialog?.requests.map((r) => r.method),
      ['BYE'],
    );
    assert.equal(rig.cdrs.only().reason, 'conference unavailable');
    rig.media.failing.delete('createMixer');
    rig.callee.invite('*46');
    await rig.net.settle();
    assert.equal(rig.media.mixers().size, 1);
  });
});
