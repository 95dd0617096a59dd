import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { runCli } from './main.js';
import { captureIo } from './test-io.js';

const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as {
  version: string;
};

describe('hotline command line', () => {
  let dir = '';
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'hotline-main-'));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('prints usage for --help and exits 0', async () => {
    const io = captureIo();
    assert.equal(await runCli(['--help'], io), 0);
    assert.match(io.stdout.join('\n'), /Usage: hotline <command>/);
    assert.match(io.stdout.join('\n'), /check-config FILE/);
  });

  it('prints the package version for --version', async () => {
    const io = captureIo();
    assert.equal(await runCli(['--version'], io), 0);
    assert.deepEqual(io.stdout, [`hotline ${pkg.version}`]);
  });

  it('exits 2 with usage on stderr when no command is given', async () => {
    const io = captureIo();
    assert.equal(await runCli([], io), 2);
    assert.match(io.stderr.join('\n'), /Usage:/);
  });

  it('exits 2 for an unknown command or option', async () => {
    const io = captureIo();
    assert.equal(await runCli(['dance'], io), 2);
    assert.match(io.stderr[0] ?? '', /unknown command "dance"/);
    assert.equal(await runCli(['start', '--colour'], io), 2);
    assert.match(io.stderr[1] ?? '', /Unknown option '--colour'/);
  });

  it('refuses to start with an invalid configuration, naming each problem', async () => {
    const file = join(dir, 'bad.yaml');
    writeFileSync(file, 'sip:\n  wsPort: 5060\n');
    const io = captureIo();
    assert.equal(await runCli(['start', '--config', file, '--data-dir', dir], io), 1);
    const text = io.stderr.join('\n');
    assert.match(text, /^Hotline could not start: the configuration in .*bad\.yaml is invalid:/);
    assert.match(text, /\n {2}sip\.wsPort: port 5060 is already used by sip\.tcpPort\n/);
    assert.doesNotMatch(text, /\n\s+at /, 'no stack trace');
  });

  it('refuses to start when the configuration file is missing', async () => {
    const io = captureIo();
    assert.equal(await runCli(['start', '-c', join(dir, 'absent.yaml')], io), 1);
    assert.match(io.stderr.join('\n'), /cannot read configuration file .*absent\.yaml \(ENOENT\)/);
  });
});
