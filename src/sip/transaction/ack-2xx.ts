/*
 * The UAS core's 2xx retransmitter — RFC 3261 §13.3.1.4.
 *
 * The INVITE server transaction sends a 2xx once and moves to Accepted (RFC 6026); the
 * UAS core keeps the 2xx alive until the ACK arrives, because the ACK for a 2xx is
 * end-to-end and no transaction retransmits it. This runs on every transport: a reliable
 * first hop says nothing about the hops behind a proxy.
 *
 *            2xx already sent; retransmit=T1, giveUp=64*T1
 *                                |
 *   retransmit fires:      +-----v----------+
 *   resend 2xx,  +---------| Retransmitting |
 *   next=min(2x,T2)        |                |
 *                +-------->+----------------+
 *                     ack() |    | giveUp fires      | stop()
 *                           |    | onTimeout()       |
 *                           |    | (core sends BYE)  |
 *                     +-----v-+ +v--------+      +---v-----+
 *                     | Acked | | TimedOut|      | Stopped |
 *                     +-------+ +---------+      +---------+
 *
 * The UAC side needs nothing beyond the INVITE client transaction's Accepted state: every
 * 2xx retransmission reaches the TU, which re-sends its ACK.
 */
import type { Clock } from '../../platform/clock.js';
import type { Logger } from '../../platform/log.js';
import type { Endpoint, SipResponse } from '../message/types.js';
import type { MessageSender } from '../transport/types.js';
import {
  lookupTransition,
  start,
  stay,
  StateMachine,
  type Step,
  type TimerEffect,
  type TimerEvent,
  type TransitionTable,
} from './machine.js';
import { backoff, DEFAULT_TIMERS, timeout64 } from './timers.js';
import type { TimerValues } from './types.js';

export type Ack2xxState = 'retransmitting' | 'acknowledged' | 'timedOut' | 'stopped';

type Timer = 'Retransmit' | 'GiveUp';

export type Ack2xxEvent = { readonly type: 'ack' } | { readonly type: 'stop' } | TimerEvent<Timer>;

type OwnEffect = { readonly do: 'resend' } | { readonly do: 'notifyTimeout' };

export type Ack2xxEffect = OwnEffect | TimerEffect<Timer>;

export interface Ack2xxContext {
  readonly timers: TimerValues;
}

export interface Ack2xxOptions {
  readonly sender: MessageSender;
  readonly clock: Clock;
  readonly logger: Logger;
  readonly timers?: TimerValues;
  /** The 2xx, already sent once through the server transaction. */
  readonly response: SipResponse;
  /** The server transaction's `destination`. */
  readonly destination: Endpoint;
  /** No ACK after 64*T1: the dialog is confirmed but the session should end with a BYE (§13.3.1.4). */
  readonly onTimeout: () => void;
}

/** Told when a retransmitter reaches a final state (the transaction layer's bookkeeping). */
export interface Ack2xxOwner {
  ack2xxFinished(retransmitter: Ack2xxRetransmitter): void;
}

type S = Step<Ack2xxState, Ack2xxEffect>;

const RESEND: OwnEffect = { do: 'resend' };

export function ack2xxInitialStep(c: Ack2xxContext): S {
  return {
    next: 'retransmitting',
    effects: [start('Retransmit', c.timers.T1), start('GiveUp', timeout64(c.timers))],
  };
}

const TABLE: TransitionTable<Ack2xxState, Ack2xxEvent, Ack2xxContext, Ack2xxEffect> = {
  retransmitting: {
    ack: () => stay('acknowledged'),
    stop: () => stay('stopped'),
    timerRetransmit: (e, c) => ({
      next: 'retransmitting',
      effects: [RESEND, start('Retransmit', backoff(e.ms, c.timers))],
    }),
    timerGiveUp: () => ({ next: 'timedOut', effects: [{ do: 'notifyTimeout' }] }),
  },
  // ack() and stop() are idempotent once the retransmitter has finished.
  acknowledged: { ack: () => stay('acknowledged'), stop: () => stay('acknowledged') },
  timedOut: { ack: () => stay('timedOut'), stop: () => stay('timedOut') },
  stopped: { ack: () => stay('stopped'), stop: () => stay('stopped') },
};

export function ack2xxTransition(state: Ack2xxState, event: Ack2xxEvent, ctx: Ack2xxContext): S {
  return lookupTransition('ack-2xx', TABLE, state, event, ctx);
}

export class Ack2xxRetransmitter extends StateMachine<Ack2xxState, Ack2xxEvent, OwnEffect, Timer> {
  readonly timers: TimerValues;
  readonly response: SipResponse;
  readonly destination: Endpoint;
  private readonly sender: MessageSender;
  private readonly onTimeout: () => void;
  private readonly onSendError = (err: Error): void => {
    // A lost retransmission is what the next one (or the timeout) is for.
    this.logger.warn({ err, callId: this.response.callId }, '2xx retransmission not sent');
  };

  /** Starts retransmitting at once. */
  constructor(
    options: Ack2xxOptions,
    private readonly owner?: Ack2xxOwner,
  ) {
    super(options.clock, options.logger, 'retransmitting');
    this.timers = options.timers ?? DEFAULT_TIMERS;
    this.response = options.response;
    this.destination = options.destination;
    this.sender = options.sender;
    this.onTimeout = options.onTimeout;
    this.begin(ack2xxInitialStep(this));
  }

  /** The ACK for this 2xx arrived. */
  ack(): void {
    this.dispatch({ type: 'ack' });
  }

  /** Stops without an ACK (the call ended, or the layer closed). */
  stop(): void {
    this.dispatch({ type: 'stop' });
  }

  protected override transition(state: Ack2xxState, event: Ack2xxEvent): S {
    return ack2xxTransition(state, event, this);
  }

  protected override perform(effect: OwnEffect): void {
    if (effect.do === 'resend') {
      this.sender.send(this.response, this.destination, this.onSendError);
      return;
    }
    try {
      this.onTimeout();
    } catch (err) {
      this.logger.error({ err, callId: this.response.callId }, 'onTimeout callback threw');
    }
  }

  protected override timerEvent(timer: Timer, ms: number): Ack2xxEvent {
    return timer === 'Retransmit' ? { type: 'timerRetransmit', ms } : { type: 'timerGiveUp', ms };
  }

  protected override isFinal(state: Ack2xxState): boolean {
    return state !== 'retransmitting';
  }

  protected override finished(): void {
    this.owner?.ack2xxFinished(this);
  }

  protected override halt(): void {
    this.stop();
  }
}
