/*
 * INVITE client transaction — RFC 3261 §17.1.1, amended by RFC 6026 §7.2 (Accepted).
 *
 *                 INVITE sent, A=T1 (UDP only), B=64*T1
 *                                 |
 *   A fires: resend, A=2A   +-----v-----+   B fires: TU timeout
 *           +---------------|  Calling  |-------------------------------+
 *           +-------------->|           |   transport error: TU told    |
 *                           +-----------+-------------------------+     |
 *                   1xx: to TU    |   300-699: ACK, to TU         | 2xx |
 *           (CANCEL if asked)     |        +----------------+     | to  |
 *                           +-----v-----+  |                |     | TU  |
 *   1xx: to TU   +--------->|Proceeding |--+ 300-699:      |     |     |
 *   cancel: CANCEL (§9.1)   |           |   ACK, to TU     |     |     |
 *                +----------+-----------+                  |     |     |
 *                                 | 2xx: to TU             |     |     |
 *                                 |                        v     v     |
 *   2xx: to TU        +-----------v-+  M=64*T1     +-----------+       |
 *   (RFC 6026)  +---->|  Accepted   |              | Completed |<--+   |
 *               +-----|             |              |           |---+   |
 *                     +-------------+              +-----------+ 300-699:
 *                            | M fires    D fires (32 s UDP,  |  resend ACK
 *                            |            0 s reliable)       |        |
 *                            v                                v        v
 *                     +------------------------------------------------+
 *                     |                   Terminated                   |
 *                     +------------------------------------------------+
 *
 * §9.1: a CANCEL asked for in Calling waits for the first provisional; once a final
 * response has arrived no CANCEL is sent. After a CANCEL goes out, a final response is
 * awaited for at most 64*T1 (the CancelGuard timer) before the TU is told of a timeout.
 */
import type { Endpoint, Header, SipRequest, SipResponse } from '../message/types.js';
import { isReliable } from '../transport/types.js';
import { buildAckForFailure } from './build.js';
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
import { TIMER_D_MS, timeout64 } from './timers.js';
import {
  FAIL_CLOSED,
  FAIL_TIMEOUT,
  failTransport,
  Transaction,
  type CancellableInvite,
  type CloseEvent,
  type FailEffect,
  type TransactionEnv,
  type TransportErrorEvent,
} from './transaction.js';
import type {
  ClientInviteState,
  ClientInviteTransaction,
  ClientTransactionUser,
  TimerValues,
} from './types.js';

type Timer = 'A' | 'B' | 'D' | 'M' | 'CancelGuard';

export type ClientInviteEvent =
  | { readonly type: 'recv1xx'; readonly response: SipResponse }
  | { readonly type: 'recv2xx'; readonly response: SipResponse }
  /** A 300–699 final response. */
  | { readonly type: 'recvFailure'; readonly response: SipResponse }
  /** The TU asked for a CANCEL (§9.1). */
  | { readonly type: 'cancel' }
  | TimerEvent<Timer>
  | TransportErrorEvent
  | CloseEvent;

type OwnEffect =
  | { readonly do: 'sendRequest' }
  | { readonly do: 'sendAck'; readonly response: SipResponse }
  | { readonly do: 'deliver'; readonly response: SipResponse }
  | { readonly do: 'markCancel' }
  | { readonly do: 'sendCancel' }
  | { readonly do: 'logError'; readonly error: Error };

export type ClientInviteEffect = OwnEffect | TimerEffect<Timer> | FailEffect;

export interface ClientInviteContext {
  readonly reliable: boolean;
  readonly timers: TimerValues;
  readonly cancelRequested: boolean;
}

type S = Step<ClientInviteState, ClientInviteEffect>;

