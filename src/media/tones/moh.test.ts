import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { rmsDbm0 } from '../audio/level.js';
import { parseWav } from '../audio/wav-read.js';
import { renderMusicOnHold, renderMusicOnHoldWav } from './moh.js';

/** Share of a signal's energy between lo and hi Hz (plain DFT over one excerpt). */
function bandShare(x: Int16Array, lo: number, hi: number, rate = 8000): number {
  const n = x.length;
  let inBand = 0;
  let total = 0;
  for (let k = 1; k < n / 2; k++) {
    const hz = (k * rate) / n;
    const c = 2 * Math.cos((2 * Math.PI * k) / n);
    let s1 = 0;
    let s2 = 0;
    for (let i = 0; i < n; i++) {
      const s = x[i]! + c * s1 - s2;
      s2 = s1;
      s1 = s;
    }
    const power = s1 * s1 + s2 * s2 - c * s1 * s2;
    total += power;
    if (hz >= lo && hz <= hi) inBand += power;
  }
  return inBand / total;
}

describe('music on hold', () => {
  const music = renderMusicOnHold();

  it('is 24 seconds at 8 kHz and the same every time', () => {
    assert.equal(music.length, 24 * 8000);
    assert.deepEqual(renderMusicOnHold(), music);
  });

  it('sits at −18 dBm0 RMS with headroom to spare', () => {
    assert.ok(Math.abs(rmsDbm0(music) - -18) < 0.05);
    const peak = music.reduce((m, v) => Math.max(m, Math.abs(v)), 0);
    assert.ok(peak < 16384, `peak ${peak}`);
  });

  it('puts its energy in the telephone band (the bass fundamentals aside)', () => {
    const shares = [0, 1, 2, 3, 4, 5, 6, 7].map((bar) => {
      const at = bar * 24000 + 4000; // half a beat into each bar, where the bass is loudest
      return bandShare(music.subarray(at, at + 2048), 300, 3400);
    });
    const mean = shares.reduce((a, b) => a + b, 0) / shares.length;
    assert.ok(mean > 0.9, `mean in-band share ${mean.toFixed(3)}`);
    assert.ok(Math.min(...shares) > 0.7, shares.map((s) => s.toFixed(2)).join(' '));
  });

  it('loops without a seam: the jump from the last sample to the first is an ordinary step', () => {
    let maxStep = 0;
    for (let i = 1; i < music.length; i++) maxStep = Math.max(maxStep, Math.abs(music[i]! - music[i - 1]!));
    assert.ok(Math.abs(music[0]! - music[music.length - 1]!) <= maxStep);
    assert.notEqual(music[0], 0, 'the tail of the last chord rings into the start');
  });

  it('renders as a WAV file that reads back sample for sample, at other rates too', () => {
    const r = parseWav(renderMusicOnHoldWav());
    assert.ok(r.ok);
    assert.equal(r.audio.sampleRate, 8000);
    assert.deepEqual(r.audio.samples, music);
    assert.equal(renderMusicOnHold({ sampleRate: 16000, levelDbm0: -24 }).length, 24 * 16000);
  });
});
