import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { HotlineError } from '../errors.js';
import { configDefaults, parseConfig } from './index.js';
import { isAddressOrCidr } from './trunk-schema.js';

function problems(yaml: string): string[] {
  try {
    parseConfig(yaml, 'test.yaml');
    return [];
  } catch (err) {
    assert.ok(err instanceof HotlineError);
    return err.details?.['problems'] as string[];
  }
}

const FULL = `
trunks:
  - name: carrier-a
    host: sip.carrier-a.example
    port: 5080
    transport: tcp
    register: { username: "02088888888", password: "s3cret", authUsername: "u-7788", expires: 600, domain: carrier-a.example }
    auth: { username: "inv-user", password: "inv-pass" }
    allow: ["203.0.113.0/24", "198.51.100.7", "2001:db8::/32"]
    codecs: [PCMU]
    maxChannels: 30
    callerId: { number: "02088888888", name: Hotline, mode: fixed, privacy: id }
    options: { interval: 15, downAfter: 3 }
  - name: gateway
    host: 192.0.2.50
trunkGroups:
  - name: carriers
    strategy: weighted
    trunks: [{ trunk: carrier-a, weight: 3 }, { trunk: gateway }]
`;

describe('trunk configuration', () => {
  it('has no trunks and no groups by default', () => {
    const cfg = configDefaults();
    assert.deepEqual(cfg.trunks, []);
    assert.deepEqual(cfg.trunkGroups, []);
  });

  it('takes a full trunk as written and fills in the defaults of a minimal one', () => {
    const cfg = parseConfig(FULL, 'full.yaml');
    const [a, gw] = cfg.trunks;
    assert.equal(a?.transport, 'tcp');
    assert.equal(a?.register?.authUsername, 'u-7788');
    assert.deepEqual(a?.allow, ['203.0.113.0/24', '198.51.100.7', '2001:db8::/32']);
    assert.deepEqual(a?.callerId, { number: '02088888888', name: 'Hotline', mode: 'fixed', privacy: 'id' });
    assert.deepEqual(gw, {
      name: 'gateway',
      host: '192.0.2.50',
      port: 5060,
      transport: 'udp',
      callerId: { mode: 'pass', privacy: 'none' },
      options: { interval: 30, downAfter: 2 },
    });
    assert.deepEqual(cfg.trunkGroups[0]?.trunks, [
      { trunk: 'carrier-a', weight: 3 },
      { trunk: 'gateway', weight: 1 },
    ]);
  });

  it('defaults the registration interval to 300 seconds', () => {
    const cfg = parseConfig(
      'trunks: [{ name: t, host: h.example, register: { username: u, password: p } }]',
      'x',
    );
    assert.equal(cfg.trunks[0]?.register?.expires, 300);
  });

  const cases: [string, string, string[]][] = [
    [
      'a missing password, by its key path',
      'trunks: [{ name: a, host: h }, { name: b, host: h, register: { username: "1" } }]',
      ['trunks[1].register.password: missing (expected string)'],
    ],
    [
      'a repeated trunk name',
      'trunks: [{ name: a, host: h }, { name: a, host: g }]',
      ['trunks[1].name: duplicate trunk name "a"'],
    ],
    [
      'a group naming an unknown trunk',
      'trunks: [{ name: a, host: h }]\ntrunkGroups: [{ name: g, trunks: [{ trunk: a }, { trunk: b }] }]',
      ['trunkGroups[0].trunks[1].trunk: no trunk "b" (known: a)'],
    ],
    [
      'a trunk listed twice in a group',
      'trunks: [{ name: a, host: h }]\ntrunkGroups: [{ name: g, trunks: [{ trunk: a }, { trunk: a }] }]',
      ['trunkGroups[0].trunks[1].trunk: trunk "a" is listed twice'],
    ],
    [
      'a repeated group name',
      'trunks: [{ name: a, host: h }]\ntrunkGroups: [{ name: g, trunks: [{ trunk: a }] }, { name: g, trunks: [{ trunk: a }] }]',
      ['trunkGroups[1].name: duplicate trunk group name "g"'],
    ],
    [
      'a fixed caller ID without a number',
      'trunks: [{ name: a, host: h, callerId: { mode: fixed } }]',
      ['trunks[0].callerId.number: needed when mode is fixed'],
    ],
    [
      'an allow entry that is neither an address nor a block',
      'trunks: [{ name: a, host: h, allow: ["10.0.0.0/33", "carrier.example"] }]',
      [
        'trunks[0].allow[0]: must be an IP address or a CIDR block such as 203.0.113.0/24',
        'trunks[0].allow[1]: must be an IP address or a CIDR block such as 203.0.113.0/24',
      ],
    ],
    [
      'a password that would break the header',
      'trunks: [{ name: a, host: h, auth: { username: u, password: "a\\"b" } }]',
      ['trunks[0].auth.password: password must not contain control characters, " or \\'],
    ],
    [
      'a misspelt key',
      'trunks: [{ name: a, host: h, maxChannel: 3 }]',
      ['trunks[0].maxChannel: unknown key, did you mean maxChannels?'],
    ],
    [
      'an unknown strategy',
      'trunks: [{ name: a, host: h }]\ntrunkGroups: [{ name: g, strategy: random, trunks: [{ trunk: a }] }]',
      ['trunkGroups[0].strategy: expected one of failover, roundRobin, weighted; received "random"'],
    ],
  ];
  for (const [what, yaml, expected] of cases) {
    it(`reports ${what}`, () => assert.deepEqual(problems(yaml), expected));
  }

  it('accepts the example in docs/trunks.md', () => {
    const doc = readFileSync(new URL('../../../docs/trunks.md', import.meta.url), 'utf8');
    const example = /```yaml\n([\s\S]*?)```/.exec(doc)?.[1];
    assert.ok(example !== undefined);
    const cfg = parseConfig(example, 'docs/trunks.md');
    assert.deepEqual(
      cfg.trunks.map((t) => t.name),
      ['carrier-a', 'e1-gateway'],
    );
  });

  it('reads addresses and CIDR blocks of both families', () => {
    assert.deepEqual(
      [
        '10.1.2.3',
        '10.0.0.0/8',
        '::1',
        '2001:db8::/128',
        '10.0.0.0/',
        '10.0.0.0/x',
        '300.1.1.1',
        'host/24',
      ].map(isAddressOrCidr),
      [true, true, true, true, false, false, false, false],
    );
  });
});
