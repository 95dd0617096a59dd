import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { HotlineError } from '../platform/errors.js';
import {
  inboundTransition,
  outboundTransition,
  type InboundEvent,
  type InboundState,
  type OutboundEvent,
  type OutboundState,
} from './leg-machines.js';

/** The legal moves, written out from the diagrams at the top of leg-machines.ts. */
const INBOUND: Record<InboundState, Partial<Record<InboundEvent, InboundState>>> = {
  offered: { ring: 'early', answer: 'answered', reject: 'ended', cancel: 'ended' },
  early: { ring: 'early', answer: 'answered', reject: 'ended', cancel: 'ended' },
  answered: { ack: 'confirmed', ackTimeout: 'ended', bye: 'ended', hangup: 'ended' },
  confirmed: { ack: 'confirmed', bye: 'ended', hangup: 'ended' },
  ended: {},
};
const INBOUND_EVENTS: InboundEvent[] = [
  'ring',
  'answer',
  'reject',
  'cancel',
  'ack',
  'ackTimeout',
  'bye',
  'hangup',
];

const OUTBOUND: Record<OutboundState, Partial<Record<OutboundEvent, OutboundState>>> = {
  calling: { provisional: 'proceeding', answered: 'confirmed', fail: 'ended', cancel: 'cancelling' },
  proceeding: { provisional: 'proceeding', answered: 'confirmed', fail: 'ended', cancel: 'cancelling' },
  cancelling: { provisional: 'cancelling', answered: 'confirmed', fail: 'ended', cancel: 'cancelling' },
  confirmed: { answered: 'confirmed', bye: 'ended', hangup: 'ended' },
  ended: {},
};
const OUTBOUND_EVENTS: OutboundEvent[] = ['provisional', 'answered', 'fail', 'cancel', 'bye', 'hangup'];

function checkMachine<S extends string, E extends string>(
  name: string,
  legal: Record<S, Partial<Record<E, S>>>,
  events: readonly E[],
  transition: (state: S, event: E) => S,
): void {
  describe(name, () => {
    for (const state of Object.keys(legal) as S[]) {
      for (const event of events) {
        const next = legal[state][event];
        if (next !== undefined) {
          test(`moves from ${state} on ${event} to ${next}`, () => {
            assert.equal(transition(state, event), next);
          });
          continue;
        }
        test(`refuses ${event} in ${state} with ILLEGAL_TRANSITION naming both`, () => {
          assert.throws(
            () => transition(state, event),
            (err: unknown) =>
              err instanceof HotlineError &&
              err.code === 'ILLEGAL_TRANSITION' &&
              err.details?.state === state &&
              err.details?.event === event &&
              err.message.includes(`"${state}"`) &&
              err.message.includes(`"${event}"`),
          );
        });
      }
    }
  });
}

checkMachine('inbound leg machine', INBOUND, INBOUND_EVENTS, inboundTransition);
checkMachine('outbound leg machine', OUTBOUND, OUTBOUND_EVENTS, outboundTransition);

test('an ended leg accepts no event at all', () => {
  for (const e of INBOUND_EVENTS) assert.throws(() => inboundTransition('ended', e), HotlineError);
  for (const e of OUTBOUND_EVENTS) assert.throws(() => outboundTransition('ended', e), HotlineError);
});
