import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { decodeWavPcm16Mono, encodeWavPcm16Mono } from './wav.js';

describe('cache WAV files', () => {
  it('round-trips PCM16 mono with a canonical 44-byte header', () => {
    const samples = Int16Array.from([0, 1, -1, 32767, -32768, 1234]);
    const buf = encodeWavPcm16Mono(samples, 8000);
    assert.equal(buf.length, 44 + 12);
    assert.equal(buf.toString('ascii', 0, 4), 'RIFF');
    assert.equal(buf.readUInt32LE(4), buf.length - 8);
    assert.equal(buf.readUInt32LE(28), 16000, 'byte rate');
    assert.deepEqual(decodeWavPcm16Mono(buf), { ok: true, samples, sampleRate: 8000 });
  });

  it('skips unknown chunks and reads a data chunk that follows them', () => {
    const base = encodeWavPcm16Mono(Int16Array.from([7, 8]), 16000);
    const list = Buffer.concat([Buffer.from('LIST'), Buffer.from([3, 0, 0, 0]), Buffer.from('abc\0')]);
    const file = Buffer.concat([base.subarray(0, 36), list, base.subarray(36)]);
    file.writeUInt32LE(file.length - 8, 4);
    assert.deepEqual(decodeWavPcm16Mono(file), {
      ok: true,
      samples: Int16Array.from([7, 8]),
      sampleRate: 16000,
    });
  });

  it('reports, never misreads, truncated or foreign files', () => {
    const good = encodeWavPcm16Mono(Int16Array.from([1, 2, 3]), 8000);
    const cases: [string, Buffer][] = [
      ['empty', Buffer.alloc(0)],
      ['not RIFF', Buffer.from('OggS0000WAVE')],
      ['truncated', good.subarray(0, good.length - 2)],
      ['stereo', Buffer.from(good).fill(2, 22, 23)],
      ['8-bit', Buffer.from(good).fill(8, 34, 35)],
    ];
    for (const [name, buf] of cases) assert.equal(decodeWavPcm16Mono(buf).ok, false, name);
    const overrun = Buffer.from(good);
    overrun.writeUInt32LE(1000, 40);
    assert.deepEqual(decodeWavPcm16Mono(overrun), { ok: false, reason: 'chunk "data" overruns the file' });
  });
});
