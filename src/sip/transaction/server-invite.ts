/*
 * INVITE server transaction — RFC 3261 §17.2.1, amended by RFC 6026 §7.1 (Accepted).
 *
 *                         INVITE received; Trying timer 200 ms
 *                                  |
 *   Trying fires: send 100   +-----v------+
 *   1xx from TU: send        |            |  transport error
 *   INVITE: resend last 1xx  | Proceeding |------------------------------+
 *               +------------|            |                              |
 *               +----------->+------------+                              |
 *                  300-699 from TU |     | 2xx from TU: send, L=64*T1     |
 *                  send, G=T1 (UDP)|     +-----------------+              |
 *                  H=64*T1         |                       |              |
 *                            +-----v------+          +-----v------+       |
 *   INVITE: resend final     |            |          |            | 2xx from TU: send
 *   G fires: resend,   +-----| Completed  |          |  Accepted  |-----+ |
 *   G=min(2G,T2)       +---->|            |          |            |<----+ ACK: to TU
 *                            +------------+          +------------+  INVITE: absorbed
 *                ACK: I=T4 (UDP) |    | H fires:           | L fires    |
 *                  0 s reliable  |    | TU told (timeout)  |            |
 *                            +---v--------+              |              |
 *   ACK, INVITE absorbed +---| Confirmed  |              |              |
 *                        +-->|            |              |              |
 *                            +------------+              |              |
 *                                  | I fires             |              |
 *                            +-----v---------------------v--------------v-+
 *                            |                 Terminated                 |
 *                            +--------------------------------------------+
 *
 * The 2xx itself is retransmitted by the UAS core (§13.3.1.4, see ack-2xx.ts), not here.
 */
import type { Endpoint, SipRequest, SipResponse } from '../message/types.js';
import { buildTrying } from './build.js';
import {
  clear,
  lookupTransition,
  start,
  stay,
  type Step,
  type TimerEffect,
  type TimerEvent,
  type TransitionTable,
} from './machine.js';
import {
  dropped,
  RESEND_LAST,
  sendResponse,
  ServerTransactionBase,
  statusClass,
  type ServerOwnEffect,
} from './server-common.js';
import { backoff, timeout64, TRYING_DELAY_MS } from './timers.js';
import {
  FAIL_CLOSED,
  FAIL_TIMEOUT,
  failTransport,
  type CloseEvent,
  type FailEffect,
  type TransactionEnv,
  type TransportErrorEvent,
} from './transaction.js';
import type { ServerInviteState, ServerInviteTransaction, TimerValues } from './types.js';

type Timer = 'Trying' | 'G' | 'H' | 'I' | 'L';

export type ServerInviteEvent =
  | { readonly type: 'tu1xx'; readonly response: SipResponse }
  | { readonly type: 'tu2xx'; readonly response: SipResponse }
  /** A 300–699 final response from the TU. */
  | { readonly type: 'tuFailure'; readonly response: SipResponse }
  /** A retransmission of the INVITE. */
  | { readonly type: 'recvInvite' }
  | { readonly type: 'recvAck'; readonly ack: SipRequest; readonly source: Endpoint }
  | TimerEvent<Timer>
  | TransportErrorEvent
  | CloseEvent;

type OwnEffect =
  | ServerOwnEffect
  | { readonly do: 'sendTrying' }
  | { readonly do: 'passAck'; readonly ack: SipRequest; readonly source: Endpoint };

export type ServerInviteEffect = OwnEffect | TimerEffect<Timer> | FailEffect;

export interface ServerInviteContext {
  readonly reliable: boolean;
  readonly timers: TimerValues;
}

type S = Step<ServerInviteState, ServerInviteEffect>;

const SEND_TRYING: OwnEffect = { do: 'sendTrying' };
const CLEAR_TRYING = clear<Timer>('Trying');
const TO_TERMINATED: S = stay('terminated');
const CLOSED: S = { next: 'terminated', effects: [FAIL_CLOSED] };

/** §17.2.1: a 100 Trying unless the TU answers within 200 ms. */
export function serverInviteInitialStep(): S {
  return { next: 'proceeding', effects: [start('Trying', TRYING_DELAY_MS)] };
}

/** §17.2.1: a 300–699 is retransmitted on Timer G (UDP) until the ACK, for at most Timer H. */
function failure(response: SipResponse, c: ServerInviteContext): S {
  const effects: ServerInviteEffect[] = [
    CLEAR_TRYING,
    sendResponse(response),
    start('H', timeout64(c.timers)),
  ];
  if (!c.reliable) effects.push(start('G', c.timers.T1));
  return { next: 'completed', effects };
}

/** §17.2.1: the ACK ends retransmission; Confirmed absorbs ACK retransmissions for Timer I (0 s reliable). */
function confirmed(c: ServerInviteContext): S {
  const effects: ServerInviteEffect[] = [clear('G'), clear('H')];
  if (c.reliable) return { next: 'terminated', effects };
  effects.push(start('I', c.timers.T4));
  return { next: 'confirmed', effects };
}

