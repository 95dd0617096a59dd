import { EventEmitter } from 'node:events';
import type { Logger } from '../../platform/log.js';
import {
  answerOffer,
  formatSdp,
  LocalSession,
  type EndpointInfo,
  type LocalMedia,
  type MediaEvent,
  type PlayItem,
  type RemoteMedia,
  type StreamFormat,
  type StreamQuality,
} from '../../media/index.js';
import { DtmfError, parseSipInfoDtmf } from '../../media/dtmf/index.js';
import type { DialogId } from '../../sip/dialog/index.js';
import { createResponse } from '../../sip/message/index.js';
import type { Header, NameAddr, SipRequest } from '../../sip/message/types.js';
import type { ServerTransaction } from '../../sip/transaction/index.js';
import type { SipContext } from '../context.js';
import type { FinalOutcome, RequestOptions } from '../in-dialog.js';
import { readSdp } from '../media-anchor.js';
import { DigitBuffer } from './digit-buffer.js';
import { legTransition, type LegEvent, type LegState } from './leg-state.js';
import type { LegEnd, MediaEngine, MediaOffer, Party } from './types.js';

export type DigitSource = 'rfc4733' | 'inband' | 'info';
export type PlayEnd = 'finished' | 'stopped' | 'interrupted' | 'failed';

export interface PlayRequest {
  readonly loop?: boolean;
  readonly interruptOnDtmf?: boolean;
}

export interface CollectOptions {
  /** Played first; a key pressed during it stops it and counts as the first digit. */
  readonly prompt?: readonly PlayItem[];
  readonly maxDigits: number;
  /** Ends collection without being part of the digits (default `#`; empty for none). */
  readonly terminator?: string;
  /** Waiting for the first digit after the prompt (default 5000 ms). */
  readonly firstDigitTimeoutMs?: number;
  /** Waiting between digits (default 3000 ms). */
  readonly interDigitTimeoutMs?: number;
}

export interface Collected {
  readonly digits: string;
  readonly reason: 'max' | 'terminator' | 'timeout' | 'hangup';
}

/** What the SIP side of a leg must offer (an InboundLeg, or the winner among outbound forks). */
export interface SipSide {
  readonly localContact: NameAddr | undefined;
  readonly dialogId: DialogId | undefined;
  request(method: string, body: Buffer | undefined, onFinal: FinalOutcome, opts?: RequestOptions): void;
}

export interface LegDeps {
  readonly ctx: SipContext;
  readonly media: MediaEngine;
  readonly offer: MediaOffer;
  readonly logger: Logger;
}

interface LegEvents {
  ringing: [];
  early: [];
  answered: [];
  ended: [LegEnd];
  dtmf: [digit: string, source: DigitSource];
  /** The phone itself put the call on hold (a=sendonly/inactive) or took it off. */
  hold: [held: boolean];
  /** An in-dialog REFER: the owner must answer `txn`. */
  refer: [req: SipRequest, txn: ServerTransaction];
}

let seq = 0;

/**
 * One party of a call as call control sees it: a SIP dialog (inbound or outbound), the media
 * endpoint that anchors its audio, and the SDP Hotline negotiated with that phone alone.
 * Re-INVITEs are answered here (a phone's own hold included), so the party at the other
 * end of a bridge never notices; DTMF arrives as `dtmf` events whatever its source.
 */
export abstract class Leg extends EventEmitter<LegEvents> {
  readonly id = `leg-${++seq}`;
  protected stateValue: LegState = 'calling';
  protected format: StreamFormat | null = null;
  protected readonly session = new LocalSession();
  private phoneHeld = false;
  private readonly plays = new Map<string, (end: PlayEnd) => void>();
  private playSeq = 0;
  private readonly digits: DigitBuffer;
  /** A re-INVITE or UPDATE from the phone is being answered. */
  private offerPending = false;
  private endInfo: LegEnd | undefined;
  private closing: Promise<StreamQuality | null> | undefined;
  /** When the INVITE came in or went out (ms since the epoch); for the leg's record. */
  readonly startedAt: number;
  /** When the leg was answered; undefined until then. */
  private answeredTime: number | undefined;
  readonly log: Logger;

