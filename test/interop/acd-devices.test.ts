/**
 * Agents' devices with real peers. Agent 1002 is a mobile agent: the ACD reaches it through
 * the outbound route and a sipp "carrier" trunk, and the caller hears "agent number 8001 is
 * serving you" before the agent's audio (the queue's announceAgent). Agent 1003 works on a
 * persistent connection (常摘机): its sipp phone is called once at login and answered, two
 * queue calls in a row are put through to it with a beep and no new INVITE, and hanging the
 * phone up makes the agent not ready (DEVICE_DISCONNECTED).
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { Speech } from '../../src/call/control/speech.js';
import { EspeakProvider, TtsCache, ttsCacheDir } from '../../src/media/tts/index.js';
import { systemClock } from '../../src/platform/clock.js';
import { createLogger } from '../../src/platform/log.js';
import { callFrom1001, events, queueLogOf, ran, until, untilIdle } from './harness/acd.js';
import { cdrWhere, dialling, mediaPort, pcapOf, registerPhone } from './harness/calls.js';
import { capturePackets } from './harness/capture.js';
import { concatAudio, decodePacket, rtpPackets, type RtpPacket } from './harness/pcap.js';
import { freePort } from './harness/ports.js';
import { startTestServer, type TestServer } from './harness/server.js';
import { matchWindows, sine, toDb, tonePower } from './harness/signals.js';
import { receivedMessages, runSipp } from './harness/sipp.js';
import { readWav } from './harness/wav.js';

const MOBILE_DID = '96130';
const DESK_DID = '96131';
const MOBILE = '13900139000';
/** The caller's tone, echoed back by the agent's side once they are bridged. */
const CALLER_HZ = 1000;
/** The ACD's beep on a persistent connection: the call-waiting tone (China, 450 Hz). */
const BEEP_HZ = 450;

/** Packets in which `hz` carries most of the sound (a tone, not speech or music). */
function toneIn(packets: readonly RtpPacket[], hz: number): RtpPacket[] {
  return packets.filter((p) => {
    const audio = decodePacket(p);
    if (audio === undefined) return false;
    let power = 0;
    for (const x of audio) power += x * x;
    power /= audio.length;
    return toDb(tonePower(audio, hz)) > -30 && tonePower(audio, hz) > 0.8 * power;
  });
}

/** Runs of packets at most `gapSeconds` apart. */
function bursts(packets: readonly RtpPacket[], gapSeconds = 0.3): number {
  let count = 0;
  let last = -Infinity;
  for (const p of [...packets].sort((a, b) => a.time - b.time)) {
    if (p.time - last > gapSeconds) count++;
    last = p.time;
  }
  return count;
}

/** The announcement as Hotline spoke it: the same TTS request, from the server's cache. */
async function spokenAnnouncement(t: TestServer, digits: string): Promise<Float32Array> {
  const logger = createLogger({ level: 'silent' });
  const provider = new EspeakProvider({
    voices: { 'zh-CN': t.config.tts.voiceZh, en: t.config.tts.voiceEn },
    clock: systemClock,
    logger,
  });
  try {
    const cache = new TtsCache({ dir: ttsCacheDir(t.dataDir), provider, logger });
    const speech = new Speech(cache, 'en', logger, { rate: t.config.tts.rate });
    const [item] = await speech.prompt('agent-number', { digits });
    assert.ok(item && 'file' in item, 'the announcement was synthesized');
    return readWav(item.file).samples;
  } finally {
    await provider.close();
  }
}

