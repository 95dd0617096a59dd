import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { channelOf, parseWav } from '../audio/wav-read.js';
import type { WavSink } from '../audio/wav-writer.js';
import type { MediaEvent, StreamFormat } from '../relay/control.js';
import { MediaRelay } from '../relay/relay.js';
import { testPortRange } from '../relay/testing.js';
import { Recorder } from './recorder.js';
import { LO, RtpPeer, bestCorrelation, noise, sine, toneAmplitude, wait } from './testing.js';

const PCMU: StreamFormat = {
  codec: 'PCMU',
  payloadType: 0,
  ptimeMs: 20,
  telephoneEvent: 101,
  direction: 'sendrecv',
};

async function readWav(path: string) {
  const parsed = parseWav(await readFile(path));
  assert.ok(parsed.ok, parsed.ok ? '' : parsed.message);
  return parsed.audio;
}

describe('recording a call', () => {
  let relay: MediaRelay;
  let dir: string;
  let phoneA: RtpPeer;
  let phoneB: RtpPeer;
  let a: { id: string; port: number };
  let b: { id: string; port: number };
  let events: MediaEvent[];

  before(async () => {
    relay = await MediaRelay.start({ ...testPortRange(8), requestTimeoutMs: 20_000 });
    dir = await mkdtemp(join(tmpdir(), 'hotline-rec-'));
  });
  after(async () => {
    await relay.shutdown();
    await rm(dir, { recursive: true, force: true });
  });

  async function call(fb: StreamFormat = PCMU): Promise<void> {
    phoneA = await RtpPeer.open();
    phoneB = await RtpPeer.open();
    a = await relay.createEndpoint({ bindAddress: LO });
    b = await relay.createEndpoint({ bindAddress: LO, near: a.id });
    events = [];
    phoneA.acceptFrom(a.port, a.port + 1);
    phoneB.acceptFrom(b.port, b.port + 1);
    relay.listen(a.id, (e) => events.push(e));
    await relay.setRemote(a.id, phoneA.remote);
    await relay.setRemote(b.id, phoneB.remote);
    await relay.configure(a.id, PCMU);
    await relay.configure(b.id, fb);
    await relay.connect(a.id, b.id);
  }

  async function hangUp(): Promise<void> {
    await Promise.all([relay.close(a.id), relay.close(b.id)]);
    await Promise.all([phoneA.close(), phoneB.close()]);
  }

  it('writes the caller on the left and the other party on the right, and hashes the file', async () => {
    await call({ ...PCMU, codec: 'PCMA', payloadType: 8 });
    const sigA = noise(11, 5000);
    const sigB = noise(29, 5000);
    phoneA.talk(a.port, { codec: 'PCMU', payloadType: 0, ptimeMs: 20, signal: sigA });
    phoneB.talk(b.port, { codec: 'PCMA', payloadType: 8, ptimeMs: 20, signal: sigB });
    await wait(100);
    const path = join(dir, 'stereo.wav');
    const t0 = Date.now();
    await relay.startRecording({ recId: 'r1', path, left: a.id, right: b.id });
    await wait(1500);
    const crashed = await readWav(path);
    assert.ok(crashed.frames >= 8000, 'a second of audio is on disk while recording: a crash keeps it');
    const result = await relay.stopRecording('r1');
    phoneA.stopTalking();
    phoneB.stopTalking();
    const bytes = await readFile(path);
    assert.equal(result.recId, 'r1');
    assert.equal(result.path, path);
    assert.equal(result.channels, 2);
    assert.equal(result.bytes, bytes.length);
    assert.equal(result.sha256, createHash('sha256').update(bytes).digest('hex'));
    assert.ok(Math.abs(result.durationMs - 1500) < 150, `duration ${result.durationMs}`);
    assert.ok(result.startedAt >= t0 - 5 && result.endedAt >= result.startedAt + 1400);
    const wav = await readWav(path);
    assert.deepEqual([wav.sampleRate, wav.channels, wav.encoding], [8000, 2, 'pcm16']);
    const left = channelOf(wav.samples, 2, 0);
    const right = channelOf(wav.samples, 2, 1);
    // 150 ms windows at a few places: the adaptive jitter buffer may shift the alignment
    // by a frame now and then, so each window gets its own lag search.
    const lags: [number, number] = [0, 16000];
    const best = (sent: (n: number) => number, got: Int16Array) =>
      Math.max(...[2000, 4000, 6000, 8000].map((at) => bestCorrelation(sent, got, at, 1200, lags).r));
    const l = best(sigA, left);
    const r = best(sigB, right);
    assert.ok(l > 0.9, `left is A (r = ${l.toFixed(3)})`);
    assert.ok(r > 0.9, `right is B (r = ${r.toFixed(3)})`);
    assert.ok(best(sigB, left) < 0.2, 'and not B');
    assert.deepEqual(events, []);
    await hangUp();
  });

  it('leaves out what is said while paused', async () => {
    await call();
    phoneA.talk(a.port, { codec: 'PCMU', payloadType: 0, ptimeMs: 20, signal: sine(500, 6000) });
    await wait(100);
    const path = join(dir, 'paused.wav');
    await relay.startRecording({ recId: 'r2', path, left: a.id, right: null });
    await wait(400);
    await relay.pauseRecording('r2', true);
    await wait(50);
    phoneA.talk(a.port, { codec: 'PCMU', payloadType: 0, ptimeMs: 20, signal: sine(1500, 6000) });
    await wait(400);
    phoneA.talk(a.port, { codec: 'PCMU', payloadType: 0, ptimeMs: 20, signal: sine(500, 6000) });
    await wait(200);
    await relay.pauseRecording('r2', false);
    await wait(400);
    const result = await relay.stopRecording('r2');
    phoneA.stopTalking();
    assert.equal(result.channels, 1);
    assert.ok(Math.abs(result.durationMs - 800) < 120, `800 ms of 1450 written, got ${result.durationMs}`);
    const wav = await readWav(path);
    const all = wav.samples;
    assert.ok(toneAmplitude(all, 500) > 3000, 'the talk around the pause is there');
    assert.ok(toneAmplitude(all, 1500) < 200, 'the card number said during the pause is not');
    await hangUp();
  });

  it('finishes the file when a side hangs up, and stopRecording still reports it', async () => {
    await call();
    phoneA.talk(a.port, { codec: 'PCMU', payloadType: 0, ptimeMs: 20, signal: sine(800, 5000) });
    const path = join(dir, 'hangup.wav');
    await relay.startRecording({ recId: 'r3', path, left: a.id, right: b.id });
    await wait(500);
    phoneA.stopTalking();
    await relay.close(b.id);
    const result = await relay.stopRecording('r3');
    assert.equal(result.bytes, (await stat(path)).size);
    const wav = await readWav(path);
    assert.ok(wav.frames > 3000 && wav.frames < 6000, `${wav.frames} frames`);
    assert.ok(toneAmplitude(channelOf(wav.samples, 2, 0), 800) > 2000);
    await assert.rejects(relay.stopRecording('r3'), { code: 'MEDIA_UNKNOWN_RECORDING' });
    await relay.close(a.id);
    await Promise.all([phoneA.close(), phoneB.close()]);
  });

  it('records silence for a muted party', async () => {
    await call();
    phoneA.talk(a.port, { codec: 'PCMU', payloadType: 0, ptimeMs: 20, signal: sine(600, 6000) });
    await relay.setMuted(a.id, true);
    const path = join(dir, 'muted.wav');
    await relay.startRecording({ recId: 'r4', path, left: a.id, right: null });
    await wait(300);
    await relay.stopRecording('r4');
    phoneA.stopTalking();
    const wav = await readWav(path);
    assert.ok(wav.frames > 1600);
    assert.ok(wav.samples.every((s) => s === 0));
    await hangUp();
  });

  it('refuses an existing file, an unknown recording and an unconfigured side', async () => {
    await call();
    const path = join(dir, 'taken.wav');
    await writeFile(path, 'not ours');
    await assert.rejects(relay.startRecording({ recId: 'r5', path, left: a.id, right: null }), {
      code: 'MEDIA_RECORDING_FAILED',
    });
    assert.equal(await readFile(path, 'utf8'), 'not ours', 'never overwritten');
    await assert.rejects(relay.pauseRecording('nope', true), { code: 'MEDIA_UNKNOWN_RECORDING' });
    const bare = await relay.createEndpoint({ bindAddress: LO, near: a.id });
    await assert.rejects(
      relay.startRecording({ recId: 'r6', path: join(dir, 'r6.wav'), left: a.id, right: bare.id }),
      { code: 'MEDIA_NOT_CONFIGURED' },
    );
    await relay.close(bare.id);
    await hangUp();
  });
});

