import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { HotlineError } from '../errors.js';
import { configDefaults, parseConfig } from './index.js';

/** The problems parseConfig reports for `yaml`, or [] when it is valid. */
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

const EXAMPLE = `
sip:
  udpPort: 5060
  tcpPort: 5060
  wsPort: 8080
  domain: pbx.example.com
  advertisedAddress: 192.0.2.10
rtp: { portMin: 30000, portMax: 30099 }
database: postgres://hotline:secret@db.example.com:5432/hotline
extensions:
  - { number: "1001", password: "correct-horse", name: "Agent 1001" }
  - { number: "1002", password: "battery-staple" }
log: { level: debug }
security:
  authAlgorithms: [SHA-256, MD5]
`;

describe('config schema', () => {
  it('parses the example and fills every key it leaves out with its default', () => {
    const cfg = parseConfig(EXAMPLE, 'example.yaml');
    assert.equal(cfg.sip.wsPort, 8080);
    assert.equal(cfg.sip.wssPort, 0);
    assert.equal(cfg.sip.bindAddress, '0.0.0.0');
    assert.equal(cfg.sip.userAgent, 'Hotline');
    assert.equal(cfg.sip.tcpIdleTimeout, 300);
    assert.equal(cfg.sip.tcpMessageTimeout, 10);
    assert.equal(cfg.sip.tls, undefined);
    assert.deepEqual(cfg.rtp, { portMin: 30000, portMax: 30099 });
    assert.equal(cfg.extensions[1]?.name, undefined);
    assert.deepEqual(cfg.registrar, {
      minExpires: 60,
      maxExpires: 3600,
      defaultExpires: 3600,
      maxContacts: 5,
      qualifyInterval: 60,
    });
    assert.deepEqual(cfg.calls, {
      noAnswerTimeout: 30,
      echoMaxDuration: 60,
      echoCode: '*43',
      dtmfTestCode: '*44',
      recordTestCode: '*45',
      conferenceCode: '*46',
      recordTestMaxDuration: 10,
      transferTimeout: 30,
    });
    assert.deepEqual(cfg.limits, { maxCalls: 2000, maxCallsPerSecond: 800, retryAfter: 5 });
    assert.deepEqual(cfg.security.authAlgorithms, ['SHA-256', 'MD5']);
    assert.equal(cfg.security.rejectScanners, true);
    assert.ok(cfg.security.blockedUserAgents.includes('friendly-scanner'));
  });

  it('treats an empty file as all defaults', () => {
    const cfg = configDefaults();
    assert.equal(cfg.sip.udpPort, 5060);
    assert.equal(cfg.sip.tcpPort, 5060);
    assert.equal(cfg.sip.domain, 'hotline.local');
    assert.equal(cfg.sip.advertisedAddress, '127.0.0.1');
    assert.equal(cfg.database, 'sqlite');
    assert.equal(cfg.log.level, 'info');
    assert.deepEqual(cfg.extensions, []);
    assert.deepEqual(cfg.security.authAlgorithms, ['MD5']);
    assert.deepEqual(parseConfig('# only a comment\n', 'c.yaml'), cfg);
  });

  it('freezes the loaded configuration all the way down', () => {
    const cfg = parseConfig(EXAMPLE, 'example.yaml');
    assert.ok(Object.isFrozen(cfg));
    assert.ok(Object.isFrozen(cfg.sip));
    assert.ok(Object.isFrozen(cfg.extensions));
    assert.ok(Object.isFrozen(cfg.extensions[0]));
    assert.ok(Object.isFrozen(cfg.security.blockedUserAgents));
  });

  it('accepts UDP and TCP on the same port', () => {
    assert.deepEqual(problems('sip: { udpPort: 5070, tcpPort: 5070 }\n'), []);
  });

  it('puts the whole message in the HotlineError, one problem a line', () => {
    assert.throws(
      () => parseConfig('sip:\n  udpPort: "5060"\n', 'bad.yaml'),
      (err: unknown) =>
        err instanceof HotlineError &&
        err.message ===
          'bad.yaml: invalid configuration (1 problem)\n  sip.udpPort: expected number, received string',
    );
  });
});

