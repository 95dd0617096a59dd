/**
 * The contract of the transaction layer (RFC 3261 §17): what the transaction user (TU —
 * the UA core, a dialog, a B2BUA leg) sees of client and server transactions, and what
 * the layer calls back into.
 */
import type { Clock } from '../../platform/clock.js';
import type { Logger } from '../../platform/log.js';
import type { Endpoint, SipRequest, SipResponse } from '../message/types.js';
import type { MessageSender } from '../transport/types.js';

/** RFC 3261 §17.1.1.1 / Table 4 base timer values, in milliseconds. */
export interface TimerValues {
  /** RTT estimate; default 500 ms. */
  readonly T1: number;
  /** Maximum retransmit interval for non-INVITE requests and INVITE responses; default 4 s. */
  readonly T2: number;
  /** Maximum time a message stays in the network; default 5 s. */
  readonly T4: number;
}

/**
 * Why a transaction reached Terminated: `normal` covers every ending the RFC diagrams draw
 * without an error (timers D, I, J, K, L, M, or 0 s on a reliable transport).
 */
export type TerminationReason = 'normal' | 'timeout' | 'transportError' | 'closed';

export type ClientInviteState = 'calling' | 'proceeding' | 'accepted' | 'completed' | 'terminated';
export type ClientNonInviteState = 'trying' | 'proceeding' | 'completed' | 'terminated';
export type ServerInviteState = 'proceeding' | 'completed' | 'confirmed' | 'accepted' | 'terminated';
export type ServerNonInviteState = 'trying' | 'proceeding' | 'completed' | 'terminated';

/** Receives what a client transaction learns. Timeout and transport error let the TU synthesize 408/503 (§8.1.3.1). */
export interface ClientTransactionUser {
  onResponse(resp: SipResponse): void;
  onTimeout(): void;
  onTransportError(err: Error): void;
}

interface TransactionCommon<S extends string> {
  /** The key the layer matches on (branch and method, or the RFC 2543 fields). */
  readonly id: string;
  readonly state: S;
  readonly request: SipRequest;
  /** Called once, when the transaction reaches Terminated. */
  onTerminated: ((reason: TerminationReason) => void) | undefined;
}

interface ClientTransactionCommon<S extends string> extends TransactionCommon<S> {
  /** Where the request (and its retransmissions) go. */
  readonly destination: Endpoint;
}

export interface ClientInviteTransaction extends ClientTransactionCommon<ClientInviteState> {
  readonly kind: 'client-invite';
}

export interface ClientNonInviteTransaction extends ClientTransactionCommon<ClientNonInviteState> {
  readonly kind: 'client-non-invite';
}

export type ClientTransaction = ClientInviteTransaction | ClientNonInviteTransaction;

interface ServerTransactionCommon<S extends string> extends TransactionCommon<S> {
  /** Where the request came from. */
  readonly source: Endpoint;
  /** Where responses go: `responseDestination(request, source)` (§18.2.2, RFC 3581). */
  readonly destination: Endpoint;
  /**
   * Sends a response and moves the state machine. Throws `SIP_TXN_BAD_STATUS` for a status
   * outside 100–699 and `SIP_TXN_ILLEGAL_TRANSITION` when the state accepts no response
   * (a second final response, or any response once terminated).
   */
  respond(resp: SipResponse): void;
}

export interface ServerInviteTransaction extends ServerTransactionCommon<ServerInviteState> {
  readonly kind: 'server-invite';
}

export interface ServerNonInviteTransaction extends ServerTransactionCommon<ServerNonInviteState> {
  readonly kind: 'server-non-invite';
}

export type ServerTransaction = ServerInviteTransaction | ServerNonInviteTransaction;

/** What the layer calls upward (the UA core implements it). */
export interface TransactionCore {
  /** A new request (not ACK, not CANCEL) with the server transaction created for it. */
  onRequest(req: SipRequest, txn: ServerTransaction): void;
  /** An ACK that matched no INVITE server transaction: the ACK for a 2xx (§17.1.1.3, §13.3.1.4). */
  onAck(ack: SipRequest, source: Endpoint): void;
  /**
   * A new CANCEL with its own server transaction, and the INVITE server transaction it
   * targets (§9.2), if one is live. The core answers 200 (or 481) and 487 to the INVITE.
   */
  onCancel(cancel: SipRequest, txn: ServerTransaction, inviteTxn?: ServerInviteTransaction): void;
  /** A response that matched no client transaction, e.g. a 2xx retransmission after Timer M (re-ACK it). */
  onStrayResponse(resp: SipResponse, source: Endpoint): void;
}

export interface TransactionLayerOptions {
  readonly sender: MessageSender;
  readonly clock: Clock;
  readonly logger: Logger;
  /** Defaults: T1 500 ms, T2 4 s, T4 5 s. */
  readonly timers?: TimerValues;
  readonly core: TransactionCore;
}

/** Live transactions by kind, for overload protection and leak checks. */
export interface TransactionStats {
  readonly clientInvite: number;
  readonly clientNonInvite: number;
  readonly serverInvite: number;
  readonly serverNonInvite: number;
  /** Live 2xx retransmitters started through `TransactionLayer.retransmit2xx`. */
  readonly ack2xx: number;
  readonly total: number;
}
