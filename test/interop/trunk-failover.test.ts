/**
 * Calling out through trunks against sipp carriers: failover from a trunk that answers 503
 * to one that takes the call, and proxy authentication of the INVITE (407) whose
 * credentials sipp's <verifyauth> accepts.
 */
import { after, afterEach, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import dgram from 'node:dgram';
import { dialViaTrunks } from '../../src/routing/trunks/index.js';
import { cdrWhere, mediaPort } from './harness/calls.js';
import { freePort } from './harness/ports.js';
import { startTestServer, type TestServer } from './harness/server.js';
import { receivedMessages, runSipp, tracedMessages } from './harness/sipp.js';

const NUMBER = '13800138000';
const CALLER = { number: '02088888888' };
const PROXY_ACCOUNT = { username: 'hotline-7', password: 'proxy-secret' };

/** A sipp carrier on a free port, started before Hotline learns of it. */
async function carrier(scenario: string, fields?: string[]) {
  const port = await freePort();
  const run = runSipp({
    scenario,
    server: 5060, // not used: a UAS answers where requests come from
    localPort: port,
    mediaPort: await mediaPort(),
    calls: 1,
    timeoutSeconds: 40,
    ...(fields ? { fields } : {}),
  });
  await new Promise((r) => setTimeout(r, 300));
  return { port, done: run.done };
}

const trunk = (name: string, port: number, extra: Record<string, unknown> = {}) => ({
  name,
  host: '127.0.0.1',
  port,
  options: { interval: 0 },
  ...extra,
});

/** Sends `text` as one UDP datagram to 127.0.0.1:port. */
function sendUdp(text: string, port: number): Promise<void> {
  const socket = dgram.createSocket('udp4');
  return new Promise((resolve, reject) =>
    socket.send(Buffer.from(text), port, '127.0.0.1', (err) => {
      socket.close();
      if (err) reject(err);
      else resolve();
    }),
  );
}

/** sipp's verdict (`verified` or `REJECTED`) on the Authorization of `invite` for the proxy account and `password`. */
async function verify(invite: string, password: string): Promise<string> {
  const port = await freePort();
  const verifier = runSipp({
    scenario: 'trunk-verify.xml',
    server: 5060,
    localPort: port,
    fields: [`${PROXY_ACCOUNT.username};${password}`],
    timeoutSeconds: 15,
  });
  await new Promise((r) => setTimeout(r, 300));
  await sendUdp(invite, port);
  const run = await verifier.done;
  assert.equal(run.code, 0, run.errors || run.stdout);
  return run.logs.trim();
}

describe('calling out through sipp trunks', () => {
  let t: TestServer | undefined;
  afterEach(async () => {
    await t?.stop();
    t = undefined;
  });
  after(async () => t?.stop());

  it('fails over from a trunk answering 503 to the next, which carries the call', async (ctx) => {
    const busy = await carrier('trunk-503.xml');
    const good = await carrier('answer.xml');
    t = await startTestServer({
      config: {
        trunks: [trunk('first', busy.port), trunk('second', good.port)],
        trunkGroups: [
          { name: 'carriers', strategy: 'failover', trunks: [{ trunk: 'first' }, { trunk: 'second' }] },
        ],
      },
    });
    const since = Date.now();
    const { control, trunks } = t.server;
    const call = control.createCall(CALLER, NUMBER);
    const result = await dialViaTrunks(control, trunks, {
      call,
      number: NUMBER,
      trunks: trunks.select('carriers').trunks,
    });
    if (!result.ok) assert.fail(`the call failed: ${JSON.stringify(result)}`);
    assert.equal(result.trunk, 'second');
    assert.deepEqual(
      result.attempts.map((a) => [a.trunk, a.status]),
      [['first', 503]],
    );
    assert.equal(trunks.state('second')?.channels.inUse, 1);
    await new Promise((r) => setTimeout(r, 1000));
    control.hangupCall(call);

    const [busyRun, goodRun] = [await busy.done, await good.done];
    assert.equal(busyRun.code, 0, busyRun.errors || busyRun.stdout);
    const busyTrace = tracedMessages(busyRun.messages).map((m) => `${m.direction} ${m.firstLine}`);
    ctx.diagnostic(`first trunk: ${busyTrace.join(' | ')}`);
    assert.match(
      busyTrace[0] ?? '',
      new RegExp(`^received INVITE sip:${NUMBER}@127\\.0\\.0\\.1:${busy.port}`),
    );
    assert.match(busyTrace[1] ?? '', /^sent SIP\/2\.0 503/);
    assert.equal(
      goodRun.code,
      0,
      `the second trunk gets INVITE, ACK and BYE: ${goodRun.errors || goodRun.stdout}`,
    );
    const got = receivedMessages(goodRun.messages).map((m) => m.split(/\r?\n/)[0]);
    assert.deepEqual(
      got.map((l) => l?.split(' ')[0]),
      ['INVITE', 'ACK', 'BYE'],
    );
    const cdr = await cdrWhere(t, since, (c) => c.callee === NUMBER);
    ctx.diagnostic(`CDR: ${JSON.stringify(cdr)}`);
    assert.equal(cdr.disposition, 'answered');
    assert.equal(cdr.caller, CALLER.number);
    assert.equal(trunks.state('second')?.channels.inUse, 0, 'the channel is given back');
  });

  it('answers a 407 with Proxy-Authorization that sipp’s verifyauth accepts', async (ctx) => {
    const proxy = await carrier('trunk-407.xml');
    t = await startTestServer({
      config: { trunks: [trunk('proxied', proxy.port, { auth: PROXY_ACCOUNT })] },
    });
    const { control, trunks } = t.server;
    const call = control.createCall(CALLER, NUMBER);
    const result = await dialViaTrunks(control, trunks, { call, number: NUMBER, trunks: ['proxied'] });
    if (!result.ok) assert.fail(`the call failed: ${JSON.stringify(result)}`);
    control.hangupCall(call);
    const run = await proxy.done;
    assert.equal(
      run.code,
      0,
      `407, INVITE with Proxy-Authorization, 200, ACK, BYE: ${run.errors || run.stdout}`,
    );
    const invites = receivedMessages(run.messages).filter((m) => /^INVITE /.test(m));
    assert.equal(invites.length, 2);
    const [first, second] = invites as [string, string];
    const header = (m: string, name: string) => new RegExp(`^${name}:\\s*(.*?)\\r?$`, 'im').exec(m)?.[1];
    assert.equal(header(second, 'Call-ID'), header(first, 'Call-ID'), 'same Call-ID');
    assert.equal(header(second, 'From'), header(first, 'From'), 'same From tag');
    assert.equal(
      Number(header(second, 'CSeq')?.split(' ')[0]),
      Number(header(first, 'CSeq')?.split(' ')[0]) + 1,
      'next CSeq',
    );
    ctx.diagnostic(`Proxy-Authorization: ${header(second, 'Proxy-Authorization')}`);

    // sipp's <verifyauth> reads only Authorization: a second sipp checks the INVITE as sent,
    // its Proxy-Authorization renamed.
    const copy = second.replace(/^Proxy-Authorization:/im, 'Authorization:').replace(/\r?\n/g, '\r\n');
    assert.equal(await verify(copy, PROXY_ACCOUNT.password), 'verified', 'with the account’s password');
    assert.equal(await verify(copy, 'another-password'), 'REJECTED', 'and the check can fail');
  });
});
