import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  DBM0_RMS,
  DBM0_SINE_PEAK,
  dbToGain,
  dbm0ToRms,
  dbm0ToSinePeak,
  rms,
  rmsDbfs,
  rmsDbm0,
} from './level.js';
import { accumulate, applyGain, applyGainDb, mixFrames, mixMinus, saturateInto } from './mix.js';

function sine(peak: number, hz = 1000, n = 8000): Int16Array {
  return Int16Array.from({ length: n }, (_, i) =>
    Math.round(peak * Math.sin((2 * Math.PI * hz * i) / 8000 + 0.3)),
  );
}

const close = (a: number, b: number, eps: number): void => assert.ok(Math.abs(a - b) <= eps, `${a} ≉ ${b}`);

describe('levels (dBFS re 32768 RMS; 0 dBm0 = full-scale sine − 3.17 dB)', () => {
  it('puts a full-scale sine at −3.01 dBFS and +3.17 dBm0', () => {
    const s = sine(32767);
    close(rmsDbfs(s), -3.01, 0.01);
    close(rmsDbm0(s), 3.17, 0.01);
  });

  it('puts a 0 dBm0 sine at peak ≈ 22749 and RMS ≈ 16086', () => {
    close(DBM0_SINE_PEAK, 22749, 1);
    close(DBM0_RMS, 16086, 1);
    close(rmsDbm0(sine(dbm0ToSinePeak(0))), 0, 0.01);
    close(rmsDbm0(sine(dbm0ToSinePeak(-10))), -10, 0.02);
    close(dbm0ToRms(-20), DBM0_RMS / 10, 1e-9);
  });

  it('relates dBm0 and dBFS by a constant 6.18 dB', () => {
    const s = sine(5000, 440);
    close(rmsDbm0(s) - rmsDbfs(s), 3.0103 + 3.17, 0.001);
  });

  it('calls digital silence −Infinity and measures only the given length', () => {
    assert.equal(rmsDbfs(new Int16Array(160)), -Infinity);
    assert.equal(rms(new Int16Array(0)), 0);
    assert.equal(rms(Int16Array.from([3, 4, 1000]), 2), Math.sqrt(12.5));
  });
});

describe('mixing and gain', () => {
  it('sums three parties and saturates instead of wrapping', () => {
    const a = Int16Array.from([1000, 30000, -30000, 0]);
    const b = Int16Array.from([2000, 10000, -10000, 5]);
    const c = Int16Array.from([3000, 1, -1, -5]);
    const out = new Int16Array(4);
    mixFrames([a, b, c], out);
    assert.deepEqual([...out], [6000, 32767, -32768, 0]);
    mixFrames([a, b], out);
    assert.deepEqual([...out], [3000, 32767, -32768, 5]);
    mixFrames([a, b, c, c, c], out);
    assert.deepEqual([...out], [12000, 32767, -32768, -10]);
    mixFrames([], out);
    assert.deepEqual([...out], [0, 0, 0, 0]);
    mixFrames([a], out);
    assert.deepEqual(out, a);
  });

  it('gives each conference party everyone but itself (mix-minus)', () => {
    const parties = [Int16Array.from([100, 20000]), Int16Array.from([10, 20000]), Int16Array.from([1, -5])];
    const acc = new Int32Array(2);
    for (const p of parties) accumulate(acc, p);
    const out = new Int16Array(2);
    mixMinus(acc, parties[0]!, out);
    assert.deepEqual([...out], [11, 19995]);
    mixMinus(acc, parties[2]!, out);
    assert.deepEqual([...out], [110, 32767]);
    saturateInto(acc, out);
    assert.deepEqual([...out], [111, 32767]);
  });

  it('applies gain in dB with rounding and saturation, in place or into another buffer', () => {
    const f = Int16Array.from([1000, -1000, 30000]);
    const out = new Int16Array(3);
    applyGainDb(f, -6.0206, out);
    assert.deepEqual([...out], [500, -500, 15000]);
    applyGain(f, 2, out);
    assert.deepEqual([...out], [2000, -2000, 32767]);
    applyGain(f, 1, out);
    assert.deepEqual(out, f);
    applyGainDb(f, 20);
    assert.deepEqual([...f], [10000, -10000, 32767]);
    close(dbToGain(-20), 0.1, 1e-12);
  });

  it('refuses lengths the buffers cannot hold', () => {
    assert.throws(() => mixFrames([new Int16Array(2)], new Int16Array(4)), {
      code: 'MEDIA_INVALID_ARGUMENT',
    });
    assert.throws(() => mixMinus(new Int32Array(4), new Int16Array(2), new Int16Array(4)), {
      code: 'MEDIA_INVALID_ARGUMENT',
    });
  });
});
