import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { G722Decoder, G722Encoder } from './g722.js';

const RATE = 16000;

function tone(hz: number, amplitude: number, samples: number): Int16Array {
  return Int16Array.from({ length: samples }, (_, i) =>
    Math.round(amplitude * Math.sin((2 * Math.PI * hz * i) / RATE)),
  );
}

/**
 * Fits a sine of `hz` (any phase, so the codec's delay does not matter) to x[from…] and
 * returns its amplitude and the signal-to-residual ratio in dB.
 */
function fitTone(x: Int16Array, hz: number, from: number): { amplitude: number; snrDb: number } {
  const w = (2 * Math.PI * hz) / RATE;
  let s = 0;
  let c = 0;
  const n = x.length - from;
  for (let i = from; i < x.length; i++) {
    s += x[i]! * Math.sin(w * i);
    c += x[i]! * Math.cos(w * i);
  }
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

/** Encodes `pcm` in 20 ms frames (320 samples → 160 octets) with one encoder, decodes with one decoder. */
function roundTrip(pcm: Int16Array): { octets: Uint8Array; decoded: Int16Array } {
  const enc = new G722Encoder();
  const dec = new G722Decoder();
  const octets = new Uint8Array(pcm.length / 2);
  const decoded = new Int16Array(pcm.length);
  for (let at = 0; at < pcm.length; at += 320) {
    assert.equal(enc.encode(pcm, octets, at, 320, at / 2), 160, 'a 20 ms frame is 160 octets');
    assert.equal(dec.decode(octets, decoded, at / 2, 160, at), 320);
  }
  return { octets, decoded };
}

describe('G.722 encoder and decoder (64 kbit/s)', () => {
  it('carries a 1 kHz sine at its level with an SNR above 40 dB', () => {
    for (const amplitude of [1000, 10000, 30000]) {
      const { decoded } = roundTrip(tone(1000, amplitude, RATE));
      const fit = fitTone(decoded, 1000, 1600); // after the first 100 ms of adaptation
      assert.ok(
        Math.abs(fit.amplitude / amplitude - 1) < 0.01,
        `amplitude ${fit.amplitude} for ${amplitude}`,
      );
      assert.ok(fit.snrDb > 40, `SNR ${fit.snrDb.toFixed(1)} dB at amplitude ${amplitude}`);
    }
  });

  it('carries a 6 kHz sine, which only the high band can: the codec is wideband', () => {
    const { decoded } = roundTrip(tone(6000, 8000, RATE));
    const fit = fitTone(decoded, 6000, 1600);
    assert.ok(Math.abs(fit.amplitude / 8000 - 1) < 0.03, `amplitude ${fit.amplitude}`);
    assert.ok(fit.snrDb > 20, `SNR ${fit.snrDb.toFixed(1)} dB (2-bit high band)`);
  });

  it('keeps silence silent: digital silence decodes to within a few units of zero', () => {
    const { decoded } = roundTrip(new Int16Array(RATE));
    let peak = 0;
    for (const v of decoded) peak = Math.max(peak, Math.abs(v));
    assert.ok(peak <= 8, `idle noise peaks at ${peak} (of 32767)`);
  });

  it('keeps its state across frames: frame by frame equals all at once, a fresh coder does not', () => {
    const pcm = tone(440, 12000, 3200);
    const { octets, decoded } = roundTrip(pcm);
    const whole = new Uint8Array(1600);
    new G722Encoder().encode(pcm, whole);
    assert.deepEqual(octets, whole);
    const wholeDecoded = new Int16Array(3200);
    new G722Decoder().decode(whole, wholeDecoded);
    assert.deepEqual(decoded, wholeDecoded);
    // Frame 2 encoded by a new encoder: the ADPCM restarts from its initial state and differs.
    const restarted = new Uint8Array(160);
    new G722Encoder().encode(pcm, restarted, 320, 320);
    assert.notDeepEqual(restarted, octets.subarray(160, 320));
  });

  it('starts again from the initial state after reset()', () => {
    const pcm = tone(700, 9000, 640);
    const enc = new G722Encoder();
    const first = new Uint8Array(320);
    enc.encode(pcm, first);
    enc.reset();
    const again = new Uint8Array(320);
    enc.encode(pcm, again);
    assert.deepEqual(again, first);
  });

  it('codes the high band in the top two bits: a loud 6 kHz tone uses all four of their codes', () => {
    const high = new Set<number>();
    const { octets } = roundTrip(tone(6000, 20000, 3200));
    for (const o of octets.subarray(200)) high.add(o >> 6);
    assert.deepEqual([...high].sort(), [0, 1, 2, 3]);
  });

  it('refuses an odd number of samples and spans that do not fit, with MEDIA_INVALID_ARGUMENT', () => {
    const enc = new G722Encoder();
    assert.throws(() => enc.encode(new Int16Array(3), new Uint8Array(2)), { code: 'MEDIA_INVALID_ARGUMENT' });
    assert.throws(() => enc.encode(new Int16Array(320), new Uint8Array(100)), {
      code: 'MEDIA_INVALID_ARGUMENT',
    });
    const dec = new G722Decoder();
    assert.throws(() => dec.decode(new Uint8Array(160), new Int16Array(319)), {
      code: 'MEDIA_INVALID_ARGUMENT',
    });
    assert.throws(() => dec.decode(new Uint8Array(160), new Int16Array(320), 100, 80), {
      code: 'MEDIA_INVALID_ARGUMENT',
    });
  });
});
