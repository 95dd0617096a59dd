import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import {
  pickupCandidates,
  RingingRegistry,
  takeFirst,
  type PickupResult,
  type RingingCall,
} from './pickup.js';
import type { SipRequest } from '../../sip/message/types.js';
import type { ServerInviteTransaction } from '../../sip/transaction/index.js';

const GROUPS: Record<string, string> = {
  '1002': 'sales',
  '1003': 'sales',
  '1004': 'sales',
  '1005': 'support',
};
const groupOf = (n: string) => GROUPS[n];

function entry(
  extension: string,
  callId: string,
  since: number,
  caller = '1001',
  result: PickupResult = 'picked',
) {
  const taken: string[] = [];
  const e: RingingCall = {
    extension,
    callId,
    caller,
    since,
    take: (_i, _t, picker) => {
      taken.push(picker.number);
      return Promise.resolve(result);
    },
  };
  return { e, taken };
}

describe('RingingRegistry', () => {
  test('lists ringing calls oldest first and forgets one once removed', () => {
    const reg = new RingingRegistry();
    const removeB = reg.add(entry('1003', 'b', 200).e);
    reg.add(entry('1002', 'a', 100).e);
    assert.deepEqual(
      reg.find(() => true).map((e) => e.callId),
      ['a', 'b'],
    );
    removeB();
    removeB();
    assert.deepEqual(
      reg.find(() => true).map((e) => e.callId),
      ['a'],
    );
    assert.equal(reg.size, 1);
  });

  test('lists a call ringing at several extensions once', () => {
    const reg = new RingingRegistry();
    reg.add(entry('1002', 'a', 100).e);
    reg.add(entry('1003', 'a', 100).e);
    assert.equal(reg.find(() => true).length, 1);
  });
});

describe('pickupCandidates', () => {
  const reg = new RingingRegistry();
  reg.add(entry('1005', 'support-call', 50).e);
  reg.add(entry('1003', 'newer', 300).e);
  reg.add(entry('1002', 'older', 100).e);
  reg.add(entry('1004', 'mine', 10, '1003').e);

  test('offers a group pickup the calls ringing in the picker’s group, oldest first, never the picker’s own', () => {
    assert.deepEqual(
      pickupCandidates(reg, '1003', { kind: 'group-pickup' }, groupOf).map((e) => e.callId),
      ['older'],
    );
    assert.deepEqual(
      pickupCandidates(reg, '1004', { kind: 'group-pickup' }, groupOf).map((e) => e.callId),
      ['older', 'newer'],
    );
  });

  test('offers nothing to a picker without a pickup group', () => {
    assert.deepEqual(pickupCandidates(reg, '1001', { kind: 'group-pickup' }, groupOf), []);
  });

  test('offers a directed pickup the call ringing at that extension, whatever the groups', () => {
    assert.deepEqual(
      pickupCandidates(reg, '1002', { kind: 'directed-pickup', extension: '1005' }, groupOf).map(
        (e) => e.callId,
      ),
      ['support-call'],
    );
  });
});

describe('takeFirst', () => {
  const invite = {} as SipRequest;
  const txn = {} as ServerInviteTransaction;

  test('goes on to the next call when the oldest stopped ringing meanwhile', async () => {
    const gone = entry('1002', 'a', 1, '1001', 'gone');
    const live = entry('1003', 'b', 2);
    assert.equal(await takeFirst([gone.e, live.e], invite, txn, { number: '1004' }), true);
    assert.deepEqual([gone.taken, live.taken], [['1004'], ['1004']]);
  });

  test('says nothing was taken when every call has gone', async () => {
    assert.equal(
      await takeFirst([entry('1002', 'a', 1, '1001', 'gone').e], invite, txn, { number: '1004' }),
      false,
    );
  });
});
