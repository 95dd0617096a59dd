/**
 * Extension features with real phones (sipp): forwarding on no answer and on busy, do not
 * disturb set from the phone with *78, ring groups (all at once, and in order), and call
 * pickup (*8 for the group, **1002 directed). Each test asserts what every sipp saw (INVITE,
 * CANCEL, 200, BYE) and the CDR Hotline wrote.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import dgram from 'node:dgram';
import { cdrWhere, dialling, registerPhone, type ExtensionNumber } from './harness/calls.js';
import { freePort } from './harness/ports.js';
import { EXTENSIONS, startTestServer, type TestServer } from './harness/server.js';
import { receivedMessages, runSipp, tracedMessages, type SippRun } from './harness/sipp.js';

const [ext1001, ext1002, ext1003] = EXTENSIONS;

/** A phone registered as `number` whose calls a sipp UAS scenario takes. */
async function phone(t: TestServer, number: ExtensionNumber, scenario: string) {
  const port = await freePort();
  await registerPhone(t, number, port);
  return runSipp({ scenario, server: t.sipPort, localPort: port, timeoutSeconds: 30 });
}

/** 1001 calls `number` and hangs up `holdMs` after the answer. */
function call1001(t: TestServer, number: string, holdMs = 1500, scenario = 'call-pause-bye.xml') {
  return freePort().then(
    (port) =>
      runSipp({
        scenario,
        server: t.sipPort,
        localPort: port,
        fields: [`${dialling('1001', number)};${holdMs}`],
        timeoutSeconds: 30,
      }).done,
  );
}

/** `from` dials a feature code; the call is answered and Hotline hangs it up. */
async function dialCode(t: TestServer, from: ExtensionNumber, code: string) {
  return runSipp({
    scenario: 'call-held-up.xml',
    server: t.sipPort,
    localPort: await freePort(),
    fields: [dialling(from, code)],
    timeoutSeconds: 30,
  });
}

function ok(run: SippRun, what: string): void {
  assert.equal(run.code, 0, `${what}: ${run.errors || run.stdout}`);
}

function methods(run: SippRun): string[] {
  return receivedMessages(run.messages).map((m) => m.split(' ')[0] ?? '');
}

/** Resolves once a leg of `number` is ringing (its phone sent 180). */
async function ringingAt(t: TestServer, number: string): Promise<void> {
  for (let i = 0; i < 100; i++) {
    if ([...t.server.control.legs()].some((l) => l.party.number === number && l.state === 'ringing')) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`${number} never rang`);
}

describe('extension features: forwarding', () => {
  let t: TestServer;
  before(async () => {
    t = await startTestServer({
      config: {
        extensions: [
          ext1001,
          { ...ext1002, forward: { noAnswer: '1003', busy: '1003', noAnswerTimeout: 2 } },
          ext1003,
        ],
      },
    });
  });
  after(async () => t.stop());

  it('forwards to 1003 when 1002 does not answer within its timeout; 1002 gets CANCEL', async (ctx) => {
    const since = Date.now();
    const b = await phone(t, '1002', 'ring.xml');
    const c = await phone(t, '1003', 'answer.xml');
    const caller = await call1001(t, '1002');
    const [bRun, cRun] = [await b.done, await c.done];
    ok(caller, 'the caller is answered and hangs up');
    ok(bRun, '1002 rings and is cancelled');
    ok(cRun, '1003 answers and gets the BYE');
    assert.deepEqual(methods(bRun), ['INVITE', 'CANCEL', 'ACK']);
    assert.deepEqual(methods(cRun), ['INVITE', 'ACK', 'BYE']);
    const inviteB = tracedMessages(bRun.messages).find((m) => /^INVITE/.test(m.firstLine))!;
    const inviteC = tracedMessages(cRun.messages).find((m) => /^INVITE/.test(m.firstLine))!;
    const waited = inviteC.time - inviteB.time;
    ctx.diagnostic(`1003 was rung ${waited.toFixed(2)} s after 1002`);
    assert.ok(waited >= 1.8 && waited < 4, 'after 1002’s 2 s no-answer timeout');
    const cdr = await cdrWhere(t, since, (r) => r.caller === '1001' && r.disposition === 'answered');
    ctx.diagnostic(`CDR: ${JSON.stringify(cdr)}`);
    assert.equal(cdr.callee, '1003');
    assert.equal(cdr.data?.['forwardedFrom'], '1002');
    assert.equal(cdr.data?.['forwardReason'], 'no-answer');
  });

  it('forwards to 1003 at once when 1002 answers 486', async () => {
    const since = Date.now();
    const b = await phone(t, '1002', 'busy.xml');
    const c = await phone(t, '1003', 'answer.xml');
    const caller = await call1001(t, '1002');
    const [bRun, cRun] = [await b.done, await c.done];
    ok(caller, 'the caller is answered');
    ok(bRun, '1002 answers busy');
    ok(cRun, '1003 answers');
    const cdr = await cdrWhere(t, since, (r) => r.caller === '1001' && r.disposition === 'answered');
    assert.equal(cdr.callee, '1003');
    assert.equal(cdr.data?.['forwardReason'], 'busy');
  });
});

