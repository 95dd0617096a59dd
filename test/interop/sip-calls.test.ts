import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { EXTENSIONS, startTestServer, type TestServer } from './harness/server.js';
import { auth, runSipp } from './harness/sipp.js';
import { freePort } from './harness/ports.js';
import { captureUdp } from './harness/capture.js';
import { cdrWhere } from './harness/calls.js';

const [ext1001, ext1002] = EXTENSIONS;
const caller = (dialled: string) => [`1001;${auth('1001', ext1001.password)};${dialled}`];

/** Registers 1002 with sipp, its Contact pointing at the port where another sipp will answer. */
async function register1002(t: TestServer, contactPort: number): Promise<void> {
  const clear = await runSipp({
    scenario: 'unregister-all.xml',
    server: t.sipPort,
    localPort: await freePort(),
    fields: [`1002;${auth('1002', ext1002.password)}`],
  }).done;
  assert.equal(clear.code, 0, clear.errors || clear.stdout);
  assert.equal(t.server.location.lookup('1002').length, 0, 'Contact: * removed every binding');
  const run = await runSipp({
    scenario: 'register.xml',
    server: t.sipPort,
    localPort: await freePort(),
    fields: [`1002;${auth('1002', ext1002.password)};${contactPort};300`],
  }).done;
  assert.equal(run.code, 0, run.errors || run.stdout);
}

/**
 * 1002 registers and a sipp runs `calleeScenario` on its contact; 1001 then runs
 * `callerScenario` against it through Hotline. Both sipp runs must succeed.
 */
async function callThrough(t: TestServer, calleeScenario: string, callerScenario: string, withMedia = false) {
  const since = Date.now();
  const calleePort = await freePort();
  await register1002(t, calleePort);
  const media = async () => (withMedia ? { mediaPort: 2 * Math.floor((await freePort()) / 2) } : {});
  const callee = runSipp({
    scenario: calleeScenario,
    server: t.sipPort,
    localPort: calleePort,
    ...(await media()),
  });
  const run = await runSipp({
    scenario: callerScenario,
    server: t.sipPort,
    localPort: await freePort(),
    ...(await media()),
    fields: caller('1002'),
  }).done;
  const calleeRun = await callee.done;
  assert.equal(run.code, 0, run.errors || run.stdout);
  assert.equal(calleeRun.code, 0, calleeRun.errors || calleeRun.stdout);
  // The CDR is written once the call's media has closed: wait for this call's own row.
  return cdrWhere(t, since, (c) => c.caller === '1001' && c.callee === '1002' && c.startedAt >= since);
}

async function cdrFor(t: TestServer, callId: RegExp) {
  // CDRs are written as the call ends; give the batch writer a moment.
  for (let i = 0; i < 50; i++) {
    const rows = await t.server.store.cdrs.list({ limit: 50 });
    const row = rows.find((r) => callId.test(r.callId));
    if (row) return row;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error('no CDR written');
}

describe('calls against sipp (Debian sip-tester)', () => {
  let t: TestServer;
  before(async () => {
    t = await startTestServer({ config: { calls: { noAnswerTimeout: 3 } } });
  });
  after(async () => t.stop());

  it('echoes the caller audio on *43: every packet of g711a.pcap comes back to sipp', async () => {
    const mediaPort = 2 * Math.floor((await freePort()) / 2);
    const capture = await captureUdp(`dst port ${mediaPort}`);
    const run = await runSipp({
      scenario: 'call.xml',
      server: t.sipPort,
      localPort: await freePort(),
      mediaPort,
      fields: caller('*43'),
    }).done;
    const packets = await capture.stop();
    assert.equal(run.code, 0, run.errors || run.stdout);
    // g711a.pcap holds 236 RTP packets; the echo sends each back from Hotline's relay port.
    assert.ok(packets.length >= 230, `sipp's media port received ${packets.length} packets`);
    const cdr = await cdrFor(t, /.*/);
    assert.equal(cdr.callee, '*43');
    assert.equal(cdr.disposition, 'answered');
    assert.equal(cdr.hangupBy, 'caller');
  });

  it('bridges 1001 to 1002 with RTP both ways through the relay', async () => {
    const calleePort = await freePort();
    await register1002(t, calleePort);
    const calleeMedia = 2 * Math.floor((await freePort()) / 2);
    const callerMedia = 2 * Math.floor((await freePort()) / 2);
    const toCallee = await captureUdp(`dst port ${calleeMedia}`);
    const toCaller = await captureUdp(`dst port ${callerMedia}`);
    const callee = runSipp({
      scenario: 'answer.xml',
      server: t.sipPort,
      localPort: calleePort,
      mediaPort: calleeMedia,
      extra: ['-rtp_echo'],
    });
    const run = await runSipp({
      scenario: 'call.xml',
      server: t.sipPort,
      localPort: await freePort(),
      mediaPort: callerMedia,
      fields: caller('1002'),
    }).done;
    const calleeRun = await callee.done;
    const [atCallee, atCaller] = [await toCallee.stop(), await toCaller.stop()];
    assert.equal(run.code, 0, run.errors || run.stdout);
    assert.equal(calleeRun.code, 0, calleeRun.errors || calleeRun.stdout);
    assert.ok(atCallee.length >= 230, `callee received ${atCallee.length} RTP packets`);
    assert.ok(atCaller.length >= 230, `caller received ${atCaller.length} RTP packets (the callee's echo)`);
    // Media is anchored: nothing flows directly between the two sipp instances.
    assert.ok(
      atCallee.every((l) => !l.includes(`.${callerMedia} >`)),
      'callee audio came through Hotline',
    );
    const cdr = await cdrFor(t, /.*/);
    assert.equal(cdr.caller, '1001');
    assert.equal(cdr.callee, '1002');
    assert.equal(cdr.disposition, 'answered');
    assert.ok(cdr.answeredAt !== undefined && cdr.durationMs > 5000, `talk time ${cdr.durationMs} ms`);
  });

  it('carries a BYE from the callee to the caller', async () => {
    const cdr = await callThrough(t, 'answer-hangup.xml', 'call-held-up.xml', true);
    assert.equal(cdr?.hangupBy, 'callee');
  });

  it('passes a CANCEL before answer on to the ringing phone', async () => {
    const cdr = await callThrough(t, 'ring.xml', 'call-cancel.xml');
    assert.equal(cdr?.disposition, 'cancelled');
  });

  it('answers 486 when the callee is busy', async () => {
    const cdr = await callThrough(t, 'busy.xml', 'call-486.xml');
    assert.equal(cdr?.disposition, 'busy');
    assert.equal(cdr?.sipCause, 486);
  });

  it('gives up with 480 when nobody answers, cancelling the ringing phone', async () => {
    const cdr = await callThrough(t, 'ring.xml', 'call-480.xml');
    assert.equal(cdr?.disposition, 'no-answer');
    assert.equal(cdr?.sipCause, 480);
  });

  it('answers 404 for a number nobody has', async () => {
    const run = await runSipp({
      scenario: 'call-404.xml',
      server: t.sipPort,
      localPort: await freePort(),
      fields: caller('7777'),
    }).done;
    assert.equal(run.code, 0, run.errors || run.stdout);
  });
});
