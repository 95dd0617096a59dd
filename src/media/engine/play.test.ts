import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { encodeWav } from '../audio/wav-format.js';
import type { MediaEvent, StreamFormat } from '../relay/control.js';
import { MediaRelay } from '../relay/relay.js';
import { eventually, testPortRange } from '../relay/testing.js';
import { LO, RtpPeer, toneAmplitude, rmsOf, wait } from './testing.js';

const PCMU: StreamFormat = {
  codec: 'PCMU',
  payloadType: 0,
  ptimeMs: 20,
  telephoneEvent: 101,
  direction: 'sendrecv',
};

function sineWav(hz: number, ms: number, rate: number, channels: 1 | 2, amp = 8000): Uint8Array {
  const frames = Math.round((ms * rate) / 1000);
  const samples = new Int16Array(frames * channels);
  for (let i = 0; i < frames; i++) {
    for (let c = 0; c < channels; c++)
      samples[i * channels + c] = Math.round(amp * Math.sin((2 * Math.PI * hz * i) / rate));
  }
  return encodeWav({ encoding: 'pcm16', sampleRate: rate, channels }, samples);
}

describe('playback to a party', () => {
  let relay: MediaRelay;
  let dir: string;
  let phone: RtpPeer;
  let id: string;
  let port: number;
  let events: MediaEvent[];

  before(async () => {
    relay = await MediaRelay.start({ ...testPortRange(8), requestTimeoutMs: 20_000 });
    dir = await mkdtemp(join(tmpdir(), 'hotline-play-'));
    await writeFile(join(dir, 'one-k-16k-stereo.wav'), sineWav(1000, 600, 16000, 2));
    await writeFile(join(dir, 'broken.wav'), Buffer.from('RIFF....WAVEjunk'));
  });
  after(async () => {
    await relay.shutdown();
    await rm(dir, { recursive: true, force: true });
  });

  async function party(format = PCMU): Promise<void> {
    phone = await RtpPeer.open();
    const ep = await relay.createEndpoint({ bindAddress: LO });
    id = ep.id;
    port = ep.port;
    phone.acceptFrom(ep.port, ep.rtcpPort);
    events = [];
    relay.listen(id, (e) => events.push(e));
    await relay.setRemote(id, phone.remote);
    await relay.configure(id, format);
  }

  async function hangUp(): Promise<void> {
    await relay.close(id);
    await phone.close();
  }

  const done = (playId: string) => () => events.some((e) => e.type === 'play-done' && e.playId === playId);

  it('plays a 16 kHz stereo WAV as 8 kHz PCMU of the right length, with the marker on the first packet', async () => {
    await party();
    await relay.play(id, { playId: 'p1', items: [{ file: join(dir, 'one-k-16k-stereo.wav') }] });
    await eventually(done('p1'), 3000, 'play-done');
    await wait(60);
    assert.deepEqual(events, [{ type: 'play-done', id, playId: 'p1', reason: 'finished' }]);
    const packets = phone.rtp.filter((r) => (r.data[1]! & 0x7f) === 0);
    assert.ok(packets.length >= 29 && packets.length <= 31, `600 ms is 30 packets, got ${packets.length}`);
    assert.ok(
      packets.every((p) => p.data.length === 172),
      '20 ms of PCMU each',
    );
    const show = packets
      .slice(0, 4)
      .map(
        (p) => `${p.data.readUInt16BE(2)}/${p.data[1]! >> 7}/${p.data.readUInt32BE(4)}/${p.at.toFixed(1)}`,
      );
    assert.equal(packets[0]!.data[1]! & 0x80, 0x80, `marker on the first packet: ${show.join(' ')}`);
    assert.ok(packets.slice(1).every((p) => (p.data[1]! & 0x80) === 0));
    const samples = packets.reduce((n, p) => n + p.data.length - 12, 0);
    assert.ok(Math.abs(samples - 4800) <= 160, `about 4800 samples, got ${samples}`);
    const audio = phone.audio(0, 'PCMU');
    assert.ok(rmsOf(audio, 400, 4400) > 4000, 'it carries the tone');
    assert.ok(toneAmplitude(audio, 1000, 400, 4400) > 6000, '1 kHz survived the resampling');
    assert.ok(toneAmplitude(audio, 2000, 400, 4400) < 300);
    const seqs = packets.map((p) => p.data.readUInt16BE(2));
    assert.ok(
      seqs.every((s, i) => i === 0 || s === ((seqs[i - 1]! + 1) & 0xffff)),
      'consecutive sequence numbers',
    );
    // Timestamps follow real time: 160 a packet, more only if the worker stalled past its catch-up.
    const ts = packets.map((p) => p.data.readUInt32BE(4));
    assert.ok(ts.every((t, i) => i === 0 || (((t - ts[i - 1]!) >>> 0) % 160 === 0 && t !== ts[i - 1])));
    await hangUp();
  });

  it('reports a missing file and a broken one as failed, naming the file, and keeps working', async () => {
    await party();
    const missing = join(dir, 'nope.wav');
    await relay.play(id, { playId: 'm', items: [{ silenceMs: 40 }, { file: missing }] });
    await eventually(done('m'), 2000);
    const m = events.find((e) => e.type === 'play-done' && e.playId === 'm');
    assert.ok(
      m && m.type === 'play-done' && m.reason === 'failed' && m.error?.includes(missing),
      JSON.stringify(m),
    );
    await relay.play(id, { playId: 'b', items: [{ file: join(dir, 'broken.wav') }] });
    await eventually(done('b'), 2000);
    const b = events.find((e) => e.type === 'play-done' && e.playId === 'b');
    assert.ok(
      b && b.type === 'play-done' && b.reason === 'failed' && b.error?.includes('broken.wav'),
      JSON.stringify(b),
    );
    await relay.play(id, { playId: 's', items: [{ silenceMs: 100 }] });
    await eventually(done('s'), 2000);
    const last = events.at(-1)!;
    assert.equal(last.type === 'play-done' && last.reason, 'finished');
    await hangUp();
  });

  it('plays the China ring-back tone (450 Hz) until stopped, then reports stopped', async () => {
    await party({ ...PCMU, codec: 'PCMA', payloadType: 8 });
    await relay.play(id, { playId: 'rb', items: [{ tone: 'ringback' }] });
    await wait(400);
    await relay.stopPlay(id);
    assert.deepEqual(events, [{ type: 'play-done', id, playId: 'rb', reason: 'stopped' }]);
    const audio = phone.audio(8, 'PCMA');
    assert.ok(audio.length >= 2400, `got ${audio.length} samples`);
    assert.ok(toneAmplitude(audio, 450, 0, 2400) > 5000, 'a 450 Hz tone at −10 dBm0');
    const count = phone.rtp.length;
    await wait(100);
    assert.equal(phone.rtp.length, count, 'nothing is sent once stopped');
    await hangUp();
  });

  it('loops, and a new play replaces the old one, which ends stopped', async () => {
    await party();
    await relay.play(id, {
      playId: 'loop',
      items: [{ tone: 'busy', durationMs: 60 }, { silenceMs: 20 }],
      loop: true,
    });
    await wait(300);
    assert.equal(events.length, 0, 'a loop does not finish');
    await relay.play(id, { playId: 'next', items: [{ silenceMs: 60 }] });
    await eventually(done('next'), 2000);
    assert.deepEqual(
      events.map((e) => e.type === 'play-done' && `${e.playId}:${e.reason}`),
      ['loop:stopped', 'next:finished'],
    );
    await hangUp();
  });

  it('stops a prompt when the caller presses a key, and still reports the digit', async () => {
    await party();
    await relay.play(id, { playId: 'menu', items: [{ tone: 'dial' }], interruptOnDtmf: true });
    await wait(100);
    const talker = phone.talk(port, { codec: 'PCMU', payloadType: 0, ptimeMs: 20, signal: () => 0 });
    await wait(100);
    await talker.press('5', 120, 101);
    await eventually(() => events.some((e) => e.type === 'dtmf'), 2000, 'the digit');
    phone.stopTalking();
    assert.deepEqual(
      events.map((e) => e.type),
      ['play-done', 'dtmf'],
    );
    const stop = events[0]!;
    assert.ok(stop.type === 'play-done' && stop.reason === 'interrupted');
    const digit = events[1]!;
    assert.ok(digit.type === 'dtmf' && digit.digit === '5' && digit.source === 'rfc4733');
    await hangUp();
  });

  it('ends a playback as stopped when the endpoint closes, and says nothing after', async () => {
    await party();
    await relay.play(id, { playId: 'bye', items: [{ tone: 'busy' }] });
    await wait(60);
    await hangUp();
    assert.deepEqual(events, [{ type: 'play-done', id, playId: 'bye', reason: 'stopped' }]);
    assert.throws(() => relay.listen(id, () => undefined), { code: 'MEDIA_UNKNOWN_ENDPOINT' });
  });

  it('rejects play on an endpoint without a format, and bad items, with coded errors', async () => {
    const ep = await relay.createEndpoint({ bindAddress: LO });
    await assert.rejects(relay.play(ep.id, { playId: 'x', items: [{ silenceMs: 10 }] }), {
      code: 'MEDIA_NOT_CONFIGURED',
    });
    await assert.rejects(relay.play(ep.id, { playId: 'x', items: [] }), { code: 'MEDIA_INVALID_ARGUMENT' });
    await assert.rejects(relay.play(ep.id, { playId: 'x', items: [{ file: 'relative.wav' }] }), {
      code: 'MEDIA_INVALID_ARGUMENT',
    });
    await assert.rejects(relay.configure(ep.id, { ...PCMU, codec: 'G729' }), {
      code: 'MEDIA_INVALID_ARGUMENT',
    });
    await assert.rejects(relay.configure(ep.id, { ...PCMU, ptimeMs: 25 }), {
      code: 'MEDIA_INVALID_ARGUMENT',
    });
    await relay.close(ep.id);
  });
});