describe('extension features: DND, ring groups and pickup', () => {
  let t: TestServer;
  before(async () => {
    t = await startTestServer({
      config: {
        extensions: [ext1001, { ...ext1002, pickupGroup: 'sales' }, { ...ext1003, pickupGroup: 'sales' }],
        ringGroups: [
          { number: '600', strategy: 'all', members: ['1002', '1003'], ringTime: 10 },
          { number: '601', strategy: 'ordered', members: ['1002', '1003'], ringTime: 2 },
        ],
      },
    });
  });
  after(async () => t.stop());

  it('*78 from 1002 turns DND on (stored), and a call to 1002 then gets 486 without ringing it', async () => {
    const since = Date.now();
    const port = await freePort();
    await registerPhone(t, '1002', port);
    const seen: string[] = [];
    const socket = dgram.createSocket('udp4');
    socket.on('message', (m) => seen.push(m.toString('utf8').split('\r\n')[0] ?? ''));
    await new Promise<void>((resolve) => socket.bind(port, '127.0.0.1', resolve));
    try {
      const set = await (await dialCode(t, '1002', '*78')).done;
      ok(set, '*78 is answered, confirmed and hung up by Hotline');
      assert.equal((await t.server.store.extensionFeatures.get('1002'))?.dnd, true, 'DND is stored');
      const caller = await call1001(t, '1002', 0, 'call-486.xml');
      ok(caller, 'the caller gets 486');
      assert.deepEqual(
        seen.filter((l) => l.startsWith('INVITE')),
        [],
        '1002’s phone gets no INVITE',
      );
      const cdr = await cdrWhere(t, since, (r) => r.caller === '1001' && r.callee === '1002');
      assert.equal(cdr.disposition, 'busy');
      assert.equal(cdr.sipCause, 486);
    } finally {
      socket.close();
      ok(await (await dialCode(t, '1002', '*79')).done, '*79 turns DND off');
    }
    assert.equal((await t.server.store.extensionFeatures.get('1002'))?.dnd, false);
  });

  it('ring group 600 (all): 1002 and 1003 ring, 1003 answers, 1002 gets CANCEL', async () => {
    const since = Date.now();
    const b = await phone(t, '1002', 'ring.xml');
    const c = await phone(t, '1003', 'answer.xml');
    const caller = await call1001(t, '600');
    const [bRun, cRun] = [await b.done, await c.done];
    ok(caller, 'the caller is answered');
    ok(bRun, '1002 rings and is cancelled');
    ok(cRun, '1003 answers');
    assert.deepEqual(methods(bRun), ['INVITE', 'CANCEL', 'ACK']);
    const cdr = await cdrWhere(t, since, (r) => r.caller === '1001' && r.disposition === 'answered');
    assert.equal(cdr.callee, '1003');
    assert.equal(cdr.data?.['ringGroup'], '600');
  });

  it('ring group 601 (ordered): 1002 rings for 2 s and is cancelled, then 1003 rings and answers', async (ctx) => {
    const since = Date.now();
    const b = await phone(t, '1002', 'ring.xml');
    const c = await phone(t, '1003', 'answer.xml');
    const caller = await call1001(t, '601');
    const [bRun, cRun] = [await b.done, await c.done];
    ok(caller, 'the caller is answered');
    ok(bRun, '1002 rings and is cancelled');
    ok(cRun, '1003 answers');
    const inviteB = tracedMessages(bRun.messages).find((m) => /^INVITE/.test(m.firstLine))!;
    const cancelB = tracedMessages(bRun.messages).find((m) => /^CANCEL/.test(m.firstLine))!;
    const turn = cancelB.time - inviteB.time;
    assert.ok(turn >= 1.8 && turn < 3.5, `1002 rang for its 2 s turn (${turn.toFixed(2)} s)`);
    const inviteC = tracedMessages(cRun.messages).find((m) => /^INVITE/.test(m.firstLine))!;
    ctx.diagnostic(`1003 rung ${(inviteC.time - cancelB.time).toFixed(3)} s after 1002's CANCEL`);
    assert.ok(inviteC.time >= cancelB.time - 0.05, '1003 rings only after 1002’s turn');
    const cdr = await cdrWhere(t, since, (r) => r.caller === '1001' && r.disposition === 'answered');
    assert.equal(cdr.callee, '1003');
  });

  for (const code of ['*8', '**1002']) {
    it(`${code} from 1003 picks up the call ringing at 1002: 1002 gets CANCEL, the caller talks to 1003`, async () => {
      const since = Date.now();
      const b = await phone(t, '1002', 'ring.xml');
      const callerRun = call1001(t, '1002', 2000);
      await ringingAt(t, '1002');
      const pick = await dialCode(t, '1003', code);
      const [caller, bRun, picker] = [await callerRun, await b.done, await pick.done];
      ok(caller, 'the caller is answered and hangs up');
      ok(bRun, '1002 stops ringing with a CANCEL');
      ok(picker, 'the picker is answered, then gets the caller’s BYE');
      assert.deepEqual(methods(bRun), ['INVITE', 'CANCEL', 'ACK']);
      assert.ok(methods(picker).includes('BYE'));
      const cdr = await cdrWhere(t, since, (r) => r.caller === '1001' && r.callee === '1003');
      assert.equal(cdr.disposition, 'answered', 'the CDR names the picker as the callee');
    });
  }
});
