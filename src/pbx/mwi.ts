/**
 * Message-waiting indication (RFC 3842): the lamp on a phone that says a voicemail waits.
 * Two ways, as phones differ:
 * - unsolicited NOTIFYs to every registered contact of the mailbox's extension when the
 *   counts change, and to a phone that registers while a new message waits (most desk
 *   phones light the lamp from these);
 * - subscriptions: a phone SUBSCRIBEs to `message-summary` for its own mailbox, gets an
 *   immediate NOTIFY, one on every change, and a last one when the subscription ends.
 * A contact that holds a subscription gets its NOTIFYs in the subscription only.
 * Subscriptions live in memory: after a restart phones find out with their next refresh.
 */
import {
  createResponse,
  formatUri,
  getHeader,
  newBranch,
  newCallId,
  newTag,
  parseUri,
} from '../sip/message/index.js';
import type { NameAddr, SipRequest, SipUri } from '../sip/message/types.js';
import { contactTarget, sameContactUri, type Binding, type Location } from '../sip/registrar/index.js';
import type { ServerTransaction } from '../sip/transaction/index.js';
import { Dialog } from '../sip/dialog/index.js';
import { trySend, type SipContext } from '../call/index.js';
import type { TimerHandle } from '../platform/clock.js';
import type { Logger } from '../platform/log.js';
import type { MessageCounts } from '../report/voicemail.js';
import {
  acceptsSummary,
  messageSummaryBody,
  MWI_CONTENT_TYPE,
  MWI_EVENT,
  parseEventHeader,
  subscriptionExpiry,
  type ExpiryLimits,
} from './mwi-body.js';
import { MwiSubscription, type SubscriptionOwner } from './mwi-subscription.js';

export interface MwiDeps {
  readonly ctx: SipContext;
  readonly location: Pick<Location, 'lookup' | 'onChange' | 'all'>;
  /** New and heard messages of a mailbox. */
  readonly counts: (mailbox: string) => Promise<MessageCounts>;
  readonly hasMailbox: (mailbox: string) => boolean;
  readonly expiry?: ExpiryLimits;
  /** Wait after a phone registers before its NOTIFY, so the REGISTER's 200 reaches it first. */
  readonly registeredDelayMs?: number;
  readonly logger: Logger;
}

export const DEFAULT_MWI_EXPIRY: ExpiryLimits = { minSeconds: 60, maxSeconds: 3600, defaultSeconds: 3600 };

export class MessageWaiting implements SubscriptionOwner {
  private readonly subscriptions = new Set<MwiSubscription>();
  /** Contacts seen registered per mailbox, to tell a new registration from a refresh. */
  private readonly known = new Map<string, Set<string>>();
  /** Per mailbox, the tail of its queue of updates: NOTIFYs go out in the order counts change. */
  private readonly queues = new Map<string, Promise<void>>();
  private readonly timers = new Set<TimerHandle>();
  private unlisten: (() => void) | undefined;
  private stopped = false;
  private readonly log: Logger;

  constructor(private readonly deps: MwiDeps) {
    this.log = deps.logger.child({ module: 'mwi' });
  }

  get ctx(): SipContext {
    return this.deps.ctx;
  }

  /** Subscriptions alive now. */
  get subscriptionCount(): number {
    return this.subscriptions.size;
  }

  /** Starts watching registrations; contacts registered already are known, not notified. */
  start(): void {
    for (const b of this.deps.location.all()) this.knownOf(b.aor).add(b.contactUri);
    this.unlisten = this.deps.location.onChange((aor, bindings) => this.registrationsChanged(aor, bindings));
  }

  /** Ends every subscription (no NOTIFY: Hotline is going away) and stops watching. */
  stop(): void {
    this.stopped = true;
    this.unlisten?.();
    for (const t of this.timers) t.cancel();
    this.timers.clear();
    for (const sub of [...this.subscriptions]) sub.close();
  }

  /** The mailbox's messages changed: every phone of it and every subscriber hears the counts. */
  mailboxChanged(mailbox: string): Promise<void> {
    return this.enqueue(mailbox, async (body) => {
      for (const sub of this.subscriptionsOf(mailbox)) sub.notify(body);
      for (const b of this.deps.location.lookup(mailbox)) {
        if (!this.subscribed(mailbox, b)) this.sendUnsolicited(mailbox, b, body);
      }
    });
  }

