/**
 * Voicemail and message-waiting with real phones. sipp registered as 1001 takes the MWI
 * NOTIFYs; 1002 calls *961001 and leaves 3 s of seeded noise after the greeting and the
 * beep; 1001 dials *97, enters its PIN as RFC 4733 key presses, hears the message, and
 * deletes it with 7. The lamp follows: off, on with 1/0, off again. Last, a phone that
 * subscribes to message-summary gets its NOTIFYs in the subscription.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { encodeWav } from '../../src/media/audio/index.js';
import type { StoredVoicemailMessage } from '../../src/report/voicemail.js';
import { cdrWhere, credentials, dialling, mediaPort, pcapOf, registerPhone } from './harness/calls.js';
import { capturePackets } from './harness/capture.js';
import { writeKeyPressPcap } from './harness/dtmf-pcap.js';
import { audible, concatAudio, rtpPackets } from './harness/pcap.js';
import { freePort } from './harness/ports.js';
import { startTestServer, type TestServer } from './harness/server.js';
import { bandNoise, matchWindows, median, sine, toFloat } from './harness/signals.js';
import { receivedMessages, runSipp, type SippRun } from './harness/sipp.js';
import { inspectWav } from './harness/wav.js';

const PIN = '1234';
/** What 1002 says: 2.5 s of silence (the greeting and the beep), then 3 s of noise. */
const LEAD_SECONDS = 2.5;
const voice = bandNoise(4242, 3);

/** The NOTIFY bodies a sipp run received, in order. */
function notifies(run: SippRun): string[] {
  return receivedMessages(run.messages).filter((m) => /^NOTIFY /.test(m));
}

async function messagesOf(t: TestServer, count: number): Promise<StoredVoicemailMessage[]> {
  for (let i = 0; i < 50; i++) {
    const rows = await t.server.store.voicemail.listMailbox('1001');
    if (rows.length >= count) return rows;
    await new Promise((r) => setTimeout(r, 100));
  }
  return t.server.store.voicemail.listMailbox('1001');
}