describe('agent devices: mobile agents, persistent connections, agent number announcement', () => {
  let t: TestServer;
  let carrier: { port: number; done: Promise<Awaited<ReturnType<typeof runSipp>['done']>> };
  before(async () => {
    const port = await freePort();
    // The carrier answers the call to the mobile and echoes what it hears.
    const run = runSipp({
      scenario: 'answer.xml',
      server: 5060, // unused: a UAS answers where requests come from
      localPort: port,
      mediaPort: await mediaPort(),
      extra: ['-rtp_echo'],
      timeoutSeconds: 90,
    });
    carrier = { port, done: run.done };
    t = await startTestServer({
      config: {
        tts: { language: 'en', rate: 1.5 },
        trunks: [{ name: 'carrier', host: '127.0.0.1', port, options: { interval: 0 } }],
        outbound: { routes: [{ name: 'mobiles', patterns: ['_1[3-9]XXXXXXXXX'], trunks: ['carrier'] }] },
        inbound: {
          numbers: [
            { number: MOBILE_DID, destination: { type: 'queue', queue: 'mobile' } },
            { number: DESK_DID, destination: { type: 'queue', queue: 'desk' } },
          ],
        },
        acd: {
          queues: [
            { name: 'mobile', announceAgent: true, ringTimeoutSeconds: 15 },
            { name: 'desk', wrapUpSeconds: 0 },
          ],
          agents: [
            {
              agent: '1002',
              workNumber: '8001',
              device: { type: 'external', number: MOBILE },
              queues: [{ queue: 'mobile' }],
            },
            { agent: '1003', device: { persistent: { autoAnswerMs: 300 } }, queues: [{ queue: 'desk' }] },
          ],
        },
      },
    });
  });
  after(async () => t.stop());

  it('rings a mobile agent through the carrier trunk, and the caller hears its number before its voice', async (ctx) => {
    t.server.acd.login('1002', undefined, { ready: true });
    const since = Date.now();
    const callerMedia = await mediaPort();
    const heard = await capturePackets(`dst port ${callerMedia}`);
    const caller = await runSipp({
      scenario: 'call-play.xml',
      server: t.sipPort,
      localPort: await freePort(),
      mediaPort: callerMedia,
      fields: [`${dialling('1001', MOBILE_DID)};9000`],
      files: { 'audio.pcap': pcapOf(sine(CALLER_HZ, 12, -12), 0x7100) },
      timeoutSeconds: 40,
    }).done;
    const packets = rtpPackets(await heard.stop());
    ran(caller, '1001 calling the mobile queue');
    const mobile = await carrier.done;
    ran(mobile, 'the carrier answered the call to the mobile and took the BYE');
    const invite = receivedMessages(mobile.messages).find((m) => /^INVITE /.test(m)) ?? '';
    assert.match(invite, new RegExp(`^INVITE sip:${MOBILE}@`), 'the mobile number went to the carrier');

    const cdr = await cdrWhere(t, since, (c) => c.caller === '1001' && c.data?.['queue'] === 'mobile');
    ctx.diagnostic(`CDR: ${JSON.stringify(cdr)}`);
    assert.equal(cdr.data?.['agent'], '1002');
    assert.equal(cdr.data?.['trunk'], 'carrier');
    assert.equal(cdr.callee, MOBILE);
    const rows = await queueLogOf(t, cdr.callId, 'COMPLETECALLER');
    assert.deepEqual(events(rows), ['ENTERQUEUE:NONE', 'CONNECT:1002', 'COMPLETECALLER:1002']);

    // The agent's side: the caller's own tone coming back through the mobile.
    const echoed = toneIn(packets, CALLER_HZ);
    assert.ok(echoed.length >= 100, `the caller heard the mobile agent (${echoed.length} packets of echo)`);
    const agentFrom = Math.min(...echoed.map((p) => p.time));
    const ordered = [...packets].sort((a, b) => a.time - b.time);
    const before = ordered.filter((p) => p.time < agentFrom);
    const afterwards = ordered.filter((p) => p.time >= agentFrom);
    const announcement = await spokenAnnouncement(t, '8001');
    const matched = (ps: RtpPacket[]) => {
      const w = matchWindows(announcement, concatAudio(ps), { windowSeconds: 0.25 });
      ctx.diagnostic(`peaks: ${w.map((x) => x.peak.toFixed(2)).join(' ')}`);
      return w.filter((x) => x.peak > 0.8).length;
    };
    const [early, late] = [matched(before), matched(afterwards)];
    ctx.diagnostic(`announcement windows: ${early} before the agent's audio, ${late} after`);
    assert.ok(early >= 4, 'the caller heard at least a second of "agent number 8001 …" first');
    assert.equal(late, 0, 'and none of it over the agent');
  });

  it('calls a persistent agent once at login and puts two queue calls through without a new INVITE', async (ctx) => {
    const since = Date.now();
    const port = await freePort();
    await registerPhone(t, '1003', port);
    const phoneMedia = await mediaPort();
    const heard = await capturePackets(`dst port ${phoneMedia}`);
    const phone = runSipp({
      scenario: 'answer.xml',
      server: t.sipPort,
      localPort: port,
      mediaPort: phoneMedia,
      extra: ['-rtp_echo'],
      timeoutSeconds: 60,
    }).done;
    const login = t.server.acd.login('1003', undefined, { ready: true });
    assert.equal(login.presence, 'notReady', 'ready only once the connection is up');
    await until(
      () => t.server.acd.agentStatus(['1003'])[0]?.presence === 'ready',
      '1003 connected and ready',
    );

    for (const n of [1, 2]) {
      ran(await callFrom1001(t, DESK_DID, 2000), `queue call ${n}`);
      await untilIdle(t, ['1003']);
    }
    t.server.acd.logout('1003');
    const run = await phone;
    const packets = rtpPackets(await heard.stop());
    ran(run, '1003 answered the connection once and took the BYE at logout');
    const invites = receivedMessages(run.messages).filter((m) => /^INVITE /.test(m));
    assert.equal(invites.length, 1, 'one INVITE for both calls');

    const cdrs = (await t.server.store.cdrs.list({ limit: 50 })).filter((c) => c.startedAt >= since);
    const queued = cdrs.filter((c) => c.data?.['queue'] === 'desk');
    ctx.diagnostic(`CDRs: ${JSON.stringify(cdrs.map((c) => [c.caller, c.callee, c.disposition, c.data]))}`);
    assert.equal(queued.length, 2);
    for (const c of queued) {
      assert.equal(c.callee, '1003');
      assert.equal(c.data?.['queueResult'], 'answered');
      const rows = await queueLogOf(t, c.callId, 'COMPLETECALLER');
      assert.deepEqual(events(rows), ['ENTERQUEUE:NONE', 'CONNECT:1003', 'COMPLETECALLER:1003']);
    }
    const connection = cdrs.find((c) => c.data?.['acdDevice'] === 'persistent');
    assert.equal(connection?.disposition, 'answered', 'the connection itself has a CDR');
    const beeps = bursts(toneIn(packets, BEEP_HZ));
    ctx.diagnostic(`1003 heard ${beeps} beeps`);
    assert.equal(beeps, 2, 'a beep before each call');
  });

  it('makes a persistent agent not ready (DEVICE_DISCONNECTED) when its phone hangs up', async () => {
    const port = await freePort();
    await registerPhone(t, '1003', port);
    const phone = runSipp({
      scenario: 'answer-hangup.xml',
      server: t.sipPort,
      localPort: port,
      mediaPort: await mediaPort(),
      timeoutSeconds: 30,
    }).done;
    t.server.acd.login('1003', undefined, { ready: true });
    await until(() => t.server.acd.agentStatus(['1003'])[0]?.presence === 'ready', '1003 connected');
    ran(await phone, '1003 answered and hung up');
    await until(
      () => t.server.acd.agentStatus(['1003'])[0]?.reason === 'DEVICE_DISCONNECTED',
      '1003 not ready with DEVICE_DISCONNECTED',
    );
    assert.equal(t.server.acd.agentStatus(['1003'])[0]?.presence, 'notReady');
    t.server.acd.logout('1003');
  });
});
