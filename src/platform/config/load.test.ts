import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { HotlineError } from '../errors.js';
import { loadConfigFile, parseConfig } from './index.js';

function problemsOf(fn: () => unknown): string[] {
  try {
    fn();
  } catch (err) {
    assert.ok(err instanceof HotlineError, String(err));
    assert.equal(err.code, 'CONFIG_INVALID');
    return err.details?.['problems'] as string[];
  }
  assert.fail('expected CONFIG_INVALID');
}

describe('YAML errors', () => {
  it('reports a duplicate key with its line and column', () => {
    assert.deepEqual(
      problemsOf(() => parseConfig('sip:\n  udpPort: 5060\n  udpPort: 5061\n', 'dup.yaml')),
      ['line 3, column 3: Map keys must be unique'],
    );
  });

  it('reports an unclosed quote with its position', () => {
    const problems = problemsOf(() => parseConfig('sip:\n  domain: "hotline\n', 'q.yaml'));
    assert.equal(problems.length, 1);
    assert.match(problems[0] ?? '', /^line \d+, column \d+: Missing closing "quote/);
  });

  it('reports an alias to an anchor that does not exist', () => {
    assert.deepEqual(problemsOf(() => parseConfig('log: *nowhere\n', 'a.yaml')).length, 1);
  });

  it('names the source in the error message', () => {
    assert.throws(
      () => parseConfig('a: 1\na: 2\n', 'from-api'),
      (err: unknown) =>
        err instanceof HotlineError && err.message.startsWith('from-api: invalid configuration'),
    );
  });
});

describe('loadConfigFile', () => {
  let dir = '';
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'hotline-load-'));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('loads a file and names it in problems', () => {
    const good = join(dir, 'good.yaml');
    writeFileSync(good, 'sip:\n  udpPort: 5070\n');
    assert.equal(loadConfigFile(good).sip.udpPort, 5070);
    const bad = join(dir, 'bad.yaml');
    writeFileSync(bad, 'sip:\n  udpPort: "5070"\n');
    assert.throws(
      () => loadConfigFile(bad),
      (err: unknown) =>
        err instanceof HotlineError && err.details?.['source'] === bad && err.message.startsWith(`${bad}:`),
    );
  });

  it('fails with CONFIG_UNREADABLE for a missing file', () => {
    assert.throws(
      () => loadConfigFile(join(dir, 'absent.yaml')),
      (err: unknown) =>
        err instanceof HotlineError && err.code === 'CONFIG_UNREADABLE' && /ENOENT/.test(err.message),
    );
  });

  it('resolves TLS files beside the configuration file', () => {
    writeFileSync(join(dir, 'cert.pem'), 'not really a certificate');
    writeFileSync(join(dir, 'key.pem'), 'not really a key');
    const path = join(dir, 'tls.yaml');
    writeFileSync(path, 'sip:\n  wssPort: 8443\n  tls: { certFile: cert.pem, keyFile: ./key.pem }\n');
    const cfg = loadConfigFile(path);
    assert.equal(cfg.sip.tls?.certFile, join(dir, 'cert.pem'));
    assert.equal(cfg.sip.tls?.keyFile, join(dir, 'key.pem'));
    assert.ok(Object.isFrozen(cfg.sip.tls));
  });

  it('reports TLS files it cannot read', () => {
    const path = join(dir, 'tls-missing.yaml');
    writeFileSync(path, 'sip:\n  tls: { certFile: missing-cert.pem, keyFile: missing-key.pem }\n');
    assert.deepEqual(
      problemsOf(() => loadConfigFile(path)),
      [
        `sip.tls.certFile: cannot read ${join(dir, 'missing-cert.pem')} (ENOENT)`,
        `sip.tls.keyFile: cannot read ${join(dir, 'missing-key.pem')} (ENOENT)`,
      ],
    );
  });
});