  protected constructor(
    protected readonly deps: LegDeps,
    readonly party: Party,
    readonly endpoint: EndpointInfo,
    /** Hotline's call id of the call this leg belongs to; changes when a transfer joins calls. */
    public callId: string,
  ) {
    super();
    this.startedAt = deps.ctx.clock.now();
    this.digits = new DigitBuffer(deps.ctx.clock);
    this.log = deps.logger.child({ leg: this.id, party: party.number });
    deps.media.listen(endpoint.id, (e) => this.onMedia(e));
  }

  get state(): LegState {
    return this.stateValue;
  }

  get isUp(): boolean {
    return this.stateValue === 'answered';
  }

  get isEnded(): boolean {
    return this.stateValue === 'ended';
  }

  /** Whether the phone has put the call on hold itself. */
  get heldByPhone(): boolean {
    return this.phoneHeld;
  }

  get ended(): LegEnd | undefined {
    return this.endInfo;
  }

  get answeredAt(): number | undefined {
    return this.answeredTime;
  }

  /** The SIP dialog identity (for Replaces); undefined before a dialog exists. */
  abstract get dialogId(): DialogId | undefined;
  protected abstract get sip(): SipSide | undefined;
  /** Ends the SIP side: reject/cancel before answer, BYE after. */
  protected abstract endSip(status: number, reason?: string): void;

  protected move(event: LegEvent): void {
    this.stateValue = legTransition(this.stateValue, event);
    if (event === 'answer') this.answeredTime ??= this.deps.ctx.clock.now();
  }

  protected localMedia(): LocalMedia {
    return {
      ...this.deps.offer,
      address: this.endpoint.address,
      port: this.endpoint.port,
      rtcpPort: this.endpoint.rtcpPort,
    };
  }

  /** Applies a negotiated format and remote address to the endpoint. */
  protected async applyMedia(format: StreamFormat, remote: RemoteMedia | null): Promise<void> {
    this.format = format;
    if (remote) await this.deps.media.setRemote(this.endpoint.id, remote);
    await this.deps.media.configure(this.endpoint.id, format);
  }

  // --- ending ---------------------------------------------------------------------------

  /** Hangs up (BYE), or refuses/cancels a leg not yet answered with `status`. Idempotent. */
  hangup(status = 480, reason?: string): void {
    if (this.isEnded) return;
    this.endSip(status, reason);
    this.finish({ by: 'local', status: this.isUp ? 200 : status, ...(reason ? { reason } : {}) });
  }

  /** Marks the leg ended, tells listeners, and releases its media. */
  protected finish(end: LegEnd): void {
    if (this.isEnded) return;
    this.move('end');
    this.endInfo = end;
    for (const resolve of this.plays.values()) resolve('stopped');
    this.plays.clear();
    this.digits.wake();
    this.log.debug({ end }, 'leg ended');
    this.emit('ended', end);
    void this.closeMedia();
  }

  /** The receive quality measured just before the endpoint closed (null if never measured). */
  closeMedia(): Promise<StreamQuality | null> {
    this.closing ??= (async () => {
      const media = this.deps.media;
      media.listen(this.endpoint.id, null);
      const quality = await media.quality(this.endpoint.id).catch(() => null);
      await media
        .close(this.endpoint.id)
        .catch((err: unknown) => this.log.warn({ err }, 'media close failed'));
      return quality;
    })();
    return this.closing;
  }

  // --- media operations -----------------------------------------------------------------

  /**
   * A promise to wait for before the leg's media can carry audio, or null when it can now:
   * only a late-offer call waiting for the answer in its ACK has one (inbound.ts).
   */
  protected mediaPending(): Promise<void> | null {
    return null;
  }

  /** Plays to this party; resolves with how the playback ended. */
  async play(items: readonly PlayItem[], opts: PlayRequest = {}): Promise<PlayEnd> {
    const pending = this.mediaPending();
    if (pending) await pending;
    if (this.isEnded) return 'stopped';
    const playId = `${this.id}-p${++this.playSeq}`;
    const done = new Promise<PlayEnd>((resolve) => this.plays.set(playId, resolve));
    try {
      await this.deps.media.play(this.endpoint.id, {
        playId,
        items,
        ...(opts.loop ? { loop: true } : {}),
        ...(opts.interruptOnDtmf ? { interruptOnDtmf: true } : {}),
      });
    } catch (err) {
      this.plays.delete(playId);
      this.log.warn({ err }, 'playback refused');
      return 'failed';
    }
    return done;
  }

