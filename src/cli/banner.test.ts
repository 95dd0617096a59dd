import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseConfig } from '../platform/config/index.js';
import {
  describeDatabase,
  describeListeners,
  displayPath,
  firstRunBanner,
  startedLine,
  summarize,
} from './banner.js';

const config = parseConfig(
  'extensions:\n  - { number: "1001", password: "pw-1001-abcd" }\n  - { number: "1002", password: "pw-1002-abcd" }\n',
  'test',
);

describe('start banner and summaries', () => {
  it('lists only the SIP listeners that are on', () => {
    const sip = { ...config.sip, udpPort: 0, wsPort: 8080 };
    assert.equal(describeListeners(sip), 'TCP 5060, WS 8080');
  });

  it('never shows database credentials', () => {
    assert.equal(
      describeDatabase('postgres://hotline:secret@db.example:5432/hl'),
      'postgres db.example:5432/hl',
    );
    assert.equal(describeDatabase('sqlite'), 'sqlite');
  });

  it('summarizes a configuration in one line', () => {
    assert.equal(
      summarize(config),
      'SIP hotline.local at 127.0.0.1: UDP 5060, TCP 5060; RTP 20000-20999; database sqlite; 2 extensions (1001, 1002); echo test *43',
    );
  });

  it('shows both extensions with their passwords, the SIP address and how to register', () => {
    const text = firstRunBanner({
      config,
      configPath: '/srv/hotline/data/hotline.yaml',
      passwords: { '1001': 'pw-1001-abcd', '1002': 'pw-1002-abcd' },
    });
    assert.match(text, /1001 +password +pw-1001-abcd/);
    assert.match(text, /1002 +password +pw-1002-abcd/);
    assert.match(text, /SIP server +127\.0\.0\.1 +\(UDP 5060, TCP 5060\)/);
    assert.match(text, /server 127\.0\.0\.1, user 1001, the password above, transport UDP or TCP/);
    assert.match(text, /dial \*43 for the echo test, or 1002/);
    assert.match(text, /docs\/getting-started\.md/);
  });

  it('names the configuration at a later start without printing passwords', () => {
    const line = startedLine(config, '/srv/hotline/data/hotline.yaml');
    assert.match(line, /^Hotline is running with .*hotline\.yaml: SIP hotline\.local/);
    assert.doesNotMatch(line, /pw-1001/);
  });

  it('shows paths relative to the current directory when they are inside it', () => {
    assert.equal(displayPath('/srv/hotline/data/hotline.yaml', '/srv/hotline'), 'data/hotline.yaml');
    assert.equal(displayPath('/etc/hotline.yaml', '/srv/hotline'), '/etc/hotline.yaml');
  });
});
