/**
 * Levels in dBm0 for 16-bit linear audio.
 *
 * Convention (ITU-T G.711): the codecs overload at +3.14 dBm0 (A-law; µ-law +3.17), i.e. a
 * sine at 0 dBm0 lies 3.14 dB below the full-scale sine. With Int16 full scale taken as a
 * peak of 32768 (full-scale sine RMS 23170.5):
 *   0 dBm0 sine: peak 32768 · 10^(−3.14/20) = 22827.06, RMS 16141.2
 *   0 dBm0 power (mean square) = 22827.06² / 2 = 2.6054e8 Int16 units²
 * Cross-check: G.711's A-law digital milliwatt (the 0 dBm0 reference sequence 34 21 21 34
 * B4 A1 A1 B4) decodes to 0.001 dB below this (asserted in detector.test.ts).
 */
export const FULL_SCALE_PEAK = 32768;
export const DBM0_BELOW_FULL_SCALE_DB = 3.14;
export const DBM0_SINE_PEAK = FULL_SCALE_PEAK * 10 ** (-DBM0_BELOW_FULL_SCALE_DB / 20);
export const DBM0_POWER = (DBM0_SINE_PEAK * DBM0_SINE_PEAK) / 2;

/** Peak amplitude (Int16 units) of a sine at `dbm0`. */
export function dbm0ToPeak(dbm0: number): number {
  return DBM0_SINE_PEAK * 10 ** (dbm0 / 20);
}

/** Mean-square power (Int16 units²) of a sine at `dbm0`. */
export function dbm0ToPower(dbm0: number): number {
  return DBM0_POWER * 10 ** (dbm0 / 10);
}

/** dBm0 of a mean-square power in Int16 units². */
export function powerToDbm0(power: number): number {
  return 10 * Math.log10(power / DBM0_POWER);
}
