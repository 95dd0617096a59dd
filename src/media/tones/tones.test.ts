import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { dbm0ToSinePeak, rmsDbm0 } from '../audio/level.js';
import { cadenceGain, compileTone, renderTone, renderToneSamples } from './generator.js';
import {
  CHINA_TONES,
  DEFAULT_TONE_PROFILE,
  EU_TONES,
  TONE_NAMES,
  US_TONES,
  toneProfile,
} from './profiles.js';
import type { ToneSpec } from './types.js';

/** Amplitude of one frequency in a signal (Goertzel), as a sine's peak. */
function amplitudeAt(x: Int16Array, hz: number, rate = 8000): number {
  const c = 2 * Math.cos((2 * Math.PI * hz) / rate);
  let s1 = 0;
  let s2 = 0;
  for (const v of x) {
    const s = v + c * s1 - s2;
    s2 = s1;
    s1 = s;
  }
  return (2 * Math.sqrt(s1 * s1 + s2 * s2 - c * s1 * s2)) / x.length;
}

const db = (r: number): number => 20 * Math.log10(r);

/** Start and end sample of each non-silent run. */
function bursts(x: Int16Array): [number, number][] {
  const runs: [number, number][] = [];
  let start = -1;
  for (let i = 0; i <= x.length; i++) {
    const on = i < x.length && x[i] !== 0;
    if (on && start < 0) start = i;
    // A sine crosses zero; call a run ended only after 20 silent samples.
    if (!on && start >= 0 && (i === x.length || x.subarray(i, i + 20).every((v) => v === 0))) {
      runs.push([start, i]);
      start = -1;
    }
  }
  return runs;
}

