/*
 * Non-INVITE server transaction — RFC 3261 §17.2.2.
 *
 *                          request received
 *                                 |
 *   request: discarded      +-----v------+
 *               +-----------|   Trying   |----------------------------+
 *               +---------->|            |  transport error            |
 *                           +------------+                             |
 *                  1xx from TU: send |  | 200-699 from TU: send        |
 *                           +--------v---+  |                          |
 *   1xx from TU: send       |            |  |                          |
 *   request: resend last    | Proceeding |--|--------------------------+
 *               +-----------|            |  | 200-699 from TU: send    |
 *               +---------->+------------+  |                          |
 *                                 |         |                          |
 *                            +----v---------v-+                        |
 *   request: resend final    |                |  J=64*T1 (UDP),        |
 *               +------------|   Completed    |  0 s reliable          |
 *               +----------->|                |------------------------+
 *                            +----------------+  transport error       |
 *                                 | J fires                            |
 *                            +----v------------------------------------v-+
 *                            |                Terminated                 |
 *                            +-------------------------------------------+
 */
import type { Endpoint, SipRequest, SipResponse } from '../message/types.js';
import {
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
import { timeout64 } from './timers.js';
import {
  FAIL_CLOSED,
  failTransport,
  type CloseEvent,
  type FailEffect,
  type TransactionEnv,
  type TransportErrorEvent,
} from './transaction.js';
import type { ServerNonInviteState, ServerNonInviteTransaction, TimerValues } from './types.js';

type Timer = 'J';

export type ServerNonInviteEvent =
  | { readonly type: 'tu1xx'; readonly response: SipResponse }
  /** A 200–699 final response from the TU. */
  | { readonly type: 'tuFinal'; readonly response: SipResponse }
  /** A retransmission of the request. */
  | { readonly type: 'recvRequest' }
  | TimerEvent<Timer>
  | TransportErrorEvent
  | CloseEvent;

export type ServerNonInviteEffect = ServerOwnEffect | TimerEffect<Timer> | FailEffect;

export interface ServerNonInviteContext {
  readonly reliable: boolean;
  readonly timers: TimerValues;
}

type S = Step<ServerNonInviteState, ServerNonInviteEffect>;

const TO_TERMINATED: S = stay('terminated');
const CLOSED: S = { next: 'terminated', effects: [FAIL_CLOSED] };

/** §17.2.2: the final response is kept for retransmitted requests for Timer J (0 s reliable). */
function final(response: SipResponse, c: ServerNonInviteContext): S {
  if (c.reliable) return { next: 'terminated', effects: [sendResponse(response)] };
  return { next: 'completed', effects: [sendResponse(response), start('J', timeout64(c.timers))] };
}

function transportFailure(e: TransportErrorEvent): S {
  return { next: 'terminated', effects: [failTransport(e.error)] };
}

const TABLE: TransitionTable<
  ServerNonInviteState,
  ServerNonInviteEvent,
  ServerNonInviteContext,
  ServerNonInviteEffect
> = {
  trying: {
    tu1xx: (e) => ({ next: 'proceeding', effects: [sendResponse(e.response)] }),
    tuFinal: (e, c) => final(e.response, c),
    // §17.2.2: retransmissions in Trying are discarded (nothing has been sent yet).
    recvRequest: () => stay('trying'),
    transportError: transportFailure,
    close: () => CLOSED,
  },
  proceeding: {
    tu1xx: (e) => ({ next: 'proceeding', effects: [sendResponse(e.response)] }),
    tuFinal: (e, c) => final(e.response, c),
    recvRequest: () => ({ next: 'proceeding', effects: [RESEND_LAST] }),
    transportError: transportFailure,
    close: () => CLOSED,
  },
  completed: {
    recvRequest: () => ({ next: 'completed', effects: [RESEND_LAST] }),
    timerJ: () => TO_TERMINATED,
    transportError: transportFailure,
    close: () => CLOSED,
  },
  terminated: {
    tu1xx: (e) => ({ next: 'terminated', effects: [dropped(e.response)] }),
    tuFinal: (e) => ({ next: 'terminated', effects: [dropped(e.response)] }),
    recvRequest: () => TO_TERMINATED,
    transportError: () => TO_TERMINATED,
    close: () => TO_TERMINATED,
  },
};

/** The pure transition function; throws SIP_TXN_ILLEGAL_TRANSITION for a pair the table lacks. */
export function serverNonInviteTransition(
  state: ServerNonInviteState,
  event: ServerNonInviteEvent,
  ctx: ServerNonInviteContext,
): S {
  return lookupTransition('server-non-invite', TABLE, state, event, ctx);
}

export class ServerNonInviteTxn
  extends ServerTransactionBase<ServerNonInviteState, ServerNonInviteEvent, never, Timer>
  implements ServerNonInviteTransaction, ServerNonInviteContext
{
  readonly kind = 'server-non-invite' as const;

  constructor(env: TransactionEnv, id: string, request: SipRequest, source: Endpoint) {
    super(env, id, request, source, 'trying');
  }

  respond(response: SipResponse): void {
    if (statusClass(response) === 'provisional') this.dispatch({ type: 'tu1xx', response });
    else this.dispatch({ type: 'tuFinal', response });
  }

  receiveRetransmission(): void {
    this.dispatch({ type: 'recvRequest' });
  }

  protected override transition(state: ServerNonInviteState, event: ServerNonInviteEvent): S {
    return serverNonInviteTransition(state, event, this);
  }

  protected override performOwn(effect: ServerOwnEffect): void {
    this.sendServerEffect(effect);
  }
}
