/**
 * Transfers a phone asks for with REFER (RFC 3515), with real phones on every side:
 * 1001 transfers 1002 to 1003, blind (Refer-To a number) and attended (Refer-To with
 * Replaces naming 1001's consultation call with 1003, RFC 3891). Hotline carries out the
 * transfer itself, reports it to 1001 with NOTIFYs, and hangs 1001 up; 1003 must then hear
 * 1002's voice (seeded noise, matched by cross-correlation).
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { cdrWhere, dialling, mediaPort, pcapOf, registerPhone } from './harness/calls.js';
import { capturePackets, type PacketCapture } from './harness/capture.js';
import { concatAudio, rtpPackets } from './harness/pcap.js';
import { freePort } from './harness/ports.js';
import { startTestServer, type TestServer } from './harness/server.js';
import { bandNoise, matchWindows, median, toFloat } from './harness/signals.js';
import { receivedMessages, runSipp, tracedMessages, type SippRun } from './harness/sipp.js';

/** 1002 answers and talks (noise) for `upMs`, then hangs up; 1003 answers and waits for a BYE. */
async function transferees(t: TestServer, voice: Int16Array, upMs: number) {
  const [portB, portC] = [await freePort(), await freePort()];
  await registerPhone(t, '1002', portB);
  await registerPhone(t, '1003', portC);
  const mediaC = await mediaPort();
  const atC: PacketCapture = await capturePackets(`dst port ${mediaC}`);
  const b = runSipp({
    scenario: 'answer-play-hangup.xml',
    server: t.sipPort,
    localPort: portB,
    mediaPort: await mediaPort(),
    fields: [String(upMs)],
    files: { 'audio.pcap': pcapOf(voice, 0x1002) },
    timeoutSeconds: 40,
  });
  const c = runSipp({
    scenario: 'answer.xml',
    server: t.sipPort,
    localPort: portC,
    mediaPort: mediaC,
    timeoutSeconds: 40,
  });
  return { b, c, atC };
}

/** What the transferor got: 202, NOTIFY 100 then 200 (ending the subscription), then BYE. */
function assertReported(run: SippRun): void {
  assert.equal(run.code, 0, `202, NOTIFY 100, NOTIFY 200, BYE expected:\n${run.errors || run.stdout}`);
  const got = receivedMessages(run.messages);
  const notifies = got.filter((m) => /^NOTIFY /.test(m));
  assert.equal(notifies.length, 2, 'two NOTIFYs');
  assert.match(notifies[0] as string, /\r?\n\r?\nSIP\/2\.0 100/, 'the first reports 100 Trying');
  assert.match(notifies[1] as string, /\r?\n\r?\nSIP\/2\.0 200/, 'the second reports 200 OK');
  assert.match(notifies[1] as string, /^Subscription-State: *terminated/im);
  assert.ok(
    got.some((m) => /^BYE /.test(m)),
    'Hotline hangs the transferor up',
  );
}

/** 1003 heard 1002: at least 2 s of audio that is 1002's waveform. */
function assertHeard(ctx: { diagnostic(s: string): void }, heardAtC: Float32Array, voice: Int16Array): void {
  const matches = matchWindows(toFloat(voice), heardAtC);
  const good = matches.filter((m) => m.peak > 0.7).length;
  ctx.diagnostic(
    `1003 received ${(heardAtC.length / 8000).toFixed(1)} s of audio; ${good} of ${matches.length} audible ` +
      `half-second windows are 1002's voice (median peak ${median(matches.map((m) => m.peak)).toFixed(3)})`,
  );
  assert.ok(good >= 4, '1003 hears 1002 after the transfer');
}

