/**
 * Signal levels of 16-bit PCM.
 *
 * Conventions, stated once:
 * - dBFS is RMS relative to 32768 (a full-scale square wave is 0 dBFS, so a full-scale
 *   sine is −3.01 dBFS).
 * - dBm0 follows G.711: its maximum level, a sine that just reaches full scale, is
 *   +3.17 dBm0. Full scale here is 32768, so a 0 dBm0 sine has peak 32768 · 10^(−3.17/20)
 *   ≈ 22749 and RMS ≈ 16086, and dBm0 = dBFS + 3.01 + 3.17. (µ-law's own overload point
 *   is 32636 and A-law's +3.14 dBm0; the 0.03 dB differences are ignored.)
 */

export const FULL_SCALE = 32768;
/** dBm0 of a sine whose peak is full scale (G.711 µ-law). */
export const FULL_SCALE_SINE_DBM0 = 3.17;
/** Peak amplitude of a 0 dBm0 sine. */
export const DBM0_SINE_PEAK = FULL_SCALE * 10 ** (-FULL_SCALE_SINE_DBM0 / 20);
/** RMS of any 0 dBm0 signal. */
export const DBM0_RMS = DBM0_SINE_PEAK / Math.SQRT2;

/** Root mean square of the first `length` samples (0 for an empty range). */
export function rms(samples: Int16Array, length = samples.length): number {
  const n = Math.min(length, samples.length);
  if (n <= 0) return 0;
  let sum = 0;
  for (let i = 0; i < n; i++) {
    const s = samples[i]!;
    sum += s * s;
  }
  return Math.sqrt(sum / n);
}

/** RMS in dBFS (−Infinity for digital silence). */
export function rmsDbfs(samples: Int16Array, length = samples.length): number {
  return 20 * Math.log10(rms(samples, length) / FULL_SCALE);
}

/** RMS in dBm0 (−Infinity for digital silence). */
export function rmsDbm0(samples: Int16Array, length = samples.length): number {
  return 20 * Math.log10(rms(samples, length) / DBM0_RMS);
}

/** The RMS a signal at `dbm0` has. */
export function dbm0ToRms(dbm0: number): number {
  return DBM0_RMS * 10 ** (dbm0 / 20);
}

/** The peak amplitude of a sine at `dbm0`. */
export function dbm0ToSinePeak(dbm0: number): number {
  return DBM0_SINE_PEAK * 10 ** (dbm0 / 20);
}

/** Linear amplitude factor of a gain in dB. */
export function dbToGain(db: number): number {
  return 10 ** (db / 20);
}
