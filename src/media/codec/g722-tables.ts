/**
 * The constants of ITU-T G.722 (SB-ADPCM, 64 kbit/s mode), named after the standard's
 * tables and blocks. Values are the standard's integers; the scaling each one assumes is
 * noted where it is used (g722-band.ts, g722.ts).
 */

/**
 * QMF coefficients h0…h23, scaled by 2^13 (they sum to 8192). The filter is
 * symmetric: h(i) = h(23 − i).
 */
export const QMF = new Int32Array([
  3, -11, -11, 53, 12, -156, 32, 362, -210, -805, 951, 3876, 3876, 951, -805, -210, 362, 32, -156, 12, 53,
  -11, -11, 3,
]);

/**
 * QUANTL: the low band's 6-bit quantizer decision levels, scaled by 2^12 against the scale
 * factor DETL. Levels 1…29 bound the intervals 1…30 of the difference's magnitude; index 0
 * is unused.
 */
export const Q6 = new Int32Array([
  0, 35, 72, 110, 150, 190, 233, 276, 323, 370, 422, 473, 530, 587, 650, 714, 786, 858, 940, 1023, 1121, 1219,
  1339, 1458, 1612, 1765, 1980, 2195, 2557, 2919,
]);

/** QUANTL: the code of quantizer interval 1…30 for a negative (ILN) or positive (ILP) difference. */
export const ILN = new Int32Array([
  0, 63, 62, 31, 30, 29, 28, 27, 26, 25, 24, 23, 22, 21, 20, 19, 18, 17, 16, 15, 14, 13, 12, 11, 10, 9, 8, 7,
  6, 5, 4,
]);
export const ILP = new Int32Array([
  0, 61, 60, 59, 58, 57, 56, 55, 54, 53, 52, 51, 50, 49, 48, 47, 46, 45, 44, 43, 42, 41, 40, 39, 38, 37, 36,
  35, 34, 33, 32,
]);

/** INVQAL: the 4-bit inverse quantizer (the 6-bit code's top 4 bits), output levels × 2^15 / DETL. */
export const QM4 = new Int32Array([
  0, -20456, -12896, -8968, -6288, -4240, -2584, -1200, 20456, 12896, 8968, 6288, 4240, 2584, 1200, 0,
]);

/** INVQBL: the decoder's 6-bit inverse quantizer (64 kbit/s mode), output levels × 2^15 / DETL. */
export const QM6 = new Int32Array([
  -136, -136, -136, -136, -24808, -21904, -19008, -16704, -14984, -13512, -12280, -11192, -10232, -9360,
  -8576, -7856, -7192, -6576, -6000, -5456, -4944, -4464, -4008, -3576, -3168, -2776, -2400, -2032, -1688,
  -1360, -1040, -728, 24808, 21904, 19008, 16704, 14984, 13512, 12280, 11192, 10232, 9360, 8576, 7856, 7192,
  6576, 6000, 5456, 4944, 4464, 4008, 3576, 3168, 2776, 2400, 2032, 1688, 1360, 1040, 728, 432, 136, -432,
  -136,
]);

/** LOGSCL: the 4-bit code's magnitude class (RIL → IL4) and the log scale factor step WL of each. */
export const RL42 = new Int32Array([0, 7, 6, 5, 4, 3, 2, 1, 7, 6, 5, 4, 3, 2, 1, 0]);
export const WL = new Int32Array([-60, -30, 58, 172, 334, 538, 1198, 3042]);

/** SCALEL / SCALEH: 2^(i/32) × 2048, the mantissa of the linear scale factor. */
export const ILB = new Int32Array([
  2048, 2093, 2139, 2186, 2233, 2282, 2332, 2383, 2435, 2489, 2543, 2599, 2656, 2714, 2774, 2834, 2896, 2960,
  3025, 3091, 3158, 3228, 3298, 3371, 3444, 3520, 3597, 3676, 3756, 3838, 3922, 4008,
]);

/** QUANTH: the high band's one decision level, × 2^12 against DETH. */
export const H_LEVEL = 564;
/** QUANTH: the 2-bit code of interval 1…2 for a negative (IHN) or positive (IHP) difference. */
export const IHN = new Int32Array([0, 1, 0]);
export const IHP = new Int32Array([0, 3, 2]);
/** INVQAH: the 2-bit inverse quantizer, output levels × 2^15 / DETH. */
export const QM2 = new Int32Array([-7408, -1616, 7408, 1616]);
/** LOGSCH: the 2-bit code's magnitude class and its log scale factor step WH. */
export const IH2 = new Int32Array([2, 1, 2, 1]);
export const WH = new Int32Array([0, -214, 798]);

/** Bounds of the log scale factors NBL and NBH (LOGSCL, LOGSCH). */
export const NBL_MAX = 18432;
export const NBH_MAX = 22528;
