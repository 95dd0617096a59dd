import type { Logger } from '../../platform/log.js';
import { createResponse, newTag } from '../message/index.js';
import type { Endpoint, Header, SipRequest, SipResponse } from '../message/types.js';
import type { MessageSender } from '../transport/types.js';
import type { ServerInviteTransaction, ServerTransaction, TransactionCore } from '../transaction/index.js';
import { dialogKey } from '../dialog/index.js';

/** What owns a dialog (a call leg): receives the requests and ACKs that belong to it. */
export interface DialogUsage {
  onRequest(req: SipRequest, txn: ServerTransaction): void;
  onAck(ack: SipRequest, source: Endpoint): void;
  /** A 2xx retransmission after our INVITE transaction ended: the ACK was lost, send it again. */
  onRetransmitted2xx(resp: SipResponse): void;
}

/** Receives requests outside any dialog (INVITE, REGISTER, OPTIONS, …). */
export interface OutOfDialogHandler {
  onRequest(req: SipRequest, txn: ServerTransaction): void;
}

/** A pending incoming INVITE that a CANCEL may end. */
export interface CancelTarget {
  onCancel(cancel: SipRequest): void;
}

/**
 * The UA core (RFC 3261 §8.2, §12.2.2): sends each request to the dialog it belongs to,
 * answers 481 when there is none, and turns CANCELs into a 200 plus a call to whoever is
 * handling the INVITE. It knows nothing of calls.
 */
export class UserAgentCore implements TransactionCore {
  private readonly usages = new Map<string, DialogUsage>();
  private readonly cancelTargets = new WeakMap<ServerInviteTransaction, CancelTarget>();
  private handler: OutOfDialogHandler | undefined;

  constructor(
    private readonly sender: MessageSender,
    private readonly logger: Logger,
    private readonly serverHeader: Header,
  ) {}

  setHandler(handler: OutOfDialogHandler): void {
    this.handler = handler;
  }

  addDialog(key: string, usage: DialogUsage): void {
    this.usages.set(key, usage);
  }

  removeDialog(key: string): void {
    this.usages.delete(key);
  }

  get dialogCount(): number {
    return this.usages.size;
  }

  /** Registers who handles a CANCEL for this INVITE until it gets a final response. */
  onCancelOf(txn: ServerInviteTransaction, target: CancelTarget): void {
    this.cancelTargets.set(txn, target);
  }

  /**
   * Once the INVITE has a final response a CANCEL can no longer apply (§9.2). Forgetting the
   * target then matters for memory: the transaction lingers 32 s after a 2xx (RFC 6026), and
   * the target would keep the whole call reachable that long.
   */
  forgetCancelOf(txn: ServerInviteTransaction): void {
    this.cancelTargets.delete(txn);
  }

  respond(txn: ServerTransaction, status: number, reason?: string, headers: Header[] = []): void {
    // §8.2.6.2: a UAS adds a To tag to every response but 100 that does not already have one.
    const toTag = status > 100 && !txn.request.to.params.tag ? { toTag: newTag() } : {};
    txn.respond(
      createResponse(txn.request, status, reason, { ...toTag, headers: [this.serverHeader, ...headers] }),
    );
  }

  onRequest(req: SipRequest, txn: ServerTransaction): void {
    // §16.3 step 3 / §8.2: a request that has run out of hops.
    if (req.maxForwards === 0 && req.method !== 'ACK') return this.respond(txn, 483);
    const toTag = req.to.params.tag;
    if (toTag) {
      const usage = this.usages.get(dialogKey(req.callId, toTag, req.from.params.tag ?? ''));
      if (!usage) return this.respond(txn, 481);
      usage.onRequest(req, txn);
      return;
    }
    if (!this.handler) return this.respond(txn, 503);
    this.handler.onRequest(req, txn);
  }

  onAck(ack: SipRequest, source: Endpoint): void {
    const toTag = ack.to.params.tag;
    if (!toTag) return;
    this.usages.get(dialogKey(ack.callId, toTag, ack.from.params.tag ?? ''))?.onAck(ack, source);
  }

  onCancel(cancel: SipRequest, txn: ServerTransaction, inviteTxn?: ServerInviteTransaction): void {
    // §9.2: no matching INVITE transaction → 481; otherwise 200 to the CANCEL, and the
    // handler of the INVITE answers it with 487 if it has not answered yet.
    const target = inviteTxn ? this.cancelTargets.get(inviteTxn) : undefined;
    if (!target) return this.respond(txn, 481);
    this.respond(txn, 200);
    target.onCancel(cancel);
  }

  onStrayResponse(resp: SipResponse, source: Endpoint): void {
    if (resp.cseq.method !== 'INVITE' || resp.status < 200 || resp.status >= 300) return;
    const usage = this.usages.get(
      dialogKey(resp.callId, resp.from.params.tag ?? '', resp.to.params.tag ?? ''),
    );
    if (usage) usage.onRetransmitted2xx(resp);
    else this.logger.debug({ callId: resp.callId, address: source.address }, '2xx for no dialog dropped');
  }
}
