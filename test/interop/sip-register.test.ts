import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { EXTENSIONS, startTestServer, type TestServer } from './harness/server.js';
import { auth, receivedMessages, runSipp } from './harness/sipp.js';
import { freePort } from './harness/ports.js';

const [ext1001, ext1002] = EXTENSIONS;

/** The status line and header names of a response, without values that vary (tags, nonces). */
function shape(msg: string): string {
  const lines = msg.split(/\r?\n/);
  const names = lines
    .slice(1)
    .filter((l) => l.includes(':'))
    .map((l) => l.slice(0, l.indexOf(':')));
  return [lines[0], ...names].join('|');
}

describe('REGISTER against sipp (Debian sip-tester)', () => {
  let t: TestServer;
  before(async () => {
    t = await startTestServer();
  });
  after(async () => t.stop());

  it('registers an extension that answers the digest challenge with the right password', async () => {
    const port = await freePort();
    const run = await runSipp({
      scenario: 'register.xml',
      server: t.sipPort,
      localPort: port,
      fields: [`1001;${auth('1001', ext1001.password)};${port};300`],
    }).done;
    assert.equal(run.code, 0, run.errors || run.stdout);
    const bindings = t.server.location.lookup('1001');
    assert.equal(bindings.length, 1);
    assert.match(bindings[0]!.contactUri, new RegExp(`:${port}`));
    assert.equal(await t.server.store.registrations.count(), 1, 'the binding is stored');
  });

  it('refuses a wrong password and an unknown user with identical answers', async () => {
    const wrong = await runSipp({
      scenario: 'register-refused.xml',
      server: t.sipPort,
      localPort: await freePort(),
      fields: [`1002;${auth('1002', 'not-the-password')};5060;300`],
    }).done;
    const unknown = await runSipp({
      scenario: 'register-refused.xml',
      server: t.sipPort,
      localPort: await freePort(),
      fields: [`4711;${auth('4711', 'whatever-pass')};5060;300`],
    }).done;
    assert.equal(wrong.code, 0, wrong.errors || wrong.stdout);
    assert.equal(unknown.code, 0, unknown.errors || unknown.stdout);
    const a = receivedMessages(wrong.messages).map(shape);
    const b = receivedMessages(unknown.messages).map(shape);
    assert.equal(a.length, 2);
    assert.deepEqual(a, b, 'a known and an unknown user must not be told apart');
    assert.equal(t.server.location.lookup('1002').length, 0);
    assert.equal(t.server.location.lookup('4711').length, 0);
  });

  it('unregisters with Expires: 0', async () => {
    const port = await freePort();
    const fields = (expires: number) => [`1003;${auth('1003', EXTENSIONS[2].password)};${port};${expires}`];
    const reg = await runSipp({
      scenario: 'register.xml',
      server: t.sipPort,
      localPort: port,
      fields: fields(300),
    }).done;
    assert.equal(reg.code, 0, reg.errors);
    assert.equal(t.server.location.lookup('1003').length, 1);
    const unreg = await runSipp({
      scenario: 'register.xml',
      server: t.sipPort,
      localPort: port,
      fields: fields(0),
    }).done;
    assert.equal(unreg.code, 0, unreg.errors);
    assert.equal(t.server.location.lookup('1003').length, 0);
  });

  it('keeps registrations across a restart', async () => {
    const port = await freePort();
    const run = await runSipp({
      scenario: 'register.xml',
      server: t.sipPort,
      localPort: port,
      fields: [`1002;${auth('1002', ext1002.password)};${port};600`],
    }).done;
    assert.equal(run.code, 0, run.errors);
    t = await t.restart();
    const bindings = t.server.location.lookup('1002');
    assert.equal(bindings.length, 1, 'binding restored from the database');
    assert.match(bindings[0]!.contactUri, new RegExp(`:${port}`));
  });
});
