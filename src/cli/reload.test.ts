import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { readPid, removePidFile, writePidFile } from './pid-file.js';
import { reloadCommand } from './reload.js';
import { captureIo } from './test-io.js';

const dirs: string[] = [];
function dataDir(config?: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'hotline-reload-'));
  dirs.push(dir);
  if (config !== undefined) writeFileSync(join(dir, 'hotline.yaml'), config);
  return dir;
}
after(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

const GOOD = 'extensions:\n  - { number: "1001", password: "secret-1001" }\n';

describe('hotline reload', () => {
  it('checks the file, then signals the process named in the pid file', () => {
    const dir = dataDir(GOOD);
    writePidFile(dir);
    const sent: number[] = [];
    const io = captureIo();
    assert.equal(reloadCommand({ dataDir: dir, signal: (pid) => sent.push(pid) }, io), 0);
    assert.deepEqual(sent, [process.pid]);
    assert.match(io.stdout.join('\n'), /reload sent to Hotline \(pid \d+\)/);
  });

  it('sends nothing when the file has problems, and names them', () => {
    const dir = dataDir('extensions:\n  - { number: "1001", password: "short" }\n');
    writePidFile(dir);
    const sent: number[] = [];
    const io = captureIo();
    assert.equal(reloadCommand({ dataDir: dir, signal: (pid) => sent.push(pid) }, io), 1);
    assert.deepEqual(sent, []);
    assert.match(io.stdout.join('\n'), /extensions\[0\]\.password/);
    assert.match(io.stderr.join('\n'), /not sent/);
  });

  it('says so when no Hotline runs from the data directory (no file, or a dead pid)', () => {
    const dir = dataDir(GOOD);
    const io = captureIo();
    assert.equal(reloadCommand({ dataDir: dir, signal: () => assert.fail('nothing to signal') }, io), 1);
    assert.match(io.stderr.join('\n'), /no Hotline is running/);
    writePidFile(dir, 2 ** 22 + 12345); // beyond pid_max: no such process
    assert.equal(reloadCommand({ dataDir: dir, signal: () => assert.fail('stale pid') }, io), 1);
  });

  it('removes the pid file only when it names this process', () => {
    const dir = dataDir();
    writePidFile(dir, 4242);
    removePidFile(dir);
    assert.equal(readPid(dir), 4242, 'another process’s file is kept');
    writePidFile(dir);
    removePidFile(dir);
    assert.equal(readPid(dir), undefined);
  });
});
