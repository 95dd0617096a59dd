/**
 * `hotline reload` against a real `hotline start` process: the running server re-reads its
 * file on SIGHUP and applies what changed to new calls (a sipp call to a DID that did not
 * exist at start reaches the new IVR flow); a file with problems is refused by the command
 * and the server keeps running what it had.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { stringify } from 'yaml';
import { dialling, mediaPort } from './harness/calls.js';
import { freePort, freeRange } from './harness/ports.js';
import { EXTENSIONS } from './harness/server.js';
import { runSipp } from './harness/sipp.js';

const BIN = path.resolve('bin/hotline.js');

const FLOW = {
  id: 'welcome',
  lang: 'en',
  start: 'hello',
  nodes: {
    hello: { type: 'play', prompts: [{ silenceMs: 300 }], next: 'bye' },
    bye: { type: 'hangup' },
  },
};

describe('hotline reload with a running server', () => {
  let dir: string;
  let configFile: string;
  let sipPort: number;
  let base: Record<string, unknown>;
  let server: ChildProcess;
  let log = '';

  const waitFor = async (pattern: RegExp, timeoutMs = 20_000) => {
    const deadline = Date.now() + timeoutMs;
    while (!pattern.test(log)) {
      if (Date.now() > deadline) throw new Error(`no ${pattern} in the server's output:\n${log}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  };
  const reload = () =>
    spawnSync(process.execPath, [BIN, 'reload', '--config', configFile, '--data-dir', dir], {
      encoding: 'utf8',
    });

  before(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'hotline-cli-reload-'));
    configFile = path.join(dir, 'hotline.yaml');
    sipPort = await freePort();
    const rtp = await freeRange(100);
    base = {
      sip: { udpPort: sipPort, tcpPort: sipPort, bindAddress: '127.0.0.1', advertisedAddress: '127.0.0.1' },
      rtp: { portMin: rtp.min, portMax: rtp.max },
      extensions: EXTENSIONS,
      log: { level: 'info' },
    };
    writeFileSync(configFile, stringify(base));
    server = spawn(process.execPath, [BIN, 'start', '--config', configFile, '--data-dir', dir]);
    server.stdout?.on('data', (d: Buffer) => (log += d.toString()));
    server.stderr?.on('data', (d: Buffer) => (log += d.toString()));
    await waitFor(/Hotline is running/);
  });
  after(async () => {
    server.kill('SIGTERM');
    await new Promise((r) => server.once('exit', r));
    rmSync(dir, { recursive: true, force: true });
  });

  it('applies a new inbound number and flow to new calls after `hotline reload`', async () => {
    const before = await runSipp({
      scenario: 'call-404.xml',
      server: sipPort,
      localPort: await freePort(),
      fields: [dialling('1001', '96110')],
    }).done;
    assert.equal(before.code, 0, `96110 does not exist yet: ${before.errors || before.stdout}`);
    writeFileSync(
      configFile,
      stringify({
        ...base,
        ivr: { flows: { welcome: FLOW } },
        inbound: { numbers: [{ number: '96110', destination: { type: 'ivr', flow: 'welcome' } }] },
      }),
    );
    const cmd = reload();
    assert.equal(cmd.status, 0, cmd.stdout + cmd.stderr);
    assert.match(cmd.stdout, /reload sent to Hotline \(pid \d+\)/);
    await waitFor(/configuration reloaded/);
    const after = await runSipp({
      scenario: 'call-held-up.xml',
      server: sipPort,
      localPort: await freePort(),
      mediaPort: await mediaPort(),
      fields: [dialling('1001', '96110')],
    }).done;
    assert.equal(after.code, 0, `answered by the new flow, which hangs up: ${after.errors || after.stdout}`);
    assert.match(log, /IVR flows loaded/);
  });

  it('refuses a file with problems before signalling, and the server keeps running', async () => {
    writeFileSync(configFile, stringify({ ...base, extensions: [{ number: '1001', password: 'short' }] }));
    const cmd = reload();
    assert.equal(cmd.status, 1);
    assert.match(cmd.stdout, /extensions\[0\]\.password/);
    assert.match(cmd.stderr, /not sent/);
    assert.equal(server.exitCode, null, 'still running');
  });
});
