import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { G722Decoder } from '../codec/g722.js';
import { ENGINE_CODECS, frameCodecOf, isEngineCodec } from './frame-codec.js';
import { G722FrameCodec } from './g722-frame.js';

function tone(hz: number, rate: number, amplitude: number, samples: number): Int16Array {
  return Int16Array.from({ length: samples }, (_, i) =>
    Math.round(amplitude * Math.sin((2 * Math.PI * hz * i) / rate)),
  );
}

/** Amplitude of `hz` in x[from…] and the ratio of that sine to the rest, in dB. */
function fitTone(
  x: Int16Array,
  hz: number,
  rate: number,
  from: number,
): { amplitude: number; snrDb: number } {
  const w = (2 * Math.PI * hz) / rate;
  let s = 0;
  let c = 0;
  for (let i = from; i < x.length; i++) {
    s += x[i]! * Math.sin(w * i);
    c += x[i]! * Math.cos(w * i);
  }
  const n = x.length - from;
  const [a, b] = [(2 * s) / n, (2 * c) / n];
  let signal = 0;
  let residual = 0;
  for (let i = from; i < x.length; i++) {
    const fit = a * Math.sin(w * i) + b * Math.cos(w * i);
    signal += fit * fit;
    residual += (x[i]! - fit) ** 2;
  }
  return { amplitude: Math.hypot(a, b), snrDb: 10 * Math.log10(signal / residual) };
}

/** Encodes 8 kHz audio in 20 ms frames, as the packetizer does; one octet per sample. */
function encodeFrames(codec: G722FrameCodec, pcm: Int16Array): Uint8Array {
  const octets = new Uint8Array(pcm.length);
  for (let at = 0; at < pcm.length; at += 160) {
    assert.equal(codec.encode(pcm.subarray(at, at + 160), octets.subarray(at, at + 160)), 160);
  }
  return octets;
}

describe('G.722 in the 8 kHz engine', () => {
  it('turns 20 ms of engine audio into a 160-octet payload and back, 1 kHz kept above 35 dB SNR', () => {
    const sent = tone(1000, 8000, 10000, 8000);
    const octets = encodeFrames(new G722FrameCodec(), sent);
    const receiver = new G722FrameCodec();
    const heard = new Int16Array(8000);
    for (let at = 0; at < 8000; at += 160) {
      assert.equal(receiver.decode(octets, at, 160, heard.subarray(at, at + 160)), 160);
    }
    const fit = fitTone(heard, 1000, 8000, 800);
    assert.ok(Math.abs(fit.amplitude / 10000 - 1) < 0.01, `amplitude ${fit.amplitude}`);
    assert.ok(fit.snrDb > 35, `SNR ${fit.snrDb.toFixed(1)} dB`);
  });

  it('sends real 16 kHz G.722: a plain decoder hears the tone, and nothing of it mirrored above 4 kHz', () => {
    const octets = encodeFrames(new G722FrameCodec(), tone(1000, 8000, 10000, 8000));
    const wide = new Int16Array(16000);
    new G722Decoder().decode(octets, wide);
    const fit = fitTone(wide, 1000, 16000, 1600);
    assert.ok(Math.abs(fit.amplitude / 10000 - 1) < 0.01, `amplitude ${fit.amplitude}`);
    assert.ok(fit.snrDb > 35, `SNR ${fit.snrDb.toFixed(1)} dB`);
    // The upsampling image of 1 kHz would sit at 7 kHz.
    const image = fitTone(wide, 7000, 16000, 1600).amplitude;
    assert.ok(image < 10, `7 kHz image at amplitude ${image.toFixed(1)}`);
  });

  it('decodes a payload longer than its buffer in turns, and no more than `out` holds', () => {
    const octets = encodeFrames(new G722FrameCodec(), tone(500, 8000, 8000, 1600));
    const oneGo = new Int16Array(1600);
    assert.equal(new G722FrameCodec().decode(octets, 0, 1600, oneGo), 1600);
    const stepwise = new Int16Array(1600);
    const codec = new G722FrameCodec();
    for (let at = 0; at < 1600; at += 160) codec.decode(octets, at, 160, stepwise.subarray(at, at + 160));
    assert.deepEqual(oneGo, stepwise);
    assert.equal(new G722FrameCodec().decode(octets, 0, 1600, new Int16Array(100)), 100);
    assert.equal(new G722FrameCodec().decode(octets, 1590, 160, new Int16Array(160)), 10);
  });

  it('gives every stream its own G.722 state and shares the stateless G.711 codecs', () => {
    const [a, b] = [frameCodecOf('G722'), frameCodecOf('g722')];
    assert.ok(a instanceof G722FrameCodec && b instanceof G722FrameCodec);
    assert.notEqual(a, b);
    assert.equal(a.name, 'G722');
    assert.equal(a.payloadBytes(240), 240, '30 ms: 240 octets at the 8 kHz RTP clock');
    assert.equal(frameCodecOf('PCMU'), frameCodecOf('pcmu'));
    assert.deepEqual(ENGINE_CODECS, ['PCMU', 'PCMA', 'G722']);
    assert.ok(isEngineCodec('g722') && !isEngineCodec('G729'));
    assert.equal(frameCodecOf('G729'), undefined);
  });
});
