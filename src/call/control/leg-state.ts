import { makeTransition, type TransitionTable } from '../../platform/machine.js';

/*
 * A call-control leg, inbound or outbound, as the API above SIP sees it:
 *
 *   calling ──ring──▶ ringing ──early──▶ early ──answer──▶ answered ──end──▶ ended
 *      │                 │                 │
 *      └────early / answer / end ──────────┴────────────────────────────────▶ ended
 *
 * `calling`: an inbound INVITE not yet answered with anything, or an outbound INVITE sent.
 * `ringing`: 180 sent or received. `early`: early media (183 with SDP) flows.
 */
export type LegState = 'calling' | 'ringing' | 'early' | 'answered' | 'ended';
export type LegEvent = 'ring' | 'early' | 'answer' | 'end';

const table: TransitionTable<LegState, LegEvent> = {
  calling: { ring: 'ringing', early: 'early', answer: 'answered', end: 'ended' },
  ringing: { ring: 'ringing', early: 'early', answer: 'answered', end: 'ended' },
  early: { ring: 'early', early: 'early', answer: 'answered', end: 'ended' },
  answered: { end: 'ended' },
  ended: {},
};

export const legTransition = makeTransition('call leg', table);
