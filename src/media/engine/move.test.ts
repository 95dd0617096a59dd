import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { MediaEvent, StreamFormat } from '../relay/control.js';
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

describe('endpoints moving between workers', () => {
  let relay: MediaRelay;
  let dir: string;
  const phones: RtpPeer[] = [];

  before(async () => {
    relay = await MediaRelay.start({ ...testPortRange(16), workers: 2, requestTimeoutMs: 20_000 });
    dir = await mkdtemp(join(tmpdir(), 'hotline-move-'));
  });
  after(async () => {
    await relay.closeAll();
    await Promise.all(phones.map((p) => p.close()));
    await relay.shutdown();
    await rm(dir, { recursive: true, force: true });
  });

  const channel = (id: string) =>
    (relay as unknown as { endpoints: Map<string, { channel: unknown }> }).endpoints.get(id)!.channel;

  async function party(format: StreamFormat, apartFrom?: string) {
    const phone = await RtpPeer.open();
    phones.push(phone);
    let ep = await relay.createEndpoint({ bindAddress: LO }); // least loaded: alternating workers
    while (apartFrom !== undefined && channel(ep.id) === channel(apartFrom)) {
      const spare = ep;
      ep = await relay.createEndpoint({ bindAddress: LO });
      await relay.close(spare.id);
    }
    const events: MediaEvent[] = [];
    phone.acceptFrom(ep.port, ep.rtcpPort);
    relay.listen(ep.id, (e) => events.push(e));
    await relay.setRemote(ep.id, phone.remote);
    await relay.configure(ep.id, format);
    return { phone, events, ...ep };
  }

  it('carries the format and a playback in progress to the peer’s worker', async () => {
    const a = await party(PCMU);
    const b = await party(PCMA, a.id);
    await relay.play(b.id, { playId: 'moh', items: [{ tone: 'dial' }] });
    await wait(200);
    await relay.connect(a.id, b.id);
    const since = performance.now();
    await wait(300);
    assert.equal(b.events.length, 0, `the playback goes on, with no play-done: ${JSON.stringify(b.events)}`);
    const after = b.phone.audio(8, 'PCMA', since);
    assert.ok(after.length >= 1600, 'still PCMA after the move');
    assert.ok(toneAmplitude(after, 450, 0, 1600) > 5000, 'still the dial tone');
    await relay.stopPlay(b.id);
    assert.deepEqual(
      b.events.map((e) => e.type === 'play-done' && e.reason),
      ['stopped'],
    );
    // Transcoding A (PCMU) → B (PCMA) works in the new worker.
    a.phone.talk(a.port, { codec: 'PCMU', payloadType: 0, ptimeMs: 20, signal: sine(900, 6000) });
    await wait(100);
    const later = performance.now();
    await wait(300);
    a.phone.stopTalking();
    assert.ok(toneAmplitude(b.phone.audio(8, 'PCMA', later), 900) > 4000);
  });

  it('moves the other side when the one asked to move is recording', async () => {
    const a = await party(PCMU);
    const b = await party(PCMU, a.id);
    await relay.startRecording({ recId: 'busy', path: join(dir, 'busy.wav'), left: a.id, right: null });
    await relay.connect(b.id, a.id); // would move a, which records: b moves instead
    assert.equal(channel(b.id), channel(a.id));
    a.phone.talk(a.port, {
      codec: 'PCMU',
      payloadType: 0,
      ptimeMs: 20,
      signal: sine(700, 5000),
      ssrc: 0xabc,
    });
    await eventually(() => b.phone.rtp.some((p) => p.data.readUInt32BE(8) === 0xabc), 2000, 'relayed audio');
    await wait(200);
    a.phone.stopTalking();
    const result = await relay.stopRecording('busy');
    assert.ok(result.durationMs >= 200, `the recording went on: ${result.durationMs} ms`);
  });

  it('refuses to pull a bridged endpoint into another worker for a recording', async () => {
    const a = await party(PCMU);
    const x = await party(PCMU);
    await relay.connect(a.id, x.id);
    const c = await party(PCMU, a.id);
    const d = await party(PCMU, a.id);
    await relay.connect(c.id, d.id);
    assert.notEqual(channel(a.id), channel(c.id), 'the two calls live in different workers');
    await assert.rejects(
      relay.startRecording({ recId: 'no', path: join(dir, 'no.wav'), left: a.id, right: c.id }),
      {
        code: 'MEDIA_BUSY',
      },
    );
    assert.equal((await relay.stats(c.id)).mode, 'relay', 'both calls are untouched');
    assert.equal((await relay.stats(a.id)).mode, 'relay');
    await assert.rejects(relay.stopRecording('no'), { code: 'MEDIA_UNKNOWN_RECORDING' });
  });
});
