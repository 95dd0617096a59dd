/**
 * The shared shape of every state machine in this folder (STYLE principle 3): a pure
 * `transition(state, event, ctx) → { next, effects }` looked up in a table, and a small
 * runtime that is the only place state is assigned, applies effects in order, owns the
 * timers, and clears them all on entering a final state.
 */
import type { Clock, TimerHandle } from '../../platform/clock.js';
import type { Logger } from '../../platform/log.js';
import { illegalTransition } from './errors.js';

export interface MachineEvent {
  readonly type: string;
}

export interface Step<S extends string, F> {
  readonly next: S;
  readonly effects: readonly F[];
}

export type TimerEffect<T extends string> =
  | { readonly do: 'startTimer'; readonly timer: T; readonly ms: number }
  | { readonly do: 'clearTimer'; readonly timer: T };

/** A fired timer, carrying the interval it was started with so that back-off stays pure. */
export type TimerEvent<T extends string> = T extends string
  ? { readonly type: `timer${T}`; readonly ms: number }
  : never;

/** For each state, the events it accepts. A missing entry is an illegal (state, event) pair. */
export type TransitionTable<S extends string, E extends MachineEvent, C, F> = {
  readonly [St in S]: {
    readonly [T in E['type']]?: (event: Extract<E, { readonly type: T }>, ctx: C) => Step<S, F>;
  };
};

export function lookupTransition<S extends string, E extends MachineEvent, C, F>(
  machine: string,
  table: TransitionTable<S, E, C, F>,
  state: S,
  event: E,
  ctx: C,
): Step<S, F> {
  const row = table[state] as Readonly<Record<string, ((event: E, ctx: C) => Step<S, F>) | undefined>>;
  const handler = row[event.type];
  if (handler === undefined) throw illegalTransition(machine, state, event.type);
  return handler(event, ctx);
}

export function start<T extends string>(timer: T, ms: number): TimerEffect<T> {
  return { do: 'startTimer', timer, ms };
}

export function clear<T extends string>(timer: T): TimerEffect<T> {
  return { do: 'clearTimer', timer };
}

/** A step that stays in `state` and does nothing (an absorbed message). */
export function stay<S extends string>(state: S): Step<S, never> {
  return { next: state, effects: [] };
}

export abstract class StateMachine<
  S extends string,
  E extends MachineEvent,
  F extends { readonly do: string },
  T extends string,
> {
  private current: S;
  private readonly timerHandles = new Map<T, TimerHandle>();
  private running = false;
  private queued: E[] | undefined;

  protected constructor(
    protected readonly clock: Clock,
    protected readonly logger: Logger,
    initial: S,
  ) {
    this.current = initial;
  }

  get state(): S {
    return this.current;
  }

  protected abstract transition(state: S, event: E): Step<S, F | TimerEffect<T>>;
  protected abstract perform(effect: F): void;
  protected abstract timerEvent(timer: T, ms: number): E;
  protected abstract isFinal(state: S): boolean;
  /** Called once, after the effects of the step that entered a final state. */
  protected abstract finished(): void;
  /** Called when a timer's event is illegal (a bug): must drive the machine to a final state. */
  protected abstract halt(): void;

  /**
   * Runs one event. An illegal pair throws to the caller (a TU calling in the wrong state).
   * Events raised while effects run (a synchronous send error, a TU calling back from a
   * notification) are queued and run after, so every step completes before the next starts.
   */
  protected dispatch(event: E): void {
    if (this.running) {
      (this.queued ??= []).push(event);
      return;
    }
    this.runExclusive(this.transition(this.current, event));
  }

  /** Applies a machine's initial step (its entry actions). */
  protected begin(step: Step<S, F | TimerEffect<T>>): void {
    this.runExclusive(step);
  }

  private runExclusive(step: Step<S, F | TimerEffect<T>>): void {
    this.running = true;
    try {
      this.apply(step);
      let event: E | undefined;
      while ((event = this.queued?.shift()) !== undefined) {
        let next: Step<S, F | TimerEffect<T>>;
        try {
          next = this.transition(this.current, event);
        } catch (err) {
          this.logger.error({ err, state: this.current, event: event.type }, 'queued event dropped');
          continue;
        }
        this.apply(next);
      }
    } finally {
      this.running = false;
    }
  }

  private apply(step: Step<S, F | TimerEffect<T>>): void {
    const wasFinal = this.isFinal(this.current);
    this.current = step.next;
    for (const effect of step.effects) {
      if (effect.do === 'startTimer')
        this.startTimer(effect as Extract<TimerEffect<T>, { do: 'startTimer' }>);
      else if (effect.do === 'clearTimer') this.clearTimer((effect as TimerEffect<T>).timer);
      else this.perform(effect as F);
    }
    if (!wasFinal && this.isFinal(step.next)) {
      for (const handle of this.timerHandles.values()) handle.cancel();
      this.timerHandles.clear();
      this.finished();
    }
  }

  private startTimer(effect: { readonly timer: T; readonly ms: number }): void {
    const { timer, ms } = effect;
    this.timerHandles.get(timer)?.cancel();
    this.timerHandles.set(
      timer,
      this.clock.setTimer(ms, () => this.fire(timer, ms)),
    );
  }

  private clearTimer(timer: T): void {
    const handle = this.timerHandles.get(timer);
    if (handle === undefined) return;
    handle.cancel();
    this.timerHandles.delete(timer);
  }

  private fire(timer: T, ms: number): void {
    this.timerHandles.delete(timer);
    try {
      this.dispatch(this.timerEvent(timer, ms));
    } catch (err) {
      // Nothing may escape into the clock; a broken machine ends rather than leaks.
      this.logger.error({ err, state: this.current, timer }, 'timer event failed');
      this.halt();
    }
  }

  /** Live timers, for tests and leak checks. */
  get timerCount(): number {
    return this.timerHandles.size;
  }
}
