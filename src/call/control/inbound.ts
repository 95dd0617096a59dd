import {
  acceptAnswer,
  answerOffer,
  createOffer,
  formatSdp,
  parseSdp,
  type EndpointInfo,
  type SessionDescription,
} from '../../media/index.js';
import type { DialogId } from '../../sip/dialog/index.js';
import type { SipRequest } from '../../sip/message/types.js';
import type { ServerInviteTransaction } from '../../sip/transaction/index.js';
import { InboundLeg } from '../inbound-leg.js';
import { readSdp } from '../media-anchor.js';
import { Leg, type LegDeps, type SipSide } from './leg.js';
import type { MediaAddress, Party } from './types.js';

export type InboundResult =
  | { readonly ok: true; readonly leg: InboundCallLeg }
  | {
      readonly ok: false;
      readonly status: number;
      readonly reason: string;
      /** `remote` when the caller gave up (CANCEL) before the leg was set up. */
      readonly by: 'remote' | 'system';
    };

/**
 * A leg for an INVITE Hotline received: the offer is answered from our own endpoint at once
 * (so early media can flow), and the answer SDP goes out with 183 or 200.
 *
 * An INVITE without SDP (late offer, RFC 3261 §13.2.1, common from carriers and gateways)
 * gets our offer in the 200 and its answer in the ACK; until then there is no early media
 * (a 183 would need reliable provisional responses) and the leg's audio starts at the ACK.
 */
export class InboundCallLeg extends Leg {
  private readonly sipLeg: InboundLeg;
  private answerSdp: Buffer | undefined;
  /** Our offer in the 200 while an INVITE without SDP waits for its answer in the ACK. */
  private lateOffer: SessionDescription | undefined;
  /** Settles when the ACK's answer is applied (or the leg ends): plays wait for it. */
  private lateMedia: { promise: Promise<void>; resolve: () => void; settled: boolean } | undefined;

  private constructor(
    deps: LegDeps,
    party: Party,
    endpoint: EndpointInfo,
    callId: string,
    readonly invite: SipRequest,
    txn: ServerInviteTransaction,
  ) {
    super(deps, party, endpoint, callId);
    this.sipLeg = new InboundLeg(deps.ctx, invite, txn, {
      onCancel: () => this.finish({ by: 'remote', status: 487, reason: 'cancelled' }),
      onEnd: (cause) => {
        if (cause === 'local') return; // our own hangup: finish() already ran
        this.finish(
          cause === 'remote'
            ? { by: 'remote', status: 200 }
            : { by: 'system', status: 200, reason: cause === 'ack-timeout' ? 'no ACK' : cause },
        );
      },
      onRequest: (req, t) => this.inDialog(req, t),
      onAck: (ack) => this.ackAnswer(ack),
    });
  }

  /**
   * Takes an INVITE: opens an endpoint and answers its SDP offer. On failure the INVITE is
   * refused here (488 for SDP Hotline cannot use, 503 when no media port is free).
   */
  static async accept(
    deps: LegDeps,
    addr: MediaAddress,
    invite: SipRequest,
    txn: ServerInviteTransaction,
    party: Party,
    callId: string,
  ): Promise<InboundResult> {
    const refuse = (status: number, reason: string, phrase: string): InboundResult => {
      deps.ctx.ua.forgetCancelOf(txn);
      deps.ctx.ua.respond(txn, status, phrase, [{ name: 'Warning', value: `399 hotline "${reason}"` }]);
      return { ok: false, status, reason, by: 'system' };
    };
    const cancelled: InboundResult = { ok: false, status: 487, reason: 'cancelled', by: 'remote' };
    const late = invite.body.length === 0;
    const offer = late ? undefined : readSdp(invite.body);
    if (offer && !offer.ok) return refuse(488, offer.reason, 'Not Acceptable Here');
    // §9.2: a CANCEL may come while the endpoint is being opened, before the leg exists.
    let gaveUp = false;
    deps.ctx.ua.onCancelOf(txn, {
      onCancel: () => {
        gaveUp = true;
        deps.ctx.ua.forgetCancelOf(txn);
        deps.ctx.ua.respond(txn, 487, 'Request Terminated');
      },
    });
    let endpoint: EndpointInfo;
    try {
      endpoint = await deps.media.createEndpoint({
        bindAddress: addr.bindAddress,
        advertisedAddress: addr.advertisedAddress,
      });
    } catch (err) {
      if (gaveUp) return cancelled;
      deps.logger.error({ err, sipCallId: invite.callId }, 'no media for call');
      return refuse(503, 'no media resources', 'Service Unavailable');
    }
    if (gaveUp) {
      await deps.media
        .close(endpoint.id)
        .catch((err: unknown) => deps.logger.warn({ err }, 'media close failed'));
      return cancelled;
    }
    const leg = new InboundCallLeg(deps, party, endpoint, callId, invite, txn);
    const problem = offer ? await leg.negotiate(offer.sdp) : leg.offerLate();
    // Cancelled while the media was set up: the leg has ended (487 sent, endpoint released).
    if (leg.isEnded) return cancelled;
    if (problem !== null) {
      leg.sipLeg.reject(488, 'Not Acceptable Here', [{ name: 'Warning', value: `399 hotline "${problem}"` }]);
      leg.finish({ by: 'system', status: 488, reason: problem });
      return { ok: false, status: 488, reason: problem, by: 'system' };
    }
    return { ok: true, leg };
  }

