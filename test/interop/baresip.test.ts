import { after, before, describe, it, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { EXTENSIONS, startTestServer, type TestServer } from './harness/server.js';
import { speechWav, startBaresip, type Baresip } from './harness/baresip.js';
import { bestLag, dbfs, readWav, rms } from './harness/wav.js';

const [ext1001] = EXTENSIONS;
/** How long each call stays up: long enough for the echo to carry most of the speech. */
const HOLD_MS = 4000;
/**
 * sndfile records sample streams, not wall-clock time: each file starts with the first frame
 * of its direction, so the echo lines up at lag 0 unless its first packets were lost (a
 * negative lag) or the jitter buffer padded its start (positive). Search half a second each way.
 */
const MAX_LAG_S = 0.5;

/**
 * Speech rather than a tone: it is broadband and never periodic, so its cross-correlation
 * with the echo has a single sharp peak at the true delay — a steady tone would match at
 * every period, and anything else that hums would pass for an echo.
 */
const VOICE = 'Hotline echo test. One, two, three, four, five, six, seven.';

function startPhone(t: TestServer, voice: string, transport: 'udp' | 'tcp'): Promise<Baresip> {
  return startBaresip({
    server: t.sipPort,
    user: ext1001.number,
    password: ext1001.password,
    transport,
    audioSource: voice,
  });
}

async function cdrFor(t: TestServer, callId: string) {
  // CDRs are written as the call ends; give the batch writer a moment.
  for (let i = 0; i < 50; i++) {
    // The CDR's callId is Hotline's own; the phone's SIP Call-ID is in its data.
    const row = (await t.server.store.cdrs.list({ limit: 50 })).find((r) => r.data?.['sipCallId'] === callId);
    if (row) return row;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`no CDR written for Call-ID ${callId}`);
}

function assertRegistered(t: TestServer, phone: Baresip, transport: 'UDP' | 'TCP') {
  const bindings = t.server.location.lookup(ext1001.number);
  const mine = bindings.find((b) => b.contactUri.includes(`@127.0.0.1:${phone.sipPort}`));
  assert.ok(mine, `a binding for baresip's contact (port ${phone.sipPort}): ${JSON.stringify(bindings)}`);
  assert.match(mine.userAgent ?? '', /baresip/);
  assert.equal(mine.source.transport, transport);
}

/** Dials *43, holds the call, hangs up, and returns the Call-ID baresip used. */
async function callEcho(t: TestServer, phone: Baresip): Promise<string> {
  const since = phone.mark();
  await phone.command('dial', `sip:*43@127.0.0.1:${t.sipPort}`);
  const established = await phone.waitFor('CALL_ESTABLISHED', { since, timeoutMs: 5000 });
  assert.ok(established.id, 'CALL_ESTABLISHED carries the Call-ID');
  await new Promise((r) => setTimeout(r, HOLD_MS));
  await phone.command('hangup');
  const closed = await phone.waitFor('CALL_CLOSED', { since, timeoutMs: 5000 });
  assert.equal(closed.id, established.id);
  return established.id;
}

async function assertEchoCdr(t: TestServer, callId: string) {
  const cdr = await cdrFor(t, callId);
  assert.equal(cdr.caller, ext1001.number);
  assert.equal(cdr.callee, '*43');
  assert.equal(cdr.disposition, 'answered');
  assert.equal(cdr.hangupBy, 'caller');
  assert.ok(cdr.answeredAt !== undefined, 'answered');
  assert.ok(cdr.durationMs >= HOLD_MS - 500, `talk time ${cdr.durationMs} ms`);
  return cdr;
}

/**
 * The audio proof, from baresip's own recordings and not from Hotline's counters: what it
 * decoded from the network is loud (not silence) and is its own voice, delayed.
 */
function assertHeardItsOwnVoice(ctx: TestContext, phone: Baresip) {
  const files = phone.recordings();
  const sent = readWav(files.sent);
  const received = readWav(files.received);
  assert.equal(received.sampleRate, 8000);
  const [sentLevel, receivedLevel] = [rms(sent.samples), rms(received.samples)];
  const match = bestLag(sent.samples, received.samples, MAX_LAG_S * received.sampleRate);
  const seconds = (n: number) => (n / received.sampleRate).toFixed(2);
  ctx.diagnostic(
    `sent ${seconds(sent.samples.length)} s at ${dbfs(sentLevel).toFixed(1)} dBFS, ` +
      `received ${seconds(received.samples.length)} s at ${dbfs(receivedLevel).toFixed(1)} dBFS; ` +
      `correlation ${match.peak.toFixed(4)} at ${((1000 * match.lag) / received.sampleRate).toFixed(0)} ms`,
  );
  assert.ok(
    received.samples.length >= (HOLD_MS / 1000 - 1) * 8000,
    'baresip decoded audio for most of the call',
  );
  // Decoded digital silence is exactly 0; the espeak voice sits near -25 dBFS.
  assert.ok(
    dbfs(receivedLevel) > -40,
    `received audio at ${dbfs(receivedLevel).toFixed(1)} dBFS is not silence`,
  );
  // An echo neither amplifies nor attenuates (G.711 both ways keeps the level within ~1 dB).
  assert.ok(
    receivedLevel > 0.5 * sentLevel && receivedLevel < 2 * sentLevel,
    `echo level ${receivedLevel.toFixed(4)} vs sent ${sentLevel.toFixed(4)}`,
  );
  assert.ok(
    match.peak > 0.5,
    `received audio correlates with the sent voice (peak ${match.peak.toFixed(3)})`,
  );
}

describe('Interop with baresip (Debian baresip-core), headless: it registers and calls *43', () => {
  let scratch: string;
  let voice: string;
  before(() => {
    scratch = mkdtempSync(path.join(tmpdir(), 'baresip-voice-'));
    voice = speechWav(path.join(scratch, 'voice.wav'), VOICE);
  });
  after(() => rmSync(scratch, { recursive: true, force: true }));

  it('registers with the default configuration', async () => {
    // baresip 1.0.0's SIP stack (libre 1.1.0) gives up with ENOSYS ("Function not
    // implemented") as soon as any WWW-Authenticate names an algorithm other than MD5, even
    // when an MD5 challenge comes first; this is why MD5 alone is the default challenge.
    const t = await startTestServer();
    const phone = await startPhone(t, voice, 'udp');
    try {
      await phone.registered();
      assertRegistered(t, phone, 'UDP');
    } finally {
      await phone.stop();
      await t.stop();
    }
  });

  describe('in calls', () => {
    let t: TestServer;
    before(async () => {
      t = await startTestServer();
    });
    after(async () => t.stop());

    it('registers over UDP, calls *43 and hears its own voice come back', async (ctx) => {
      const phone = await startPhone(t, voice, 'udp');
      try {
        await phone.registered();
        assertRegistered(t, phone, 'UDP');
        const callId = await callEcho(t, phone);
        assert.match(phone.log(), new RegExp(`^UDP \\S+ -> 127\\.0\\.0\\.1:${t.sipPort}\\nINVITE `, 'm'));
        await assertEchoCdr(t, callId);
        assertHeardItsOwnVoice(ctx, phone);
      } finally {
        await phone.stop();
      }
    });

    it('registers over TCP on the same port and calls *43 there', async (ctx) => {
      const phone = await startPhone(t, voice, 'tcp');
      try {
        await phone.registered();
        assertRegistered(t, phone, 'TCP');
        const callId = await callEcho(t, phone);
        // baresip's own SIP trace: the INVITE went over TCP to Hotline's SIP port.
        assert.match(phone.log(), new RegExp(`^TCP \\S+ -> 127\\.0\\.0\\.1:${t.sipPort}\\nINVITE `, 'm'));
        await assertEchoCdr(t, callId);
        assertHeardItsOwnVoice(ctx, phone);
      } finally {
        await phone.stop();
      }
    });
  });
});
