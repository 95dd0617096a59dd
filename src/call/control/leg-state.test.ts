import assert from 'node:assert/strict';
import { test } from 'node:test';
import { HotlineError } from '../../platform/errors.js';
import { legTransition, type LegEvent, type LegState } from './leg-state.js';

/** The legal moves, written out from the diagram at the top of leg-state.ts. */
const LEGAL: Record<LegState, Partial<Record<LegEvent, LegState>>> = {
  calling: { ring: 'ringing', early: 'early', answer: 'answered', end: 'ended' },
  ringing: { ring: 'ringing', early: 'early', answer: 'answered', end: 'ended' },
  early: { ring: 'early', early: 'early', answer: 'answered', end: 'ended' },
  answered: { end: 'ended' },
  ended: {},
};
const EVENTS: LegEvent[] = ['ring', 'early', 'answer', 'end'];

for (const state of Object.keys(LEGAL) as LegState[]) {
  for (const event of EVENTS) {
    const next = LEGAL[state][event];
    if (next !== undefined) {
      test(`a call-control leg moves from ${state} on ${event} to ${next}`, () => {
        assert.equal(legTransition(state, event), next);
      });
    } else {
      test(`a call-control leg refuses ${event} in ${state} with ILLEGAL_TRANSITION`, () => {
        assert.throws(
          () => legTransition(state, event),
          (err: unknown) =>
            err instanceof HotlineError &&
            err.code === 'ILLEGAL_TRANSITION' &&
            err.details?.state === state &&
            err.details?.event === event,
        );
      });
    }
  }
}
