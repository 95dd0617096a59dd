/**
 * A trunk that registers, against sipp playing the carrier (trunk-registrar.xml): Hotline
 * registers with digest authentication, which sipp checks with its own <verifyauth>, keeps
 * the binding refreshed, calls out through the trunk (its INVITE challenged and verified the
 * same way), and removes the binding when it stops.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { dialViaTrunks } from '../../src/routing/trunks/index.js';
import { cdrWhere } from './harness/calls.js';
import { freePort } from './harness/ports.js';
import { startTestServer, type TestServer } from './harness/server.js';
import { receivedMessages, runSipp, type SippRun } from './harness/sipp.js';

const ACCOUNT = { username: '02088888888', password: 'carrier-secret' };
const NUMBER = '13800138000';

async function waitFor(what: string, done: () => boolean, ms = 10_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!done()) {
    if (Date.now() > deadline) throw new Error(`${what} did not happen within ${ms} ms`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

const count = (logs: string, line: string) => logs.split('\n').filter((l) => l.includes(line)).length;

describe('a registering trunk against sipp', () => {
  let t: TestServer;
  let sipp: { done: Promise<SippRun> };
  let carrierPort: number;

  before(async () => {
    carrierPort = await freePort();
    // Two sipp "calls": the registration dialog (one Call-ID for every refresh) and our INVITE.
    sipp = runSipp({
      scenario: 'trunk-registrar.xml',
      server: 5060, // not used: a UAS answers where requests come from
      localPort: carrierPort,
      fields: [`${ACCOUNT.username};${ACCOUNT.password}`],
      calls: 2,
      timeoutSeconds: 60,
    });
    await new Promise((r) => setTimeout(r, 300)); // let sipp bind before Hotline sends
    t = await startTestServer({
      config: {
        trunks: [
          {
            name: 'carrier',
            host: '127.0.0.1',
            port: carrierPort,
            register: { ...ACCOUNT, expires: 300 },
            options: { interval: 0 },
          },
        ],
      },
    });
  });
  after(async () => t.stop());

  it('registers with digest credentials sipp verifies, refreshes, calls out, and unregisters on stop', async (ctx) => {
    const trunks = t.server.trunks;
    await waitFor('the registration', () => trunks.state('carrier')?.registration?.registered === true);
    const firstUntil = trunks.state('carrier')!.registration!.registeredUntil;
    // sipp grants 4 s, so Hotline refreshes after about 3 s.
    await waitFor(
      'a refresh',
      () => trunks.state('carrier')!.registration!.registeredUntil > firstUntil,
      8000,
    );
    assert.equal(trunks.state('carrier')?.registration?.phase, 'registered');

    const since = Date.now();
    const call = t.server.control.createCall({ number: ACCOUNT.username }, NUMBER);
    const result = await dialViaTrunks(t.server.control, trunks, {
      call,
      number: NUMBER,
      trunks: trunks.select('carrier').trunks,
    });
    if (!result.ok) assert.fail(`the call through the trunk failed: ${JSON.stringify(result)}`);
    await new Promise((r) => setTimeout(r, 500));
    t.server.control.hangupCall(call);
    const cdr = await cdrWhere(t, since, (c) => c.callee === NUMBER);
    assert.equal(cdr.disposition, 'answered');

    await t.stop(); // un-REGISTERs
    const run = await sipp.done;
    ctx.diagnostic(run.logs.trim());
    assert.equal(run.code, 0, run.errors || run.stdout);
    assert.equal(count(run.logs, 'REJECTED'), 0, 'sipp refused no credentials');
    assert.ok(count(run.logs, 'verified REGISTER') >= 2, 'a verified REGISTER and at least one refresh');
    assert.equal(count(run.logs, 'verified INVITE'), 1);
    assert.equal(count(run.logs, 'verified unREGISTER'), 1);

    const registers = receivedMessages(run.messages).filter((m) => /^REGISTER /.test(m));
    const callIds = new Set(registers.map((m) => /^Call-ID:\s*(\S+)/im.exec(m)?.[1]));
    assert.equal(callIds.size, 1, 'one Call-ID across refreshes');
    const cseqs = registers.map((m) => Number(/^CSeq:\s*(\d+)/im.exec(m)?.[1]));
    assert.deepEqual(
      cseqs,
      [...cseqs].sort((a, b) => a - b),
      'CSeq increases',
    );
    assert.match(registers[0] ?? '', /^Contact:\s*<sip:02088888888@127\.0\.0\.1:\d+>/im);
    const invites = receivedMessages(run.messages).filter((m) => /^INVITE /.test(m));
    assert.match(
      invites[0] ?? '',
      new RegExp(`^INVITE sip:${NUMBER}@127\\.0\\.0\\.1:${carrierPort} SIP/2\\.0`),
    );
  });
});
