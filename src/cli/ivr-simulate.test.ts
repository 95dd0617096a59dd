import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, before, describe, it } from 'node:test';
import { parseDtmf } from './ivr-simulate.js';
import { runCli } from './main.js';
import { captureIo } from './test-io.js';

const examples = fileURLToPath(new URL('../../examples/', import.meta.url));

async function cli(...args: string[]) {
  const io = captureIo();
  const code = await runCli(['ivr', 'simulate', ...args], io);
  return { code, out: io.stdout.join('\n'), err: io.stderr.join('\n') };
}

describe('hotline ivr simulate', () => {
  let dir = '';
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'hotline-ivr-'));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('runs the 96110 example to the fraud-report queue and prints path, prompts and data', async () => {
    const r = await cli(
      'antifraud',
      '--config',
      `${examples}96110/hotline.yaml`,
      '--ani',
      '13800138000',
      '--dnis',
      '96110',
      '--dtmf',
      '1,1,13800138000#,1',
      '--at',
      '2026-10-09T10:00',
    );
    assert.equal(r.code, 0, r.err);
    assert.match(r.out, /^Flow antifraud version 1/);
    assert.match(r.out, /Call sim-1 from 13800138000 to 96110 at 2026-10-09 10:00:00 \(Asia\/Shanghai\)/);
    assert.match(r.out, /casePhone \(collect\) → ok {2}\[keys 13800138000\]/);
    assert.match(r.out, /plays: 您输入的号码是： 幺三八零零幺三八零零零 \[say digits 13800138000\]/);
    assert.match(r.out, /End: transferred to queue fraud-report \(priority 8; skills fraud≥3\)/);
    assert.match(r.out, /casePhone = "13800138000"/);
  });

  it('takes the closed branch from the configured schedule at --at', async () => {
    const r = await cli('antifraud', '-c', `${examples}96110/hotline.yaml`, '--at', '2026-10-09T07:59');
    assert.match(r.out, /hours \(schedule\) → closed/);
    assert.match(r.out, /End: transferred to voicemail 96110/);
  });

  it('runs a flow file with HTTP stubs, and says when a URL has no stub', async () => {
    const flow = `${examples}ordering/ordering.json`;
    const stubbed = await cli(
      flow,
      '--dtmf',
      '1,20261001#,1',
      '--http-stub',
      `${examples}ordering/http-stub.json`,
    );
    assert.equal(stubbed.code, 0, stubbed.err);
    assert.match(stubbed.out, /status \(http\) → ok/);
    const unstubbed = await cli(flow, '--dtmf', '1,777777#,1');
    assert.match(unstubbed.out, /status \(http\) → error/);
    assert.match(
      unstubbed.out,
      /note: no HTTP stub for GET https:\/\/shop\.example\.com\/api\/orders\/777777/,
    );
  });

  it('prints a JSON report with --json', async () => {
    const r = await cli(`${examples}ordering/ordering.json`, '--dtmf', '2', '--transfer', 'busy', '--json');
    const report = JSON.parse(r.out) as {
      result: { end: { kind: string } };
      steps: { step: { nodeId: string; exit: string } }[];
    };
    assert.deepEqual(report.steps.map((s) => `${s.step.nodeId}→${s.step.exit}`).slice(3), [
      'sales→busy',
      'survey→null',
    ]);
    assert.equal(report.result.end.kind, 'callerHangup');
  });

  it('forces every schedule with --schedule-state', async () => {
    const r = await cli(
      'antifraud',
      '-c',
      `${examples}96110/hotline.yaml`,
      '--at',
      '2026-10-09T10:00',
      '--schedule-state',
      'holiday',
    );
    assert.match(r.out, /hours \(schedule\) → holiday/);
  });

  it('lists the problems of an invalid flow file and exits 1', async () => {
    const file = join(dir, 'bad.json');
    writeFileSync(
      file,
      JSON.stringify({
        id: 'bad',
        start: 'a',
        nodes: { a: { type: 'play', prompts: [{ tts: 'x' }], next: 'zz' } },
      }),
    );
    const r = await cli(file);
    assert.equal(r.code, 1);
    assert.match(r.err, /nodes\.a\.next: exit "next" points to node "zz", which does not exist/);
  });

  it('names the known flows when FLOW is not one of them', async () => {
    const r = await cli('antifruad', '-c', `${examples}96110/hotline.yaml`);
    assert.equal(r.code, 1);
    assert.match(r.err, /no flow "antifruad" \(known flows: antifraud\)/);
  });

  it('refuses bad options with exit 2', async () => {
    assert.equal((await cli('x.json', '--dtmf', '1,x')).code, 2);
    assert.equal((await cli(`${examples}ordering/ordering.json`, '--at', 'soon')).code, 2);
    assert.equal((await cli(`${examples}ordering/ordering.json`, '--transfer', 'maybe')).code, 2);
    assert.equal((await cli('--nope')).code, 2);
    const io = captureIo();
    assert.equal(await runCli(['ivr', 'play'], io), 2);
    assert.match(io.stderr.join('\n'), /unknown subcommand "play"/);
  });

  it('splits --dtmf on commas, an empty entry being a timeout', () => {
    assert.deepEqual(parseDtmf('1,,2#, 3'), ['1', '', '2#', '3']);
    assert.deepEqual(parseDtmf(''), []);
  });
});