  /** A SUBSCRIBE outside a dialog from `user`, authenticated. The front door checked the Event. */
  subscribe(req: SipRequest, txn: ServerTransaction, user: string): void {
    const reply = (status: number, reason?: string, headers: { name: string; value: string }[] = []) =>
      this.ctx.ua.respond(txn, status, reason, headers);
    const event = parseEventHeader(getHeader(req, 'Event'));
    if (event?.pkg !== MWI_EVENT)
      return reply(489, 'Bad Event', [{ name: 'Allow-Events', value: MWI_EVENT }]);
    const mailbox = req.uri.user ?? req.to.uri.user ?? '';
    if (!this.deps.hasMailbox(mailbox)) return reply(404, 'Not Found');
    // A phone watches its own mailbox only: a lamp is no way to learn about others' calls.
    if (mailbox !== user) return reply(403, 'Forbidden');
    if (!acceptsSummary(getHeader(req, 'Accept'))) {
      return reply(406, 'Not Acceptable', [{ name: 'Accept', value: MWI_CONTENT_TYPE }]);
    }
    const expiry = subscriptionExpiry(getHeader(req, 'Expires'), this.deps.expiry ?? DEFAULT_MWI_EXPIRY);
    if (!expiry.ok) {
      return expiry.status === 423
        ? reply(423, 'Interval Too Brief', [{ name: 'Min-Expires', value: String(expiry.minExpires) }])
        : reply(400, expiry.reason);
    }
    const dialog = this.uasDialog(req, txn);
    const sub = new MwiSubscription(this, dialog, mailbox, event.id);
    this.subscriptions.add(sub);
    this.ctx.ua.addDialog(dialog.key, sub);
    sub.extend(expiry.seconds);
    txn.respond(this.okResponse(req, dialog, expiry.seconds));
    this.log.info({ mailbox, expires: expiry.seconds, address: txn.source.address }, 'MWI subscription');
    this.sendState(sub, expiry.seconds === 0);
  }

  // --- SubscriptionOwner ---------------------------------------------------------------

  refreshed(sub: MwiSubscription, req: SipRequest, txn: ServerTransaction): void {
    const event = parseEventHeader(getHeader(req, 'Event'));
    if (event?.pkg !== MWI_EVENT) {
      txn.respond(createResponse(req, 489, 'Bad Event', { headers: [this.ctx.serverHeader] }));
      return;
    }
    const expiry = subscriptionExpiry(getHeader(req, 'Expires'), this.deps.expiry ?? DEFAULT_MWI_EXPIRY);
    if (!expiry.ok) {
      const extra = expiry.status === 423 ? [{ name: 'Min-Expires', value: String(expiry.minExpires) }] : [];
      const reason = expiry.status === 423 ? 'Interval Too Brief' : expiry.reason;
      txn.respond(createResponse(req, expiry.status, reason, { headers: [this.ctx.serverHeader, ...extra] }));
      return;
    }
    sub.extend(expiry.seconds);
    txn.respond(this.okResponse(req, sub.dialog, expiry.seconds));
    this.sendState(sub, expiry.seconds === 0);
  }

  expired(sub: MwiSubscription): void {
    this.sendState(sub, true);
  }

  removed(sub: MwiSubscription): void {
    this.subscriptions.delete(sub);
  }

  // --- internals -----------------------------------------------------------------------

  /** The counts now, to one subscription: active, or its last NOTIFY. */
  private sendState(sub: MwiSubscription, last: boolean): void {
    void this.enqueue(sub.mailbox, async (body) => {
      if (sub.isClosed) return;
      if (last) sub.terminate(body, 'timeout');
      else sub.notify(body);
    });
  }

  /** Runs `send` with the mailbox's body once earlier updates of it are out. */
  private enqueue(
    mailbox: string,
    send: (body: string, counts: MessageCounts) => Promise<void>,
  ): Promise<void> {
    const previous = this.queues.get(mailbox) ?? Promise.resolve();
    const next = previous.then(async () => {
      if (this.stopped) return;
      try {
        const counts = await this.deps.counts(mailbox);
        await send(messageSummaryBody(counts, this.account(mailbox)), counts);
      } catch (err) {
        this.log.error({ err, mailbox }, 'message-waiting state could not be sent');
      }
    });
    this.queues.set(mailbox, next);
    void next.then(() => {
      if (this.queues.get(mailbox) === next) this.queues.delete(mailbox);
    });
    return next;
  }

