/*
 * Non-INVITE client transaction — RFC 3261 §17.1.2 (with the RFC 4320 reading that
 * Timer F alone decides the timeout).
 *
 *               request sent, E=T1 (UDP only), F=64*T1
 *                                |
 *   E fires: resend,       +-----v-----+    F fires: TU timeout
 *   E=min(2E,T2)  +--------|  Trying   |------------------------------+
 *                 +------->|           |    transport error: TU told  |
 *                          +-----------+----------------------------+ |
 *                  1xx: to TU    |      200-699: to TU              | |
 *                          +-----v-----+                            | |
 *   E fires: resend, E=T2  |           |  F fires / transport error | |
 *   1xx: to TU   +---------|Proceeding |--------------------------+ | |
 *                +-------->|           |                          | | |
 *                          +-----------+                          | | |
 *                                | 200-699: to TU                 | | |
 *                          +-----v-----+ <------------------------|-+ |
 *   responses absorbed +---| Completed |  K=T4 (UDP), 0 reliable  |   |
 *                      +-->|           |                          |   |
 *                          +-----------+                          |   |
 *                                | K fires                        |   |
 *                          +-----v----------------------------------v-v-+
 *                          |                Terminated                  |
 *                          +--------------------------------------------+
 */
import type { Endpoint, SipRequest, SipResponse } from '../message/types.js';
import { isReliable } from '../transport/types.js';
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
import { backoff, timeout64 } from './timers.js';
import {
  FAIL_CLOSED,
  FAIL_TIMEOUT,
  failTransport,
  Transaction,
  type CloseEvent,
  type FailEffect,
  type TransactionEnv,
  type TransportErrorEvent,
} from './transaction.js';
import type {
  ClientNonInviteState,
  ClientNonInviteTransaction,
  ClientTransactionUser,
  TimerValues,
} from './types.js';

type Timer = 'E' | 'F' | 'K';

export type ClientNonInviteEvent =
  | { readonly type: 'recv1xx'; readonly response: SipResponse }
  /** A 200–699 final response. */
  | { readonly type: 'recvFinal'; readonly response: SipResponse }
  | TimerEvent<Timer>
  | TransportErrorEvent
  | CloseEvent;

type OwnEffect = { readonly do: 'sendRequest' } | { readonly do: 'deliver'; readonly response: SipResponse };

export type ClientNonInviteEffect = OwnEffect | TimerEffect<Timer> | FailEffect;

export interface ClientNonInviteContext {
  readonly reliable: boolean;
  readonly timers: TimerValues;
}

type S = Step<ClientNonInviteState, ClientNonInviteEffect>;

const SEND_REQUEST: OwnEffect = { do: 'sendRequest' };
const TO_TERMINATED: S = stay('terminated');
const CLOSED: S = { next: 'terminated', effects: [FAIL_CLOSED] };
const TIMED_OUT: S = { next: 'terminated', effects: [FAIL_TIMEOUT] };

/** Entry actions (§17.1.2.2): send the request, start E on an unreliable transport, start F. */
export function clientNonInviteInitialStep(c: ClientNonInviteContext): S {
  const effects: ClientNonInviteEffect[] = [SEND_REQUEST, start('F', timeout64(c.timers))];
  if (!c.reliable) effects.push(start('E', c.timers.T1));
  return { next: 'trying', effects };
}

function provisional(response: SipResponse): S {
  return { next: 'proceeding', effects: [{ do: 'deliver', response }] };
}

/** §17.1.2.2: a final response goes up; Completed absorbs retransmissions for Timer K (0 s reliable). */
function final(response: SipResponse, c: ClientNonInviteContext): S {
  const effects: ClientNonInviteEffect[] = [clear('E'), clear('F'), { do: 'deliver', response }];
  if (c.reliable) return { next: 'terminated', effects };
  effects.push(start('K', c.timers.T4));
  return { next: 'completed', effects };
}

const TABLE: TransitionTable<
  ClientNonInviteState,
  ClientNonInviteEvent,
  ClientNonInviteContext,
  ClientNonInviteEffect
> = {
  trying: {
    recv1xx: (e) => provisional(e.response),
    recvFinal: (e, c) => final(e.response, c),
    timerE: (e, c) => ({ next: 'trying', effects: [SEND_REQUEST, start('E', backoff(e.ms, c.timers))] }),
    timerF: () => TIMED_OUT,
    transportError: (e) => ({ next: 'terminated', effects: [failTransport(e.error)] }),
    close: () => CLOSED,
  },
  proceeding: {
    recv1xx: (e) => provisional(e.response),
    recvFinal: (e, c) => final(e.response, c),
    // §17.1.2.2: in Proceeding, E fires at T2.
    timerE: (_e, c) => ({ next: 'proceeding', effects: [SEND_REQUEST, start('E', c.timers.T2)] }),
    timerF: () => TIMED_OUT,
    transportError: (e) => ({ next: 'terminated', effects: [failTransport(e.error)] }),
    close: () => CLOSED,
  },
  completed: {
    recv1xx: () => stay('completed'),
    recvFinal: () => stay('completed'),
    timerK: () => TO_TERMINATED,
    // Nothing is sent from Completed; a late error is for a message already answered.
    transportError: () => stay('completed'),
    close: () => CLOSED,
  },
  terminated: {
    recv1xx: () => TO_TERMINATED,
    recvFinal: () => TO_TERMINATED,
    transportError: () => TO_TERMINATED,
    close: () => TO_TERMINATED,
  },
};

/** The pure transition function; throws SIP_TXN_ILLEGAL_TRANSITION for a pair the table lacks. */
export function clientNonInviteTransition(
  state: ClientNonInviteState,
  event: ClientNonInviteEvent,
  ctx: ClientNonInviteContext,
): S {
  return lookupTransition('client-non-invite', TABLE, state, event, ctx);
}

export class ClientNonInviteTxn
  extends Transaction<ClientNonInviteState, ClientNonInviteEvent, OwnEffect, Timer>
  implements ClientNonInviteTransaction, ClientNonInviteContext
{
  readonly kind = 'client-non-invite' as const;

  constructor(
    env: TransactionEnv,
    id: string,
    request: SipRequest,
    readonly destination: Endpoint,
    private readonly user: ClientTransactionUser,
  ) {
    super(env, id, request, isReliable(destination.transport), 'trying');
  }

  /** Sends the request and starts the timers; the layer calls it once the transaction is registered. */
  start(): void {
    this.begin(clientNonInviteInitialStep(this));
  }

  receiveResponse(response: SipResponse): void {
    if (response.status < 200) this.dispatch({ type: 'recv1xx', response });
    else this.dispatch({ type: 'recvFinal', response });
  }

  protected override transition(state: ClientNonInviteState, event: ClientNonInviteEvent): S {
    return clientNonInviteTransition(state, event, this);
  }

  protected override performOwn(effect: OwnEffect): void {
    if (effect.do === 'sendRequest') {
      this.send(this.request, this.destination);
      return;
    }
    try {
      this.user.onResponse(effect.response);
    } catch (err) {
      this.userThrew(err, 'onResponse');
    }
  }

  protected override failed(effect: FailEffect): void {
    try {
      if (effect.reason === 'timeout') this.user.onTimeout();
      else if (effect.reason === 'transportError') this.user.onTransportError(effect.error);
    } catch (err) {
      this.userThrew(err, effect.reason);
    }
  }
}
