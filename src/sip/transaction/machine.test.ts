import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { FakeClock } from '../../platform/clock.js';
import { silentLogger } from '../../platform/log.js';
import {
  lookupTransition,
  start,
  StateMachine,
  type Step,
  type TimerEffect,
  type TransitionTable,
} from './machine.js';

type State = 'on' | 'off' | 'broken';
type Event =
  { readonly type: 'poke' } | { readonly type: 'halt' } | { readonly type: 'timerT'; readonly ms: number };
type Effect = { readonly do: 'note'; readonly text: string } | { readonly do: 'reenter' };

const TABLE: TransitionTable<State, Event, null, Effect | TimerEffect<'T'>> = {
  on: {
    poke: () => ({ next: 'on', effects: [{ do: 'note', text: 'poked' }, { do: 'reenter' }] }),
    halt: () => ({ next: 'off', effects: [] }),
  },
  // 'timerT' is deliberately missing from 'broken', to model a bug.
  broken: { halt: () => ({ next: 'off', effects: [] }) },
  off: { halt: () => ({ next: 'off', effects: [] }) },
};

class Toy extends StateMachine<State, Event, Effect, 'T'> {
  readonly notes: string[] = [];
  finishedCount = 0;
  constructor(clock: FakeClock, initial: State) {
    super(clock, silentLogger(), initial);
    this.begin({ next: initial, effects: [start('T', 100)] });
  }
  poke(): void {
    this.dispatch({ type: 'poke' });
  }
  protected override transition(state: State, event: Event): Step<State, Effect | TimerEffect<'T'>> {
    return lookupTransition('toy', TABLE, state, event, null);
  }
  protected override perform(effect: Effect): void {
    if (effect.do === 'note') this.notes.push(effect.text);
    // An event raised while effects run is queued, not run re-entrantly.
    else this.dispatch({ type: 'halt' });
  }
  protected override timerEvent(_timer: 'T', ms: number): Event {
    return { type: 'timerT', ms };
  }
  protected override isFinal(state: State): boolean {
    return state === 'off';
  }
  protected override finished(): void {
    this.finishedCount++;
  }
  protected override halt(): void {
    this.dispatch({ type: 'halt' });
  }
}

describe('StateMachine runtime', () => {
  test('runs events raised during effects after the current step, then clears timers on the final state', () => {
    const clock = new FakeClock();
    const toy = new Toy(clock, 'on');
    toy.poke();
    assert.deepEqual(toy.notes, ['poked']);
    assert.equal(toy.state, 'off');
    assert.equal(toy.finishedCount, 1);
    assert.equal(clock.pendingCount, 0);
  });

  test('an illegal timer event ends the machine instead of throwing into the clock', () => {
    const clock = new FakeClock();
    const toy = new Toy(clock, 'broken');
    assert.doesNotThrow(() => clock.advance(100));
    assert.equal(toy.state, 'off');
    assert.equal(toy.finishedCount, 1);
  });

  test('an illegal event from a caller throws a coded error and changes nothing', () => {
    const clock = new FakeClock();
    const toy = new Toy(clock, 'broken');
    assert.throws(() => toy.poke(), { code: 'SIP_TXN_ILLEGAL_TRANSITION' });
    assert.equal(toy.state, 'broken');
    assert.equal(clock.pendingCount, 1);
  });
});
