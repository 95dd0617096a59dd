/**
 * A playout (jitter) buffer for one audio stream, as a pure processor: packets are pushed
 * as they arrive, and the worker's 20 ms scheduler pulls exactly one frame per tick. No
 * timers inside; allocation only at construction.
 *
 * It is addressed by RTP timestamp, not by packet: decoded samples go into a ring at
 * `timestamp mod capacity`, so packets of any duration (sipp's pcap uses 30 ms) are
 * spliced into 20 ms frames, reordered packets land in place, and duplicates are found
 * sample by sample. Timestamps must count the pushed PCM samples (true for G.711).
 *
 *   idle ──push──▶ buffering ──(target delay elapsed in pulls)──▶ playing
 *     ▲                ▲                                            │
 *     └── reset()      └───────── resync (timestamp jump, or a run of late packets) ◀┘
 *
 * Depth: `fixed` keeps the initial delay; `adaptive` grows by one frame when the buffer
 * runs dry (the pull holds the playout point instead of advancing) and shrinks by one
 * frame when, over a second, the buffer never fell below the target plus a frame. The
 * target follows the interarrival jitter (RFC 3550 A.8) when arrival times are given.
 *
 * Concealment: a missing sample is the last good frame's sample at the same position,
 * faded over `concealFrames` frames, then silence.
 */
import { MediaError } from '../errors.js';
import { tsDelta } from './seq.js';

export type JitterPushResult = 'accepted' | 'late' | 'duplicate' | 'resync';
/** `buffering`: not playing yet (silence out). `concealed`: samples missing while later audio is here (loss). `underrun`: the buffer ran dry. */
export type JitterPullResult = 'buffering' | 'ok' | 'concealed' | 'underrun';

export interface JitterBufferOptions {
  /** Samples per second of the pushed PCM (= RTP clock for G.711). Default 8000. */
  readonly clockRate?: number;
  /** Samples per pull. Default 160 (20 ms at 8 kHz). */
  readonly frameSamples?: number;
  readonly mode?: 'fixed' | 'adaptive';
  /** Initial playout delay (the fixed one in fixed mode). Default 60 ms. */
  readonly targetMs?: number;
  /** Adaptive bounds. Defaults 20 ms and 300 ms. */
  readonly minMs?: number;
  readonly maxMs?: number;
  /** Faded repetitions before silence. Default 3. */
  readonly concealFrames?: number;
}

export interface JitterBufferStats {
  accepted: number;
  late: number;
  duplicates: number;
  resyncs: number;
  /** Frames pulled while playing. */
  played: number;
  /** Frames with some samples concealed (loss inside the stream). */
  concealed: number;
  /** Frames with no sample at all (the buffer ran dry). */
  underruns: number;
  /** Frames dropped (adaptive shrink) or held (adaptive growth). */
  shrinks: number;
  grows: number;
}

/** Consecutive late packets after which the stream is taken to have jumped backwards. */
const LATE_RUN_RESYNC = 8;
/** Pulls over which the adaptive buffer looks for a surplus before shrinking (1 s). */
const SHRINK_WINDOW_FRAMES = 50;
const CONCEAL_GAINS = [0.9, 0.6, 0.3, 0.15, 0.07];

export class JitterBuffer {
  readonly stats: JitterBufferStats = {
    accepted: 0,
    late: 0,
    duplicates: 0,
    resyncs: 0,
    played: 0,
    concealed: 0,
    underruns: 0,
    shrinks: 0,
    grows: 0,
  };
  private readonly ring: Int16Array;
  private readonly filled: Uint8Array;
  private readonly mask: number;
  private readonly lastGood: Int16Array;
  /** 1 where the frame being pulled had no sample. */
  private readonly hole: Uint8Array;
  private readonly frame: number;
  private readonly rate: number;
  private readonly adaptive: boolean;
  private readonly minDelay: number;
  private readonly maxDelay: number;
  private readonly concealFrames: number;
  private state: 'idle' | 'buffering' | 'playing' = 'idle';
  /** Timestamp of the next sample to play. */
  private playTs = 0;
  /** One past the newest sample received, as a timestamp. */
  private endTs = 0;
  private delay: number;
  private waitFrames = 0;
  private lateRun = 0;
  private concealRun = 0;
  private windowFrames = 0;
  private windowMinFill = Infinity;
  private jitter = 0;
  private lastArrivalMs = Number.NaN;
  private lastTs = 0;

