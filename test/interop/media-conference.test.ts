/**
 * The demo conference room (*46) with three real phones: each sipp "says" its own sine and
 * a capture at its media port shows what it hears. In a conference everyone hears all the
 * others and not themselves (mix-minus), so each frequency must reach exactly the two
 * parties that did not send it.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { cdrWhere, dialling, mediaPort, pcapOf, type ExtensionNumber } from './harness/calls.js';
import { capturePackets } from './harness/capture.js';
import { concatAudio, rtpPackets } from './harness/pcap.js';
import { freePort } from './harness/ports.js';
import { startTestServer, type TestServer } from './harness/server.js';
import { sine, toDb, tonePower } from './harness/signals.js';
import { runSipp } from './harness/sipp.js';

const PARTIES: readonly { number: ExtensionNumber; hz: number }[] = [
  { number: '1001', hz: 440 },
  { number: '1002', hz: 1000 },
  { number: '1003', hz: 1700 },
];

describe('the conference room (*46)', () => {
  let t: TestServer;
  before(async () => {
    t = await startTestServer();
  });
  after(async () => t.stop());

  it('lets each of three callers hear the other two and not themselves', async (ctx) => {
    const since = Date.now();
    const ports = await Promise.all(PARTIES.map(() => mediaPort()));
    const captures = await Promise.all(ports.map((p) => capturePackets(`dst port ${p}`)));
    // −12 dBFS peak each, so two of them mixed stay clear of clipping.
    const runs = await Promise.all(
      PARTIES.map(
        async (party, i) =>
          runSipp({
            scenario: 'call-play.xml',
            server: t.sipPort,
            localPort: await freePort(),
            mediaPort: ports[i],
            fields: [`${dialling(party.number, '*46')};6000`],
            files: { 'audio.pcap': pcapOf(sine(party.hz, 6.5, -12), 0x4600 + i) },
          }).done,
      ),
    );
    const heard = await Promise.all(captures.map(async (c) => rtpPackets(await c.stop())));
    for (const run of runs) assert.equal(run.code, 0, run.errors || run.stdout);

    for (const [i, party] of PARTIES.entries()) {
      const audio = concatAudio(heard[i] ?? []);
      const level = (hz: number) => toDb(tonePower(audio, hz));
      const others = PARTIES.filter((p) => p !== party);
      ctx.diagnostic(
        `${party.number} (sends ${party.hz} Hz) heard ${(audio.length / 8000).toFixed(1)} s: ` +
          PARTIES.map((p) => `${p.hz} Hz ${level(p.hz).toFixed(1)} dB`).join(', '),
      );
      assert.ok(audio.length >= 3 * 8000, `${party.number} received at least 3 s of audio`);
      for (const other of others) {
        // A −12 dBFS peak sine carries −15 dB; allow for joining late and leaving early.
        assert.ok(level(other.hz) > -30, `${party.number} hears ${other.number} (${other.hz} Hz)`);
        assert.ok(
          level(party.hz) < level(other.hz) - 20,
          `${party.number} does not hear itself: its own ${party.hz} Hz is 20 dB under ${other.hz} Hz`,
        );
      }
    }
    for (const party of PARTIES) {
      const cdr = await cdrWhere(t, since, (c) => c.caller === party.number && c.callee === '*46');
      assert.equal(cdr.disposition, 'answered');
    }
  });
});
