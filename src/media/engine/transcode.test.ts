import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { StreamFormat } from '../relay/control.js';
import { MediaRelay } from '../relay/relay.js';
import { eventually, testPortRange } from '../relay/testing.js';
import { LO, RtpPeer, assemble, bestCorrelation, noise, sine, toneAmplitude, wait } from './testing.js';

const fmt = (codec: 'PCMU' | 'PCMA', ptimeMs: number): StreamFormat => ({
  codec,
  payloadType: codec === 'PCMU' ? 0 : 8,
  ptimeMs,
  telephoneEvent: 101,
  direction: 'sendrecv',
});

describe('connect() between endpoints', () => {
  let relay: MediaRelay;
  let phoneA: RtpPeer;
  let phoneB: RtpPeer;
  let a: { id: string; port: number };
  let b: { id: string; port: number };

  before(async () => {
    relay = await MediaRelay.start({ ...testPortRange(8), requestTimeoutMs: 20_000 });
  });
  after(async () => {
    await relay.shutdown();
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

  it('transcodes a 30 ms PCMA caller into 20 ms PCMU, sample for sample', async () => {
    await bridge(fmt('PCMA', 30), fmt('PCMU', 20));
    const signal = noise(7, 6000);
    phoneA.talk(a.port, { codec: 'PCMA', payloadType: 8, ptimeMs: 30, signal });
    await wait(1200);
    phoneA.stopTalking();
    await wait(100);
    const packets = phoneB.rtp.filter((r) => (r.data[1]! & 0x7f) === 0);
    assert.ok(packets.length >= 45, `B got ${packets.length} PCMU packets`);
    assert.ok(
      packets.every((p) => p.data.length === 12 + 160),
      'repacketised at 20 ms',
    );
    assert.equal(phoneB.rtp.length, packets.length, 'nothing but PCMU reaches B');
    const heard = assemble(packets, 'PCMU');
    const { r, offset } = bestCorrelation(signal, heard, 2400, 2400, [0, 6000]);
    assert.ok(r > 0.95, `B hears A's signal (r = ${r.toFixed(3)} at sample ${offset})`);
    await hangUp();
  });

  it('transcodes the other way, into 30 ms PCMA packets', async () => {
    await bridge(fmt('PCMA', 30), fmt('PCMU', 20));
    phoneB.talk(b.port, { codec: 'PCMU', payloadType: 0, ptimeMs: 20, signal: sine(700, 8000) });
    await wait(800);
    phoneB.stopTalking();
    await wait(100);
    const packets = phoneA.rtp.filter((r) => (r.data[1]! & 0x7f) === 8);
    assert.ok(packets.length >= 15, `A got ${packets.length} PCMA packets`);
    assert.ok(
      packets.every((p) => p.data.length === 12 + 240),
      'packetised at 30 ms',
    );
    const ts = packets.map((p) => p.data.readUInt32BE(4));
    assert.ok(ts.every((t, i) => i === 0 || ((t - ts[i - 1]!) >>> 0) % 240 === 0));
    const heard = assemble(packets, 'PCMA');
    assert.ok(toneAmplitude(heard, 700, 800, 3200) > 6500, 'the 700 Hz tone arrives');
    await hangUp();
  });

  it('relays equal formats untouched, and pauses the relay while a prompt plays to one side', async () => {
    await bridge(fmt('PCMU', 20), fmt('PCMU', 20));
    phoneA.talk(a.port, {
      codec: 'PCMU',
      payloadType: 0,
      ptimeMs: 20,
      signal: sine(500, 5000),
      ssrc: 0xa1a1a1a1,
    });
    await eventually(() => phoneB.rtp.length >= 10, 2000, 'relayed packets');
    assert.ok(
      phoneB.rtp.every((p) => p.data.readUInt32BE(8) === 0xa1a1a1a1),
      'the fast path keeps the caller’s SSRC: the packets are not re-made',
    );
    await relay.play(b.id, { playId: 'hold-on', items: [{ silenceMs: 200 }] });
    const during = phoneB.rtp.length;
    await wait(150);
    const own = phoneB.rtp.slice(during + 1).filter((p) => p.data.readUInt32BE(8) !== 0xa1a1a1a1);
    assert.ok(own.length >= 5, 'the prompt replaces the caller');
    assert.ok(
      phoneB.rtp.slice(during + 2).every((p) => p.data.readUInt32BE(8) !== 0xa1a1a1a1),
      'and the caller’s packets are held back meanwhile',
    );
    await wait(250);
    const lately = phoneB.rtp.slice(-5);
    assert.ok(
      lately.every((p) => p.data.readUInt32BE(8) === 0xa1a1a1a1),
      'the relay resumes after it',
    );
    phoneA.stopTalking();
    const stats = await relay.stats(a.id);
    assert.equal(stats.mode, 'relay');
    await hangUp();
  });

  it('mutes a party: what it says no longer reaches the other side', async () => {
    await bridge(fmt('PCMU', 20), fmt('PCMA', 20));
    phoneA.talk(a.port, { codec: 'PCMU', payloadType: 0, ptimeMs: 20, signal: sine(600, 6000) });
    await eventually(() => phoneB.rtp.length >= 10, 2000, 'transcoded packets');
    await relay.setMuted(a.id, true);
    await wait(200);
    const before = phoneB.rtp.length;
    await wait(300);
    assert.ok(phoneB.rtp.length - before <= 1, `muted: ${phoneB.rtp.length - before} packets reached B`);
    await relay.setMuted(a.id, false);
    await eventually(() => phoneB.rtp.length >= before + 10, 2000, 'audio again after unmute');
    phoneA.stopTalking();
    await hangUp();
  });

  it('still hears a phone that switches to the other G.711 law without a new offer', async () => {
    await bridge(fmt('PCMU', 20), fmt('PCMA', 20));
    phoneA.talk(a.port, { codec: 'PCMA', payloadType: 8, ptimeMs: 20, signal: sine(1100, 6000) });
    await wait(500);
    phoneA.stopTalking();
    const heard = phoneB.audio(8, 'PCMA');
    assert.ok(heard.length >= 2400, `B got ${heard.length} samples`);
    assert.ok(toneAmplitude(heard, 1100, 400, 2400) > 4000);
    await hangUp();
  });
});