const SEND_REQUEST: OwnEffect = { do: 'sendRequest' };
const MARK_CANCEL: OwnEffect = { do: 'markCancel' };
const SEND_CANCEL: OwnEffect = { do: 'sendCancel' };
const LEAVE_CALLING: readonly ClientInviteEffect[] = [clear('A'), clear('B')];
const LEAVE_PROCEEDING: readonly ClientInviteEffect[] = [clear('CancelGuard')];
const TO_TERMINATED: S = stay('terminated');
const CLOSED: S = { next: 'terminated', effects: [FAIL_CLOSED] };
const TIMED_OUT: S = { next: 'terminated', effects: [FAIL_TIMEOUT] };

/** Entry actions (§17.1.1.2): send the INVITE, start A on an unreliable transport, start B. */
export function clientInviteInitialStep(c: ClientInviteContext): S {
  const effects: ClientInviteEffect[] = [SEND_REQUEST, start('B', timeout64(c.timers))];
  if (!c.reliable) effects.push(start('A', c.timers.T1));
  return { next: 'calling', effects };
}

function deliver(response: SipResponse): OwnEffect {
  return { do: 'deliver', response };
}

function sendCancelNow(c: ClientInviteContext): readonly ClientInviteEffect[] {
  return [SEND_CANCEL, start('CancelGuard', timeout64(c.timers))];
}

/** RFC 6026 §7.2: a 2xx goes up and the transaction lingers in Accepted for Timer M. */
function accepted(response: SipResponse, c: ClientInviteContext, leaving: readonly ClientInviteEffect[]): S {
  return { next: 'accepted', effects: [...leaving, deliver(response), start('M', timeout64(c.timers))] };
}

/** §17.1.1.2: a 300–699 is ACKed here, passed up, and Completed absorbs retransmissions for Timer D. */
function failure(response: SipResponse, c: ClientInviteContext, leaving: readonly ClientInviteEffect[]): S {
  const effects: ClientInviteEffect[] = [...leaving, { do: 'sendAck', response }, deliver(response)];
  if (c.reliable) return { next: 'terminated', effects };
  effects.push(start('D', TIMER_D_MS));
  return { next: 'completed', effects };
}

const TABLE: TransitionTable<ClientInviteState, ClientInviteEvent, ClientInviteContext, ClientInviteEffect> =
  {
    calling: {
      // §17.1.1.2: a provisional stops retransmission and Timer B; §9.1: a pending CANCEL goes now.
      recv1xx: (e, c) => ({
        next: 'proceeding',
        effects: c.cancelRequested
          ? [...LEAVE_CALLING, deliver(e.response), ...sendCancelNow(c)]
          : [...LEAVE_CALLING, deliver(e.response)],
      }),
      recv2xx: (e, c) => accepted(e.response, c, LEAVE_CALLING),
      recvFailure: (e, c) => failure(e.response, c, LEAVE_CALLING),
      // §9.1: no CANCEL before a provisional response; remember it.
      cancel: () => ({ next: 'calling', effects: [MARK_CANCEL] }),
      // §17.1.1.2: Timer A doubles with no cap; Timer B bounds it.
      timerA: (e) => ({ next: 'calling', effects: [SEND_REQUEST, start('A', e.ms * 2)] }),
      timerB: () => TIMED_OUT,
      transportError: (e) => ({ next: 'terminated', effects: [failTransport(e.error)] }),
      close: () => CLOSED,
    },
    proceeding: {
      recv1xx: (e) => ({ next: 'proceeding', effects: [deliver(e.response)] }),
      recv2xx: (e, c) => accepted(e.response, c, LEAVE_PROCEEDING),
      recvFailure: (e, c) => failure(e.response, c, LEAVE_PROCEEDING),
      cancel: (_e, c) =>
        c.cancelRequested
          ? stay('proceeding')
          : { next: 'proceeding', effects: [MARK_CANCEL, ...sendCancelNow(c)] },
      // §9.1: no final response 64*T1 after the CANCEL: consider the INVITE cancelled.
      timerCancelGuard: () => TIMED_OUT,
      transportError: (e) => ({ next: 'terminated', effects: [failTransport(e.error)] }),
      close: () => CLOSED,
    },
    accepted: {
      recv1xx: () => stay('accepted'),
      // RFC 6026 §7.2: 2xx retransmissions (and 2xx from other forks) go to the TU, which ACKs them.
      recv2xx: (e) => ({ next: 'accepted', effects: [deliver(e.response)] }),
      recvFailure: () => stay('accepted'),
      cancel: () => stay('accepted'),
      timerM: () => TO_TERMINATED,
      transportError: () => stay('accepted'),
      close: () => CLOSED,
    },
    completed: {
      recv1xx: () => stay('completed'),
      recv2xx: () => stay('completed'),
      // §17.1.1.2: a retransmitted final response is ACKed again and not passed up.
      recvFailure: (e) => ({ next: 'completed', effects: [{ do: 'sendAck', response: e.response }] }),
      cancel: () => stay('completed'),
      timerD: () => TO_TERMINATED,
      // The ACK could not be sent; the TU already has its final response, so only log.
      transportError: (e) => ({ next: 'terminated', effects: [{ do: 'logError', error: e.error }] }),
      close: () => CLOSED,
    },
    terminated: {
      recv1xx: () => TO_TERMINATED,
      recv2xx: () => TO_TERMINATED,
      recvFailure: () => TO_TERMINATED,
      cancel: () => TO_TERMINATED,
      transportError: () => TO_TERMINATED,
      close: () => TO_TERMINATED,
    },
  };

