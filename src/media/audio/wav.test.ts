import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { ULAW_DECODE, linearToUlaw } from '../codec/g711.js';
import { encodeWav, writeWavHeader } from './wav-format.js';
import { channelOf, parseWav, toMono } from './wav-read.js';

function ramp(n: number, step = 97): Int16Array {
  return Int16Array.from({ length: n }, (_, i) => ((i * step) % 60000) - 30000);
}

/** Inserts a chunk after the fmt chunk of a file we wrote (44-byte PCM header). */
function withChunkBeforeData(file: Uint8Array, id: string, body: Uint8Array): Uint8Array {
  const pad = body.length & 1;
  const out = new Uint8Array(file.length + 8 + body.length + pad);
  out.set(file.subarray(0, 36));
  for (let i = 0; i < 4; i++) out[36 + i] = id.charCodeAt(i);
  new DataView(out.buffer).setUint32(40, body.length, true);
  out.set(body, 44);
  out.set(file.subarray(36), 44 + body.length + pad);
  return out;
}

describe('WAV reading', () => {
  it('reads back a mono PCM16 file we wrote, sample for sample', () => {
    const samples = ramp(1000);
    const r = parseWav(encodeWav({ encoding: 'pcm16', sampleRate: 16000, channels: 1 }, samples));
    assert.ok(r.ok);
    assert.equal(r.audio.sampleRate, 16000);
    assert.equal(r.audio.channels, 1);
    assert.equal(r.audio.frames, 1000);
    assert.deepEqual(r.audio.samples, samples);
  });

  it('reads the canonical 44-byte header byte for byte', () => {
    const file = encodeWav({ encoding: 'pcm16', sampleRate: 8000, channels: 2 }, Int16Array.from([1, -1]));
    const header = Buffer.from(file.subarray(0, 44)).toString('hex');
    assert.equal(
      header,
      '52494646' +
        '28000000' +
        '57415645' +
        '666d7420' +
        '10000000' +
        '0100' +
        '0200' +
        '401f0000' +
        '007d0000' +
        '0400' +
        '1000' +
        '64617461' +
        '04000000',
    );
    assert.deepEqual([...file.subarray(44)], [1, 0, 0xff, 0xff]);
  });

  it('reads stereo µ-law and A-law files (format 7 and 6)', () => {
    const samples = ramp(400);
    for (const encoding of ['pcmu', 'pcma'] as const) {
      const r = parseWav(encodeWav({ encoding, sampleRate: 8000, channels: 2 }, samples));
      assert.ok(r.ok, encoding);
      assert.equal(r.audio.encoding, encoding);
      assert.equal(r.audio.frames, 200);
      for (let i = 0; i < samples.length; i++) assert.ok(Math.abs(r.audio.samples[i]! - samples[i]!) <= 1024);
    }
    const u = parseWav(
      encodeWav({ encoding: 'pcmu', sampleRate: 8000, channels: 1 }, Int16Array.from([1000])),
    );
    assert.ok(u.ok);
    assert.equal(u.audio.samples[0], ULAW_DECODE[linearToUlaw(1000)]);
  });

  it('skips LIST and other chunks, including one of odd length with its pad byte', () => {
    const file = encodeWav({ encoding: 'pcm16', sampleRate: 8000, channels: 1 }, ramp(10));
    const withList = withChunkBeforeData(
      file,
      'LIST',
      new TextEncoder().encode('INFOISFT\u0005\u0000\u0000\u0000sox!'),
    );
    const r = parseWav(withList);
    assert.ok(r.ok);
    assert.deepEqual(r.audio.samples, ramp(10));
  });

  it('reads 8-bit unsigned PCM and WAVE_FORMAT_EXTENSIBLE PCM', () => {
    const file = encodeWav({ encoding: 'pcm16', sampleRate: 8000, channels: 1 }, ramp(4));
    const ext = new Uint8Array(file.length + 24);
    ext.set(file.subarray(0, 36));
    const v = new DataView(ext.buffer);
    v.setUint32(16, 40, true);
    v.setUint16(20, 0xfffe, true);
    v.setUint16(36, 22, true); // cbSize
    v.setUint16(38, 16, true); // valid bits
    v.setUint32(40, 4, true); // channel mask
    v.setUint16(44, 1, true); // subformat GUID starts with the PCM tag
    ext.set(file.subarray(36), 60);
    const r = parseWav(ext);
    assert.ok(r.ok, r.ok ? '' : r.message);
    assert.deepEqual(r.audio.samples, ramp(4));

    const eight = file.slice(0, 44 + 4);
    const v8 = new DataView(eight.buffer);
    v8.setUint16(32, 1, true);
    v8.setUint16(34, 8, true);
    v8.setUint32(40, 4, true);
    eight.set([0, 128, 255, 129], 44);
    const r8 = parseWav(eight);
    assert.ok(r8.ok);
    assert.deepEqual([...r8.audio.samples], [-32768, 0, 32512, 256]);
  });

  it('reads a file cut short, or left with placeholder sizes, up to its last whole frame', () => {
    const file = encodeWav({ encoding: 'pcm16', sampleRate: 8000, channels: 2 }, ramp(100));
    const cut = parseWav(file.subarray(0, 44 + 4 * 10 + 3));
    assert.ok(cut.ok);
    assert.equal(cut.audio.frames, 10);
    const placeholder = file.slice();
    writeWavHeader(placeholder, { encoding: 'pcm16', sampleRate: 8000, channels: 2 }, 0);
    const p = parseWav(placeholder);
    assert.ok(p.ok);
    assert.equal(p.audio.frames, 50);
  });

  it('explains what it cannot read', () => {
    const file = encodeWav({ encoding: 'pcm16', sampleRate: 8000, channels: 1 }, ramp(4));
    const patch = (at: number, value: number, bytes = 2): Uint8Array => {
      const f = file.slice();
      const v = new DataView(f.buffer);
      if (bytes === 2) v.setUint16(at, value, true);
      else v.setUint32(at, value, true);
      return f;
    };
    const code = (f: Uint8Array): string => {
      const r = parseWav(f);
      return r.ok ? 'ok' : r.error;
    };
    assert.equal(code(new TextEncoder().encode('ID3 mp3 data')), 'WAV_NOT_RIFF');
    assert.equal(code(patch(20, 3)), 'WAV_UNSUPPORTED_ENCODING', 'IEEE float');
    assert.equal(code(patch(34, 24)), 'WAV_UNSUPPORTED_ENCODING', '24-bit PCM');
    assert.equal(code(patch(22, 6)), 'WAV_UNSUPPORTED_CHANNELS');
    assert.equal(code(patch(24, 96000, 4)), 'WAV_UNSUPPORTED_RATE');
    assert.equal(code(patch(24, 4000, 4)), 'WAV_UNSUPPORTED_RATE');
    assert.equal(code(patch(32, 4)), 'WAV_BAD_FORMAT');
    assert.equal(code(file.subarray(0, 36)), 'WAV_NO_DATA');
    assert.equal(code(patch(16, 8, 4)), 'WAV_BAD_FORMAT', 'a fmt chunk too short');
    const noFmt = file.slice();
    noFmt.set(new TextEncoder().encode('junk'), 12);
    assert.equal(code(noFmt), 'WAV_NO_FORMAT');
    const r = parseWav(patch(20, 0x55));
    assert.ok(!r.ok && /sox/.test(r.message), 'the message says how to convert');
  });

  it('mixes stereo down to mono and picks single channels', () => {
    const stereo = Int16Array.from([100, 300, -100, -301]);
    assert.deepEqual([...toMono(stereo, 2)], [200, -200]);
    assert.deepEqual([...channelOf(stereo, 2, 1)], [300, -301]);
    assert.equal(toMono(stereo, 1), stereo);
  });
});

