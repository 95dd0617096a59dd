import { randomUUID } from 'node:crypto';
import type { TimerHandle } from '../platform/clock.js';
import type { Logger } from '../platform/log.js';
import type { CdrStore } from '../report/cdr.js';
import type { SipRequest } from '../sip/message/types.js';
import type { ServerInviteTransaction } from '../sip/transaction/index.js';
import { CallRecord } from './call-record.js';
import type { SipContext } from './context.js';
import { echoAnswer } from './echo-answer.js';
import { InboundLeg } from './inbound-leg.js';
import { MediaAnchor, readSdp, type MediaAddress, type MediaPort } from './media-anchor.js';
import { createResponse } from '../sip/message/index.js';

export interface EchoDeps {
  readonly ctx: SipContext;
  readonly media: MediaPort;
  readonly mediaAddress: MediaAddress;
  readonly cdrs: CdrStore;
  readonly maxDurationMs: number;
  readonly onEnded: () => void;
}

/**
 * The echo test (`*43` by default): answers, sends the caller's own RTP back to them, and
 * hangs up after a maximum time. The first thing to try after registering a phone.
 */
export class EchoCall {
  private readonly leg: InboundLeg;
  private anchor: MediaAnchor | undefined;
  private limit: TimerHandle | undefined;
  private readonly record: CallRecord;
  private ended = false;
  private sdpVersion = 1;
  private readonly log: Logger;

  constructor(
    private readonly deps: EchoDeps,
    invite: SipRequest,
    txn: ServerInviteTransaction,
    caller: string,
    callee: string,
  ) {
    const callId = randomUUID();
    this.log = deps.ctx.logger.child({ callId, sipCallId: invite.callId, caller, app: 'echo' });
    this.record = new CallRecord(deps.cdrs, this.log, callId, caller, callee, deps.ctx.clock.now(), {
      sipCallId: invite.callId,
    });
    this.leg = new InboundLeg(deps.ctx, invite, txn, {
      onCancel: () => this.end('cancelled', 'caller', 487),
      onEnd: (cause) =>
        this.end(
          'answered',
          cause === 'remote' ? 'caller' : 'system',
          200,
          cause === 'ack-timeout' ? 'no ACK' : undefined,
        ),
      onRequest: (req, t) => {
        // A re-INVITE (e.g. hold) is answered with the same echo endpoint.
        const offer = req.method === 'INVITE' ? readSdp(req.body) : undefined;
        if (offer?.ok && this.anchor) {
          void this.anchor.follow(offer.sdp);
          t.respond(
            createResponse(req, 200, 'OK', {
              headers: [deps.ctx.serverHeader],
              ...(this.leg.localContact ? { contacts: [this.leg.localContact] } : {}),
              // RFC 3264 §8: each new answer from us carries a higher o= version.
              body: echoAnswer(offer.sdp, this.anchor.endpoint, sessionIdOf(invite), ++this.sdpVersion),
              contentType: 'application/sdp',
            }),
          );
          return;
        }
        t.respond(
          createResponse(req, req.method === 'INVITE' ? 488 : 200, undefined, {
            headers: [deps.ctx.serverHeader],
          }),
        );
      },
    });
  }

  async start(invite: SipRequest): Promise<void> {
    const offer = readSdp(invite.body);
    if (!offer.ok) {
      this.leg.reject(488, 'Not Acceptable Here');
      this.end('failed', 'system', 488, offer.reason);
      return;
    }
    try {
      this.anchor = await MediaAnchor.open(this.deps.media, this.deps.mediaAddress);
      await this.anchor.follow(offer.sdp);
      await this.deps.media.echo(this.anchor.endpoint.id);
    } catch (err) {
      this.log.error({ err }, 'no media for echo test');
      this.leg.reject(503, 'No Media Resources');
      this.end('failed', 'system', 503, 'no media resources');
      void this.anchor?.close(); // created before the failure, if the call had already ended
      return;
    }
    // Cancelled while media was set up: end() ran before the endpoint existed.
    if (this.ended) return void this.anchor.close();
    this.leg.answer(echoAnswer(offer.sdp, this.anchor.endpoint, sessionIdOf(invite)));
    this.record.answered(this.deps.ctx.clock.now());
    this.limit = this.deps.ctx.clock.setTimer(this.deps.maxDurationMs, () => {
      this.log.info('echo time limit reached');
      this.end('answered', 'system', 200, 'echo time limit');
    });
  }

  end(
    disposition: Parameters<CallRecord['finish']>[1],
    by: Parameters<CallRecord['finish']>[2],
    cause: number,
    reason?: string,
  ): void {
    if (this.ended) return;
    this.ended = true;
    this.limit?.cancel();
    this.leg.hangup();
    void this.anchor?.close();
    this.record.finish(this.deps.ctx.clock.now(), disposition, by, cause, reason);
    this.deps.onEnded();
  }
}

function sessionIdOf(invite: SipRequest): string {
  let h = 0;
  for (let i = 0; i < invite.callId.length; i++) h = (h * 31 + invite.callId.charCodeAt(i)) >>> 0;
  return String(h);
}