  /** Starts a playback without waiting for its end (music on hold, ring-back). */
  startPlay(items: readonly PlayItem[], opts: PlayRequest = {}): void {
    void this.play(items, opts);
  }

  async stopPlay(): Promise<void> {
    if (this.isEnded) return;
    await this.deps.media.stopPlay(this.endpoint.id).catch(() => undefined);
  }

  async setMuted(muted: boolean): Promise<void> {
    if (!this.isEnded) await this.deps.media.setMuted(this.endpoint.id, muted);
  }

  async sendDtmf(digits: string): Promise<void> {
    if (!this.isEnded) await this.deps.media.sendDtmf(this.endpoint.id, digits);
  }

  quality(): Promise<StreamQuality | null> {
    if (this.closing) return this.closing;
    return this.deps.media.quality(this.endpoint.id).catch(() => null);
  }

  /** Takes the next digit pressed (or buffered since the last take); null when the leg ends or time runs out. */
  nextDigit(timeoutMs: number): Promise<string | null> {
    return this.digits.next(timeoutMs, () => this.isEnded);
  }

  /** Keys pressed and not yet taken, oldest first (type-ahead). */
  pendingDigits(): string {
    return this.digits.pending;
  }

  /** Forgets digits pressed before now (type-ahead). */
  clearDigits(): void {
    this.digits.clear();
  }

  /** Plays a prompt and collects digits (play-and-collect). */
  async collect(opts: CollectOptions): Promise<Collected> {
    this.clearDigits();
    const terminator = opts.terminator ?? '#';
    if (opts.prompt && opts.prompt.length > 0) await this.play(opts.prompt, { interruptOnDtmf: true });
    let digits = '';
    let timeout = opts.firstDigitTimeoutMs ?? 5000;
    for (;;) {
      if (this.isEnded) return { digits, reason: 'hangup' };
      const d = await this.nextDigit(timeout);
      if (d === null) return { digits, reason: this.isEnded ? 'hangup' : 'timeout' };
      if (terminator !== '' && terminator.includes(d)) return { digits, reason: 'terminator' };
      digits += d;
      if (digits.length >= opts.maxDigits) return { digits, reason: 'max' };
      timeout = opts.interDigitTimeoutMs ?? 3000;
    }
  }

  private onMedia(e: MediaEvent): void {
    switch (e.type) {
      case 'dtmf':
        this.digit(e.digit, e.source);
        return;
      case 'play-done': {
        const resolve = this.plays.get(e.playId);
        this.plays.delete(e.playId);
        if (e.reason === 'failed') this.log.warn({ error: e.error }, 'playback failed');
        resolve?.(e.reason);
        return;
      }
      case 'rtp-timeout':
        // A phone that put the call on hold may stop sending on purpose.
        if (this.isUp && !this.phoneHeld) {
          this.log.info({ silentMs: e.silentMs }, 'no RTP from the phone; hanging up');
          this.endSip(200);
          this.finish({ by: 'system', status: 200, reason: 'RTP timeout' });
        }
        return;
      case 'recording-failed':
        this.log.error({ recId: e.recId, error: e.error }, 'recording failed');
        return;
    }
  }

  private digit(digit: string, source: DigitSource): void {
    this.log.info({ digit, source }, 'DTMF');
    this.digits.push(digit);
    this.emit('dtmf', digit, source);
  }

  // --- in-dialog requests ---------------------------------------------------------------

  /** Answers a request inside this leg's dialog (everything but BYE/ACK/CANCEL). */
  protected inDialog(req: SipRequest, txn: ServerTransaction): void {
    switch (req.method) {
      case 'INVITE':
      case 'UPDATE':
        void this.reoffer(req, txn);
        return;
      case 'INFO':
        return this.info(req, txn);
      case 'REFER':
        if (this.listenerCount('refer') > 0) this.emit('refer', req, txn);
        else this.reply(req, txn, 405, 'Method Not Allowed');
        return;
      case 'OPTIONS':
      case 'NOTIFY':
        return this.reply(req, txn, 200);
      default:
        return this.reply(req, txn, 405, 'Method Not Allowed', [
          { name: 'Allow', value: 'INVITE, ACK, CANCEL, BYE, OPTIONS, INFO, UPDATE, REFER, NOTIFY' },
        ]);
    }
  }