  constructor(options: JitterBufferOptions = {}) {
    this.rate = options.clockRate ?? 8000;
    this.frame = options.frameSamples ?? 160;
    this.adaptive = options.mode === 'adaptive';
    this.delay = this.ms(options.targetMs ?? 60);
    this.minDelay = this.ms(options.minMs ?? 20);
    this.maxDelay = this.ms(options.maxMs ?? 300);
    this.concealFrames = Math.min(options.concealFrames ?? 3, CONCEAL_GAINS.length);
    if (!(this.frame > 0) || !(this.minDelay <= this.delay && this.delay <= this.maxDelay)) {
      throw new MediaError('MEDIA_INVALID_ARGUMENT', 'jitter buffer needs frame > 0 and min ≤ target ≤ max');
    }
    // Room for the largest delay, a frame being pulled and a 60 ms packet beyond it.
    let capacity = 1;
    while (capacity < this.maxDelay + 2 * this.frame + this.ms(60)) capacity <<= 1;
    this.ring = new Int16Array(capacity);
    this.filled = new Uint8Array(capacity);
    this.mask = capacity - 1;
    this.lastGood = new Int16Array(this.frame);
    this.hole = new Uint8Array(this.frame);
  }

  private ms(ms: number): number {
    return Math.round((ms * this.rate) / 1000);
  }

  /** The current playout delay target in milliseconds. */
  get delayMs(): number {
    return (this.delay * 1000) / this.rate;
  }

  /** Milliseconds of audio buffered ahead of the playout point. */
  get bufferedMs(): number {
    if (this.state === 'idle') return 0;
    return (Math.max(0, tsDelta(this.endTs, this.playTs)) * 1000) / this.rate;
  }

  /** Interarrival jitter (RFC 3550 A.8) of the pushed packets, in ms. */
  get jitterMs(): number {
    return (this.jitter * 1000) / this.rate;
  }

  /** Forgets everything buffered (a new SSRC, a re-INVITE). Counters are kept. */
  reset(): void {
    this.state = 'idle';
    this.filled.fill(0);
    this.lateRun = 0;
    this.concealRun = 0;
    this.lastArrivalMs = Number.NaN;
  }

  /**
   * Adds `length` decoded samples whose first one has RTP timestamp `timestamp`.
   * `arrivalMs` (any epoch) feeds the jitter estimate that steers the adaptive depth.
   */
  push(timestamp: number, pcm: Int16Array, length = pcm.length, arrivalMs?: number): JitterPushResult {
    const n = Math.min(length, pcm.length, this.ring.length);
    if (arrivalMs !== undefined) this.trackJitter(timestamp, arrivalMs);
    if (this.state === 'idle') return this.start(timestamp, pcm, n, 'accepted');
    let rel = tsDelta(timestamp, this.playTs);
    if (this.state === 'buffering' && rel < 0 && tsDelta(this.endTs, timestamp) <= this.ring.length) {
      this.playTs = timestamp; // an earlier packet while nothing has played yet
      rel = 0;
    }
    if (rel + n <= 0) return this.onLate(timestamp, pcm, n);
    this.lateRun = 0;
    if (rel + n > this.ring.length - this.frame) return this.start(timestamp, pcm, n, 'resync');
    const from = rel < 0 ? -rel : 0;
    if (this.store(timestamp, pcm, from, n) === 0) {
      this.stats.duplicates++;
      return 'duplicate';
    }
    this.stats.accepted++;
    return 'accepted';
  }

  private onLate(timestamp: number, pcm: Int16Array, n: number): JitterPushResult {
    this.stats.late++;
    if (++this.lateRun < LATE_RUN_RESYNC) return 'late';
    return this.start(timestamp, pcm, n, 'resync');
  }

  private start(timestamp: number, pcm: Int16Array, n: number, result: JitterPushResult): JitterPushResult {
    if (result === 'resync') {
      this.stats.resyncs++;
      this.filled.fill(0);
    }
    this.state = 'buffering';
    this.playTs = timestamp;
    this.endTs = timestamp;
    this.waitFrames = Math.round(this.delay / this.frame);
    this.lateRun = 0;
    this.store(timestamp, pcm, 0, n);
    this.stats.accepted++;
    return result;
  }

