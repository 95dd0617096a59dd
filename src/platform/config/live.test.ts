import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { LiveConfig, type ConfigSection } from './live.js';
import { parseConfig } from './load.js';

const base = `
extensions:
  - { number: "1001", password: "secret-1001" }
sip: { udpPort: 5060 }
`;

describe('LiveConfig', () => {
  it('swaps in changed sections, tells listeners which, and keeps restart-only sections', () => {
    const live = new LiveConfig(parseConfig(base, 'a.yaml'));
    const heard: ConfigSection[][] = [];
    live.onChange((_next, _prev, changed) => heard.push([...changed].sort()));
    const next = parseConfig(
      `
extensions:
  - { number: "1001", password: "secret-1001" }
  - { number: "1002", password: "secret-1002" }
sip: { udpPort: 5070 }
`,
      'b.yaml',
    );
    assert.equal(next.extensions.length, 2, 'the test input has two extensions');
    const report = live.apply(next);
    assert.deepEqual(report.applied, ['extensions']);
    assert.deepEqual(report.needRestart, ['sip']);
    assert.deepEqual(heard, [['extensions']]);
    assert.equal(live.current.extensions.length, 2);
    assert.equal(live.current.sip.udpPort, 5060, 'the port in use stays until a restart');
    assert.ok(Object.isFrozen(live.current));
  });

  it('changes nothing and calls no listener when the file is the same', () => {
    const live = new LiveConfig(parseConfig(base, 'a.yaml'));
    let calls = 0;
    live.onChange(() => calls++);
    const before = live.current;
    const report = live.apply(parseConfig(base, 'a.yaml'));
    assert.deepEqual(report, { applied: [], needRestart: [], errors: [] });
    assert.equal(calls, 0);
    assert.equal(live.current, before);
  });

  it('returns a failing listener’s error and still runs the others', () => {
    const live = new LiveConfig(parseConfig(base, 'a.yaml'));
    let second = false;
    live.onChange(() => {
      throw new Error('trunk reload failed');
    });
    live.onChange(() => {
      second = true;
    });
    const report = live.apply(parseConfig(`${base}calls: { noAnswerTimeout: 20 }\n`, 'b.yaml'));
    assert.deepEqual(report.applied, ['calls']);
    assert.equal(report.errors.length, 1);
    assert.match(String(report.errors[0]), /trunk reload failed/);
    assert.ok(second);
    assert.equal(live.current.calls.noAnswerTimeout, 20);
  });
});