function transportFailure(e: TransportErrorEvent): S {
  return { next: 'terminated', effects: [failTransport(e.error)] };
}

const TABLE: TransitionTable<ServerInviteState, ServerInviteEvent, ServerInviteContext, ServerInviteEffect> =
  {
    proceeding: {
      tu1xx: (e) => ({ next: 'proceeding', effects: [CLEAR_TRYING, sendResponse(e.response)] }),
      // RFC 6026 §7.1: a 2xx moves to Accepted (Timer L) instead of ending the transaction.
      tu2xx: (e, c) => ({
        next: 'accepted',
        effects: [CLEAR_TRYING, sendResponse(e.response), start('L', timeout64(c.timers))],
      }),
      tuFailure: (e, c) => failure(e.response, c),
      // §17.2.1: a retransmitted INVITE gets the most recent provisional again.
      recvInvite: () => ({ next: 'proceeding', effects: [RESEND_LAST] }),
      recvAck: () => stay('proceeding'),
      timerTrying: () => ({ next: 'proceeding', effects: [SEND_TRYING] }),
      transportError: transportFailure,
      close: () => CLOSED,
    },
    completed: {
      recvInvite: () => ({ next: 'completed', effects: [RESEND_LAST] }),
      recvAck: (_e, c) => confirmed(c),
      timerG: (e, c) => ({ next: 'completed', effects: [RESEND_LAST, start('G', backoff(e.ms, c.timers))] }),
      // §17.2.1: no ACK within 64*T1; the TU hears of it through onTerminated('timeout').
      timerH: () => ({ next: 'terminated', effects: [FAIL_TIMEOUT] }),
      transportError: transportFailure,
      close: () => CLOSED,
    },
    confirmed: {
      recvInvite: () => stay('confirmed'),
      recvAck: () => stay('confirmed'),
      timerI: () => TO_TERMINATED,
      transportError: () => stay('confirmed'),
      close: () => CLOSED,
    },
    accepted: {
      // RFC 6026 §8.5: 2xx retransmissions from the TU pass through; INVITE retransmissions
      // are absorbed (the TU's own 2xx retransmission answers them); an ACK goes to the TU.
      tu2xx: (e) => ({ next: 'accepted', effects: [sendResponse(e.response)] }),
      recvInvite: () => stay('accepted'),
      recvAck: (e) => ({ next: 'accepted', effects: [{ do: 'passAck', ack: e.ack, source: e.source }] }),
      timerL: () => TO_TERMINATED,
      transportError: transportFailure,
      close: () => CLOSED,
    },
    terminated: {
      tu1xx: (e) => ({ next: 'terminated', effects: [dropped(e.response)] }),
      tu2xx: (e) => ({ next: 'terminated', effects: [dropped(e.response)] }),
      tuFailure: (e) => ({ next: 'terminated', effects: [dropped(e.response)] }),
      recvInvite: () => TO_TERMINATED,
      recvAck: () => TO_TERMINATED,
      transportError: () => TO_TERMINATED,
      close: () => TO_TERMINATED,
    },
  };

/** The pure transition function; throws SIP_TXN_ILLEGAL_TRANSITION for a pair the table lacks. */
export function serverInviteTransition(
  state: ServerInviteState,
  event: ServerInviteEvent,
  ctx: ServerInviteContext,
): S {
  return lookupTransition('server-invite', TABLE, state, event, ctx);
}

export class ServerInviteTxn
  extends ServerTransactionBase<ServerInviteState, ServerInviteEvent, OwnEffect, Timer>
  implements ServerInviteTransaction, ServerInviteContext
{
  readonly kind = 'server-invite' as const;

  constructor(env: TransactionEnv, id: string, request: SipRequest, source: Endpoint) {
    super(env, id, request, source, 'proceeding');
  }

  /** Starts the 100 Trying timer; the layer calls it once the transaction is registered. */
  start(): void {
    this.begin(serverInviteInitialStep());
  }

  respond(response: SipResponse): void {
    const cls = statusClass(response);
    if (cls === 'provisional') this.dispatch({ type: 'tu1xx', response });
    else if (cls === 'success') this.dispatch({ type: 'tu2xx', response });
    else this.dispatch({ type: 'tuFailure', response });
  }

  receiveRetransmission(): void {
    this.dispatch({ type: 'recvInvite' });
  }

  receiveAck(ack: SipRequest, source: Endpoint): void {
    this.dispatch({ type: 'recvAck', ack, source });
  }

  protected override transition(state: ServerInviteState, event: ServerInviteEvent): S {
    return serverInviteTransition(state, event, this);
  }

  protected override performOwn(effect: OwnEffect): void {
    switch (effect.do) {
      case 'sendTrying': {
        const trying = buildTrying(this.request);
        this.last = trying;
        return this.send(trying, this.destination);
      }
      case 'passAck':
        return this.env.host.ackInAccepted(effect.ack, effect.source);
      default:
        return this.sendServerEffect(effect);
    }
  }
}
