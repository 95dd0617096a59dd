/**
 * An extension dialling out: the outbound route (pattern, strip, trunk order) picks two sipp
 * carriers; the first answers 503 and the second carries the call, with g711a audio from the
 * extension reaching it through Hotline. An extension whose permission class is `internal`
 * is refused a national number with 403 (emergency numbers are covered by routing's unit
 * tests).
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { cdrWhere, dialling, mediaPort } from './harness/calls.js';
import { capturePackets } from './harness/capture.js';
import { rtpPackets } from './harness/pcap.js';
import { freePort } from './harness/ports.js';
import { EXTENSIONS, startTestServer, type TestServer } from './harness/server.js';
import { receivedMessages, runSipp, type SippRun } from './harness/sipp.js';

/** A sipp carrier waiting on a free port. */
async function carrier(scenario: string, extra: string[] = []) {
  const port = await freePort();
  const media = await mediaPort();
  const run = runSipp({
    scenario,
    server: 5060, // unused: a UAS answers where requests come from
    localPort: port,
    mediaPort: media,
    calls: 1,
    timeoutSeconds: 40,
    extra,
  });
  await new Promise((r) => setTimeout(r, 300));
  return { port, media, done: run.done };
}

function inviteUser(run: SippRun): string | undefined {
  const invite = receivedMessages(run.messages).find((m) => /^INVITE /.test(m));
  return invite ? /^INVITE sip:([^@]+)@/.exec(invite)?.[1] : undefined;
}

describe('outbound routing through trunks', () => {
  let t: TestServer;
  let first: Awaited<ReturnType<typeof carrier>>;
  let second: Awaited<ReturnType<typeof carrier>>;
  before(async () => {
    first = await carrier('trunk-503.xml');
    second = await carrier('answer.xml', ['-rtp_echo']);
    t = await startTestServer({
      config: {
        extensions: EXTENSIONS.map((e) => (e.number === '1003' ? { ...e, permission: 'internal' } : e)),
        trunks: [
          { name: 'telecom', host: '127.0.0.1', port: first.port, options: { interval: 0 } },
          { name: 'unicom', host: '127.0.0.1', port: second.port, options: { interval: 0 } },
        ],
        trunkGroups: [
          {
            name: 'carriers',
            strategy: 'failover',
            trunks: [{ trunk: 'telecom' }, { trunk: 'unicom' }],
          },
        ],
        outbound: {
          areaCode: '010',
          routes: [
            { name: 'national', patterns: ['_01[3-9]XXXXXXXXX'], strip: 1, trunks: ['carriers'] },
            { name: 'emergency', patterns: ['110'], trunks: ['carriers'] },
          ],
        },
      },
    });
  });
  after(async () => t.stop());

  it('fails over from a carrier answering 503 to the next, which carries the call and its audio', async (ctx) => {
    const since = Date.now();
    const toSecond = await capturePackets(`dst port ${second.media}`);
    const run = await runSipp({
      scenario: 'call.xml',
      server: t.sipPort,
      localPort: await freePort(),
      mediaPort: await mediaPort(),
      fields: [dialling('1001', '013800138000')],
    }).done;
    const [a, b] = [await first.done, await second.done];
    const heard = rtpPackets(await toSecond.stop());
    assert.equal(run.code, 0, run.errors || run.stdout);
    assert.equal(a.code, 0, `the first carrier got the INVITE and refused it: ${a.errors || a.stdout}`);
    assert.equal(b.code, 0, `the second carrier answered and took the BYE: ${b.errors || b.stdout}`);
    assert.equal(inviteUser(a), '13800138000', 'the route stripped the leading 0');
    assert.equal(inviteUser(b), '13800138000');
    ctx.diagnostic(`the second carrier received ${heard.length} RTP packets`);
    assert.ok(heard.length >= 200, 'the extension’s audio reached the carrier through Hotline');
    const cdr = await cdrWhere(t, since, (c) => c.caller === '1001');
    ctx.diagnostic(`CDR: ${JSON.stringify(cdr)}`);
    assert.equal(cdr.disposition, 'answered');
    assert.equal(cdr.data?.['trunk'], 'unicom');
  });

  it('refuses a national number to an internal-only extension with 403 and rings no carrier', async () => {
    const run = await runSipp({
      scenario: 'call-403.xml',
      server: t.sipPort,
      localPort: await freePort(),
      fields: [dialling('1003', '013800138000')],
    }).done;
    assert.equal(run.code, 0, `403 expected: ${run.errors || run.stdout}`);
  });
});
