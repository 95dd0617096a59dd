/**
 * The per-window verdict of the in-band detector: does this 20 ms window hold one clean
 * DTMF digit? Checks run cheapest first, so silence and most speech leave after a few
 * multiplications:
 *
 *   quiet      total power below what the weakest accepted tone alone would give, or a
 *              quarter so quiet that `unsteady` would fail anyway (then never filtered)
 *   peak       the strongest row (column) is not ≥ relativePeak above the other rows
 *              (columns) — 160-sample window, 50 Hz resolution
 *   ratio      the two tones carry too little of the window's power (coarse, from the
 *              5 ms quarters; fine, after frequency correction) — noise, speech, music
 *   unsteady   the four 5 ms quarters differ in energy by more than `steadiness`: the
 *              window straddles a tone edge (this is what gives 5 ms duration accuracy)
 *   frequency  a tone is further than `tolerance` from nominal (measured by phase)
 *   level      a tone is below minToneDbm0
 *   twist      high group louder than low by more than reverseTwist, or quieter by more
 *              than normalTwist
 *   harmonic   a tone's second harmonic is within harmonicDb of it: voiced speech has
 *              harmonics, a keypad oscillator does not. The row's harmonic is not judged
 *              when it falls within 150 Hz of the column tone (digits 2 3 6 B C): 20 ms
 *              cannot tell 2×697 = 1394 Hz from 1336 Hz.
 *   comb       energy within combDb of a tone at 2·low − high or 2·high − low. If the two
 *              tones are harmonics a·f0 and b·f0 of a voice, these are harmonics too,
 *              (2a − b)·f0 and (2b − a)·f0, and a voice has them; a keypad has nothing
 *              there (G.711 intermodulation stays ≥ 20 dB down). This is what stops high
 *              voices whose 4th and 5th harmonics sit on 941 + 1209 Hz.
 */
import { FineAnalyser, type ToneMeasure } from './tone-fine.js';
import { BANK_HZ, QUARTER, type ToneBank } from './tone-bank.js';

export type RejectReason =
  'quiet' | 'peak' | 'ratio' | 'unsteady' | 'frequency' | 'level' | 'twist' | 'harmonic' | 'comb';

/** The rules as linear ratios (see DtmfDetectorOptions for the dB values). */
export interface ToneRules {
  readonly minTonePower: number;
  readonly normalTwist: number;
  readonly reverseTwist: number;
  readonly relativePeak: number;
  readonly tolerance: number;
  readonly minToneRatio: number;
  readonly coarseToneRatio: number;
  readonly steadiness: number;
  readonly harmonicRatio: number;
  readonly combRatio: number;
}

export interface WindowVerdict {
  /** 0–15 as rows·4 + column, or −1. */
  digit: number;
  /** Power of the two tones together (valid when digit ≥ 0). */
  power: number;
  /** Measured minus nominal frequency of each tone, Hz (valid when digit ≥ 0). */
  rowOffsetHz: number;
  colOffsetHz: number;

  reason: RejectReason | undefined;
}

const HARMONIC_GUARD_HZ = 150;
/** Below this, a comb position is under the telephone band and the window's resolution. */
const COMB_FLOOR_HZ = 100;

export class WindowJudge {
  private readonly fine = new FineAnalyser();
  private readonly row: ToneMeasure = { offsetHz: 0, power: 0 };
  private readonly col: ToneMeasure = { offsetHz: 0, power: 0 };
  private readonly voice = new Float64Array(4);

  constructor(private readonly rules: ToneRules) {}

  /**
   * Quarter energy under which a window holding that quarter cannot pass: if one quarter
   * is below minTonePower·40/steadiness, `steady` bounds all four below minTonePower·40,
   * so the window is `quiet`.
   */
  get quietQuarterEnergy(): number {
    return (this.rules.minTonePower * QUARTER) / this.rules.steadiness;
  }

  /** Judges the bank's current window into `out`. */
  judge(bank: ToneBank, out: WindowVerdict): void {
    out.digit = -1;
    const total = bank.totalPower();
    if (bank.loudQuarters < 4 || total < this.rules.minTonePower) return void (out.reason = 'quiet');
    bank.analyseWindow();
    const p = bank.power160;
    const r = strongest(p, 0);
    const c = strongest(p, 4);
    if (!dominates(p, r, 0, this.rules.relativePeak) || !dominates(p, c, 4, this.rules.relativePeak)) {
      return void (out.reason = 'peak');
    }
    const q = bank.power40;
    if ((q[r] as number) + (q[c] as number) < this.rules.coarseToneRatio * total)
      return void (out.reason = 'ratio');
    if (!steady(bank.energy, this.rules.steadiness)) return void (out.reason = 'unsteady');
    out.reason = this.fineChecks(bank.linearize(), r, c, total);
    if (out.reason === undefined) {
      out.digit = r * 4 + (c - 4);
      out.power = this.row.power + this.col.power;
      out.rowOffsetHz = this.row.offsetHz;
      out.colOffsetHz = this.col.offsetHz;
    }
  }

  private fineChecks(x: Float64Array, r: number, c: number, total: number): RejectReason | undefined {
    const rules = this.rules;
    const row = this.row;
    const col = this.col;
    const rowHz = BANK_HZ[r] as number;
    const colHz = BANK_HZ[c] as number;
    this.fine.measure(x, r, row);
    this.fine.measure(x, c, col);
    if (
      Math.abs(row.offsetHz) > rules.tolerance * rowHz ||
      Math.abs(col.offsetHz) > rules.tolerance * colHz
    ) {
      return 'frequency';
    }
    if (row.power < rules.minTonePower || col.power < rules.minTonePower) return 'level';
    if (col.power > row.power * rules.reverseTwist || row.power > col.power * rules.normalTwist)
      return 'twist';
    if (row.power + col.power < rules.minToneRatio * total) return 'ratio';
    return this.voiceChecks(x, rowHz + row.offsetHz, colHz + col.offsetHz);
  }

  /** Second harmonics and comb neighbours of the two tones, measured in one pass. */
  private voiceChecks(x: Float64Array, rowHz: number, colHz: number): RejectReason | undefined {
    const rules = this.rules;
    const p = this.voice;
    const below = Math.abs(2 * rowHz - colHz);
    this.fine.powersAt(x, 2 * rowHz, 2 * colHz, below, 2 * colHz - rowHz, p);
    const rowPower = this.row.power;
    const colPower = this.col.power;
    if ((p[1] as number) > colPower * rules.harmonicRatio) return 'harmonic';
    if (below > HARMONIC_GUARD_HZ && (p[0] as number) > rowPower * rules.harmonicRatio) return 'harmonic';
    if (below > COMB_FLOOR_HZ && (p[2] as number) > rowPower * rules.combRatio) return 'comb';
    if ((p[3] as number) > colPower * rules.combRatio) return 'comb';
    return undefined;
  }
}

function strongest(p: Float64Array, from: number): number {
  let best = from;
  for (let k = from + 1; k < from + 4; k++) if ((p[k] as number) > (p[best] as number)) best = k;
  return best;
}

function dominates(p: Float64Array, best: number, from: number, ratio: number): boolean {
  const limit = (p[best] as number) / ratio;
  for (let k = from; k < from + 4; k++) if (k !== best && (p[k] as number) > limit) return false;
  return true;
}

function steady(e: Float64Array, ratio: number): boolean {
  let lo = e[0] as number;
  let hi = lo;
  for (let i = 1; i < 4; i++) {
    const v = e[i] as number;
    if (v < lo) lo = v;
    else if (v > hi) hi = v;
  }
  return lo * ratio >= hi;
}
