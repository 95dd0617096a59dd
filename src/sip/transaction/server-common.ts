/**
 * What the two server transactions share: where responses go, the last response kept for
 * answering retransmissions, status checking, and how an abnormal end is reported.
 */
import type { Endpoint, SipRequest, SipResponse } from '../message/types.js';
import { isReliable } from '../transport/types.js';
import { TransactionError } from './errors.js';
import type { MachineEvent } from './machine.js';
import { responseDestination } from './response-destination.js';
import { Transaction, type FailEffect, type TransactionEnv } from './transaction.js';

export type ServerOwnEffect =
  | { readonly do: 'send'; readonly response: SipResponse }
  | { readonly do: 'resendLast' }
  /** The TU answered a transaction already terminated (a race with a timeout or a send error). */
  | { readonly do: 'dropped'; readonly response: SipResponse };

export const RESEND_LAST: ServerOwnEffect = { do: 'resendLast' };

export function sendResponse(response: SipResponse): ServerOwnEffect {
  return { do: 'send', response };
}

export function dropped(response: SipResponse): ServerOwnEffect {
  return { do: 'dropped', response };
}

/** 'provisional' 100–199, 'success' 200–299, 'failure' 300–699; throws SIP_TXN_BAD_STATUS otherwise. */
export function statusClass(response: SipResponse): 'provisional' | 'success' | 'failure' {
  const status = response.status;
  if (!Number.isInteger(status) || status < 100 || status > 699) {
    throw new TransactionError('SIP_TXN_BAD_STATUS', `response status ${status} is outside 100-699`, {
      status,
    });
  }
  if (status < 200) return 'provisional';
  return status < 300 ? 'success' : 'failure';
}

export abstract class ServerTransactionBase<
  S extends string,
  E extends MachineEvent,
  F extends { readonly do: string },
  T extends string,
> extends Transaction<S, E, F | ServerOwnEffect, T> {
  readonly destination: Endpoint;
  /** The most recent response sent: answers retransmitted requests (§17.2.1, §17.2.2). */
  protected last: SipResponse | undefined;

  protected constructor(
    env: TransactionEnv,
    id: string,
    request: SipRequest,
    readonly source: Endpoint,
    initial: S,
  ) {
    super(env, id, request, isReliable(source.transport), initial);
    this.destination = responseDestination(request, source);
  }

  protected sendServerEffect(effect: ServerOwnEffect): void {
    switch (effect.do) {
      case 'send':
        this.last = effect.response;
        return this.send(effect.response, this.destination);
      case 'resendLast':
        if (this.last !== undefined) this.send(this.last, this.destination);
        return;
      case 'dropped':
        this.logger.debug(
          { callId: this.request.callId, status: effect.response.status, kind: this.kind },
          'response to a terminated server transaction dropped',
        );
        return;
    }
  }

  protected override failed(effect: FailEffect): void {
    const context = { callId: this.request.callId, method: this.request.method };
    if (effect.reason === 'transportError') {
      this.logger.warn({ ...context, err: effect.error }, 'server transaction ended by a transport error');
    } else if (effect.reason === 'timeout') {
      this.logger.info(context, 'server transaction timed out waiting for ACK');
    }
  }
}
