/**
 * Cost of the in-band detector per 20 ms frame (160 samples), reported as a test
 * diagnostic. The bound asserted is loose (shared CI machines); the figures are what
 * matters: the media engine runs one detector per leg that needs one.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DtmfDetector } from './detector.js';
import { dbm0ToPower } from './levels.js';
import { addNoise, digitTone, seededRandom, SignalBuilder, toInt16 } from './testing/signal.js';

const FRAMES = 2500;

function nsPerFrame(pcm: Int16Array): number {
  let best = Infinity;
  for (let round = 0; round < 5; round++) {
    const det = new DtmfDetector();
    const start = process.hrtime.bigint();
    for (let i = 0; i < FRAMES; i++) det.process(pcm.subarray(i * 160, i * 160 + 160), i * 20);
    best = Math.min(best, Number(process.hrtime.bigint() - start) / FRAMES);
  }
  return best;
}

describe('DtmfDetector cost', () => {
  it('processes a 20 ms frame in microseconds: silence, noise, a held key', (t) => {
    const n = FRAMES * 160;
    const signals = {
      silence: new Int16Array(n),
      'noise at −20 dBm0': toInt16(addNoise(new Float64Array(n), dbm0ToPower(-20), seededRandom(3))),
      'key held at −10 dBm0': toInt16(
        new SignalBuilder().tone(digitTone('5', { dbm0: -10, ms: (n / 8) | 0 })).build(),
      ),
    };
    for (const [name, pcm] of Object.entries(signals)) {
      const ns = nsPerFrame(pcm);
      t.diagnostic(`${name}: ${Math.round(ns)} ns per 20 ms frame`);
      assert.ok(ns < 200_000, `${name}: ${ns} ns per frame`);
    }
  });
});