  protected reply(
    req: SipRequest,
    txn: ServerTransaction,
    status: number,
    reason?: string,
    headers: Header[] = [],
    sdp?: Buffer,
  ): void {
    const contact = this.sip?.localContact;
    txn.respond(
      createResponse(req, status, reason, {
        headers: [this.deps.ctx.serverHeader, ...headers],
        ...(status >= 200 && status < 300 && contact && (req.method === 'INVITE' || req.method === 'UPDATE')
          ? { contacts: [contact] }
          : {}),
        ...(sdp ? { body: sdp, contentType: 'application/sdp' } : {}),
      }),
    );
  }

  /** A re-INVITE or UPDATE: answered from our own endpoint; hold is noticed here. */
  private async reoffer(req: SipRequest, txn: ServerTransaction): Promise<void> {
    if (this.offerPending) {
      // RFC 3261 §14.2 (and RFC 3311 §5.2 for UPDATE): one offer at a time on a dialog.
      const retry = String(Math.floor(Math.random() * 10));
      return this.reply(req, txn, 500, 'Server Internal Error', [{ name: 'Retry-After', value: retry }]);
    }
    this.offerPending = true;
    try {
      await this.answerReoffer(req, txn);
    } finally {
      this.offerPending = false;
    }
  }

  private async answerReoffer(req: SipRequest, txn: ServerTransaction): Promise<void> {
    if (req.body.length === 0) {
      // A re-INVITE without SDP asks for our offer; we give our current description again.
      const last = this.session.last;
      this.reply(req, txn, 200, 'OK', [], last ? Buffer.from(formatSdp(last)) : undefined);
      return;
    }
    const offer = readSdp(req.body);
    if (!offer.ok)
      return this.reply(req, txn, 488, 'Not Acceptable Here', [
        { name: 'Warning', value: `399 hotline "${offer.reason}"` },
      ]);
    const result = answerOffer(this.session, offer.sdp, this.localMedia());
    if (!result.ok) return this.reply(req, txn, 488, 'Not Acceptable Here');
    try {
      await this.applyMedia(result.format, result.remote);
    } catch (err) {
      this.log.warn({ err }, 'media update failed');
      return this.reply(req, txn, 500, 'Server Internal Error');
    }
    this.reply(req, txn, 200, 'OK', [], Buffer.from(formatSdp(result.answer)));
    const held = result.format.direction === 'recvonly' || result.format.direction === 'inactive';
    if (held !== this.phoneHeld) {
      this.phoneHeld = held;
      this.log.info({ held }, held ? 'phone put the call on hold' : 'phone took the call off hold');
      this.emit('hold', held);
    }
  }

  private info(req: SipRequest, txn: ServerTransaction): void {
    const type = req.contentType ?? '';
    if (type === '' || req.body.length === 0) return this.reply(req, txn, 200);
    let ev;
    try {
      ev = parseSipInfoDtmf(type, req.body, this.deps.ctx.clock.now());
    } catch (err) {
      if (err instanceof DtmfError && err.sipStatus === 400) {
        this.log.info({ err }, 'malformed DTMF INFO');
        return this.reply(req, txn, 400, 'Bad Request');
      }
      if (!(err instanceof DtmfError)) this.log.warn({ err }, 'INFO could not be read');
      return this.reply(req, txn, 415, 'Unsupported Media Type', [
        { name: 'Accept', value: 'application/dtmf-relay, application/dtmf' },
      ]);
    }
    this.reply(req, txn, 200);
    if (ev) this.digit(ev.digit, 'info');
  }

  /** Sends a request in this leg's dialog (NOTIFY for a REFER, for instance). */
  request(method: string, body: Buffer | undefined, onFinal: FinalOutcome, opts?: RequestOptions): void {
    const sip = this.sip;
    if (!sip || this.isEnded) return onFinal(481);
    sip.request(method, body, onFinal, opts);
  }
}