describe('config problems name the path and what is wrong', () => {
  const cases: [string, string, string[]][] = [
    [
      'a port written as a string',
      'sip:\n  udpPort: "5060"\n',
      ['sip.udpPort: expected number, received string'],
    ],
    ['an unknown key', 'sip:\n  colour: red\n', ['sip.colour: unknown key']],
    ['an unknown top-level key', 'colour: red\n', ['colour: unknown key']],
    [
      'a key in the wrong case',
      'sip:\n  udpport: 5060\n',
      ['sip.udpport: unknown key, did you mean udpPort?'],
    ],
    [
      'a duplicate extension number',
      'extensions:\n  - { number: "1001", password: "12345678" }\n  - { number: "1001", password: "87654321" }\n',
      ['extensions[1].number: duplicate extension number "1001"'],
    ],
    [
      'an extension number that is not 2-12 digits',
      'extensions:\n  - { number: "1", password: "12345678" }\n',
      ['extensions[0].number: must be 2 to 12 digits'],
    ],
    [
      'an extension number YAML read as a number',
      'extensions:\n  - { number: 1001, password: "12345678" }\n',
      ['extensions[0].number: expected string, received number; write it in quotes, e.g. "1001"'],
    ],
    [
      'a short password',
      'extensions:\n  - { number: "1001", password: "short" }\n',
      ['extensions[0].password: must be at least 8 characters long'],
    ],
    [
      'a missing password',
      'extensions:\n  - { number: "1001" }\n',
      ['extensions[0].password: missing (expected string)'],
    ],
    ['a port above 65535', 'sip:\n  udpPort: 70000\n', ['sip.udpPort: must be at most 65535']],
    ['a negative port', 'sip:\n  tcpPort: -1\n', ['sip.tcpPort: must be at least 0']],
    [
      'a fractional number',
      'sip:\n  tcpIdleTimeout: 1.5\n',
      ['sip.tcpIdleTimeout: expected a whole number, received 1.5'],
    ],
    [
      'WS on the TCP port',
      'sip:\n  wsPort: 5060\n',
      ['sip.wsPort: port 5060 is already used by sip.tcpPort'],
    ],
    [
      'WSS on the WS port',
      'sip:\n  wsPort: 8080\n  wssPort: 8080\n  tls: { certFile: c.pem, keyFile: k.pem }\n',
      ['sip.wssPort: port 8080 is already used by sip.wsPort'],
    ],
    [
      'WSS without TLS files',
      'sip:\n  wssPort: 8443\n',
      ['sip.wssPort: needs sip.tls (certFile and keyFile)'],
    ],
    [
      'half a TLS block',
      'sip:\n  tls: { certFile: c.pem }\n',
      ['sip.tls.keyFile: missing (expected string)'],
    ],
    [
      'every transport off',
      'sip: { udpPort: 0, tcpPort: 0 }\n',
      ['sip: every transport is off: set at least one of udpPort, tcpPort, wsPort, wssPort'],
    ],
    [
      'a bind address that is not an IP',
      'sip:\n  bindAddress: any\n',
      ['sip.bindAddress: must be an IP address such as 0.0.0.0 or ::'],
    ],
    ['an empty user agent', 'sip:\n  userAgent: ""\n', ['sip.userAgent: must not be empty']],
    [
      'a user agent that would split the header',
      'sip:\n  userAgent: "Hotline\\r\\nX-Evil: 1"\n',
      ['sip.userAgent: must not contain control characters'],
    ],
    [
      'a domain with a space',
      'sip:\n  domain: "my pbx"\n',
      ['sip.domain: must be an IP address or a host name'],
    ],
    [
      'an RTP range upside down',
      'rtp: { portMin: 30000, portMax: 29000 }\n',
      ['rtp.portMax: must be greater than rtp.portMin (30000)'],
    ],
    [
      'an RTP range of one port',
      'rtp: { portMin: 30000, portMax: 30000 }\n',
      ['rtp.portMax: must be greater than rtp.portMin (30000)'],
    ],
    [
      'an RTP range with no even/odd pair',
      'rtp: { portMin: 30001, portMax: 30002 }\n',
      ['rtp: the range must hold at least one even RTP port and the odd RTCP port after it'],
    ],
    [
      'an RTP range over the SIP UDP port',
      'rtp: { portMin: 5000, portMax: 5999 }\n',
      ['rtp: range 5000-5999 includes sip.udpPort (5060)'],
    ],
    [
      'a database that is neither',
      'database: mysql://db/hotline\n',
      ['database: expected "sqlite" or a postgres:// URL'],
    ],
    [
      'an unknown log level',
      'log: { level: verbose }\n',
      ['log.level: expected one of fatal, error, warn, info, debug, trace, silent; received "verbose"'],
    ],
    [
      'registrar expiry bounds reversed',
      'registrar: { minExpires: 600, maxExpires: 300 }\n',
      ['registrar.maxExpires: must be at least registrar.minExpires (600)'],
    ],
    [
      'a default expiry outside the bounds',
      'registrar: { defaultExpires: 30 }\n',
      ['registrar.defaultExpires: must be between registrar.minExpires (60) and registrar.maxExpires (3600)'],
    ],
    [
      'an echo code with letters',
      'calls: { echoCode: "echo" }\n',
      ['calls.echoCode: must be 1 to 12 characters among 0-9, * and #'],
    ],
    [
      'an echo code that is an extension',
      'calls: { echoCode: "1001" }\nextensions: [{ number: "1001", password: "12345678" }]\n',
      ['calls.echoCode: "1001" is also extensions[0].number'],
    ],
    [
      'a feature code that is an extension',
      'calls: { conferenceCode: "8000" }\nextensions: [{ number: "8000", password: "12345678" }]\n',
      ['calls.conferenceCode: "8000" is also extensions[0].number'],
    ],
    [
      'two services on one code',
      'calls: { recordTestCode: "*43" }\n',
      ['calls.recordTestCode: "*43" is already calls.echoCode'],
    ],
    [
      'a feature code taken by both another service and an extension',
      'calls: { conferenceCode: "1001", dtmfTestCode: "1001" }\nextensions: [{ number: "1001", password: "12345678" }]\n',
      [
        'calls.conferenceCode: "1001" is already calls.dtmfTestCode',
        'calls.dtmfTestCode: "1001" is also extensions[0].number',
        'calls.conferenceCode: "1001" is also extensions[0].number',
      ],
    ],
    [
      'a repeated codec',
      'media: { codecs: [PCMU, PCMA, PCMU] }\n',
      ['media.codecs[2]: duplicate codec "PCMU"'],
    ],
    ['no codec', 'media: { codecs: [] }\n', ['media.codecs: must list at least 1 item']],
    [
      'a codec Hotline does not offer',
      'media: { codecs: [G729] }\n',
      ['media.codecs[0]: expected one of PCMA, PCMU, G722; received "G729"'],
    ],
    [
      'a packet time that is not a multiple of 10',
      'media: { ptime: 25 }\n',
      ['media.ptime: must be a multiple of 10 (10, 20, 30, 40, 50 or 60)'],
    ],
    ['a packet time above 60', 'media: { ptime: 80 }\n', ['media.ptime: must be at most 60']],
    [
      'a static payload type for telephone-event',
      'media: { telephoneEventPayloadType: 18 }\n',
      ['media.telephoneEventPayloadType: must be at least 96'],
    ],
    [
      'a tone country in lower case',
      'media: { tones: cn }\n',
      ['media.tones: expected one of CN, US, EU; received "cn"'],
    ],
    [
      'a jitter buffer target above its maximum',
      'media: { jitterBuffer: { targetMs: 400, maxMs: 200 } }\n',
      ['media.jitterBuffer.targetMs: must be at most media.jitterBuffer.maxMs (200)'],
    ],
    ['no worker', 'media: { workers: 0 }\n', ['media.workers: must be at least 1']],
    [
      'a default music class that is not listed',
      'musicOnHold: { classes: { jazz: moh/jazz }, defaultClass: blues }\n',
      ['musicOnHold.defaultClass: no class "blues" in musicOnHold.classes (known: default, jazz)'],
    ],
    [
      'a music class name with a space',
      'musicOnHold: { classes: { "soft jazz": moh/jazz } }\n',
      ['musicOnHold.classes["soft jazz"]: key must be 1 to 64 letters, digits, _ or -'],
    ],
    [
      'a music class without a folder',
      'musicOnHold: { classes: { jazz: "" } }\n',
      ['musicOnHold.classes.jazz: must not be empty'],
    ],
    ['a speech rate above 2', 'tts: { rate: 2.5 }\n', ['tts.rate: must be at most 2']],
    [
      'a voice name with a space',
      'tts: { voiceEn: "en us" }\n',
      ['tts.voiceEn: must be 1 to 64 letters, digits or _ + . / -'],
    ],
    [
      'a prompt language Hotline has no prompts in',
      'tts: { language: fr }\n',
      ['tts.language: expected one of zh-CN, en; received "fr"'],
    ],
    ['a negative retention', 'recording: { keepDays: -1 }\n', ['recording.keepDays: must be at least 0']],
    [
      'an unknown auth algorithm',
      'security: { authAlgorithms: [MD5, SHA1] }\n',
      ['security.authAlgorithms[1]: expected one of MD5, SHA-256; received "SHA1"'],
    ],
    [
      'a repeated auth algorithm',
      'security: { authAlgorithms: [MD5, MD5] }\n',
      ['security.authAlgorithms[1]: duplicate algorithm "MD5"'],
    ],
    [
      'no auth algorithm',
      'security: { authAlgorithms: [] }\n',
      ['security.authAlgorithms: must list at least 1 item'],
    ],
    ['a section that is a list', 'sip: [5060]\n', ['sip: expected mapping, received list']],
    ['a file that is a list', '- 5060\n', ['(top level): expected mapping, received list']],
    [
      'a boolean as text',
      'security: { rejectScanners: "yes" }\n',
      ['security.rejectScanners: expected boolean, received string'],
    ],
  ];
  for (const [what, yaml, expected] of cases) {
    it(`reports ${what}`, () => assert.deepEqual(problems(yaml), expected));
  }

  it('reports problems in different sections together', () => {
    assert.deepEqual(problems('sip: { udpPort: "x" }\nlimits: { maxCalls: 0 }\ncolour: 1\n'), [
      'sip.udpPort: expected number, received string',
      'limits.maxCalls: must be at least 1',
      'colour: unknown key',
    ]);
  });
});
