import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import dgram from 'node:dgram';
import { EXTENSIONS, startTestServer, type TestServer } from './harness/server.js';
import { auth, runSipp } from './harness/sipp.js';
import { freePort } from './harness/ports.js';

/** Sends one raw SIP request over UDP from `address` and waits up to `ms` for an answer. */
async function ask(server: number, address: string, text: string, ms = 1000): Promise<string | undefined> {
  const socket = dgram.createSocket('udp4');
  await new Promise<void>((resolve) => socket.bind(0, address, () => resolve()));
  const port = socket.address().port;
  const answer = new Promise<string | undefined>((resolve) => {
    const timer = setTimeout(() => resolve(undefined), ms);
    socket.once('message', (data) => {
      clearTimeout(timer);
      resolve(data.toString());
    });
  });
  socket.send(text.replaceAll('PORT', String(port)).replaceAll('ADDR', address), server, '127.0.0.1');
  const result = await answer;
  socket.close();
  return result;
}

function options(userAgent: string): string {
  return [
    'OPTIONS sip:100@127.0.0.1 SIP/2.0',
    `Via: SIP/2.0/UDP ADDR:PORT;branch=z9hG4bK${Math.random().toString(36).slice(2)};rport`,
    'From: <sip:100@ADDR>;tag=abc',
    'To: <sip:100@127.0.0.1>',
    `Call-ID: ${Math.random().toString(36).slice(2)}@ADDR`,
    'CSeq: 1 OPTIONS',
    'Max-Forwards: 70',
    `User-Agent: ${userAgent}`,
    'Content-Length: 0',
    '',
    '',
  ].join('\r\n');
}

describe('security against sipp and raw UDP', () => {
  let t: TestServer;
  before(async () => {
    t = await startTestServer({ config: { security: { maxAuthFailures: 3, blockDuration: 600 } } });
  });
  after(async () => t.stop());

  it('drops requests from scanner user agents without an answer', async () => {
    assert.match((await ask(t.sipPort, '127.0.0.1', options('Linphone/5.2'))) ?? '', /^SIP\/2.0 200/);
    assert.equal(await ask(t.sipPort, '127.0.0.1', options('friendly-scanner')), undefined);
    assert.equal(await ask(t.sipPort, '127.0.0.1', options('sipvicious 0.3')), undefined);
  });

  it('blocks an address after repeated authentication failures and keeps serving others', async () => {
    // The attacker guesses passwords from 127.0.0.2; a real phone keeps using 127.0.0.1.
    const guesses = await runSipp({
      scenario: 'register-refused.xml',
      server: t.sipPort,
      localPort: await freePort(),
      localAddress: '127.0.0.2',
      fields: [`1001;${auth('1001', 'guess-one')};5060;300`],
      calls: 3,
      extra: ['-r', '1', '-rp', '200'],
    }).done;
    assert.equal(guesses.code, 0, guesses.errors || guesses.stdout);
    assert.ok(t.server.guard.isBlocked('127.0.0.2'));
    // Even the right password gets no answer from a blocked address.
    assert.equal(await ask(t.sipPort, '127.0.0.2', options('Linphone/5.2')), undefined);
    const port = await freePort();
    const phone = await runSipp({
      scenario: 'register.xml',
      server: t.sipPort,
      localPort: port,
      fields: [`1001;${auth('1001', EXTENSIONS[0].password)};${port};300`],
    }).done;
    assert.equal(phone.code, 0, phone.errors || phone.stdout);
    assert.equal(t.server.location.lookup('1001').length, 1);
  });

  it('answers a call with the wrong password with 403 and rings nobody', async () => {
    const before = (await t.server.store.cdrs.list({ limit: 1000 })).length;
    const run = await runSipp({
      scenario: 'call-403.xml',
      server: t.sipPort,
      localPort: await freePort(),
      fields: [`1001;${auth('1001', 'not-my-password')};*43`],
    }).done;
    assert.equal(run.code, 0, run.errors || run.stdout);
    assert.equal(t.server.admission.activeCalls, 0);
    assert.equal((await t.server.store.cdrs.list({ limit: 1000 })).length, before, 'no call was placed');
  });
});
