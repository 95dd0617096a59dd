import { HotlineError } from './errors.js';

/**
 * A state machine as data (STYLE principle 3): a table of legal moves and one function that
 * is the only way to compute the next state. An illegal (state, event) pair throws a coded
 * error naming both, which in production fails that one call and nothing else.
 */
export type TransitionTable<S extends string, E extends string> = {
  readonly [state in S]: Partial<Readonly<Record<E, S>>>;
};

export function makeTransition<S extends string, E extends string>(
  machine: string,
  table: TransitionTable<S, E>,
): (state: S, event: E) => S {
  return (state, event) => {
    const next = table[state][event];
    if (next === undefined) {
      throw new HotlineError(
        'ILLEGAL_TRANSITION',
        `${machine}: event "${event}" is illegal in state "${state}"`,
        {
          machine,
          state,
          event,
        },
      );
    }
    return next;
  };
}
