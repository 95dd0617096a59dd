/**
 * Queue callback with real phones: caller 1001 (sipp) waits in a queue nobody serves, presses
 * the callback key, hears the confirmation and is let go; when agent 1002 (a sipp phone) goes
 * ready it is rung, answers, and Hotline dials 1001 back (a sipp phone registered as 1001);
 * both are bridged under the caller's CallID. A caller sent to a callback by the max-wait rule
 * who is busy when called back is given up after the configured attempts (ABANDON).
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { agentPhone, queueLogOf } from './harness/acd.js';
import { cdrWhere, dialling, mediaPort } from './harness/calls.js';
import { writeKeyPressPcap } from './harness/dtmf-pcap.js';
import { freePort } from './harness/ports.js';
import { startTestServer, type TestServer } from './harness/server.js';
import { runSipp } from './harness/sipp.js';
import type { StoredCdr } from '../../src/store/index.js';

const KEY_DID = '96130';
const TIMEOUT_DID = '96131';

async function until<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs = 8000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const v = await probe();
    if (v !== undefined) return v;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`timed out waiting for ${what}`);
}

const cdrsOf = async (t: TestServer, callId: string): Promise<StoredCdr[]> =>
  (await t.server.store.cdrs.list({ limit: 100 })).filter((c) => c.callId === callId);

describe('queue callback with real phones', () => {
  let t: TestServer;
  const scratch = mkdtempSync(path.join(tmpdir(), 'hotline-callback-'));
  before(async () => {
    t = await startTestServer({
      config: {
        tts: { language: 'en', rate: 1.5 },
        registrar: { qualifyInterval: 0 }, // sipp phones take no OPTIONS
        inbound: {
          numbers: [
            { number: KEY_DID, destination: { type: 'queue', queue: 'service' } },
            { number: TIMEOUT_DID, destination: { type: 'queue', queue: 'late' } },
          ],
        },
        acd: {
          queues: [
            { name: 'service', callback: { key: '5', attempts: 2, ringSeconds: 10 }, wrapUpSeconds: 1 },
            {
              name: 'late',
              maxWaitSeconds: 2,
              onMaxWait: { type: 'callback' },
              callback: { attempts: 1, ringSeconds: 10 },
              wrapUpSeconds: 1,
            },
          ],
          agents: [{ agent: '1002', queues: [{ queue: 'service' }, { queue: 'late' }] }],
        },
      },
    });
    t.server.acd.login('1002'); // not ready: nobody takes calls yet
  });
  after(async () => {
    await t.stop();
    rmSync(scratch, { recursive: true, force: true });
  });

  it('calls back a caller who pressed the callback key once an agent answers, and bridges them', async (ctx) => {
    const since = Date.now();
    const keys = path.join(scratch, 'keys.pcap');
    writeKeyPressPcap(keys, [{ key: '5', at: 0 }]);
    const caller = await runSipp({
      scenario: 'call-keys-until-bye.xml',
      server: t.sipPort,
      localPort: await freePort(),
      mediaPort: await mediaPort(),
      fields: [`${dialling('1001', KEY_DID)};1500`],
      files: { 'keys.pcap': keys },
      timeoutSeconds: 40,
    }).done;
    assert.equal(caller.code, 0, `Hotline confirmed and hung up: ${caller.errors || caller.stdout}`);
    const first = await cdrWhere(t, since, (c) => c.caller === '1001' && c.data?.['queue'] === 'service');
    ctx.diagnostic(`first CDR: ${JSON.stringify(first)}`);
    assert.equal(first.data?.['queueResult'], 'callback');
    assert.equal(first.data?.['callbackNumber'], '1001');
    assert.equal(t.server.acd.queueStats(['service'])[0]?.waiting, 1, 'the callback keeps its place');

    const callee = await agentPhone(t, '1001', 'answer-hangup.xml');
    const agent = await agentPhone(t, '1002', 'answer.xml');
    t.server.acd.ready('1002');
    const [calleeRun, agentRun] = await Promise.all([callee.done, agent.done]);
    assert.equal(agentRun.code, 0, `1002 was rung and answered: ${agentRun.errors || agentRun.stdout}`);
    assert.equal(calleeRun.code, 0, `1001 was called back: ${calleeRun.errors || calleeRun.stdout}`);

    const rows = await queueLogOf(t, first.callId, 'COMPLETECALLER');
    ctx.diagnostic(`queue log: ${rows.map((r) => `${r.event}:${r.agent}`).join(' ')}`);
    assert.deepEqual(
      rows.map((r) => `${r.event}:${r.agent}`),
      ['ENTERQUEUE:NONE', 'CONNECT:1002', 'COMPLETECALLER:1002'],
    );
    const second = await until('the callback CDR', async () =>
      (await cdrsOf(t, first.callId)).find((c) => c.data?.['callback'] === true),
    );
    ctx.diagnostic(`callback CDR: ${JSON.stringify(second)}`);
    assert.equal(second.disposition, 'answered', 'the caller answered the callback');
    assert.equal(second.data?.['callbackResult'], 'answered');
    assert.equal(second.data?.['agent'], '1002');
    assert.equal(second.hangupBy, 'callee', '1001 hung up the callback');
    assert.ok((second.answeredAt ?? 0) > first.endedAt, 'called back after the first call ended');
  });

  it('sends a caller to a callback after the max wait and gives up when they are busy', async (ctx) => {
    await new Promise((r) => setTimeout(r, 1500)); // 1002's wrap-up is over
    t.server.acd.notReady('1002', 'BREAK');
    const since = Date.now();
    const caller = await runSipp({
      scenario: 'call-held-up.xml',
      server: t.sipPort,
      localPort: await freePort(),
      fields: [dialling('1001', TIMEOUT_DID)],
      timeoutSeconds: 40,
    }).done;
    assert.equal(caller.code, 0, `Hotline let the caller go: ${caller.errors || caller.stdout}`);
    const first = await cdrWhere(t, since, (c) => c.caller === '1001' && c.data?.['queue'] === 'late');
    assert.equal(first.data?.['queueResult'], 'callback');
    assert.equal(first.hangupBy, 'system');

    const busy = await agentPhone(t, '1001', 'busy.xml');
    const agent = await agentPhone(t, '1002', 'answer.xml');
    t.server.acd.ready('1002');
    const [busyRun, agentRun] = await Promise.all([busy.done, agent.done]);
    assert.equal(busyRun.code, 0, `1001 was called back and was busy: ${busyRun.errors || busyRun.stdout}`);
    assert.equal(agentRun.code, 0, `1002 answered and was released: ${agentRun.errors || agentRun.stdout}`);
    const rows = await queueLogOf(t, first.callId, 'ABANDON');
    ctx.diagnostic(`queue log: ${rows.map((r) => `${r.event}:${r.agent}`).join(' ')}`);
    assert.deepEqual(
      rows.map((r) => r.event),
      ['ENTERQUEUE', 'ABANDON'],
    );
    const second = await until('the failed callback CDR', async () =>
      (await cdrsOf(t, first.callId)).find((c) => c.data?.['callback'] === true),
    );
    assert.equal(second.data?.['callbackResult'], 'failed:noAnswer:486');
    const status = t.server.acd.agentStatus(['1002'])[0];
    assert.ok(status?.activity === 'wrapUp' || status?.activity === 'idle', JSON.stringify(status));
    assert.equal(t.server.acd.queueStats(['late'])[0]?.waiting, 0, 'no longer waiting');
  });
});