describe('WAV writing', () => {
  it('encodes G.711 with the 18-byte fmt chunk and a fact chunk', () => {
    const file = encodeWav({ encoding: 'pcma', sampleRate: 8000, channels: 2 }, ramp(6));
    const text = (at: number): string => Buffer.from(file.subarray(at, at + 4)).toString('latin1');
    assert.equal(file.length, 58 + 6);
    assert.deepEqual([text(12), text(38), text(50)], ['fmt ', 'fact', 'data']);
    const v = new DataView(file.buffer);
    assert.equal(v.getUint32(16, true), 18);
    assert.equal(v.getUint16(20, true), 6);
    assert.equal(v.getUint32(46, true), 3, 'fact holds the sample frames');
    assert.equal(v.getUint32(4, true), file.length - 8);
  });

  it('pads an odd data chunk and counts the pad in the RIFF size only', () => {
    const file = encodeWav({ encoding: 'pcmu', sampleRate: 8000, channels: 1 }, ramp(3));
    const v = new DataView(file.buffer);
    assert.equal(file.length, 58 + 4);
    assert.equal(v.getUint32(54, true), 3);
    assert.equal(v.getUint32(4, true), file.length - 8);
  });

  it('is read back by parseWav from a real file, with the sha256 of its data', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'hotline-wav-'));
    try {
      const { openWavFileSink } = await import('./wav-file-sink.js');
      const { StreamingWavWriter } = await import('./wav-writer.js');
      const path = join(dir, 'call.wav');
      const w = await StreamingWavWriter.open(await openWavFileSink(path), {
        encoding: 'pcm16',
        sampleRate: 8000,
        channels: 2,
      });
      const left = ramp(160, 13);
      const right = ramp(160, 7);
      for (let i = 0; i < 120; i++) w.appendStereo(left, right);
      const summary = await w.close();
      const file = new Uint8Array(await readFile(path));
      assert.equal(summary.fileBytes, file.length);
      assert.equal(summary.durationMs, 2400);
      assert.equal(summary.sha256, createHash('sha256').update(file.subarray(44)).digest('hex'));
      const r = parseWav(file);
      assert.ok(r.ok);
      assert.deepEqual(channelOf(r.audio.samples, 2, 0).subarray(0, 160), left);
      assert.deepEqual(channelOf(r.audio.samples, 2, 1).subarray(160 * 119), right);
      await assert.rejects(openWavFileSink(path), { code: 'EEXIST' }, 'never overwrites a recording');
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
