/**
 * Turns per-window verdicts (every 5 ms) into key presses: one event per press, emitted
 * when the press is over.
 *
 *            hit d                      hits ≥ minHits
 *   idle ─────────────▶ pending(d) ─────────────────────▶ held(d)
 *    ▲                    │ miss or other digit               │ misses ≥ endMisses → emit d
 *    └────────────────────┘ (a pending press needs            │ other digit → emit d,
 *    ▲                       consecutive hits)                 │               pending(d')
 *    └─────────────────────────────────────────────────────────┘
 *
 * A hit is a window judged to hold d; a window is 20 ms and hits come every 5 ms, so
 * minHits = 3 means ~30 ms of clean tone. Windows are rejected once ~2 ms of them lies
 * outside the tone (tone-rules `unsteady`), so over every alignment to the 5 ms hop a
 * 23 ms tone never makes a press and a 33 ms tone always does (Q.24: accept 40 ms, reject
 * below 23 ms). In a held press, fewer than endMisses (8 = 40 ms) failed windows in a row
 * are bridged: measured, a break of 15 ms never splits a press and a pause of 25 ms always
 * ends it (Q.24: 40 ms pauses separate digits, 10 ms interruptions do not).
 *
 * The tracker also measures how far each tone's frequency moved during the press (see
 * `drift`): a keypad oscillator does not move, a voice's harmonics glide with its pitch.
 */
export interface Press {
  readonly digit: number;
  /** Start of the first hit window, ms. */
  readonly startMs: number;
  /** End of the last hit window, ms. */
  readonly endMs: number;
  /** Mean power of the tone pair over the hits. */
  readonly power: number;
  /** How far each tone's mean frequency moved from the first to the second half of the press, Hz. */
  readonly rowDriftHz: number;
  readonly colDriftHz: number;
}

/** What the tracker needs of a window verdict. */
export interface Hit {
  readonly digit: number;
  readonly power: number;
  readonly rowOffsetHz: number;
  readonly colOffsetHz: number;
}

/** Hits remembered for the drift measure: the first 2 s of a press. */
const KEPT = 400;

export class PressTracker {
  private digit = -1;
  private hits = 0;
  private misses = 0;
  private startMs = 0;
  private endMs = 0;
  private powerSum = 0;
  private readonly rowHz = new Float64Array(KEPT);
  private readonly colHz = new Float64Array(KEPT);

  constructor(
    private readonly minHits: number,
    private readonly endMisses: number,
    private readonly windowMs: number,
  ) {}

  /** One window verdict ending at `endMs`. Returns a finished press, if any. */
  step(v: Hit, endMs: number): Press | undefined {
    const digit = v.digit;
    if (digit >= 0 && digit === this.digit) {
      this.misses = 0;
      this.endMs = endMs;
      this.add(v);
      return undefined;
    }
    const held = this.hits >= this.minHits;
    if (digit < 0) {
      if (this.digit < 0) return undefined;
      if (!held) return void this.clear();
      if (++this.misses < this.endMisses) return undefined;
      return this.finish();
    }
    const done = held ? this.finish() : undefined;
    this.digit = digit;
    this.hits = 0;
    this.misses = 0;
    this.startMs = endMs - this.windowMs;
    this.endMs = endMs;
    this.powerSum = 0;
    this.add(v);
    return done;
  }

  /** Ends a held press now (end of stream); drops a pending one. */
  flush(): Press | undefined {
    const held = this.hits >= this.minHits;
    return held ? this.finish() : void this.clear();
  }

  clear(): void {
    this.digit = -1;
    this.hits = 0;
    this.misses = 0;
  }

  private add(v: Hit): void {
    if (this.hits < KEPT) {
      this.rowHz[this.hits] = v.rowOffsetHz;
      this.colHz[this.hits] = v.colOffsetHz;
    }
    this.hits++;
    this.powerSum += v.power;
  }

  private finish(): Press {
    const n = Math.min(this.hits, KEPT);
    const press: Press = {
      digit: this.digit,
      startMs: this.startMs,
      endMs: this.endMs,
      power: this.powerSum / this.hits,
      rowDriftHz: drift(this.rowHz, n),
      colDriftHz: drift(this.colHz, n),
    };
    this.clear();
    return press;
  }
}

/**
 * |mean of the second half − mean of the first half| of the per-window frequency offsets.
 * Each window's offset is a phase step between its two halves, and one window's second
 * half is the next window's first, so a mean over consecutive windows telescopes to one
 * phase difference across the whole run: its noise falls as 1/n, not 1/√n, and a steady
 * tone reads within ~1 Hz while a gliding harmonic reads its glide.
 */
function drift(x: Float64Array, n: number): number {
  if (n < 2) return 0;
  const half = n >> 1;
  let a = 0;
  let b = 0;
  for (let i = 0; i < half; i++) a += x[i] as number;
  for (let i = n - half; i < n; i++) b += x[i] as number;
  return Math.abs(b - a) / half;
}
