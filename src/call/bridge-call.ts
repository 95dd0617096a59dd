import type { TimerHandle } from '../platform/clock.js';
import type { Logger } from '../platform/log.js';
import type { CdrStore } from '../report/cdr.js';
import type { Endpoint, NameAddr, SipRequest, SipUri } from '../sip/message/types.js';
import type { ServerInviteTransaction, ServerTransaction } from '../sip/transaction/index.js';
import { CallRecord, dispositionOf } from './call-record.js';
import type { SipContext } from './context.js';
import { InboundLeg, type EndCause } from './inbound-leg.js';
import { MediaAnchor, readSdp, type MediaAddress, type MediaPort } from './media-anchor.js';
import { OutboundLeg } from './outbound-leg.js';
import { relayInDialog, type Peer } from './relay-request.js';

export interface BridgeDeps {
  readonly ctx: SipContext;
  readonly media: MediaPort;
  readonly mediaAddress: MediaAddress;
  readonly cdrs: CdrStore;
  readonly noAnswerTimeoutMs: number;
  readonly onEnded: () => void;
}

/** One registered contact of the callee. */
export interface CalleeContact {
  readonly requestUri: SipUri;
  readonly dest: Endpoint;
}

export interface BridgeRequest {
  readonly invite: SipRequest;
  readonly txn: ServerInviteTransaction;
  readonly caller: { readonly number: string; readonly name?: string };
  readonly callee: string;
  readonly contacts: readonly CalleeContact[];
}

/**
 * A back-to-back call between two parties (the B2BUA): the caller's inbound leg, one
 * outbound leg per registered contact of the callee (rung in parallel; the first to answer
 * wins), and two relay endpoints that anchor the audio. Owns all of them; `end` is idempotent.
 */
export class BridgeCall {
  readonly a: InboundLeg;
  private forks: OutboundLeg[] = [];
  private b: OutboundLeg | undefined;
  private anchorA: MediaAnchor | undefined;
  private anchorB: MediaAnchor | undefined;
  private noAnswer: TimerHandle | undefined;
  private readonly failures: number[] = [];
  private readonly record: CallRecord;
  private ended = false;
  private readonly log: Logger;

  constructor(
    private readonly deps: BridgeDeps,
    private readonly req: BridgeRequest,
  ) {
    const { ctx } = deps;
    this.log = ctx.logger.child({ callId: req.invite.callId, caller: req.caller.number, callee: req.callee });
    this.record = new CallRecord(
      deps.cdrs,
      this.log,
      req.invite.callId,
      req.caller.number,
      req.callee,
      ctx.clock.now(),
    );
    this.a = new InboundLeg(ctx, req.invite, req.txn, {
      onCancel: () => this.end('cancelled', 'caller', 487),
      onEnd: (cause) => this.legEnded('caller', cause),
      onRequest: (r, txn) => this.relay(this.peerA(), this.peerB(), r, txn),
    });
  }

  async start(): Promise<void> {
    const offer = readSdp(this.req.invite.body);
    if (!offer.ok) {
      this.a.reject(488, 'Not Acceptable Here');
      this.finishUnanswered(488, offer.reason);
      return;
    }
    try {
      this.anchorA = await MediaAnchor.open(this.deps.media, this.deps.mediaAddress);
      this.anchorB = await MediaAnchor.open(this.deps.media, this.deps.mediaAddress, this.anchorA);
      await this.anchorA.follow(offer.sdp);
      await this.deps.media.connect(this.anchorA.endpoint.id, this.anchorB.endpoint.id);
    } catch (err) {
      this.log.error({ err }, 'no media for call');
      this.a.reject(503, 'No Media Resources');
      this.finishUnanswered(503, 'no media resources');
      this.closeMedia(); // an endpoint created before the failure, if the call had already ended
      return;
    }
    // Cancelled while media was set up: end() ran before the endpoints existed.
    if (this.ended) return this.closeMedia();
    const sdpForB = this.anchorB.present(offer.sdp);
    const from: NameAddr = {
      ...(this.req.caller.name ? { displayName: this.req.caller.name } : {}),
      uri: {
        scheme: 'sip',
        user: this.req.caller.number,
        host: this.deps.ctx.domain,
        params: {},
        headers: {},
      },
      params: {},
    };
    const to: NameAddr = {
      uri: { scheme: 'sip', user: this.req.callee, host: this.deps.ctx.domain, params: {}, headers: {} },
      params: {},
    };
    for (const contact of this.req.contacts) {
      const leg: OutboundLeg = new OutboundLeg(
        this.deps.ctx,
        { requestUri: contact.requestUri, dest: contact.dest, from, to, sdp: sdpForB },
        {
          onProgress: (_status, sdp) => this.progress(sdp),
          onAnswer: (sdp) => void this.answered(leg, sdp),
          onFailure: (status, reason) => this.forkFailed(leg, status, reason),
          // A losing fork that answered anyway is hung up; only the winner's end ends the call.
          onEnd: (cause) => {
            if (leg === this.b) this.legEnded('callee', cause);
          },
          onRequest: (r, txn) => this.relay(this.peerB(), this.peerA(), r, txn),
        },
      );
      this.forks.push(leg);
      leg.start();
    }
    this.noAnswer = this.deps.ctx.clock.setTimer(this.deps.noAnswerTimeoutMs, () => this.timedOut());
  }

