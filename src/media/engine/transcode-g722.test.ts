import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { parseWav } from '../audio/wav-read.js';
import type { StreamFormat } from '../relay/control.js';
import { MediaRelay } from '../relay/relay.js';
import { eventually, testPortRange } from '../relay/testing.js';
import { LO, RtpPeer, assemble, bestCorrelation, rmsOf, sine, toneAmplitude, wait } from './testing.js';

const G722: StreamFormat = {
  codec: 'G722',
  payloadType: 9,
  ptimeMs: 20,
  telephoneEvent: 101,
  direction: 'sendrecv',
};
const PCMU: StreamFormat = { ...G722, codec: 'PCMU', payloadType: 0 };

/** Three tones inside the telephone band: what survives 8 kHz whichever codec carries it. */
function chord(n: number): number {
  return sine(440, 4000)(n) + sine(1330, 3000)(n) + sine(2710, 2000)(n);
}

describe('G.722 legs in the engine', () => {
  let relay: MediaRelay;
  let phoneA: RtpPeer;
  let phoneB: RtpPeer;
  let a: { id: string; port: number };
  let b: { id: string; port: number };

  let dir: string;

  before(async () => {
    relay = await MediaRelay.start({ ...testPortRange(8), requestTimeoutMs: 20_000 });
    dir = await mkdtemp(join(tmpdir(), 'hotline-g722-'));
  });
  after(async () => {
    await relay.shutdown();
    await rm(dir, { recursive: true, force: true });
  });

  async function bridge(fa: StreamFormat, fb: StreamFormat): Promise<void> {
    phoneA = await RtpPeer.open();
    phoneB = await RtpPeer.open();
    a = await relay.createEndpoint({ bindAddress: LO });
    b = await relay.createEndpoint({ bindAddress: LO, near: a.id });
    phoneA.acceptFrom(a.port, a.port + 1);
    phoneB.acceptFrom(b.port, b.port + 1);
    await relay.setRemote(a.id, phoneA.remote);
    await relay.setRemote(b.id, phoneB.remote);
    await relay.configure(a.id, fa);
    await relay.configure(b.id, fb);
    await relay.connect(a.id, b.id);
  }

  async function hangUp(): Promise<void> {
    await Promise.all([relay.close(a.id), relay.close(b.id)]);
    await Promise.all([phoneA.close(), phoneB.close()]);
  }

  it('transcodes a G.722 caller to a PCMU callee: B hears what A said', async () => {
    await bridge(G722, PCMU);
    phoneA.talk(a.port, { codec: 'G722', payloadType: 9, ptimeMs: 20, signal: chord });
    await wait(1200);
    phoneA.stopTalking();
    await wait(100);
    const packets = phoneB.rtp.filter((r) => (r.data[1]! & 0x7f) === 0);
    assert.ok(packets.length >= 45, `B got ${packets.length} PCMU packets`);
    const heard = assemble(packets, 'PCMU');
    const { r, offset } = bestCorrelation(chord, heard, 2400, 2400, [0, 6000]);
    assert.ok(r > 0.95, `B hears A's chord (r = ${r.toFixed(3)} at sample ${offset})`);
    await hangUp();
  });

  it('and the other way: A gets 160-octet G.722 packets every 20 ms that decode to B’s tone', async () => {
    await bridge(G722, PCMU);
    phoneB.talk(b.port, { codec: 'PCMU', payloadType: 0, ptimeMs: 20, signal: sine(700, 8000) });
    await wait(800);
    phoneB.stopTalking();
    await wait(100);
    const packets = phoneA.rtp.filter((r) => (r.data[1]! & 0x7f) === 9);
    assert.ok(packets.length >= 15, `A got ${packets.length} G.722 packets`);
    assert.ok(
      packets.every((p) => p.data.length === 12 + 160),
      '160 octets per 20 ms',
    );
    const ts = packets.map((p) => p.data.readUInt32BE(4));
    assert.ok(
      ts.every((t, i) => i === 0 || ((t - ts[i - 1]!) >>> 0) % 160 === 0),
      'timestamps advance 160 per 20 ms: the 8 kHz RTP clock',
    );
    const heard = assemble(packets, 'G722');
    const level = toneAmplitude(heard, 700, 800, 3200);
    assert.ok(level > 7000 && level < 9000, `the 700 Hz tone arrives at ${level.toFixed(0)} of 8000`);
    await hangUp();
  });

  it('relays two G.722 phones untouched, so the whole wideband signal passes', async () => {
    await bridge(G722, G722);
    phoneA.talk(a.port, { codec: 'G722', payloadType: 9, ptimeMs: 20, signal: chord, ssrc: 0xa2a2a2a2 });
    await eventually(() => phoneB.rtp.length >= 10, 2000, 'relayed packets');
    phoneA.stopTalking();
    assert.ok(
      phoneB.rtp.every((p) => p.data.readUInt32BE(8) === 0xa2a2a2a2 && (p.data[1]! & 0x7f) === 9),
      'the caller’s own G.722 packets, not re-encoded at 8 kHz',
    );
    const stats = await relay.stats(a.id);
    assert.equal(stats.mode, 'relay');
    await hangUp();
  });
  it('records a relayed G.722 leg from mid-call at its level from the first frame: its decoder kept up', async () => {
    // Two G.722 phones relayed raw: nothing needs A's audio until the recording starts, yet
    // A's decoder has followed every packet, so the file does not open on a decoder that is
    // still converging (quiet, then too loud, for about 100 ms).
    await bridge(G722, G722);
    phoneA.talk(a.port, { codec: 'G722', payloadType: 9, ptimeMs: 20, signal: sine(1000, 10000) });
    await wait(600);
    const path = join(dir, 'mid-call.wav');
    await relay.startRecording({ recId: 'g1', path, left: a.id, right: null });
    await wait(500);
    await relay.stopRecording('g1');
    phoneA.stopTalking();
    const parsed = parseWav(await readFile(path));
    assert.ok(parsed.ok, parsed.ok ? '' : parsed.message);
    const samples = parsed.audio.samples;
    const frames: number[] = [];
    for (let at = 0; at + 160 <= samples.length; at += 160) {
      if (rmsOf(samples, at, at + 160) > 100) frames.push(toneAmplitude(samples, 1000, at, at + 160));
    }
    assert.ok(frames.length >= 15, `${frames.length} frames of 20 ms hold the tone`);
    for (const [i, level] of frames.entries()) {
      const off = 20 * Math.log10(level / 10000);
      assert.ok(
        Math.abs(off) < 0.5,
        `frame ${i} of the recording is ${off.toFixed(2)} dB from the level sent`,
      );
    }
    await hangUp();
  });
});