  /** Copies samples [from, n) into the ring; returns how many were new. */
  private store(timestamp: number, pcm: Int16Array, from: number, n: number): number {
    let fresh = 0;
    for (let i = from; i < n; i++) {
      const idx = (timestamp + i) & this.mask;
      fresh += 1 - this.filled[idx]!;
      this.ring[idx] = pcm[i]!;
      this.filled[idx] = 1;
    }
    const end = (timestamp + n) >>> 0;
    if (tsDelta(end, this.endTs) > 0) this.endTs = end;
    return fresh;
  }

  private trackJitter(timestamp: number, arrivalMs: number): void {
    if (!Number.isNaN(this.lastArrivalMs)) {
      const d = ((arrivalMs - this.lastArrivalMs) * this.rate) / 1000 - tsDelta(timestamp, this.lastTs);
      // A jump of more than a second is a discontinuity, not jitter.
      if (Math.abs(d) < this.rate) this.jitter += (Math.abs(d) - this.jitter) / 16;
    }
    this.lastArrivalMs = arrivalMs;
    this.lastTs = timestamp;
  }

  /** Writes one frame into `out` (at least `frameSamples` long) and says what it holds. */
  pull(out: Int16Array): JitterPullResult {
    if (out.length < this.frame) {
      throw new MediaError('MEDIA_INVALID_ARGUMENT', `pull needs ${this.frame} samples of room`);
    }
    if (this.state !== 'playing') {
      out.fill(0, 0, this.frame);
      if (this.state === 'buffering' && --this.waitFrames <= 0) this.state = 'playing';
      return 'buffering';
    }
    this.stats.played++;
    const missing = this.readFrame(out);
    if (missing === 0) {
      this.concealRun = 0;
      this.lastGood.set(out.subarray(0, this.frame));
      this.afterFrame();
      return 'ok';
    }
    this.conceal(out);
    if (missing < this.frame || tsDelta(this.endTs, this.playTs) > 0) {
      // Loss inside the stream: later audio is already here.
      this.stats.concealed++;
      this.afterFrame();
      return 'concealed';
    }
    this.stats.underruns++;
    if (this.adaptive && this.delay + this.frame <= this.maxDelay) {
      // Ran dry: hold the playout point, which adds one frame of delay.
      this.playTs = (this.playTs - this.frame) >>> 0;
      this.delay += this.frame;
      this.stats.grows++;
    }
    this.afterFrame();
    return 'underrun';
  }

  /** Moves the frame at the playout point into `out`, noting holes; returns the hole count. */
  private readFrame(out: Int16Array): number {
    let missing = 0;
    for (let i = 0; i < this.frame; i++) {
      const idx = (this.playTs + i) & this.mask;
      if (this.filled[idx]) {
        out[i] = this.ring[idx]!;
        this.filled[idx] = 0;
        this.hole[i] = 0;
      } else {
        missing++;
        this.hole[i] = 1;
      }
    }
    return missing;
  }

  private conceal(out: Int16Array): void {
    const gain = this.concealRun < this.concealFrames ? CONCEAL_GAINS[this.concealRun]! : 0;
    this.concealRun++;
    for (let i = 0; i < this.frame; i++) {
      if (this.hole[i]) out[i] = Math.round(this.lastGood[i]! * gain);
    }
  }

  private afterFrame(): void {
    this.playTs = (this.playTs + this.frame) >>> 0;
    if (!this.adaptive) return;
    const fill = tsDelta(this.endTs, this.playTs);
    if (fill < this.windowMinFill) this.windowMinFill = fill;
    if (++this.windowFrames < SHRINK_WINDOW_FRAMES) return;
    const want = Math.min(this.maxDelay, Math.max(this.minDelay, this.frame + Math.ceil(4 * this.jitter)));
    if (this.windowMinFill >= want + this.frame && this.delay - this.frame >= this.minDelay) {
      this.dropFrame();
    }
    this.windowFrames = 0;
    this.windowMinFill = Infinity;
  }

  /** Skips one frame of buffered audio to cut the delay. */
  private dropFrame(): void {
    for (let i = 0; i < this.frame; i++) this.filled[(this.playTs + i) & this.mask] = 0;
    this.playTs = (this.playTs + this.frame) >>> 0;
    this.delay -= this.frame;
    this.stats.shrinks++;
  }
}
