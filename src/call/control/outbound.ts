import {
  acceptAnswer,
  createOffer,
  formatSdp,
  parseSdp,
  type EndpointInfo,
  type LocalMedia,
  type SessionDescription,
} from '../../media/index.js';
import type { TimerHandle } from '../../platform/clock.js';
import type { DialogId } from '../../sip/dialog/index.js';
import type { Header, NameAddr } from '../../sip/message/types.js';
import { OutboundLeg, type SipCredentials } from '../outbound-leg.js';
import { Leg, type LegDeps, type SipSide } from './leg.js';
import type { Contact, MediaAddress, Party } from './types.js';

export interface OriginateTarget {
  /** Every contact is rung at once (forking); the first to answer wins. */
  readonly contacts: readonly Contact[];
  /** The party we call (To, and the leg's name in CDRs). */
  readonly party: Party;
  /** Who the called phone sees as calling (From). */
  readonly caller: Party;
  /** Gives up with 480 after this long without an answer. */
  readonly ringTimeoutMs: number;
  readonly headers?: readonly Header[];
  /** From and To as sent, instead of caller and party at Hotline's domain (a trunk's presentation). */
  readonly from?: NameAddr;
  readonly to?: NameAddr;
  /** Answers a 401/407 to the INVITE (a trunk's account). */
  readonly credentials?: SipCredentials;
  /** Codecs offered on this leg instead of the configured ones, most preferred first. */
  readonly codecs?: readonly string[];
}

/**
 * A leg Hotline calls: one endpoint and one SDP offer, sent to every contact of the target.
 * Early media (183 with SDP) is taken only from a single contact; with several ringing
 * there is no telling whose audio it would be.
 */
export class OutboundCallLeg extends Leg {
  private forks: OutboundLeg[] = [];
  private winner: OutboundLeg | undefined;
  private readonly failures: number[] = [];
  private offer: SessionDescription | undefined;
  private timer: TimerHandle | undefined;
  private codecs: readonly string[] | undefined;

  private constructor(deps: LegDeps, party: Party, endpoint: EndpointInfo, callId: string) {
    super(deps, party, endpoint, callId);
  }

  /** Opens an endpoint and sends the INVITEs. Throws (MediaError) when no media port is free. */
  static async originate(
    deps: LegDeps,
    addr: MediaAddress,
    target: OriginateTarget,
    callId: string,
    domain: string,
  ): Promise<OutboundCallLeg> {
    const endpoint = await deps.media.createEndpoint({
      bindAddress: addr.bindAddress,
      advertisedAddress: addr.advertisedAddress,
    });
    const leg = new OutboundCallLeg(deps, target.party, endpoint, callId);
    leg.start(target, domain);
    return leg;
  }

  /** The final statuses of the INVITEs that failed, as received (408 and 503 for a timeout or transport error). */
  get failureStatuses(): readonly number[] {
    return this.failures;
  }

  /** A leg limited to some codecs offers (and answers re-offers) with those only. */
  protected override localMedia(): LocalMedia {
    const media = super.localMedia();
    return this.codecs ? { ...media, codecs: this.codecs } : media;
  }