  private async negotiate(offer: SessionDescription): Promise<string | null> {
    const result = answerOffer(this.session, offer, this.localMedia());
    if (!result.ok) return result.reason;
    try {
      await this.applyMedia(result.format, result.remote);
    } catch (err) {
      this.log.error({ err }, 'media setup failed');
      return 'media setup failed';
    }
    this.answerSdp = Buffer.from(formatSdp(result.answer));
    return null;
  }

  private offerLate(): null {
    this.lateOffer = createOffer(this.session, this.localMedia());
    this.answerSdp = Buffer.from(formatSdp(this.lateOffer));
    let settle!: () => void;
    const promise = new Promise<void>((r) => (settle = r));
    const late = {
      promise,
      settled: false,
      resolve: () => {
        late.settled = true;
        settle();
      },
    };
    this.lateMedia = late;
    this.once('ended', () => late.resolve());
    return null;
  }

  protected override mediaPending(): Promise<void> | null {
    return this.lateMedia?.settled === false ? this.lateMedia.promise : null;
  }

  /** The ACK's SDP answers our offer; without a usable one the call cannot carry audio: BYE. */
  private ackAnswer(ack: SipRequest): void {
    const offer = this.lateOffer;
    if (!offer || this.isEnded) return;
    this.lateOffer = undefined;
    const parsed = ack.body.length > 0 ? parseSdp(ack.body.toString('utf8')) : undefined;
    const result = parsed?.ok ? acceptAnswer(offer, parsed.sdp) : undefined;
    if (!result?.ok) {
      const why = !parsed
        ? 'no SDP answer in the ACK'
        : !parsed.ok
          ? `bad SDP in the ACK: ${parsed.reason}`
          : result?.ok === false
            ? result.reason
            : 'unusable answer';
      this.log.warn({ why }, 'late-offer call has no usable answer; hanging up');
      this.hangup(488, why);
      return;
    }
    this.applyMedia(result.format, result.remote).then(
      () => this.lateMedia?.resolve(),
      (err: unknown) => {
        this.log.error({ err }, 'media setup failed');
        this.hangup(500, 'media setup failed');
      },
    );
  }

  get dialogId(): DialogId | undefined {
    return this.sipLeg.dialogId;
  }

  protected get sip(): SipSide {
    return this.sipLeg;
  }

  /** The caller's SIP Call-ID (for logs; Hotline's own call id is `callId`). */
  get sipCallId(): string {
    return this.invite.callId;
  }

  /** 180 Ringing: the caller's phone plays its own ring-back. */
  ring(): void {
    if (this.state !== 'calling' && this.state !== 'ringing') return;
    this.move('ring');
    this.sipLeg.ring();
    this.emit('ringing');
  }

  /** 183 with our SDP: from now on what we play reaches the caller before answer. */
  earlyMedia(): void {
    if (this.lateOffer) return this.ring();
    if (this.state === 'ended' || this.state === 'answered' || this.state === 'early') return;
    this.move('early');
    this.sipLeg.ring(this.answerSdp);
    this.emit('early');
  }

  /** 200 OK with our SDP. */
  answer(): void {
    if (this.state === 'ended' || this.state === 'answered') return;
    this.move('answer');
    this.sipLeg.answer(this.answerSdp!);
    this.emit('answered');
  }

  /** Refuses the call with a SIP status (486 busy, 480, 603 …) before answer. */
  reject(status: number, reason?: string): void {
    if (this.state === 'ended' || this.state === 'answered') return;
    this.hangup(status, reason);
  }

  protected endSip(status: number, reason?: string): void {
    if (this.state === 'answered') this.sipLeg.hangup();
    else this.sipLeg.reject(status, reason);
  }
}
