/**
 * The media tests judge Hotline by what sipp sends (pcaps the harness writes) and what a
 * capture decodes (RTP read back from tcpdump's pcap). This file checks that path with
 * no Hotline in it, sipp talking to sipp, so a failure elsewhere is Hotline's and not the
 * harness's.
 */
import { before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { capturePackets } from './harness/capture.js';
import { mediaPort, pcapOf } from './harness/calls.js';
import { concatAudio, rtpPackets } from './harness/pcap.js';
import { freePort } from './harness/ports.js';
import { bandNoise, matchWindows, median, sine, toDb, toFloat, tonePower } from './harness/signals.js';
import { runSipp } from './harness/sipp.js';

describe('the media test harness, sipp to sipp', () => {
  const voice = bandNoise(7, 3);
  let pcap = '';
  before(() => {
    pcap = pcapOf(voice, 0x0badcafe);
  });

  it('has sipp play a generated pcap at one packet per 20 ms, and decodes the capture back to the same audio', async (ctx) => {
    const answerPort = await freePort();
    const [answerMedia, callerMedia] = [await mediaPort(), await mediaPort()];
    const capture = await capturePackets(`dst port ${callerMedia}`);
    const answerer = runSipp({
      scenario: 'answer-play.xml',
      server: await freePort(),
      localPort: answerPort,
      mediaPort: answerMedia,
      files: { 'audio.pcap': pcap },
    });
    // sipp's built-in caller: INVITE, ACK, 3.5 s, BYE.
    const caller = await runSipp({
      scenario: 'uac',
      builtin: true,
      server: answerPort,
      localPort: await freePort(),
      mediaPort: callerMedia,
      extra: ['-d', '3500'],
    }).done;
    const answered = await answerer.done;
    const packets = rtpPackets(await capture.stop());
    assert.equal(caller.code, 0, caller.errors || caller.stdout);
    assert.equal(answered.code, 0, answered.errors || answered.stdout);

    assert.equal(packets.length, 150, '3 s of audio in 20 ms packets');
    assert.ok(packets.every((p) => p.payloadType === 8 && p.payload.length === 160 && p.ssrc === 0x0badcafe));
    assert.ok(
      packets.every((p, i) => i === 0 || p.seq === (((packets[i - 1] as typeof p).seq + 1) & 0xffff)),
      'consecutive sequence numbers',
    );
    const gaps = packets.slice(1).map((p, i) => 1000 * (p.time - (packets[i] as typeof p).time));
    ctx.diagnostic(
      `packet spacing: median ${median(gaps).toFixed(2)} ms, max ${Math.max(...gaps).toFixed(2)} ms`,
    );
    assert.ok(Math.abs(median(gaps) - 20) < 1, `sipp paces by the pcap's time stamps (${median(gaps)} ms)`);

    const heard = concatAudio(packets);
    const same = matchWindows(toFloat(voice), heard);
    const other = matchWindows(toFloat(bandNoise(8, 3)), heard);
    ctx.diagnostic(
      `correlation with the sent noise ${median(same.map((m) => m.peak)).toFixed(3)}, ` +
        `with noise of another seed ${median(other.map((m) => m.peak)).toFixed(3)}`,
    );
    assert.ok(median(same.map((m) => m.peak)) > 0.99, 'the same waveform');
    assert.ok(median(other.map((m) => m.peak)) < 0.2, 'noise of another seed does not match');
  });

  it('tells sines apart by frequency (Goertzel)', () => {
    const tone = toFloat(sine(1000, 1, -12));
    const [at, off] = [toDb(tonePower(tone, 1000)), toDb(tonePower(tone, 1700))];
    assert.ok(Math.abs(at - -15) < 0.5, `a −12 dBFS peak sine has −15 dB power (${at.toFixed(2)})`);
    assert.ok(off < at - 60, `nothing at another frequency (${off.toFixed(1)} dB)`);
  });
});