  private registrationsChanged(aor: string, bindings: readonly Binding[]): void {
    if (!this.deps.hasMailbox(aor)) return;
    const known = this.knownOf(aor);
    const added = bindings.filter((b) => !known.has(b.contactUri));
    this.known.set(aor, new Set(bindings.map((b) => b.contactUri)));
    if (bindings.length === 0) this.known.delete(aor);
    if (added.length === 0 || this.stopped) return;
    const timer = this.ctx.clock.setTimer(this.deps.registeredDelayMs ?? 100, () => {
      this.timers.delete(timer);
      void this.enqueue(aor, async (body, counts) => {
        // A phone that just registered shows no lamp: it needs telling only when one should be lit.
        if (counts.newCount === 0) return;
        for (const b of added) if (!this.subscribed(aor, b)) this.sendUnsolicited(aor, b, body);
      });
    });
    this.timers.add(timer);
  }

  private knownOf(aor: string): Set<string> {
    let set = this.known.get(aor);
    if (!set) this.known.set(aor, (set = new Set()));
    return set;
  }

  private *subscriptionsOf(mailbox: string): Iterable<MwiSubscription> {
    for (const sub of this.subscriptions) if (sub.mailbox === mailbox && !sub.isClosed) yield sub;
  }

  /** Whether the contact already hears this mailbox through a subscription of its own. */
  private subscribed(mailbox: string, b: Binding): boolean {
    for (const sub of this.subscriptionsOf(mailbox)) {
      if (sameContactUri(formatUri(sub.dialog.remoteTarget), b.contactUri)) return true;
    }
    return false;
  }

  private account(mailbox: string): string {
    return `sip:${mailbox}@${this.ctx.domain}`;
  }

  private uasDialog(req: SipRequest, txn: ServerTransaction): Dialog {
    const local = this.ctx.localAddress(txn.source.transport);
    return Dialog.asUas(req, newTag(), this.contact(req.uri.user, txn.source.transport), txn.source, {
      transport: txn.source.transport,
      host: local.host,
      port: local.port,
    });
  }

  private contact(user: string | undefined, transport: Binding['source']['transport']): NameAddr {
    const local = this.ctx.localAddress(transport);
    const uri: SipUri = {
      scheme: 'sip',
      ...(user ? { user } : {}),
      host: local.host,
      port: local.port,
      params: transport === 'UDP' ? {} : { transport: transport.toLowerCase() },
      headers: {},
    };
    return { uri, params: {} };
  }

  /** RFC 6665 §4.2.1.1: 200 (not the 202 of RFC 3265) with the Expires granted and a Contact. */
  private okResponse(req: SipRequest, dialog: Dialog, seconds: number) {
    return createResponse(req, 200, 'OK', {
      toTag: dialog.localTag,
      contacts: [dialog.localContact],
      headers: [this.ctx.serverHeader, { name: 'Expires', value: String(seconds) }],
    });
  }

  /** A NOTIFY outside any subscription (unsolicited MWI), as most desk phones take them. */
  private sendUnsolicited(mailbox: string, b: Binding, body: string): void {
    const parsed = parseUri(b.contactUri);
    if (!parsed.ok) return;
    const transport = b.source.transport;
    const local = this.ctx.localAddress(transport);
    const aor: SipUri = { scheme: 'sip', user: mailbox, host: this.ctx.domain, params: {}, headers: {} };
    const req: SipRequest = {
      kind: 'request',
      method: 'NOTIFY',
      uri: parsed.value,
      vias: [{ transport, host: local.host, port: local.port, params: { branch: newBranch(), rport: null } }],
      from: { uri: aor, params: { tag: newTag() } },
      to: { uri: aor, params: {} },
      callId: newCallId(),
      cseq: { seq: 1, method: 'NOTIFY' },
      maxForwards: 70,
      contacts: [this.contact(mailbox, transport)],
      routes: [],
      recordRoutes: [],
      contentType: MWI_CONTENT_TYPE,
      headers: [
        { name: 'Event', value: MWI_EVENT },
        // No subscription backs it; "active" is what phones that take unsolicited MWI expect.
        { name: 'Subscription-State', value: 'active' },
        { name: 'User-Agent', value: this.ctx.serverHeader.value },
      ],
      body: Buffer.from(body),
    };
    trySend(this.ctx, req, contactTarget(b, parsed.value), (status) => this.notified(mailbox, b, status), {
      onResponse: (resp) => {
        if (resp.status >= 200) this.notified(mailbox, b, resp.status);
      },
      onTimeout: () => this.notified(mailbox, b, 408),
      onTransportError: () => this.notified(mailbox, b, 503),
    });
  }

  private notified(mailbox: string, b: Binding, status: number): void {
    const level = status < 300 ? 'debug' : 'info';
    this.log[level]({ mailbox, contact: b.contactUri, status }, 'unsolicited MWI NOTIFY answered');
  }
}
