/**
 * The transaction layer (RFC 3261 §17): matches incoming messages to transactions
 * (§17.1.3, §17.2.3), creates server transactions for new requests, hands the UA core
 * what belongs to no transaction (the ACK for a 2xx, stray responses), and sends CANCELs
 * (§9.1). One Map per transaction kind, keyed by strings; a transaction removes itself
 * from its map on reaching Terminated.
 */
import type { Logger } from '../../platform/log.js';
import type { Endpoint, Header, SipMessage, SipRequest, SipResponse } from '../message/types.js';
import type { MessageSender } from '../transport/types.js';
import { Ack2xxRetransmitter, type Ack2xxOwner } from './ack-2xx.js';
import { buildCancel } from './build.js';
import { ClientInviteTxn } from './client-invite.js';
import { ClientNonInviteTxn } from './client-non-invite.js';
import { TransactionError } from './errors.js';
import { clientKey, serverKey, serverKeyPrefix } from './keys.js';
import { ServerInviteTxn } from './server-invite.js';
import { ServerNonInviteTxn } from './server-non-invite.js';
import { DEFAULT_TIMERS } from './timers.js';
import type { AnyTransaction, CancellableInvite, TransactionEnv, TransactionHost } from './transaction.js';
import type {
  ClientTransaction,
  ClientTransactionUser,
  ServerInviteTransaction,
  TransactionCore,
  TransactionLayerOptions,
  TransactionStats,
  TimerValues,
} from './types.js';

/** The user of every CANCEL client transaction: its outcome matters only through the INVITE's. */
class CancelUser implements ClientTransactionUser {
  constructor(private readonly logger: Logger) {}
  onResponse(resp: SipResponse): void {
    if (resp.status >= 300) this.logger.debug({ callId: resp.callId, status: resp.status }, 'CANCEL refused');
  }
  onTimeout(): void {
    this.logger.debug('CANCEL timed out');
  }
  onTransportError(err: Error): void {
    this.logger.warn({ err }, 'CANCEL not sent');
  }
}

export class TransactionLayer {
  readonly timers: TimerValues;
  private readonly sender: MessageSender;
  private readonly logger: Logger;
  private readonly core: TransactionCore;
  private readonly env: TransactionEnv;
  private readonly cancelUser: CancelUser;
  private readonly ack2xxOwner: Ack2xxOwner;
  private readonly clientInvites = new Map<string, ClientInviteTxn>();
  private readonly clientNonInvites = new Map<string, ClientNonInviteTxn>();
  private readonly serverInvites = new Map<string, ServerInviteTxn>();
  private readonly serverNonInvites = new Map<string, ServerNonInviteTxn>();
  private readonly retransmitters = new Set<Ack2xxRetransmitter>();
  private closed = false;

  constructor(options: TransactionLayerOptions) {
    this.timers = options.timers ?? DEFAULT_TIMERS;
    this.sender = options.sender;
    this.logger = options.logger;
    this.core = options.core;
    this.cancelUser = new CancelUser(options.logger);
    const host: TransactionHost = {
      transactionTerminated: (txn) => this.forget(txn),
      sendCancel: (txn) => this.sendCancelFor(txn),
      ackInAccepted: (ack, source) => this.core.onAck(ack, source),
    };
    this.ack2xxOwner = { ack2xxFinished: (r) => void this.retransmitters.delete(r) };
    this.env = {
      sender: options.sender,
      clock: options.clock,
      logger: options.logger,
      timers: this.timers,
      host,
    };
  }

  /** Entry point for every parsed message from the transport layer. */
  receive(msg: SipMessage, source: Endpoint): void {
    if (this.closed) return;
    if (msg.kind === 'response') this.receiveResponse(msg, source);
    else this.receiveRequest(msg, source);
  }

  /**
   * Starts a client transaction and sends `req` (which must carry a unique branch in its
   * top Via). Throws SIP_TXN_ACK_NOT_TRANSACTION for an ACK (send it with `sendStateless`),
   * SIP_TXN_NO_BRANCH, SIP_TXN_DUPLICATE_BRANCH, or SIP_TXN_CLOSED.
   */
  sendRequest(req: SipRequest, dest: Endpoint, user: ClientTransactionUser): ClientTransaction {
    if (this.closed) throw new TransactionError('SIP_TXN_CLOSED', 'transaction layer is closed');
    if (req.method === 'ACK') {
      throw new TransactionError('SIP_TXN_ACK_NOT_TRANSACTION', 'an ACK is not sent in a transaction', {
        callId: req.callId,
      });
    }
    const branch = req.vias[0]?.params.branch;
    if (!branch) {
      throw new TransactionError('SIP_TXN_NO_BRANCH', 'request has no top Via branch', {
        callId: req.callId,
      });
    }
    const key = clientKey(branch, req.method);
    const invite = req.method === 'INVITE';
    if ((invite ? this.clientInvites : this.clientNonInvites).has(key)) {
      throw new TransactionError(
        'SIP_TXN_DUPLICATE_BRANCH',
        'a client transaction already uses this branch',
        {
          branch,
          method: req.method,
        },
      );
    }
    if (invite) {
      const txn = new ClientInviteTxn(this.env, key, req, dest, user);
      this.clientInvites.set(key, txn);
      txn.start();
      return txn;
    }
    const txn = new ClientNonInviteTxn(this.env, key, req, dest, user);
    this.clientNonInvites.set(key, txn);
    txn.start();
    return txn;
  }