/** The pure transition function; throws SIP_TXN_ILLEGAL_TRANSITION for a pair the table lacks. */
export function clientInviteTransition(
  state: ClientInviteState,
  event: ClientInviteEvent,
  ctx: ClientInviteContext,
): S {
  return lookupTransition('client-invite', TABLE, state, event, ctx);
}

export class ClientInviteTxn
  extends Transaction<ClientInviteState, ClientInviteEvent, OwnEffect, Timer>
  implements ClientInviteTransaction, ClientInviteContext, CancellableInvite
{
  readonly kind = 'client-invite' as const;
  cancelRequested = false;
  cancelHeaders: readonly Header[] = [];
  private ack: SipRequest | undefined;

  constructor(
    env: TransactionEnv,
    id: string,
    request: SipRequest,
    readonly destination: Endpoint,
    private readonly user: ClientTransactionUser,
  ) {
    super(env, id, request, isReliable(destination.transport), 'calling');
  }

  /** Sends the INVITE and starts the timers; the layer calls it once the transaction is registered. */
  start(): void {
    this.begin(clientInviteInitialStep(this));
  }

  receiveResponse(response: SipResponse): void {
    const status = response.status;
    if (status < 200) this.dispatch({ type: 'recv1xx', response });
    else if (status < 300) this.dispatch({ type: 'recv2xx', response });
    else this.dispatch({ type: 'recvFailure', response });
  }

  /** §9.1. `headers` go into the CANCEL (e.g. Reason). */
  requestCancel(headers: readonly Header[]): void {
    if (!this.cancelRequested) this.cancelHeaders = headers;
    this.dispatch({ type: 'cancel' });
  }

  protected override transition(state: ClientInviteState, event: ClientInviteEvent): S {
    return clientInviteTransition(state, event, this);
  }

  protected override performOwn(effect: OwnEffect): void {
    switch (effect.do) {
      case 'sendRequest':
        return this.send(this.request, this.destination);
      case 'sendAck':
        this.ack ??= buildAckForFailure(this.request, effect.response);
        return this.send(this.ack, this.destination);
      case 'deliver':
        try {
          this.user.onResponse(effect.response);
        } catch (err) {
          this.userThrew(err, 'onResponse');
        }
        return;
      case 'markCancel':
        this.cancelRequested = true;
        return;
      case 'sendCancel':
        return this.env.host.sendCancel(this);
      case 'logError':
        this.logger.warn({ err: effect.error, callId: this.request.callId }, 'ACK for non-2xx not sent');
        return;
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
