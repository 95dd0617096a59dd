/**
 * Keeps track of which bindings answer: every `intervalMs`, probes each live binding with
 * the injected `sendOptions` (the lead wires a real OPTIONS transaction; RFC 3261 §11),
 * at most `maxConcurrent` at a time, and marks a binding unreachable after `maxFailures`
 * consecutive failures. One success makes it reachable again. I/O-free apart from the
 * injected function; the next pass is scheduled only after the previous one ends.
 */
import type { Clock, TimerHandle } from '../../platform/clock.js';
import type { Logger } from '../../platform/log.js';
import type { Binding } from './types.js';

export type ReachabilityListener = (binding: Binding, reachable: boolean) => void;

export interface QualifierOptions {
  /** The bindings to probe, read at each pass, e.g. `() => location.all()`. */
  readonly bindings: () => readonly Binding[];
  /** Resolves true when the contact answered; a rejection counts as a failure. */
  readonly sendOptions: (binding: Binding) => Promise<boolean>;
  readonly clock: Clock;
  readonly log: Logger;
  /** Default 30 s. */
  readonly intervalMs?: number;
  /** Default 16. */
  readonly maxConcurrent?: number;
  /** Consecutive failures before a binding counts as unreachable. Default 3. */
  readonly maxFailures?: number;
}

interface ProbeState {
  failures: number;
  reachable: boolean;
}

function keyOf(binding: Binding): string {
  return `${binding.aor}\n${binding.contactUri}`;
}

export class Qualifier {
  private readonly intervalMs: number;
  private readonly maxConcurrent: number;
  private readonly maxFailures: number;
  private readonly states = new Map<string, ProbeState>();
  private readonly listeners = new Set<ReachabilityListener>();
  private timer: TimerHandle | undefined;
  private running: Promise<void> | undefined;
  private started = false;

  constructor(private readonly opts: QualifierOptions) {
    this.intervalMs = opts.intervalMs ?? 30_000;
    this.maxConcurrent = Math.max(1, opts.maxConcurrent ?? 16);
    this.maxFailures = Math.max(1, opts.maxFailures ?? 3);
  }

  start(): void {
    if (this.started) return;
    this.started = true;
    this.schedule();
  }

  /** Idempotent. A pass in progress finishes but schedules no other. */
  stop(): void {
    this.started = false;
    this.timer?.cancel();
    this.timer = undefined;
  }

  /** Runs one pass now (or joins the running one). Never rejects. */
  runOnce(): Promise<void> {
    this.running ??= this.pass().finally(() => {
      this.running = undefined;
    });
    return this.running;
  }

  /** A binding not yet probed, or probed successfully lately, is reachable. */
  isReachable(binding: Binding): boolean {
    return this.states.get(keyOf(binding))?.reachable ?? true;
  }

  onReachabilityChange(listener: ReachabilityListener): () => void {
    this.listeners.add(listener);
    return () => void this.listeners.delete(listener);
  }

  private schedule(): void {
    if (!this.started) return;
    this.timer = this.opts.clock.setTimer(this.intervalMs, () => {
      void this.runOnce().then(() => this.schedule());
    });
  }

  private async pass(): Promise<void> {
    let bindings: Binding[];
    try {
      bindings = [...this.opts.bindings()];
    } catch (err) {
      this.opts.log.error({ err }, 'qualifier could not list bindings');
      return;
    }
    // Forget bindings that are gone, so the table stays as large as the location service.
    const live = new Set(bindings.map(keyOf));
    for (const key of this.states.keys()) if (!live.has(key)) this.states.delete(key);
    let next = 0;
    const worker = async (): Promise<void> => {
      while (next < bindings.length) await this.probe(bindings[next++]!);
    };
    await Promise.all(Array.from({ length: Math.min(this.maxConcurrent, bindings.length) }, worker));
  }

  private async probe(binding: Binding): Promise<void> {
    let answered: boolean;
    try {
      answered = await this.opts.sendOptions(binding);
    } catch (err) {
      this.opts.log.debug({ err, aor: binding.aor, contact: binding.contactUri }, 'OPTIONS probe failed');
      answered = false;
    }
    const key = keyOf(binding);
    const state = this.states.get(key) ?? { failures: 0, reachable: true };
    this.states.set(key, state);
    state.failures = answered ? 0 : state.failures + 1;
    const reachable = state.failures < this.maxFailures;
    if (reachable === state.reachable) return;
    state.reachable = reachable;
    this.emit(binding, reachable);
  }

  private emit(binding: Binding, reachable: boolean): void {
    for (const listener of this.listeners) {
      try {
        listener(binding, reachable);
      } catch (err) {
        this.opts.log.error({ err, aor: binding.aor }, 'reachability listener threw');
      }
    }
  }
}
