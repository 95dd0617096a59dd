import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { HotlineError } from '../errors.js';
import { configDefaults, parseConfig } from './index.js';

/** The problems a configuration text has, one "path: message" line each. */
function problemsOf(text: string): string[] {
  try {
    parseConfig(text, 'test.yaml');
  } catch (err) {
    assert.ok(err instanceof HotlineError && err.code === 'CONFIG_INVALID', String(err));
    return err.details?.['problems'] as string[];
  }
  assert.fail('the configuration was accepted');
}

describe('voicemail configuration', () => {
  it('turns voicemail on with *97, *98 and *96 and two-minute messages from an empty file', () => {
    assert.deepEqual(configDefaults().voicemail, {
      enabled: true,
      listenCode: '*97',
      otherBoxCode: '*98',
      depositCode: '*96',
      maxMessageSeconds: 120,
      minMessageSeconds: 1,
      boxes: [],
    });
  });

  it('takes boxes with a PIN, a greeting and an e-mail address', () => {
    const cfg = parseConfig(
      `voicemail:
  listenCode: '*86'
  maxMessageSeconds: 60
  minMessageSeconds: 0
  boxes:
    - { mailbox: '1001', pin: '1234', greeting: greetings/1001.wav, email: a@example.com }
    - { mailbox: sales }
`,
      'vm.yaml',
    );
    assert.equal(cfg.voicemail.listenCode, '*86');
    assert.equal(cfg.voicemail.minMessageSeconds, 0);
    assert.deepEqual(cfg.voicemail.boxes, [
      { mailbox: '1001', pin: '1234', greeting: 'greetings/1001.wav', email: 'a@example.com' },
      { mailbox: 'sales' },
    ]);
  });

  const bad: [string, string, string][] = [
    [
      'a PIN of 3 digits',
      `boxes: [{ mailbox: '1001', pin: '123' }]`,
      'voicemail.boxes[0].pin: must be 4 to 12 digits',
    ],
    ['a mailbox with a slash', `boxes: [{ mailbox: 'a/b' }]`, 'voicemail.boxes[0].mailbox: must be 1 to 32'],
    [
      'the same mailbox twice',
      `boxes: [{ mailbox: '1001' }, { mailbox: '1002' }, { mailbox: '1001' }]`,
      'voicemail.boxes[2].mailbox: duplicate mailbox "1001" (also voicemail.boxes[0])',
    ],
    ['a bad e-mail address', `boxes: [{ mailbox: '1001', email: 'nobody' }]`, 'voicemail.boxes[0].email'],
    ['an unknown box key', `boxes: [{ mailbox: '1001', pn: '1234' }]`, 'voicemail.boxes[0]'],
    [
      'a minimum above the maximum',
      'maxMessageSeconds: 10\n  minMessageSeconds: 20',
      'voicemail.minMessageSeconds: must be at most voicemail.maxMessageSeconds (10)',
    ],
    [
      'two services on one code',
      `otherBoxCode: '*97'`,
      'voicemail.otherBoxCode: "*97" is already voicemail.listenCode',
    ],
    ['a code with letters', `depositCode: '*9a'`, 'voicemail.depositCode: must be 1 to 12 characters'],
    ['a zero maximum', 'maxMessageSeconds: 0', 'voicemail.maxMessageSeconds'],
  ];
  for (const [what, yaml, expected] of bad) {
    it(`refuses ${what}, naming the key`, () => {
      const problems = problemsOf(`voicemail:\n  ${yaml}\n`);
      assert.ok(
        problems.some(
          (p) =>
            p.startsWith(expected.split(':')[0]!) && p.includes(expected.split(': ').slice(1).join(': ')),
        ),
        `expected "${expected}" in:\n${problems.join('\n')}`,
      );
    });
  }

  it('refuses a voicemail code that is also a calls code or an extension', () => {
    const problems = problemsOf(`calls: { echoCode: '*97' }
extensions: [{ number: '9612', password: 'long-enough-1' }]
voicemail: { otherBoxCode: '*77', depositCode: '96' }
`);
    assert.ok(problems.includes('voicemail.listenCode: "*97" is also calls.echoCode'), problems.join('\n'));
    assert.ok(
      problems.includes('voicemail.depositCode: "96" clashes with extensions[0].number'),
      problems.join('\n'),
    );
  });

  it('lets a disabled voicemail keep codes other services use', () => {
    const cfg = parseConfig(`calls: { echoCode: '*97' }\nvoicemail: { enabled: false }\n`, 'off.yaml');
    assert.equal(cfg.voicemail.enabled, false);
  });
});
