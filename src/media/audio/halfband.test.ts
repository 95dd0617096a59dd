import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Downsampler2, Upsampler2 } from './halfband.js';

function tone(hz: number, rate: number, amplitude: number, samples: number): Int16Array {
  return Int16Array.from({ length: samples }, (_, i) =>
    Math.round(amplitude * Math.sin((2 * Math.PI * hz * i) / rate)),
  );
}

/** Amplitude of the `hz` component of x[from…] by projection on sine and cosine. */
function amplitudeAt(x: Int16Array, hz: number, rate: number, from: number): number {
  const w = (2 * Math.PI * hz) / rate;
  let s = 0;
  let c = 0;
  for (let i = from; i < x.length; i++) {
    s += x[i]! * Math.sin(w * i);
    c += x[i]! * Math.cos(w * i);
  }
  return (2 * Math.hypot(s, c)) / (x.length - from);
}

const dB = (ratio: number) => 20 * Math.log10(ratio);

function upsample(x: Int16Array): Int16Array {
  const out = new Int16Array(2 * x.length);
  assert.equal(new Upsampler2().process(x, 0, x.length, out), 2 * x.length);
  return out;
}

function downsample(x: Int16Array): Int16Array {
  const out = new Int16Array(x.length / 2);
  assert.equal(new Downsampler2().process(x, 0, x.length, out), x.length / 2);
  return out;
}

describe('half-band 2:1 resamplers', () => {
  it('8 → 16 kHz keeps telephone-band tones at their level and leaves no image above 4.6 kHz', () => {
    for (const hz of [300, 1000, 3000, 3400]) {
      const up = upsample(tone(hz, 8000, 10000, 8000));
      const gain = dB(amplitudeAt(up, hz, 16000, 200) / 10000);
      assert.ok(Math.abs(gain) < 0.1, `${hz} Hz: ${gain.toFixed(3)} dB`);
      // Zero-stuffing mirrors hz to 8000 − hz; the filter must remove that image.
      const image = dB(amplitudeAt(up, 8000 - hz, 16000, 200) / 10000);
      if (8000 - hz >= 4600)
        assert.ok(image < -55, `image of ${hz} Hz at ${8000 - hz} Hz: ${image.toFixed(1)} dB`);
    }
  });

  it('16 → 8 kHz keeps telephone-band tones and stops what would fold back from 4.6 kHz up', () => {
    for (const hz of [300, 1000, 3000]) {
      const down = downsample(tone(hz, 16000, 10000, 16000));
      const gain = dB(amplitudeAt(down, hz, 8000, 100) / 10000);
      assert.ok(Math.abs(gain) < 0.1, `${hz} Hz: ${gain.toFixed(3)} dB`);
    }
    for (const hz of [4600, 6000, 7000]) {
      const down = downsample(tone(hz, 16000, 10000, 16000));
      const folded = dB(amplitudeAt(down, 8000 - hz, 8000, 100) / 10000);
      assert.ok(folded < -55, `${hz} Hz folds to ${8000 - hz} Hz at ${folded.toFixed(1)} dB`);
    }
  });

  it('streams: 20 ms chunks give exactly what one call gives, sample for sample', () => {
    const x = tone(1234, 8000, 12000, 1600);
    const whole = upsample(x);
    const up = new Upsampler2();
    const chunks = new Int16Array(3200);
    for (let at = 0; at < 1600; at += 160) up.process(x, at, 160, chunks, 2 * at);
    assert.deepEqual(chunks, whole);
    const back = downsample(whole);
    const down = new Downsampler2();
    const inChunks = new Int16Array(1600);
    for (let at = 0; at < 3200; at += 320) down.process(whole, at, 320, inChunks, at / 2);
    assert.deepEqual(inChunks, back);
  });

  it('up then down returns the signal, 25 samples (at 8 kHz) late', () => {
    const x = tone(800, 8000, 8000, 800);
    const y = downsample(upsample(x));
    let worst = 0;
    for (let i = 100; i < 800; i++) worst = Math.max(worst, Math.abs(y[i]! - x[i - 25]!));
    assert.ok(worst <= 8, `largest difference ${worst}`);
  });

  it('refuses spans outside the buffers and an odd length to halve', () => {
    assert.throws(() => new Upsampler2().process(new Int16Array(160), 0, 160, new Int16Array(319)), {
      code: 'MEDIA_INVALID_ARGUMENT',
    });
    assert.throws(() => new Upsampler2().process(new Int16Array(160), 100, 80, new Int16Array(320)), {
      code: 'MEDIA_INVALID_ARGUMENT',
    });
    assert.throws(() => new Downsampler2().process(new Int16Array(320), 0, 319, new Int16Array(160)), {
      code: 'MEDIA_INVALID_ARGUMENT',
    });
  });
});
