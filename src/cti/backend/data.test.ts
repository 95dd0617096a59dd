import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { isCtiError } from '../errors.js';
import { applyDataEdit } from './data.js';

describe('editing associated data from the desktop', () => {
  test('merges new keys over the call data and deletes keys set to null', () => {
    const next = applyDataEdit(
      { did: '4008001000', orderId: 'A-1' },
      { orderId: 'A-2', did: null, vip: true },
      true,
    );
    assert.deepEqual(next, { orderId: 'A-2', vip: true });
  });

  test('replaces the whole data when merge is false', () => {
    assert.deepEqual(applyDataEdit({ did: '4008001000' }, { orderId: 'A-2', gone: null }, false), {
      orderId: 'A-2',
    });
  });

  test('refuses an edit that would pass the key bound, naming the data field', () => {
    const current = Object.fromEntries(Array.from({ length: 3 }, (_, i) => [`k${i}`, i]));
    assert.throws(
      () => applyDataEdit(current, { extra: 1 }, true, 3),
      (err: unknown) =>
        isCtiError(err, 'BAD_REQUEST') && err.details?.['field'] === 'data' && /4 keys/.test(err.message),
    );
  });
});
