import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { JoinOptions, StreamFormat } from '../relay/control.js';
import { MediaRelay } from '../relay/relay.js';
import { eventually, testPortRange } from '../relay/testing.js';
import { LO, RtpPeer, sine, toneAmplitude, wait } from './testing.js';

const PCMU: StreamFormat = {
  codec: 'PCMU',
  payloadType: 0,
  ptimeMs: 20,
  telephoneEvent: 101,
  direction: 'sendrecv',
};
const PCMA: StreamFormat = { ...PCMU, codec: 'PCMA', payloadType: 8 };

interface Party {
  readonly name: string;
  readonly hz: number;
  readonly phone: RtpPeer;
  readonly id: string;
  readonly port: number;
  readonly format: StreamFormat;
}

describe('mixer', () => {
  let relay: MediaRelay;
  const parties: Party[] = [];

  before(async () => {
    relay = await MediaRelay.start({ ...testPortRange(16), workers: 2, requestTimeoutMs: 20_000 });
  });
  after(async () => {
    await relay.shutdown();
  });

  async function party(name: string, hz: number, format = PCMU): Promise<Party> {
    const phone = await RtpPeer.open();
    const ep = await relay.createEndpoint({ bindAddress: LO }); // spread over both workers
    phone.acceptFrom(ep.port, ep.rtcpPort);
    await relay.setRemote(ep.id, phone.remote);
    await relay.configure(ep.id, format);
    const p = { name, hz, phone, id: ep.id, port: ep.port, format };
    parties.push(p);
    return p;
  }

  function talk(p: Party): void {
    p.phone.talk(p.port, {
      codec: p.format.codec as 'PCMU' | 'PCMA',
      payloadType: p.format.payloadType,
      ptimeMs: 20,
      signal: sine(p.hz, 3000),
    });
  }

  /** Tone amplitudes in what `p` heard after `since` (performance.now()). */
  function heard(p: Party, since: number): (hz: number) => number {
    const audio = p.phone.audio(p.format.payloadType, p.format.codec as 'PCMU' | 'PCMA', since);
    assert.ok(audio.length >= 2400, `${p.name} heard ${audio.length} samples`);
    return (hz) => toneAmplitude(audio, hz, 400, audio.length - 400);
  }

  async function hangUp(): Promise<void> {
    for (const p of parties.splice(0)) {
      p.phone.stopTalking();
      await relay.close(p.id);
      await p.phone.close();
    }
  }

  it('gives each member the others and never itself; a listener hears all, a whisper reaches one', async () => {
    const a = await party('A', 400);
    const b = await party('B', 1000, PCMA);
    const c = await party('C', 1700);
    const s = await party('S', 2300);
    const w = await party('W', 2900);
    const mixer = await relay.createMixer();
    const roles: Array<[Party, JoinOptions]> = [
      [a, { role: 'full' }],
      [b, { role: 'full' }],
      [c, { role: 'full' }],
      [s, { role: 'listen' }],
      [w, { role: 'whisper', whisperTo: a.id }],
    ];
    for (const [p, options] of roles) await relay.join(mixer, p.id, options);
    for (const p of parties) talk(p);
    await wait(300);
    const since = performance.now();
    await wait(600);
    const present = 1200; // each voice arrives at about 3000
    const absent = 150;
    const expect: Record<string, string> = {
      // who hears whom (by name); everyone else must be absent
      A: 'BCW',
      B: 'AC',
      C: 'AB',
      S: 'ABC',
      W: 'ABC',
    };
    for (const p of parties) {
      const level = heard(p, since);
      for (const q of parties) {
        const amp = level(q.hz);
        if (expect[p.name]!.includes(q.name))
          assert.ok(amp > present, `${p.name} hears ${q.name}: ${amp.toFixed(0)}`);
        else assert.ok(amp < absent, `${p.name} must not hear ${q.name}: ${amp.toFixed(0)}`);
      }
    }

    await relay.leave(mixer, b.id);
    await wait(200);
    const later = performance.now();
    await wait(400);
    assert.ok(heard(a, later)(1000) < absent, 'B has left');
    assert.ok(heard(c, later)(400) > present, 'the others still talk');
    await relay.closeMixer(mixer);
    await assert.rejects(relay.join(mixer, a.id, { role: 'full' }), { code: 'MEDIA_UNKNOWN_MIXER' });
    await hangUp();
  });

  it('ends a bridge on join, and leaves the mixer on connect', async () => {
    const a = await party('A', 400);
    const b = await party('B', 1000);
    const c = await party('C', 1700);
    await relay.connect(a.id, b.id);
    const mixer = await relay.createMixer();
    await relay.join(mixer, a.id, { role: 'full' });
    await relay.join(mixer, c.id, { role: 'full' });
    assert.equal((await relay.stats(b.id)).mode, 'idle', 'B’s bridge to A is gone');
    talk(a);
    talk(c);
    await eventually(() => c.phone.rtp.length > 20, 2000, 'C hears the mixer');
    await relay.connect(b.id, c.id);
    assert.equal((await relay.stats(c.id)).mode, 'relay');
    const since = performance.now();
    await wait(500);
    // C left the mixer: A now hears nobody (a lone member gets silence, not its own voice).
    assert.ok(heard(a, since)(1700) < 150);
    await relay.leave(mixer, c.id); // not a member any more: nothing to do
    await relay.closeMixer(mixer);
    await relay.closeMixer(mixer);
    await hangUp();
  });

  it('rejects a whisper without a target', async () => {
    const a = await party('A', 400);
    const mixer = await relay.createMixer();
    await assert.rejects(relay.join(mixer, a.id, { role: 'whisper' }), { code: 'MEDIA_INVALID_ARGUMENT' });
    await assert.rejects(relay.join(mixer, a.id, { role: 'whisper', whisperTo: 'rtp-999' }), {
      code: 'MEDIA_UNKNOWN_ENDPOINT',
    });
    await hangUp();
  });
});
