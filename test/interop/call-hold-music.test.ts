/**
 * A phone's own hold with real phones: 1001 puts 1002 on hold with a re-INVITE (a=sendonly).
 * Hotline answers it itself (a=recvonly) and does not pass it on, and 1002 hears music on
 * hold until 1001 resumes. The caller sends no audio at all, so any sound reaching 1002 is
 * Hotline's own.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { cdrWhere, dialling, mediaPort, registerPhone } from './harness/calls.js';
import { capturePackets } from './harness/capture.js';
import { audible, concatAudio, rtpPackets } from './harness/pcap.js';
import { freePort } from './harness/ports.js';
import { startTestServer, type TestServer } from './harness/server.js';
import { matchWindows, median } from './harness/signals.js';
import { receivedMessages, runSipp, tracedMessages, type TracedMessage } from './harness/sipp.js';
import { readWav } from './harness/wav.js';

function when(trace: TracedMessage[], direction: 'sent' | 'received', test: RegExp): number {
  const m = trace.find((x) => x.direction === direction && test.test(x.text));
  assert.ok(m, `no ${direction} message matching ${test} in the caller's trace`);
  return m.time;
}

describe('hold from the phone', () => {
  let t: TestServer;
  before(async () => {
    t = await startTestServer();
  });
  after(async () => t.stop());

  it('answers the hold itself, plays music on hold to the other party, and stops it on resume', async (ctx) => {
    const since = Date.now();
    const calleePort = await freePort();
    await registerPhone(t, '1002', calleePort);
    const calleeMedia = await mediaPort();
    const capture = await capturePackets(`dst port ${calleeMedia}`);
    // answer.xml expects INVITE, ACK and BYE only: a re-INVITE reaching 1002 fails it.
    const answering = runSipp({
      scenario: 'answer.xml',
      server: t.sipPort,
      localPort: calleePort,
      mediaPort: calleeMedia,
    });
    const run = await runSipp({
      scenario: 'call-hold-resume.xml',
      server: t.sipPort,
      localPort: await freePort(),
      mediaPort: await mediaPort(),
      fields: [dialling('1001', '1002')],
    }).done;
    const answered = await answering.done;
    const packets = rtpPackets(await capture.stop());

    // The caller's scenario checks a=recvonly in the hold answer and no hold in the resume answer.
    assert.equal(run.code, 0, run.errors || run.stdout);
    const invites = receivedMessages(answered.messages).filter((m) => /^INVITE /.test(m));
    assert.equal(invites.length, 1, `1002 got only the first INVITE, no re-INVITE:\n${invites.join('\n')}`);
    assert.equal(answered.code, 0, answered.errors || answered.stdout);

    const trace = tracedMessages(run.messages);
    const held = when(trace, 'received', /^SIP\/2\.0 200[^]*CSeq: 3 INVITE/);
    const resumed = when(trace, 'received', /^SIP\/2\.0 200[^]*CSeq: 4 INVITE/);
    const answeredAt = when(trace, 'received', /^SIP\/2\.0 200[^]*CSeq: 2 INVITE/);
    const loud = audible(packets);
    const between = (from: number, to: number) => loud.filter((p) => p.time >= from && p.time < to).length;
    const [before, during, afterResume] = [
      between(answeredAt, held),
      between(held + 0.3, resumed),
      between(resumed + 0.5, Infinity),
    ];
    ctx.diagnostic(
      `1002 received ${packets.length} RTP packets; audible: ${before} before hold, ` +
        `${during} in ${(resumed - held).toFixed(1)} s of hold, ${afterResume} after resume`,
    );
    assert.ok(during >= 100, `1002 hears music on hold (${during} audible packets, want ≥ 2 s)`);
    assert.ok(before <= 2, 'nothing audible before the hold (the caller says nothing)');
    assert.ok(afterResume <= 2, 'the music stops once the caller resumes');
    // It is the music-on-hold class (the generated default one), not some other sound.
    const music = readWav(path.join(t.dataDir, 'moh', 'default', 'default.wav'));
    const fromMusic = matchWindows(music.samples, concatAudio(loud));
    const similarity = median(fromMusic.map((m) => m.peak));
    ctx.diagnostic(`held audio vs the default music-on-hold file: ${similarity.toFixed(3)}`);
    assert.ok(similarity > 0.9, 'what 1002 hears on hold is the music-on-hold file');

    const cdr = await cdrWhere(t, since, (c) => c.caller === '1001' && c.callee === '1002');
    assert.equal(cdr.disposition, 'answered');
    assert.equal(cdr.hangupBy, 'caller');
  });
});