describe('voicemail with real phones', () => {
  let t: TestServer;
  let scratch: string;
  let phone: { done: Promise<SippRun> };
  let left: StoredVoicemailMessage;

  before(async () => {
    scratch = mkdtempSync(path.join(tmpdir(), 'hotline-vm-'));
    // A recorded greeting of one second keeps the time to the beep known.
    const greeting = path.join(scratch, 'greeting-1001.wav');
    writeFileSync(greeting, encodeWav({ encoding: 'pcm16', sampleRate: 8000, channels: 1 }, sine(600, 1)));
    t = await startTestServer({
      config: {
        // English at 1.5× keeps the prompts short; no OPTIONS reach the sipp phone.
        tts: { language: 'en', rate: 1.5 },
        registrar: { qualifyInterval: 0 },
        voicemail: { boxes: [{ mailbox: '1001', pin: PIN, greeting }] },
      },
    });
  });
  after(async () => {
    await t.stop();
    rmSync(scratch, { recursive: true, force: true });
  });

  it('records a message left on *961001 into 1001’s folder, with its row, and lights 1001’s lamp', async (ctx) => {
    const since = Date.now();
    const phonePort = await freePort();
    // Three NOTIFYs are due: the message (1/0), heard (0/1), deleted (0/0). Registering with
    // nothing new waiting sends none.
    phone = runSipp({
      scenario: 'notify-200.xml',
      server: t.sipPort,
      localPort: phonePort,
      calls: 3,
      timeoutSeconds: 150,
    });
    await registerPhone(t, '1001', phonePort);
    const silence = new Int16Array(LEAD_SECONDS * 8000);
    const run = await runSipp({
      scenario: 'call-play.xml',
      server: t.sipPort,
      localPort: await freePort(),
      mediaPort: await mediaPort(),
      fields: [`${dialling('1002', '*961001')};6000`],
      files: { 'audio.pcap': pcapOf(Int16Array.from([...silence, ...voice]), 0x0961) },
    }).done;
    assert.equal(run.code, 0, run.errors || run.stdout);

    const cdr = await cdrWhere(t, since, (c) => c.caller === '1002' && c.callee === '*961001');
    assert.equal(cdr.disposition, 'answered');
    const [row] = await messagesOf(t, 1);
    ctx.diagnostic(`message row: ${JSON.stringify(row)}`);
    assert.ok(row, 'the message row');
    left = row;
    assert.equal(row.callId, cdr.callId);
    assert.equal(row.caller, '1002');
    assert.equal(row.heard, false);
    assert.equal(path.dirname(row.path), path.join(t.dataDir, 'voicemail', '1001'));
    assert.match(path.basename(row.path), new RegExp(`^\\d{8}T\\d{6}Z-${cdr.callId}\\.wav$`));
    const bytes = readFileSync(row.path);
    assert.equal(bytes.length, row.bytes, 'the size in the row');
    assert.equal(createHash('sha256').update(bytes).digest('hex'), row.sha256, 'the SHA-256 in the row');
    const wav = inspectWav(row.path);
    assert.deepEqual([wav.formatTag, wav.bitsPerSample, wav.sampleRate, wav.channelCount], [1, 16, 8000, 1]);
    assert.equal(wav.dataSize, wav.dataBytesPresent, 'the file is complete');
    assert.ok(row.durationMs > 3000 && row.durationMs < 5500, `${row.durationMs} ms recorded`);
    const matches = matchWindows(toFloat(voice), wav.channels[0] as Float32Array);
    const similarity = median(matches.map((m) => m.peak));
    ctx.diagnostic(`recording vs what 1002 said: ${similarity.toFixed(3)} over ${matches.length} windows`);
    assert.ok(matches.length >= 4 && similarity > 0.7, 'the file holds the caller’s voice');
  });

  it('lets 1001 hear the message on *97 with its PIN and delete it with 7, and puts the lamp out', async (ctx) => {
    const since = Date.now();
    const media = await mediaPort();
    const keys = path.join(scratch, 'keys.pcap');
    // The PIN and # 3 s after the answer; 7 once the message and the menu have been heard.
    writeKeyPressPcap(keys, [
      ...[...`${PIN}#`].map((key, i) => ({ key, at: i * 0.4 })),
      { key: '7', at: 28 },
    ]);
    const capture = await capturePackets(`dst port ${media}`);
    const run = await runSipp({
      scenario: 'call-keys-until-bye.xml',
      server: t.sipPort,
      localPort: await freePort(),
      mediaPort: media,
      fields: [`${dialling('1001', '*97')};3000`],
      files: { 'keys.pcap': keys },
      timeoutSeconds: 100,
    }).done;
    const packets = rtpPackets(await capture.stop());
    assert.equal(run.code, 0, `Hotline hangs up after the last message: ${run.errors || run.stdout}`);

    const cdr = await cdrWhere(t, since, (c) => c.caller === '1001' && c.callee === '*97');
    assert.equal(cdr.data?.voicemailBox, '1001', 'the PIN opened the box');
    const stored = await t.server.store.voicemail.get(left.id);
    assert.ok(stored?.deletedAt !== undefined, 'the message is deleted');
    assert.equal(stored.heard, true, 'played to its end first');
    assert.deepEqual(await t.server.store.voicemail.counts('1001'), { newCount: 0, oldCount: 0 });

    const heard = concatAudio(audible(packets));
    const matches = matchWindows(toFloat(voice), heard).filter((m) => m.peak > 0.7);
    ctx.diagnostic(`${packets.length} packets to 1001, ${matches.length} half-seconds of them the message`);
    assert.ok(matches.length >= 4, 'at least 2 s of what 1001 heard is the message');

    const lamp = await phone.done;
    assert.equal(lamp.code, 0, lamp.errors || lamp.stdout);
    const bodies = notifies(lamp);
    ctx.diagnostic(`NOTIFYs to 1001:\n${bodies.join('\n---\n')}`);
    assert.equal(bodies.length, 3);
    for (const n of bodies) {
      assert.match(n, /^Event: message-summary\r?$/m);
      assert.match(n, /^Content-Type: application\/simple-message-summary\r?$/m);
      assert.match(n, /^Message-Account: sip:1001@hotline\.local\r?$/m);
    }
    assert.match(bodies[0]!, /Messages-Waiting: yes[^]*Voice-Message: 1\/0 \(0\/0\)/, 'the message left');
    assert.match(bodies[1]!, /Messages-Waiting: no[^]*Voice-Message: 0\/1/, 'heard');
    assert.match(bodies[2]!, /Messages-Waiting: no[^]*Voice-Message: 0\/0/, 'deleted');
  });

  it('takes a SUBSCRIBE to message-summary from 1001, NOTIFYs in its dialog, and ends it on Expires: 0', async (ctx) => {
    await t.server.store.voicemail.insert({ ...left, receivedAt: Date.now() });
    const run = await runSipp({
      scenario: 'subscribe-mwi.xml',
      server: t.sipPort,
      localPort: await freePort(),
      fields: [`1001;${credentials('1001')}`],
    }).done;
    assert.equal(run.code, 0, run.errors || run.stdout);
    const received = receivedMessages(run.messages);
    ctx.diagnostic(received.join('\n---\n'));
    const ok = received.find((m) => /^SIP\/2\.0 200[^]*CSeq: 2 SUBSCRIBE/.test(m));
    assert.match(ok ?? '', /^Expires: 600\r?$/m);
    const [first, last] = received.filter((m) => /^NOTIFY /.test(m));
    assert.match(first ?? '', /^Subscription-State: active;expires=(600|599)\r?$/m);
    assert.match(first ?? '', /Messages-Waiting: yes[^]*Voice-Message: 1\/0/);
    assert.match(last ?? '', /^Subscription-State: terminated;reason=timeout\r?$/m);
  });
});
