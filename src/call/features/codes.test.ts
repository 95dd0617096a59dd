import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { DEFAULT_FEATURE_CODES, matchFeature, type FeatureDialplan } from './codes.js';

const plan: FeatureDialplan = { codes: DEFAULT_FEATURE_CODES, ringGroups: new Set(['600']) };

describe('matchFeature', () => {
  test('recognises the default codes', () => {
    assert.deepEqual(matchFeature('*78', plan), { kind: 'dnd', on: true });
    assert.deepEqual(matchFeature('*79', plan), { kind: 'dnd', on: false });
    assert.deepEqual(matchFeature('*721003', plan), { kind: 'forward-on', number: '1003' });
    assert.deepEqual(matchFeature('*73', plan), { kind: 'forward-off' });
    assert.deepEqual(matchFeature('*8', plan), { kind: 'group-pickup' });
    assert.deepEqual(matchFeature('**1002', plan), { kind: 'directed-pickup', extension: '1002' });
  });

  test('routes a ring group number to the group', () => {
    assert.deepEqual(matchFeature('600', plan), { kind: 'ring-group', group: '600' });
  });

  test('leaves other numbers alone, and a directed pickup prefix without an extension', () => {
    for (const n of ['601', '1002', '*7', '**', '**12a', '*9'])
      assert.equal(matchFeature(n, plan), undefined, n);
  });

  test('passes a forward code with no number on, to be refused when used', () => {
    assert.deepEqual(matchFeature('*72', plan), { kind: 'forward-on', number: '' });
  });

  test('uses configured codes', () => {
    const custom: FeatureDialplan = {
      codes: { ...DEFAULT_FEATURE_CODES, dndOnCode: '#1', directedPickupPrefix: '#8' },
      ringGroups: new Set(),
    };
    assert.deepEqual(matchFeature('#1', custom), { kind: 'dnd', on: true });
    assert.deepEqual(matchFeature('#81002', custom), { kind: 'directed-pickup', extension: '1002' });
    assert.equal(matchFeature('*78', custom), undefined);
  });
});