  /**
   * Cancels an INVITE (§9.1): the CANCEL goes once a provisional has arrived (at once if
   * one has), never after a final response. `headers` are added to the CANCEL (e.g. Reason).
   * Does nothing for a terminated transaction or a non-INVITE one (§9.1: CANCEL SHOULD NOT
   * be sent for those).
   */
  cancel(txn: ClientTransaction, headers: readonly Header[] = []): void {
    if (txn.kind !== 'client-invite') return;
    this.clientInvites.get(txn.id)?.requestCancel(headers);
  }

  /** Sends outside any transaction: the ACK for a 2xx (§13.2.2.4), or a stateless response. */
  sendStateless(msg: SipMessage, dest: Endpoint, onError?: (err: Error) => void): void {
    this.sender.send(msg, dest, onError);
  }

  /**
   * Starts the §13.3.1.4 retransmission of a 2xx already sent through `txn.respond()`.
   * Call `ack()` on the result when the ACK arrives; `onTimeout` runs after 64*T1 without one.
   */
  retransmit2xx(
    txn: ServerInviteTransaction,
    response: SipResponse,
    onTimeout: () => void,
  ): Ack2xxRetransmitter {
    if (this.closed) throw new TransactionError('SIP_TXN_CLOSED', 'transaction layer is closed');
    const retransmitter = new Ack2xxRetransmitter(
      {
        sender: this.sender,
        clock: this.env.clock,
        logger: this.logger,
        timers: this.timers,
        response,
        destination: txn.destination,
        onTimeout,
      },
      this.ack2xxOwner,
    );
    this.retransmitters.add(retransmitter);
    return retransmitter;
  }

  stats(): TransactionStats {
    const clientInvite = this.clientInvites.size;
    const clientNonInvite = this.clientNonInvites.size;
    const serverInvite = this.serverInvites.size;
    const serverNonInvite = this.serverNonInvites.size;
    const ack2xx = this.retransmitters.size;
    const total = clientInvite + clientNonInvite + serverInvite + serverNonInvite + ack2xx;
    return { clientInvite, clientNonInvite, serverInvite, serverNonInvite, ack2xx, total };
  }

  /** Ends every transaction and retransmitter and cancels every timer. Idempotent. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    for (const map of [
      this.clientInvites,
      this.clientNonInvites,
      this.serverInvites,
      this.serverNonInvites,
    ]) {
      for (const txn of [...map.values()]) txn.close();
    }
    for (const retransmitter of [...this.retransmitters]) retransmitter.stop();
  }

  private receiveResponse(resp: SipResponse, source: Endpoint): void {
    // §17.1.3: top Via branch and CSeq method.
    const branch = resp.vias[0]?.params.branch;
    const method = resp.cseq.method;
    if (branch) {
      const key = clientKey(branch, method);
      const txn = method === 'INVITE' ? this.clientInvites.get(key) : this.clientNonInvites.get(key);
      if (txn !== undefined) {
        txn.receiveResponse(resp);
        return;
      }
    }
    this.core.onStrayResponse(resp, source);
  }

  private receiveRequest(req: SipRequest, source: Endpoint): void {
    const prefix = serverKeyPrefix(req);
    if (prefix === undefined) {
      this.logger.warn({ callId: req.callId, method: req.method }, 'request without Via dropped');
      return;
    }
    if (req.method === 'ACK') return this.receiveAck(req, prefix, source);
    const invite = req.method === 'INVITE';
    const key = serverKey(prefix, req.method);
    const existing = invite ? this.serverInvites.get(key) : this.serverNonInvites.get(key);
    if (existing !== undefined) {
      existing.receiveRetransmission();
      return;
    }
    if (invite) {
      const txn = new ServerInviteTxn(this.env, key, req, source);
      this.serverInvites.set(key, txn);
      txn.start();
      this.core.onRequest(req, txn);
      return;
    }
    const txn = new ServerNonInviteTxn(this.env, key, req, source);
    this.serverNonInvites.set(key, txn);
    if (req.method === 'CANCEL') {
      // §9.2: the CANCEL's target is the INVITE server transaction with the same key but for the method.
      this.core.onCancel(req, txn, this.serverInvites.get(serverKey(prefix, 'INVITE')));
      return;
    }
    this.core.onRequest(req, txn);
  }

  /** §17.2.3: an ACK matches the INVITE transaction it acknowledges; otherwise it is the ACK for a 2xx. */
  private receiveAck(ack: SipRequest, prefix: string, source: Endpoint): void {
    const txn = this.serverInvites.get(serverKey(prefix, 'INVITE'));
    if (txn !== undefined) txn.receiveAck(ack, source);
    else this.core.onAck(ack, source);
  }

  private sendCancelFor(invite: CancellableInvite): void {
    if (this.closed) return;
    const cancel = buildCancel(invite.request, invite.cancelHeaders);
    const key = clientKey(cancel.vias[0]?.params.branch ?? '', 'CANCEL');
    if (this.clientNonInvites.has(key)) return;
    const txn = new ClientNonInviteTxn(this.env, key, cancel, invite.destination, this.cancelUser);
    this.clientNonInvites.set(key, txn);
    txn.start();
  }

  private forget(txn: AnyTransaction): void {
    const map = this.mapOf(txn.kind);
    if (map.get(txn.id) === txn) map.delete(txn.id);
  }

  private mapOf(kind: AnyTransaction['kind']): Map<string, AnyTransaction> {
    switch (kind) {
      case 'client-invite':
        return this.clientInvites;
      case 'client-non-invite':
        return this.clientNonInvites;
      case 'server-invite':
        return this.serverInvites;
      case 'server-non-invite':
        return this.serverNonInvites;
    }
  }
}