  private peerA(): Peer | undefined {
    return this.anchorA ? { leg: this.a, anchor: this.anchorA } : undefined;
  }

  private peerB(): Peer | undefined {
    return this.b && this.anchorB ? { leg: this.b, anchor: this.anchorB } : undefined;
  }

  private progress(sdp: Buffer | undefined): void {
    if (this.ended || this.b) return;
    // Early media (183 with SDP) is passed on only from a single contact: with several ringing
    // at once there is no telling whose audio the caller should hear.
    const early = sdp && this.forks.length === 1 ? readSdp(sdp) : undefined;
    if (early?.ok && this.anchorA && this.anchorB) {
      void this.anchorB.follow(early.sdp);
      this.a.ring(this.anchorA.present(early.sdp));
    } else if (this.a.current === 'offered') {
      this.a.ring();
    }
  }

  private async answered(leg: OutboundLeg, sdp: Buffer | undefined): Promise<void> {
    if (this.ended || this.b) {
      leg.hangup(); // another contact answered first, or the caller is gone
      return;
    }
    this.b = leg;
    this.noAnswer?.cancel();
    for (const other of this.forks) if (other !== leg) other.hangup();
    this.forks = [leg];
    const answer = sdp ? readSdp(sdp) : undefined;
    if (!answer?.ok || !this.anchorA || !this.anchorB) {
      this.log.warn(
        { reason: answer && !answer.ok ? answer.reason : 'no SDP answer' },
        'callee answered without usable SDP',
      );
      // The caller is refused first: end() then hangs up the callee (a BYE), whose onEnd
      // would otherwise end the call as answered and refuse the caller with 480.
      this.a.reject(488, 'Not Acceptable Here');
      this.finishUnanswered(488, 'callee SDP unusable');
      return;
    }
    await this.anchorB.follow(answer.sdp);
    if (this.ended) return;
    this.record.answered(this.deps.ctx.clock.now());
    this.a.answer(this.anchorA.present(answer.sdp));
    this.log.info('call answered');
  }

  private forkFailed(leg: OutboundLeg, status: number, reason: string): void {
    this.failures.push(status);
    this.forks = this.forks.filter((f) => f !== leg);
    if (this.ended || this.b || this.forks.length > 0) return;
    // §16.7 step 6 in spirit: a busy answer from any contact is what the caller hears.
    const chosen = this.failures.includes(486) ? 486 : status === 408 ? 480 : status;
    this.a.reject(chosen, chosen === status ? reason : undefined);
    this.finishUnanswered(chosen, reason);
  }

  private timedOut(): void {
    if (this.ended || this.b) return;
    this.log.info('no answer');
    this.a.reject(480, 'No Answer');
    this.finishUnanswered(480, 'no answer timeout');
  }

  private legEnded(side: 'caller' | 'callee', cause: EndCause): void {
    if (this.ended) return;
    const by = cause === 'remote' ? side : 'system';
    this.end('answered', by, 200, cause === 'ack-timeout' ? 'no ACK' : undefined);
  }

  private relay(from: Peer | undefined, to: Peer | undefined, req: SipRequest, txn: ServerTransaction): void {
    relayInDialog(this.deps.ctx, from, to, req, txn, this.log);
  }

  private finishUnanswered(status: number, reason: string): void {
    this.end(dispositionOf(status), status === 487 ? 'caller' : 'system', status, reason);
  }

  private closeMedia(): void {
    void this.anchorA?.close();
    void this.anchorB?.close();
  }

  /** Ends everything this call owns and writes its CDR. Idempotent. */
  end(
    disposition: Parameters<CallRecord['finish']>[1],
    by: Parameters<CallRecord['finish']>[2],
    cause: number,
    reason?: string,
  ): void {
    if (this.ended) return;
    this.ended = true;
    this.noAnswer?.cancel();
    for (const leg of this.forks) leg.hangup();
    this.a.hangup();
    this.closeMedia();
    this.record.finish(this.deps.ctx.clock.now(), disposition, by, cause, reason);
    this.log.info({ disposition, by, cause }, 'call ended');
    this.deps.onEnded();
  }
}
