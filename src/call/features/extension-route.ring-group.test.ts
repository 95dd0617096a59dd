import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { RingGroup } from './ring-group.js';
import { featureRig } from './testing.js';

const MEMBERS = [{ number: '1003' }, { number: '1004' }];
const group = (over: Partial<RingGroup> = {}): RingGroup => ({
  number: '600',
  strategy: 'all',
  members: ['1002', '1003', '1004'],
  ringTimeMs: 10_000,
  ...over,
});

describe('A call to a ring group', () => {
  test('rings every member at once; the first to answer wins and the others get CANCEL', async () => {
    const rig = featureRig({ extensions: MEMBERS, ringGroups: [group()] });
    const [c, d] = [rig.phone('1003'), rig.phone('1004')];
    const call = rig.caller.invite('600');
    await rig.net.settle();
    for (const p of [rig.callee, c, d]) p.lastIncoming().ring();
    await rig.net.settle();
    c.lastIncoming().answer();
    await rig.idle();
    assert.equal(call.exchange.final?.status, 200);
    assert.ok(rig.callee.lastIncoming().cancelled && d.lastIncoming().cancelled);
    assert.equal(rig.peerOfParty('1001'), rig.legOf('1003').endpoint.id);
    call.dialog!.bye();
    await rig.idle();
    const cdr = rig.cdrs.only();
    assert.equal(cdr.callee, '1003');
    assert.equal(cdr.data?.ringGroup, '600');
  });

  test('hunts through the members in order, each for the ring time (ordered)', async () => {
    const rig = featureRig({
      extensions: MEMBERS,
      ringGroups: [group({ strategy: 'ordered', ringTimeMs: 3000 })],
    });
    const [c, d] = [rig.phone('1003'), rig.phone('1004')];
    const call = rig.caller.invite('600');
    await rig.net.settle();
    rig.callee.lastIncoming().ring();
    await rig.net.settle();
    assert.deepEqual([c.incoming.length, d.incoming.length], [0, 0], 'only the first member rings');
    await rig.net.advance(3100);
    assert.ok(rig.callee.lastIncoming().cancelled);
    assert.equal(c.incoming.length, 1, 'then the second');
    c.lastIncoming().respond(486);
    await rig.idle();
    assert.equal(d.incoming.length, 1, 'a busy member passes the turn on at once');
    d.lastIncoming().answer();
    await rig.idle();
    assert.equal(call.exchange.final?.status, 200);
  });

  test('skips members in DND and without a phone, and falls back when nobody answers', async () => {
    const rig = featureRig({
      extensions: [{ number: '1003', dnd: true }, { number: '1004' }, { number: '1005' }],
      ringGroups: [
        group({
          members: ['1003', '1004', '1002'],
          ringTimeMs: 2000,
          fallback: { type: 'extension', number: '1005' },
        }),
      ],
    });
    const [c, e] = [rig.phone('1003'), rig.phone('1005')];
    const call = rig.caller.invite('600');
    await rig.net.settle();
    assert.equal(c.incoming.length, 0, 'the member in DND is not rung');
    rig.callee.lastIncoming().ring();
    await rig.net.advance(2100);
    await rig.idle();
    assert.equal(e.incoming.length, 1, 'the fallback extension rings');
    e.lastIncoming().answer();
    await rig.idle();
    assert.equal(call.exchange.final?.status, 200);
  });

  test('refuses the call with 480 when no member can be rung and there is no fallback', async () => {
    const rig = featureRig({ extensions: [{ number: '1003' }], ringGroups: [group({ members: ['1003'] })] });
    const call = rig.caller.invite('600');
    await rig.idle();
    assert.equal(call.exchange.final?.status, 480);
    assert.equal(rig.cdrs.only().callee, '600');
  });
});