describe('recording at shutdown', () => {
  it('leaves a complete file when the relay shuts down mid-recording', async () => {
    const relay = await MediaRelay.start({ ...testPortRange(2), requestTimeoutMs: 20_000 });
    const dir = await mkdtemp(join(tmpdir(), 'hotline-rec-'));
    const phone = await RtpPeer.open();
    try {
      const ep = await relay.createEndpoint({ bindAddress: LO });
      await relay.setRemote(ep.id, phone.remote);
      await relay.configure(ep.id, PCMU);
      phone.talk(ep.port, { codec: 'PCMU', payloadType: 0, ptimeMs: 20, signal: sine(300, 4000) });
      const path = join(dir, 'shutdown.wav');
      await relay.startRecording({ recId: 's', path, left: ep.id, right: null });
      await wait(1300);
      await relay.shutdown();
      const bytes = await readFile(path);
      const dataSize = bytes.readUInt32LE(40);
      assert.equal(dataSize, bytes.length - 44, 'the header counts every byte written');
      assert.ok(dataSize >= 2 * 8000, 'more than the first second');
    } finally {
      await relay.shutdown();
      await phone.close();
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe('Recorder', () => {
  it('reports the first disk failure once and then fails the stop', async () => {
    let writes = 0;
    const sink: WavSink = {
      write: () =>
        ++writes > 1 ? Promise.reject(new Error('ENOSPC: no space left on device')) : Promise.resolve(),
      close: () => Promise.resolve(),
    };
    const failures: string[] = [];
    const input = { id: 'rtp-1', heard: new Int16Array(160).fill(1000) };
    const rec = await Recorder.open(
      { recId: 'x', path: '/nowhere/x.wav', left: 'rtp-1', right: null },
      input,
      null,
      {
        openSink: () => Promise.resolve(sink),
        now: () => 0,
        onFailed: (e) => failures.push(e),
      },
    );
    for (let i = 0; i < 120; i++) rec.write();
    await wait(10);
    assert.equal(failures.length, 1);
    assert.match(failures[0]!, /ENOSPC/);
    await assert.rejects(rec.finish(), { code: 'MEDIA_RECORDING_FAILED' });
    assert.equal(failures.length, 1);
  });
});