describe('transfer by REFER', () => {
  let t: TestServer;
  before(async () => {
    t = await startTestServer();
  });
  after(async () => t.stop());

  it('blind: connects 1002 to 1003, reports 100 then 200 by NOTIFY, and hangs up 1001', async (ctx) => {
    const since = Date.now();
    const voice = bandNoise(1002, 10);
    const { b, c, atC } = await transferees(t, voice, 8000);
    const a = await runSipp({
      scenario: 'call-refer.xml',
      server: t.sipPort,
      localPort: await freePort(),
      mediaPort: await mediaPort(),
      fields: [`${dialling('1001', '1002')};2000;sip:1003@127.0.0.1`],
      files: { 'audio.pcap': pcapOf(bandNoise(1001, 3), 0x1001) },
    }).done;
    const [bRun, cRun] = [await b.done, await c.done];
    const heard = concatAudio(rtpPackets(await atC.stop()));

    assertReported(a);
    assert.equal(cRun.code, 0, `1003 answers and later gets 1002's hang-up: ${cRun.errors || cRun.stdout}`);
    assert.equal(bRun.code, 0, `1002's BYE reaches Hotline: ${bRun.errors || bRun.stdout}`);
    const [invite] = receivedMessages(cRun.messages).filter((m) => /^INVITE /.test(m));
    assert.match(invite ?? '', /^From:[^\n]*sip:1002@/im, '1003 sees 1002, the party transferred, calling');
    assertHeard(ctx, heard, voice);

    const cdr = await cdrWhere(t, since, (r) => r.caller === '1001' && r.disposition === 'answered');
    ctx.diagnostic(`CDR: ${JSON.stringify(cdr)}`);
    assert.equal(cdr.callee, '1003', 'the CDR names the party the call ended with');
  });

  it('attended: bridges 1002 and 1003 when 1001 refers with Replaces, and hangs up both of 1001’s calls', async (ctx) => {
    const since = Date.now();
    const voice = bandNoise(2002, 12);
    const { b, c, atC } = await transferees(t, voice, 10000);
    // 1001's consultation call to 1003 first; it logs its dialog for the Replaces.
    const consult = runSipp({
      scenario: 'call-consult.xml',
      server: t.sipPort,
      localPort: await freePort(),
      mediaPort: await mediaPort(),
      fields: [dialling('1001', '1003')],
      timeoutSeconds: 40,
    });
    const dialog = await consultDialog(consult.dir);
    // RFC 3891 §3: Replaces = call-id ;to-tag ;from-tag, from the sender's point of view,
    // escaped as a header of the Refer-To URI (RFC 3261 §19.1.1).
    const replaces = encodeURIComponent(
      `${dialog.callId};to-tag=${dialog.hotlineTag};from-tag=${dialog.ourTag}`,
    );
    const a = await runSipp({
      scenario: 'call-refer.xml',
      server: t.sipPort,
      localPort: await freePort(),
      mediaPort: await mediaPort(),
      fields: [`${dialling('1001', '1002')};1500;sip:1003@127.0.0.1?Replaces=${replaces}`],
      files: { 'audio.pcap': pcapOf(bandNoise(1001, 3), 0x1001) },
    }).done;
    const consultRun = await consult.done;
    const [bRun, cRun] = [await b.done, await c.done];
    const heard = concatAudio(rtpPackets(await atC.stop()));

    assertReported(a);
    assert.equal(
      consultRun.code,
      0,
      `the consultation call is hung up: ${consultRun.errors || consultRun.stdout}`,
    );
    const referSent = tracedMessages(a.messages).find(
      (m) => m.direction === 'sent' && /^REFER /.test(m.firstLine),
    );
    const consultBye = tracedMessages(consultRun.messages).find(
      (m) => m.direction === 'received' && /^BYE /.test(m.firstLine),
    );
    assert.ok(referSent && consultBye && consultBye.time - referSent.time < 3, 'promptly after the REFER');
    assert.equal(cRun.code, 0, `1003 stays up until 1002 hangs up: ${cRun.errors || cRun.stdout}`);
    assert.equal(bRun.code, 0, bRun.errors || bRun.stdout);
    assertHeard(ctx, heard, voice);

    // Two calls, two CDRs: the consultation, and 1002's call, which went on with 1003
    // until 1002 hung up.
    const talk = await cdrWhere(t, since, (r) => r.caller === '1001' && r.hangupBy === 'callee');
    const consultation = await cdrWhere(t, since, (r) => r.caller === '1001' && r.callId !== talk.callId);
    ctx.diagnostic(`CDRs: ${JSON.stringify([talk, consultation])}`);
    assert.equal(talk.callee, '1003', 'the transferred call names the party it ended with');
    assert.equal(talk.disposition, 'answered');
    assert.ok(talk.durationMs >= 8000, `it lasted until 1002 hung up (${talk.durationMs} ms)`);
    assert.equal(consultation.disposition, 'answered');
    assert.ok(consultation.endedAt <= talk.endedAt - 5000, 'the consultation ended at the transfer');
  });
});

/** Waits for call-consult.xml's log line: "dialog CALL-ID HOTLINE-TAG OUR-TAG". */
async function consultDialog(dir: string): Promise<{ callId: string; hotlineTag: string; ourTag: string }> {
  const file = path.join(dir, 'logs.log');
  for (let i = 0; i < 100; i++) {
    const line = existsSync(file) ? /^dialog (\S+) (\S+) (\S+)$/m.exec(readFileSync(file, 'utf8')) : null;
    if (line) return { callId: line[1] as string, hotlineTag: line[2] as string, ourTag: line[3] as string };
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`the consultation call was not answered within 10 s (no dialog in ${file})`);
}
