/**
 * The one 20 ms clock of a media worker. Every processed stream of the worker is driven
 * from it, so a worker with 500 calls wakes 50 times a second, not 25 000.
 *
 * Drift-corrected: each deadline is the previous deadline plus one frame on a monotonic
 * clock, never "now + 20", so timer lateness does not accumulate. A wake-up that comes
 * late runs the frames that fell due, at most `maxCatchUp` (100 ms) back to back; if the
 * thread was stalled longer (a GC pause, a busy machine), the older frames are skipped
 * and counted, and the frame index still advances with real time so RTP timestamps keep
 * tracking the wall clock.
 *
 *   deadline:  t0   t0+20   t0+40   t0+60 …
 *   wake:           ↑ late by 3 ms → tick(1); next timer for t0+40, not t0+43
 */

/** The timer port (injected, STYLE principle 13): a monotonic clock in ms and one-shot timers. */
export interface SchedulerTimers {
  now(): number;
  set(fn: () => void, ms: number): unknown;
  clear(handle: unknown): void;
}

export const realTimers: SchedulerTimers = {
  now: () => performance.now(),
  set: (fn, ms) => setTimeout(fn, ms),
  clear: (h) => clearTimeout(h as ReturnType<typeof setTimeout>),
};

export interface SchedulerStats {
  /** Frames run. */
  ticks: number;
  /** Wake-ups that ran more than one frame to catch up. */
  catchUps: number;
  /** Frames dropped because the thread was stalled for longer than the catch-up allows. */
  skipped: number;
}

/** A timer that fires up to this much before its deadline (ms rounding) still runs the frame. */
const EARLY_TOLERANCE_MS = 0.5;

export class FrameScheduler {
  readonly stats: SchedulerStats = { ticks: 0, catchUps: 0, skipped: 0 };
  private handle: unknown = null;
  /** Bumped by stop(): a wake-up of an older timeline does nothing more. */
  private generation = 0;
  private next = 0;
  /** Index of the next frame since start(), skipped frames included. */
  private frame = 0;

  /**
   * @param tick runs once per frame with the frame's index since start() (skipped frames
   * count, so index × frameMs is the time since start).
   */
  constructor(
    private readonly tick: (frame: number) => void,
    private readonly timers: SchedulerTimers = realTimers,
    readonly frameMs = 20,
    private readonly maxCatchUp = 5,
  ) {}

  get running(): boolean {
    return this.handle !== null;
  }

  /** Starts ticking (the first frame one frame from now). Idempotent. */
  start(): void {
    if (this.handle !== null) return;
    this.next = this.timers.now() + this.frameMs;
    this.arm();
  }

  /** Stops ticking; start() later begins a new timeline. Idempotent. */
  stop(): void {
    if (this.handle === null) return;
    this.timers.clear(this.handle);
    this.handle = null;
    this.generation++;
  }

  /** The index the next tick will get. */
  get frameIndex(): number {
    return this.frame;
  }

  private arm(): void {
    this.handle = this.timers.set(this.wake, Math.max(0, this.next - this.timers.now()));
  }

  private readonly wake = (): void => {
    const now = this.timers.now();
    const generation = this.generation;
    let ran = 0;
    while (now + EARLY_TOLERANCE_MS >= this.next && ran < this.maxCatchUp) {
      this.stats.ticks++;
      this.tick(this.frame++);
      this.next += this.frameMs;
      ran++;
      // A tick may have stopped the scheduler (its last stream went away).
      if (this.generation !== generation) return;
    }
    if (ran > 1) this.stats.catchUps++;
    if (now >= this.next) {
      const behind = Math.floor((now - this.next) / this.frameMs) + 1;
      this.stats.skipped += behind;
      this.frame += behind;
      this.next += behind * this.frameMs;
    }
    this.arm();
  };
}
