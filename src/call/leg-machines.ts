import { makeTransition, type TransitionTable } from '../platform/machine.js';

/*
 * Inbound leg (we are the UAS of the caller's INVITE):
 *
 *   offered ──ring──▶ early ──answer──▶ answered ──ack──▶ confirmed
 *      │                │                  │                  │
 *      ├─reject/cancel──┴─reject/cancel──▶ ended ◀─bye/hangup─┘
 *      └──answer──▶ answered ──bye/hangup/ackTimeout──▶ ended
 */
export type InboundState = 'offered' | 'early' | 'answered' | 'confirmed' | 'ended';
export type InboundEvent = 'ring' | 'answer' | 'reject' | 'cancel' | 'ack' | 'ackTimeout' | 'bye' | 'hangup';

const inboundTable: TransitionTable<InboundState, InboundEvent> = {
  offered: { ring: 'early', answer: 'answered', reject: 'ended', cancel: 'ended' },
  early: { ring: 'early', answer: 'answered', reject: 'ended', cancel: 'ended' },
  answered: { ack: 'confirmed', ackTimeout: 'ended', bye: 'ended', hangup: 'ended' },
  confirmed: { ack: 'confirmed', bye: 'ended', hangup: 'ended' },
  ended: {},
};
export const inboundTransition = makeTransition('inbound leg', inboundTable);

/*
 * Outbound leg (we are the UAC of an INVITE we send):
 *
 *   calling ──1xx──▶ proceeding ──1xx──▶ proceeding
 *      │                 │
 *      ├──2xx──▶ confirmed ──bye/hangup──▶ ended
 *      ├──fail (3xx-6xx, timeout, transport error)──▶ ended
 *      └──cancel──▶ cancelling ──fail (487)──▶ ended
 *                        └──2xx (answered anyway)──▶ confirmed, then hung up
 */
export type OutboundState = 'calling' | 'proceeding' | 'cancelling' | 'confirmed' | 'ended';
export type OutboundEvent = 'provisional' | 'answered' | 'fail' | 'cancel' | 'bye' | 'hangup';

const outboundTable: TransitionTable<OutboundState, OutboundEvent> = {
  calling: { provisional: 'proceeding', answered: 'confirmed', fail: 'ended', cancel: 'cancelling' },
  proceeding: { provisional: 'proceeding', answered: 'confirmed', fail: 'ended', cancel: 'cancelling' },
  cancelling: { provisional: 'cancelling', answered: 'confirmed', fail: 'ended', cancel: 'cancelling' },
  confirmed: { answered: 'confirmed', bye: 'ended', hangup: 'ended' },
  ended: {},
};
export const outboundTransition = makeTransition('outbound leg', outboundTable);
