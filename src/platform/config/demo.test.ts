import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { demoConfigText, ensureDemoConfig, generatePassword, loadConfigFile, parseConfig } from './index.js';

describe('demo configuration', () => {
  let root = '';
  before(() => {
    root = mkdtempSync(join(tmpdir(), 'hotline-demo-'));
  });
  after(() => rmSync(root, { recursive: true, force: true }));

  it('creates the data directory and a config with extensions 1001 and 1002 on the first run', () => {
    const dataDir = join(root, 'first', 'data');
    const result = ensureDemoConfig(dataDir);
    assert.equal(result.created, true);
    assert.equal(result.configPath, join(dataDir, 'hotline.yaml'));
    assert.deepEqual(Object.keys(result.passwords ?? {}), ['1001', '1002']);
    const cfg = loadConfigFile(result.configPath);
    assert.deepEqual(
      cfg.extensions.map((e) => [e.number, e.password]),
      [
        ['1001', result.passwords?.['1001']],
        ['1002', result.passwords?.['1002']],
      ],
    );
    assert.equal(cfg.calls.echoCode, '*43');
    assert.deepEqual(
      [cfg.calls.dtmfTestCode, cfg.calls.recordTestCode, cfg.calls.conferenceCode],
      ['*44', '*45', '*46'],
    );
    assert.equal(cfg.database, 'sqlite');
    assert.equal(cfg.sip.udpPort, 5060);
    assert.equal(cfg.sip.tcpPort, 5060);
  });

  it('reuses the file on later runs, so the passwords stay the same', () => {
    const dataDir = join(root, 'again');
    const first = ensureDemoConfig(dataDir);
    const before = readFileSync(first.configPath, 'utf8');
    const second = ensureDemoConfig(dataDir);
    assert.deepEqual(second, { configPath: first.configPath, created: false });
    assert.equal(readFileSync(first.configPath, 'utf8'), before);
    assert.equal(loadConfigFile(second.configPath).extensions[0]?.password, first.passwords?.['1001']);
  });

  it('keeps the file readable by its owner only', () => {
    const { configPath } = ensureDemoConfig(join(root, 'mode'));
    assert.equal(statSync(configPath).mode & 0o077, 0);
  });

  it('writes comments that explain the file', () => {
    const text = demoConfigText({ '1001': 'abcdefghjkmn', '1002': 'pqrstuvwxyzA' });
    assert.match(text, /^# Hotline demo configuration/);
    assert.match(text, /docs\/configuration\.md/);
    assert.match(text, /check-config/);
  });

  it('passes validation as written', () => {
    const cfg = parseConfig(
      demoConfigText({ '1001': generatePassword(), '1002': generatePassword() }),
      'demo',
    );
    assert.equal(cfg.extensions.length, 2);
  });

  it('generates passwords of 12 or more readable characters', () => {
    for (let i = 0; i < 50; i++) {
      const password = generatePassword();
      assert.ok(password.length >= 12, password);
      assert.match(password, /^[a-km-zA-HJ-NP-Z2-9]+$/);
      assert.doesNotMatch(password, /[0O1lI]/);
    }
  });

  it('draws every character from the injected random source', () => {
    assert.equal(
      generatePassword(() => 0),
      'aaaaaaaaaaaaaa',
    );
  });
});
