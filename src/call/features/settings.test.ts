import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { parseConfig } from '../../platform/config/index.js';
import { effectiveFeatures, featureSettings, MemoryFeatureState } from './settings.js';

const opts = { noAnswerTimeoutMs: 30_000, voicemail: false };

describe('effectiveFeatures', () => {
  test('takes the configuration when no toggle is set, with the global no-answer timeout by default', () => {
    const f = effectiveFeatures({ number: '1002', forward: { busy: '1003' } }, undefined, opts);
    assert.deepEqual(f, {
      number: '1002',
      dnd: false,
      callWaiting: true,
      forward: { busy: '1003' },
      noAnswerTimeoutMs: 30_000,
      voicemail: false,
    });
    assert.equal(
      effectiveFeatures({ number: '1002', forward: { noAnswerTimeout: 7 } }, undefined, opts)
        .noAnswerTimeoutMs,
      7000,
    );
  });

  test('ends calls in voicemail only when the extension asks for it and has a mailbox', () => {
    const vm = (ask: boolean | undefined, has: boolean) =>
      effectiveFeatures({ number: '1002', ...(ask === undefined ? {} : { voicemail: ask }) }, undefined, {
        ...opts,
        voicemail: has,
      }).voicemail;
    assert.deepEqual(
      [vm(true, true), vm(true, false), vm(false, true), vm(undefined, true)],
      [true, false, false, false],
    );
  });

  test('lets a phone’s DND override the configuration both ways', () => {
    assert.equal(effectiveFeatures({ number: '1002' }, { dnd: true }, opts).dnd, true);
    assert.equal(effectiveFeatures({ number: '1002', dnd: true }, { dnd: false }, opts).dnd, false);
  });

  test('puts a phone’s forward in place of the configured one, and a cleared one brings the configured one back', () => {
    const cfg = { number: '1002', forward: { always: '1003', noAnswer: '1004' } };
    assert.equal(effectiveFeatures(cfg, { forwardAlways: '1005' }, opts).forward.always, '1005');
    assert.equal(effectiveFeatures(cfg, { forwardAlways: null }, opts).forward.always, '1003');
    assert.deepEqual(
      effectiveFeatures({ number: '1002' }, { forwardBusy: '1003', forwardNoAnswer: null }, opts).forward,
      {
        busy: '1003',
      },
    );
  });
});

describe('featureSettings', () => {
  test('reads the features, ring groups and codes from the configuration', () => {
    const config = parseConfig(
      `calls: { noAnswerTimeout: 12 }
extensions:
  - { number: '1002', password: 'password-1002', pickupGroup: sales }
  - { number: '1003', password: 'password-1003' }
ringGroups:
  - { number: '600', members: ['1002', '1003'], strategy: ordered, ringTime: 15, fallback: { type: hangup, cause: 486 } }
features: { dndOnCode: '*66' }
`,
      'test.yaml',
    );
    const s = featureSettings(config);
    assert.equal(s.noAnswerTimeoutMs, 12_000);
    assert.equal(s.codes.dndOnCode, '*66');
    assert.equal(s.extensions.get('1002')?.pickupGroup, 'sales');
    assert.deepEqual(s.ringGroups.get('600'), {
      number: '600',
      strategy: 'ordered',
      members: ['1002', '1003'],
      ringTimeMs: 15_000,
      fallback: { type: 'hangup', cause: 486 },
    });
    assert.deepEqual(
      [s.isExtension('1003'), s.isExtension('600'), s.isRingGroup('600')],
      [true, false, true],
    );
  });
});

describe('MemoryFeatureState', () => {
  test('merges patches and keeps a cleared forward as null', async () => {
    const state = new MemoryFeatureState();
    assert.equal(await state.get('1002'), undefined);
    await state.set('1002', { dnd: true });
    await state.set('1002', { forwardAlways: '1003' });
    await state.set('1002', { forwardAlways: null, forwardBusy: undefined });
    assert.deepEqual(await state.get('1002'), { dnd: true, forwardAlways: null });
  });
});