describe('tone generator', () => {
  it('plays China ring-back as 450 Hz, 1 s on and 4 s off, repeating', () => {
    const x = renderToneSamples(CHINA_TONES.ringback, 11_000);
    const runs = bursts(x);
    assert.equal(runs.length, 3);
    for (const [k, [start, end]] of runs.entries()) {
      assert.ok(Math.abs(start - k * 40000) <= 1, `burst ${k} starts at ${start}`);
      assert.ok(Math.abs(end - start - 8000) <= 2, `burst ${k} lasts ${end - start}`);
    }
    const steady = x.subarray(400, 7600);
    assert.ok(Math.abs(db(amplitudeAt(steady, 450) / dbm0ToSinePeak(-10))) < 0.05);
    assert.ok(Math.abs(rmsDbm0(steady) - -10) < 0.05);
  });

  it('plays China busy 0.35/0.35 s and congestion 0.7/0.7 s', () => {
    const busy = bursts(renderToneSamples(CHINA_TONES.busy, 2000));
    assert.deepEqual(
      busy.map(([s, e]) => [Math.round(s / 80), Math.round((e - s) / 80)]),
      [
        [0, 35],
        [70, 35],
        [140, 35],
      ],
      'in units of 10 ms',
    );
    const congestion = bursts(renderToneSamples(CHINA_TONES.congestion, 2000));
    assert.deepEqual(
      congestion.map(([s, e]) => [Math.round(s / 80), Math.round((e - s) / 80)]),
      [
        [0, 70],
        [140, 60],
      ],
      'the second burst is cut by the 2 s window',
    );
  });

  it('sums dual tones at the stated level per component (US ring-back 440 + 480 Hz at −19 dBm0)', () => {
    const x = renderToneSamples(US_TONES.ringback, 2000).subarray(800, 15200);
    for (const hz of [440, 480]) assert.ok(Math.abs(db(amplitudeAt(x, hz) / dbm0ToSinePeak(-19))) < 0.05);
    assert.ok(amplitudeAt(x, 460) < dbm0ToSinePeak(-19) / 100, 'nothing between the two');
    assert.ok(Math.abs(rmsDbm0(x) - (-19 + 3.01)) < 0.05);
  });

  it('is phase-continuous: frames rendered one by one equal the tone rendered at once', () => {
    for (const spec of [US_TONES.dial, CHINA_TONES.busy]) {
      const tone = compileTone(spec);
      const whole = new Int16Array(8000);
      renderTone(tone, 0, whole);
      const frame = new Int16Array(160);
      for (let k = 0; k < 50; k++) {
        renderTone(tone, k * 160 + 7, frame);
        for (let i = 0; i < 153; i++)
          assert.ok(Math.abs(frame[i]! - whole[k * 160 + 7 + i]!) <= 1, `frame ${k}`);
      }
    }
  });

  it('is stateless and exact hours into a call', () => {
    const tone = compileTone(CHINA_TONES.dial);
    const n = 8000 * 3600 * 10 + 37; // ten hours in
    const a = new Int16Array(160);
    const b = new Int16Array(160);
    renderTone(tone, n, a);
    renderTone(compileTone(CHINA_TONES.busy), 0, b);
    renderTone(tone, n, b);
    assert.deepEqual(a, b);
    const peak = dbm0ToSinePeak(-10);
    for (let i = 0; i < 160; i++) {
      const expected = peak * Math.sin((2 * Math.PI * ((450 * (n + i)) % 8000)) / 8000);
      assert.ok(Math.abs(a[i]! - expected) <= 1, `sample ${i}`);
    }
  });

  it('ramps each burst in and out over 2 ms instead of clicking', () => {
    const tone = compileTone(CHINA_TONES.busy);
    assert.equal(cadenceGain(tone, 0), 1 / 16);
    assert.equal(cadenceGain(tone, 15), 1);
    assert.equal(cadenceGain(tone, 2799), 1 / 16);
    assert.equal(cadenceGain(tone, 2800), 0);
    assert.equal(cadenceGain(tone, 5600), 1 / 16, 'the next cycle');
  });

  it('plays a non-repeating cadence once, then silence; multi-step cadences in order', () => {
    const once: ToneSpec = {
      frequencies: [1000],
      levelDbm0: -10,
      cadence: [{ onMs: 100, offMs: 100 }],
      repeat: false,
    };
    assert.equal(bursts(renderToneSamples(once, 1000)).length, 1);
    const cw = bursts(renderToneSamples(EU_TONES.callWaiting, 5000));
    assert.deepEqual(
      cw.map(([s]) => Math.round(s / 8)),
      [0, 400, 4600],
      'two 0.2 s bursts 0.4 s apart, again 4.6 s later (ms)',
    );
  });

  it('refuses frequencies outside the band and levels above the codec maximum', () => {
    assert.throws(() => compileTone({ frequencies: [4000], levelDbm0: -10, cadence: [] }), {
      code: 'MEDIA_INVALID_ARGUMENT',
    });
    assert.throws(() => compileTone({ frequencies: [], levelDbm0: -10, cadence: [] }), {
      code: 'MEDIA_INVALID_ARGUMENT',
    });
    assert.throws(() => compileTone({ frequencies: [400], levelDbm0: 6, cadence: [] }), {
      code: 'MEDIA_INVALID_ARGUMENT',
    });
    assert.throws(
      () => compileTone({ frequencies: [400], levelDbm0: -10, cadence: [{ onMs: 0, offMs: 0 }] }),
      {
        code: 'MEDIA_INVALID_ARGUMENT',
      },
    );
    assert.throws(() => renderTone(compileTone(CHINA_TONES.dial), -1, new Int16Array(160)), {
      code: 'MEDIA_INVALID_ARGUMENT',
    });
  });
});

describe('tone profiles', () => {
  it('defaults to China and finds profiles by id regardless of case', () => {
    assert.equal(DEFAULT_TONE_PROFILE, CHINA_TONES);
    assert.equal(toneProfile('CN'), CHINA_TONES);
    assert.equal(toneProfile('us'), US_TONES);
    assert.equal(toneProfile('eu'), EU_TONES);
    assert.equal(toneProfile('xx'), undefined);
    assert.equal(toneProfile('constructor'), undefined);
  });

  it('carries the stated frequencies and cadences', () => {
    assert.deepEqual(CHINA_TONES.dial.frequencies, [450]);
    assert.deepEqual(CHINA_TONES.dial.cadence, []);
    assert.deepEqual(CHINA_TONES.callWaiting.cadence, [{ onMs: 400, offMs: 4000 }]);
    assert.deepEqual(US_TONES.busy.frequencies, [480, 620]);
    assert.deepEqual(US_TONES.ringback.cadence, [{ onMs: 2000, offMs: 4000 }]);
    assert.deepEqual(EU_TONES.ringback.frequencies, [425]);
    assert.deepEqual(EU_TONES.busy.cadence, [{ onMs: 500, offMs: 500 }]);
  });

  it('every tone of every profile compiles and renders within the codec range', () => {
    for (const profile of [CHINA_TONES, US_TONES, EU_TONES]) {
      for (const name of TONE_NAMES) {
        const x = renderToneSamples(profile[name], 500);
        assert.ok(
          x.some((v) => v !== 0),
          `${profile.id} ${name}`,
        );
      }
    }
  });
});
