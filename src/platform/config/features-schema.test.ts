import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { HotlineError } from '../errors.js';
import { configDefaults, parseConfig } from './index.js';
import { isExternalNumber } from './features-schema.js';

function problems(yaml: string): string[] {
  try {
    parseConfig(yaml, 'test.yaml');
    return [];
  } catch (err) {
    assert.ok(err instanceof HotlineError);
    assert.equal(err.code, 'CONFIG_INVALID');
    return err.details?.['problems'] as string[];
  }
}

const EXT = (more = '') => `
extensions:
  - { number: '1001', password: 'password-1001'${more} }
  - { number: '1002', password: 'password-1002' }
`;

describe('extension features configuration', () => {
  it('gives the feature codes and an empty ring group list by default', () => {
    const cfg = configDefaults();
    assert.deepEqual(cfg.features, {
      dndOnCode: '*78',
      dndOffCode: '*79',
      forwardOnCode: '*72',
      forwardOffCode: '*73',
      groupPickupCode: '*8',
      directedPickupPrefix: '**',
    });
    assert.deepEqual(cfg.ringGroups, []);
  });

  it('takes every per-extension feature as written, with DND off and call waiting on by default', () => {
    const cfg = parseConfig(
      `${EXT(`, forward: { always: '1002', busy: '13800138000', noAnswer: '+8613800138000', noAnswerTimeout: 15 },
      callWaiting: false, pickupGroup: sales,
      findMe: { mode: parallel, steps: [ { numbers: ['1002', '02088888888'], ringTime: 10 }, { numbers: ['13800138000'] } ] }`)}`,
      'test.yaml',
    );
    const [first, second] = cfg.extensions;
    assert.deepEqual(first?.forward, {
      always: '1002',
      busy: '13800138000',
      noAnswer: '+8613800138000',
      noAnswerTimeout: 15,
    });
    assert.equal(first?.callWaiting, false);
    assert.equal(first?.pickupGroup, 'sales');
    assert.deepEqual(first?.findMe?.steps[1], { numbers: ['13800138000'], ringTime: 20 });
    assert.deepEqual([second?.dnd, second?.callWaiting, second?.forward], [false, true, undefined]);
  });

  it('takes ring groups with defaults: strategy all, 20 s', () => {
    const cfg = parseConfig(
      `${EXT()}ringGroups:\n  - { number: '600', members: ['1001', '1002'], fallback: { type: voicemail, mailbox: '1001' } }\n`,
      't',
    );
    assert.deepEqual(cfg.ringGroups[0], {
      number: '600',
      strategy: 'all',
      members: ['1001', '1002'],
      ringTime: 20,
      fallback: { type: 'voicemail', mailbox: '1001' },
    });
  });

  it('refuses a forward to an unknown extension, naming the key path, but takes an external number', () => {
    assert.deepEqual(problems(EXT(", forward: { busy: '1009' }")), [
      'extensions[0].forward.busy: no extension or ring group "1009" (an external number needs at least 7 digits or a leading +)',
    ]);
    assert.deepEqual(problems(EXT(", forward: { busy: '1234567' }")), []);
  });

  it('refuses a forward of an extension to itself', () => {
    assert.deepEqual(problems(EXT(", forward: { noAnswer: '1001' }")), [
      'extensions[0].forward.noAnswer: "1001" is the extension itself',
    ]);
  });

  it('refuses find-me numbers that are unknown extensions or ring groups', () => {
    const yaml = `${EXT(", findMe: { steps: [ { numbers: ['1009', '600'] } ] }")}ringGroups:\n  - { number: '600', members: ['1002'] }\n`;
    assert.deepEqual(problems(yaml), [
      'extensions[0].findMe.steps[0].numbers[0]: no extension "1009" (an external number needs at least 7 digits or a leading +)',
      'extensions[0].findMe.steps[0].numbers[1]: "600" is a ring group: find-me rings extensions and external numbers',
    ]);
  });

  it('refuses ring groups with unknown members, a number taken by an extension, a repeated number or a bad fallback', () => {
    const yaml = `${EXT()}ringGroups:
  - { number: '600', members: ['1001', '1009'], fallback: { type: extension, number: '1008' } }
  - { number: '1002', members: ['1001'], fallback: { type: ringGroup, group: '1002' } }
`;
    assert.deepEqual(problems(yaml), [
      'ringGroups[0].members[1]: no extension "1009"',
      'ringGroups[0].fallback.number: no extension "1008"',
      'ringGroups[1].number: "1002" is also an extension',
      'ringGroups[1].fallback.group: a ring group cannot fall back to itself',
    ]);
    assert.deepEqual(
      problems(
        `${EXT()}ringGroups:\n  - { number: '600', members: ['1001'] }\n  - { number: '600', members: ['1002'] }\n`,
      ),
      ['ringGroups[1].number: duplicate ring group number "600"'],
    );
    assert.deepEqual(
      problems(`${EXT()}ringGroups:\n  - { number: '600', members: ['1001', '1001'], strategy: random }\n`),
      [
        'ringGroups[0].strategy: expected one of all, ordered; received "random"',
        'ringGroups[0].members[1]: duplicate member "1001"',
      ],
    );
  });

  it('refuses two features on one code, a code taken by calls or an extension, and overlapping prefixes', () => {
    assert.deepEqual(problems("features: { dndOffCode: '*78' }\n"), [
      'features.dndOffCode: "*78" is already features.dndOnCode',
    ]);
    assert.deepEqual(problems("features: { groupPickupCode: '*43' }\n"), [
      'features.groupPickupCode: "*43" is also calls.echoCode',
    ]);
    assert.deepEqual(problems("features: { groupPickupCode: '*97' }\n"), [
      'features.groupPickupCode: "*97" is also voicemail.listenCode',
    ]);
    assert.deepEqual(problems(`${EXT()}features: { dndOnCode: '1002' }\n`), [
      'features.dndOnCode: "1002" is also extensions[1].number',
    ]);
    assert.deepEqual(problems("features: { directedPickupPrefix: '*7' }\n"), [
      'features.directedPickupPrefix: "*7" and features.forwardOnCode "*72" overlap',
    ]);
    assert.deepEqual(problems(`${EXT()}features: { directedPickupPrefix: '10' }\n`), [
      'features.directedPickupPrefix: extensions[0].number "1001" starts with "10"',
    ]);
  });

  it('tells an external number from a mistyped extension by its length or a leading +', () => {
    assert.deepEqual(['123456', '1234567', '13800138000', '+4420', '+', '12a4567'].map(isExternalNumber), [
      false,
      true,
      true,
      true,
      false,
      false,
    ]);
  });
});
