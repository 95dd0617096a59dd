import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { describe, it } from 'node:test';
import { parseWav } from './wav-read.js';
import { StreamingWavWriter, wavDataSha256, type WavSink } from './wav-writer.js';

/** A file in memory that remembers its content after every write (what a crash would leave). */
class MemorySink implements WavSink {
  bytes = new Uint8Array(0);
  readonly snapshots: Uint8Array[] = [];
  closed = 0;
  failOnWrite = -1;
  private writes = 0;

  async write(data: Uint8Array, position: number): Promise<void> {
    await Promise.resolve();
    if (this.writes++ === this.failOnWrite) throw Object.assign(new Error('disk full'), { code: 'ENOSPC' });
    if (position + data.length > this.bytes.length) {
      const grown = new Uint8Array(position + data.length);
      grown.set(this.bytes);
      this.bytes = grown;
    }
    this.bytes.set(data, position);
    this.snapshots.push(this.bytes.slice());
  }

  async close(): Promise<void> {
    this.closed++;
  }
}

const FRAME = 160;
const left = Int16Array.from({ length: FRAME }, (_, i) => 1000 + i);
const right = Int16Array.from({ length: FRAME }, (_, i) => -1000 - i);

async function settle(): Promise<void> {
  for (let i = 0; i < 10; i++) await new Promise((r) => setImmediate(r));
}