  private start(target: OriginateTarget, domain: string): void {
    this.codecs = target.codecs;
    this.offer = createOffer(this.session, this.localMedia());
    const sdp = Buffer.from(formatSdp(this.offer));
    const from: NameAddr = target.from ?? {
      ...(target.caller.name ? { displayName: target.caller.name } : {}),
      uri: { scheme: 'sip', user: target.caller.number, host: domain, params: {}, headers: {} },
      params: {},
    };
    const to: NameAddr = target.to ?? {
      uri: { scheme: 'sip', user: target.party.number, host: domain, params: {}, headers: {} },
      params: {},
    };
    if (target.contacts.length === 0) {
      queueMicrotask(() => this.finish({ by: 'system', status: 480, reason: 'no contact' }));
      return;
    }
    for (const contact of target.contacts) {
      const fork: OutboundLeg = new OutboundLeg(
        this.deps.ctx,
        {
          requestUri: contact.requestUri,
          dest: contact.dest,
          from,
          to,
          sdp,
          ...(target.headers ? { headers: target.headers } : {}),
          ...(target.credentials ? { credentials: target.credentials } : {}),
        },
        {
          onProgress: (status, body) => this.progress(status, body),
          onAnswer: (body) => void this.answered(fork, body),
          onFailure: (status, reason) => this.forkFailed(fork, status, reason),
          onEnd: (cause) => {
            if (fork !== this.winner || cause === 'local') return;
            this.finish(
              cause === 'remote'
                ? { by: 'remote', status: 200 }
                : { by: 'system', status: 200, reason: cause },
            );
          },
          onRequest: (req, txn) => {
            if (fork === this.winner) this.inDialog(req, txn);
            else this.reply(req, txn, 481, 'Call/Transaction Does Not Exist');
          },
        },
      );
      this.forks.push(fork);
      fork.start();
    }
    this.timer = this.deps.ctx.clock.setTimer(target.ringTimeoutMs, () => {
      if (this.state === 'answered' || this.isEnded) return;
      this.log.info('no answer');
      this.hangup(480, 'No Answer');
    });
  }

  get dialogId(): DialogId | undefined {
    return this.winner?.dialogId;
  }

  protected get sip(): SipSide | undefined {
    return this.winner;
  }

  private progress(status: number, body: Buffer | undefined): void {
    if (this.isEnded || this.state === 'answered') return;
    if (body && this.forks.length === 1 && this.offer) {
      const parsed = parseSdp(body.toString('utf8'));
      const result = parsed.ok ? acceptAnswer(this.offer, parsed.sdp) : undefined;
      if (result?.ok) {
        void this.applyMedia(result.format, result.remote).then(
          () => {
            if (this.isEnded || this.state === 'answered') return;
            this.move('early');
            this.emit('early');
          },
          (err: unknown) => this.log.warn({ err }, 'early media setup failed'),
        );
        return;
      }
    }
    if (status === 180 || status === 183) {
      if (this.state === 'calling') {
        this.move('ring');
        this.emit('ringing');
      }
    }
  }

  private async answered(fork: OutboundLeg, body: Buffer | undefined): Promise<void> {
    if (this.isEnded || this.winner) {
      fork.hangup(); // another contact answered first, or we gave up
      return;
    }
    this.winner = fork;
    this.timer?.cancel();
    for (const other of this.forks) if (other !== fork) other.hangup();
    this.forks = [fork];
    const parsed = body ? parseSdp(body.toString('utf8')) : undefined;
    const result = parsed?.ok && this.offer ? acceptAnswer(this.offer, parsed.sdp) : undefined;
    if (!result?.ok) {
      const why = !parsed
        ? 'no SDP answer'
        : !parsed.ok
          ? `bad SDP: ${parsed.reason}`
          : result && !result.ok
            ? result.reason
            : 'unusable SDP';
      this.log.warn({ why }, 'callee answered without usable SDP');
      // Never answered as far as the call goes: the BYE ends the callee's dialog, and the
      // leg fails with 488 so that the caller is refused with it too.
      this.endSip();
      this.finish({ by: 'system', status: 488, reason: why });
      return;
    }
    try {
      await this.applyMedia(result.format, result.remote);
    } catch (err) {
      this.log.error({ err }, 'media setup failed');
    }
    if (this.isEnded) return;
    this.move('answer');
    this.emit('answered');
  }

  private forkFailed(fork: OutboundLeg, status: number, reason: string): void {
    this.failures.push(status);
    this.forks = this.forks.filter((f) => f !== fork);
    if (this.isEnded || this.winner || this.forks.length > 0) return;
    this.timer?.cancel();
    // A busy answer from any contact is what the caller hears (RFC 3261 §16.7 in spirit).
    const chosen = this.failures.includes(486) ? 486 : status === 408 ? 480 : status;
    this.finish({ by: 'remote', status: chosen, reason });
  }

  protected endSip(): void {
    this.timer?.cancel();
    for (const fork of this.forks) fork.hangup();
  }
}
