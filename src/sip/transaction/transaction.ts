/**
 * What the four RFC 3261 §17 transactions share on top of `StateMachine`: the environment
 * the layer hands them once (sender, clock, timers, the layer itself as host), the way an
 * abnormal ending is recorded, and the bound send-error callback.
 */
import type { Clock } from '../../platform/clock.js';
import type { Logger } from '../../platform/log.js';
import type { Endpoint, SipMessage, SipRequest } from '../message/types.js';
import type { MessageSender } from '../transport/types.js';
import { StateMachine, type MachineEvent } from './machine.js';
import type { TerminationReason, TimerValues } from './types.js';

/** The layer as seen by its transactions (internal; not exported from index.ts). */
export interface TransactionHost {
  /** The transaction reached Terminated: forget it. */
  transactionTerminated(txn: AnyTransaction): void;
  /** An INVITE client transaction decided to send its CANCEL now (§9.1). */
  sendCancel(txn: CancellableInvite): void;
  /** An ACK matched an INVITE server transaction in Accepted: it belongs to the TU (RFC 6026 §8.5). */
  ackInAccepted(ack: SipRequest, source: Endpoint): void;
}

/** The minimal view of an INVITE client transaction the host needs to build a CANCEL. */
export interface CancellableInvite {
  readonly request: SipRequest;
  readonly destination: Endpoint;
  readonly cancelHeaders: SipRequest['headers'];
}

/** One per layer, shared by every transaction. */
export interface TransactionEnv {
  readonly sender: MessageSender;
  readonly clock: Clock;
  readonly logger: Logger;
  readonly timers: TimerValues;
  readonly host: TransactionHost;
}

export type TransactionKind = 'client-invite' | 'client-non-invite' | 'server-invite' | 'server-non-invite';

/** What the layer keeps in its maps. */
export interface AnyTransaction {
  readonly kind: TransactionKind;
  readonly id: string;
  close(): void;
}

/** The transaction ends abnormally; the subclass tells its user. */
export type FailEffect =
  | { readonly do: 'fail'; readonly reason: 'timeout' }
  | { readonly do: 'fail'; readonly reason: 'transportError'; readonly error: Error }
  | { readonly do: 'fail'; readonly reason: 'closed' };

export const FAIL_TIMEOUT: FailEffect = { do: 'fail', reason: 'timeout' };
export const FAIL_CLOSED: FailEffect = { do: 'fail', reason: 'closed' };

export function failTransport(error: Error): FailEffect {
  return { do: 'fail', reason: 'transportError', error };
}

export type TransportErrorEvent = { readonly type: 'transportError'; readonly error: Error };
export type CloseEvent = { readonly type: 'close' };
export const CLOSE: CloseEvent = { type: 'close' };

export abstract class Transaction<
  S extends string,
  E extends MachineEvent,
  F extends { readonly do: string },
  T extends string,
> extends StateMachine<S, E | TransportErrorEvent | CloseEvent, F | FailEffect, T> {
  onTerminated: ((reason: TerminationReason) => void) | undefined = undefined;
  abstract readonly kind: TransactionKind;
  readonly reliable: boolean;
  private reason: TerminationReason = 'normal';

  /** Bound once per transaction, so that sending does not allocate a closure per message. */
  protected readonly onSendError = (error: Error): void => this.dispatch({ type: 'transportError', error });

  protected constructor(
    protected readonly env: TransactionEnv,
    readonly id: string,
    readonly request: SipRequest,
    reliable: boolean,
    initial: S,
  ) {
    super(env.clock, env.logger, initial);
    this.reliable = reliable;
  }

  get timers(): TimerValues {
    return this.env.timers;
  }

  /** Ends the transaction at once (layer shutdown); its user hears nothing more. Idempotent. */
  close(): void {
    this.dispatch(CLOSE);
  }

  protected send(msg: SipMessage, dest: Endpoint): void {
    this.env.sender.send(msg, dest, this.onSendError);
  }

  protected override perform(effect: F | FailEffect): void {
    if (effect.do !== 'fail') {
      this.performOwn(effect as F);
      return;
    }
    const fail = effect as FailEffect;
    this.reason = fail.reason;
    this.failed(fail);
  }

  protected abstract performOwn(effect: F): void;
  /** Tells the user why the transaction ended abnormally (before `onTerminated`). */
  protected abstract failed(effect: FailEffect): void;

  protected override isFinal(state: S): boolean {
    return state === 'terminated';
  }

  protected override halt(): void {
    this.close();
  }

  protected override timerEvent(timer: T, ms: number): E {
    return { type: `timer${timer}`, ms } as unknown as E;
  }

  protected override finished(): void {
    this.env.host.transactionTerminated(this as unknown as AnyTransaction);
    const callback = this.onTerminated;
    if (callback === undefined) return;
    try {
      callback(this.reason);
    } catch (err) {
      this.logger.error({ err, callId: this.request.callId }, 'onTerminated callback threw');
    }
  }

  /** Logs a throwing TU callback: a TU bug must not leave the transaction half-stepped. */
  protected userThrew(err: unknown, what: string): void {
    this.logger.error({ err, callId: this.request.callId, what }, 'transaction user callback threw');
  }
}