describe('StreamingWavWriter', () => {
  it('writes a header with placeholder sizes at open', async () => {
    const sink = new MemorySink();
    await StreamingWavWriter.open(sink, { encoding: 'pcm16', sampleRate: 8000, channels: 2 });
    assert.equal(sink.bytes.length, 44);
    const r = parseWav(sink.bytes);
    assert.ok(r.ok);
    assert.equal(r.audio.frames, 0);
  });

  it('writes once per second of audio and leaves a playable file after every write', async () => {
    const sink = new MemorySink();
    const w = await StreamingWavWriter.open(sink, { encoding: 'pcm16', sampleRate: 8000, channels: 2 });
    for (let i = 0; i < 49; i++) w.appendStereo(left, right);
    await settle();
    assert.equal(sink.snapshots.length, 1, 'nothing but the header before the first second');
    for (let i = 0; i < 126; i++) w.appendStereo(left, right); // 3.5 s in all
    await settle();
    assert.equal(sink.snapshots.length, 1 + 3 * 2, 'three seconds: data then header, three times');
    for (const snapshot of sink.snapshots) {
      const r = parseWav(snapshot);
      assert.ok(r.ok);
      assert.equal(r.audio.frames % 8000, 0, 'a crash leaves whole seconds');
      const header = new DataView(snapshot.buffer);
      assert.ok(header.getUint32(40, true) <= snapshot.length - 44, 'the header never claims unwritten data');
    }
    const summary = await w.close();
    assert.equal(summary.frames, 175 * FRAME);
    assert.equal(summary.durationMs, 3500);
    const r = parseWav(sink.bytes);
    assert.ok(r.ok);
    assert.equal(r.audio.frames, 175 * FRAME);
    assert.equal(r.audio.samples[0], 1000);
    assert.equal(r.audio.samples[1], -1000);
  });

  it('interleaves stereo PCM16 exactly across chunk boundaries that split a tick', async () => {
    const sink = new MemorySink();
    // 7 ms chunks are 56 frames: every 160-frame tick straddles chunk boundaries.
    const w = await StreamingWavWriter.open(sink, {
      encoding: 'pcm16',
      sampleRate: 8000,
      channels: 2,
      flushIntervalMs: 7,
    });
    const ticks = 5;
    const ls: Int16Array[] = [];
    const rs: Int16Array[] = [];
    for (let t = 0; t < ticks; t++) {
      const l = Int16Array.from({ length: FRAME }, (_, i) => ((t * 7919 + i * 104729) % 65536) - 32768);
      const r = Int16Array.from({ length: FRAME }, (_, i) => 32767 - ((t * 31 + i * 613) % 65536));
      ls.push(l);
      rs.push(r);
      w.appendStereo(l, r);
    }
    await w.close();
    const out = parseWav(sink.bytes);
    assert.ok(out.ok);
    assert.equal(out.audio.frames, ticks * FRAME);
    for (let t = 0; t < ticks; t++)
      for (let i = 0; i < FRAME; i++) {
        const k = (t * FRAME + i) * 2;
        assert.equal(out.audio.samples[k], ls[t]![i], `left of frame ${t * FRAME + i}`);
        assert.equal(out.audio.samples[k + 1], rs[t]![i], `right of frame ${t * FRAME + i}`);
      }
  });

  it('reports size, duration and the sha256 of the data chunk on close', async () => {
    const sink = new MemorySink();
    const w = await StreamingWavWriter.open(sink, {
      encoding: 'pcma',
      sampleRate: 8000,
      channels: 2,
      flushIntervalMs: 200,
    });
    for (let i = 0; i < 33; i++) w.appendStereo(left, right);
    const summary = await w.close();
    assert.equal(summary.dataBytes, 33 * FRAME * 2);
    assert.equal(summary.fileBytes, sink.bytes.length);
    assert.equal(summary.fileBytes, 58 + 33 * FRAME * 2);
    assert.equal(summary.durationMs, 660);
    assert.equal(summary.sha256, createHash('sha256').update(sink.bytes.subarray(58)).digest('hex'));
    assert.equal(wavDataSha256(sink.bytes), summary.sha256);
    assert.equal(sink.closed, 1);
    assert.equal(await w.close(), summary, 'close is idempotent');
    assert.equal(sink.closed, 1);
  });

  it('pads an odd mono G.711 data chunk without hashing the pad', async () => {
    const sink = new MemorySink();
    const w = await StreamingWavWriter.open(sink, { encoding: 'pcmu', sampleRate: 8000, channels: 1 });
    w.appendMono(left, 3);
    const summary = await w.close();
    assert.equal(summary.dataBytes, 3);
    assert.equal(sink.bytes.length, 58 + 4);
    assert.equal(summary.fileBytes, 58 + 4);
    assert.equal(summary.sha256, createHash('sha256').update(sink.bytes.subarray(58, 61)).digest('hex'));
    const r = parseWav(sink.bytes);
    assert.ok(r.ok);
    assert.equal(r.audio.frames, 3);
  });

  it('flushes on demand, e.g. before a pause, with a correct header', async () => {
    const sink = new MemorySink();
    const w = await StreamingWavWriter.open(sink, { encoding: 'pcm16', sampleRate: 8000, channels: 1 });
    w.appendMono(left);
    await w.flush();
    const r = parseWav(sink.bytes);
    assert.ok(r.ok);
    assert.equal(r.audio.frames, FRAME);
    assert.equal(w.frames, FRAME);
  });

  it('reports a sink failure once, stops writing, and rejects close with it', async () => {
    const sink = new MemorySink();
    sink.failOnWrite = 1; // the first audio chunk
    const seen: unknown[] = [];
    const w = await StreamingWavWriter.open(sink, {
      encoding: 'pcm16',
      sampleRate: 8000,
      channels: 1,
      flushIntervalMs: 20,
      onError: (e) => seen.push(e),
    });
    for (let i = 0; i < 5; i++) w.appendMono(left);
    await assert.rejects(w.close(), { code: 'ENOSPC' });
    assert.equal(seen.length, 1);
    assert.equal(sink.snapshots.length, 1, 'nothing written after the failure');
    assert.equal((w.error as { code: string }).code, 'ENOSPC');
  });

  it('refuses audio after close and frames of the wrong shape', async () => {
    const w = await StreamingWavWriter.open(new MemorySink(), {
      encoding: 'pcm16',
      sampleRate: 8000,
      channels: 2,
    });
    assert.throws(() => w.appendMono(left), { code: 'MEDIA_INVALID_ARGUMENT' });
    assert.throws(() => w.appendInterleaved(left, 3), { code: 'MEDIA_INVALID_ARGUMENT' });
    assert.throws(() => w.appendStereo(left, right, 161), { code: 'MEDIA_INVALID_ARGUMENT' });
    await w.close();
    assert.throws(() => w.appendStereo(left, right), { code: 'MEDIA_INVALID_ARGUMENT' });
    await assert.rejects(
      StreamingWavWriter.open(new MemorySink(), { encoding: 'pcm16', sampleRate: 8000, channels: 3 }),
      {
        code: 'MEDIA_INVALID_ARGUMENT',
      },
    );
  });
});
