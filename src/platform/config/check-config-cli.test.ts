import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, before, describe, it } from 'node:test';

const repoRoot = fileURLToPath(new URL('../../../', import.meta.url));

function hotline(...args: string[]): { status: number | null; stdout: string; stderr: string } {
  const run = spawnSync(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', ...args], {
    cwd: repoRoot,
    encoding: 'utf8',
    timeout: 30_000,
  });
  return { status: run.status, stdout: run.stdout, stderr: run.stderr };
}

describe('hotline check-config', () => {
  let dir = '';
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'hotline-cli-'));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('prints OK and a summary and exits 0 for a good file', () => {
    const file = join(dir, 'good.yaml');
    writeFileSync(file, 'extensions:\n  - { number: "1001", password: "12345678" }\n');
    const run = hotline('check-config', file);
    assert.equal(run.status, 0, run.stderr);
    const [first, second] = run.stdout.trimEnd().split('\n');
    assert.equal(first, `OK: ${file}`);
    assert.equal(
      second,
      'SIP hotline.local at 127.0.0.1: UDP 5060, TCP 5060; RTP 20000-20999; database sqlite; 1 extension (1001); echo test *43',
    );
  });

  it('prints the problem with its path and exits 1 for a bad file', () => {
    const file = join(dir, 'bad.yaml');
    writeFileSync(file, 'sip:\n  udpPort: "5060"\n  colour: red\n');
    const run = hotline('check-config', file);
    assert.equal(run.status, 1);
    assert.deepEqual(run.stdout.trimEnd().split('\n'), [
      `INVALID: ${file}`,
      '  sip.udpPort: expected number, received string',
      '  sip.colour: unknown key',
    ]);
  });

  it('exits 1 for a file that does not exist', () => {
    const run = hotline('check-config', join(dir, 'absent.yaml'));
    assert.equal(run.status, 1);
    assert.match(run.stdout, /cannot read configuration file .*absent\.yaml \(ENOENT\)/);
  });

  it('exits 2 when the file is not given', () => {
    const run = hotline('check-config');
    assert.equal(run.status, 2);
    assert.match(run.stderr, /check-config needs a FILE/);
  });
});
