import type { PlayItem, RecordingResult } from '../../media/index.js';
import type { Logger } from '../../platform/log.js';
import type { CdrStore } from '../../report/cdr.js';
import type { CdrLegStore, LegRole } from '../../report/cdr-leg.js';
import type { RecordingStore } from '../../report/recording.js';
import type { Header, NameAddr, SipRequest } from '../../sip/message/types.js';
import type { ServerInviteTransaction } from '../../sip/transaction/index.js';
import { dispositionOf } from '../call-record.js';
import type { SipContext } from '../context.js';
import { Call, cdrOf } from './call.js';
import { InboundCallLeg } from './inbound.js';
import type { Leg, LegDeps } from './leg.js';
import { inboundTrunk, LegRecorder, toCallQuality } from './leg-record.js';
import { OutboundCallLeg } from './outbound.js';
import { CallRecordings } from './recordings.js';
import type { SipCredentials } from '../outbound-leg.js';
import { handleRefer } from './transfer.js';
import type { Contact, LegEnd, MediaAddress, MediaEngine, MediaOffer, Party } from './types.js';

export interface CallControlDeps {
  readonly ctx: SipContext;
  readonly media: MediaEngine;
  readonly mediaAddress: MediaAddress;
  readonly offer: MediaOffer;
  readonly cdrs: CdrStore;
  /** One row per leg, written as each ends (leg-record.ts). */
  readonly cdrLegs: CdrLegStore;
  /** The role a layer above knows for a new leg to `party` in `call` (an agent the ACD rings). */
  readonly roleOf?: (call: Call, party: string) => LegRole | undefined;
  readonly recordings: RecordingStore;
  /** Record every bridged pair of an answered call (stereo: first party left). */
  readonly recording: { readonly enabled: boolean; readonly dir: string };
  /** What a party on hold hears (a music-on-hold class as play items, looped). */
  readonly musicOnHold: () => Promise<readonly PlayItem[]>;
  /** Where a number can be reached now (registered phones; gateways later). */
  readonly resolve: (number: string) => readonly Contact[];
  readonly ringTimeoutMs: number;
  readonly logger: Logger;
  /** Called once per call when it has ended and its CDR is on its way. */
  readonly onCallEnded?: (call: Call) => void;
}

interface Bridge {
  readonly a: Leg;
  readonly b: Leg;
  recording: Promise<string | null> | null;
}

export interface OriginateOptions {
  /** Who the called phone sees calling; default the call's caller. */
  readonly caller?: Party;
  readonly ringTimeoutMs?: number;
  /** Contacts to ring instead of looking the number up. */
  readonly contacts?: readonly Contact[];
  /** For a trunk: extra INVITE headers, From/To as sent, the account's credentials, its codecs. */
  readonly headers?: readonly Header[];
  readonly from?: NameAddr;
  readonly to?: NameAddr;
  readonly credentials?: SipCredentials;
  readonly codecs?: readonly string[];
  /**
   * false: the leg joins the call only when `attach(call, leg)` is called, so that a try
   * that fails (and is retried elsewhere) leaves no trace in the call. Default true.
   */
  readonly attach?: boolean;
  /** What the leg is in the call, for its record; else derived (leg-record.ts). */
  readonly role?: LegRole;
  /** The trunk the leg goes through, for its record. */
  readonly trunk?: string;
}

/**
 * Call control: the one API that the dialplan, IVR, ACD, CTI and admin API act on calls
 * through. It owns every call and leg, bridges legs through the media engine, holds and
 * retrieves, records, and ends calls with one CDR each. Transfers and conferences build on
 * it (transfer.ts, conference.ts).
 */
export class CallControl {
  private readonly calls = new Map<string, Call>();
  private readonly bridges = new Map<Leg, Bridge>();
  /** Legs hearing music because of hold (ours or their partner's phone). */
  private readonly onHoldMusic = new Set<Leg>();
  /** Legs put on hold by call control (not by a phone), until retrieved. */
  private readonly held = new Set<Leg>();
  /** Legs whose partner going away must not end them (a transfer is moving them). */
  private readonly keep = new Set<Leg>();
  private readonly legDeps: LegDeps;
  /** Hooks waiting for the call an INVITE (by SIP Call-ID) will become part of. */
  private readonly pendingEnd = new Map<string, () => void>();
  private readonly endHooks = new Map<Call, Array<() => void>>();
  /** Told of every leg that joins a call (the CTI backend follows agents' legs this way). */
  private readonly legWatchers = new Set<(call: Call, leg: Leg) => void>();
  private readonly legRecords: LegRecorder;
  private readonly recordings: CallRecordings;
  readonly log: Logger;

  constructor(readonly deps: CallControlDeps) {
    this.log = deps.logger;
    this.legDeps = { ctx: deps.ctx, media: deps.media, offer: deps.offer, logger: deps.logger };
    this.legRecords = new LegRecorder(deps.cdrLegs, (id) => this.calls.get(id), deps.ctx.clock, deps.logger);
    this.recordings = new CallRecordings({
      media: deps.media,
      store: deps.recordings,
      dir: deps.recording.dir,
      clock: deps.ctx.clock,
      log: deps.logger,
    });
  }

  get ctx(): SipContext {
    return this.deps.ctx;
  }

  /** Calls in progress. */
  get size(): number {
    return this.calls.size;
  }

  get(callId: string): Call | undefined {
    return this.calls.get(callId);
  }

  /** All live legs (for Replaces lookups and the supervisor views). */
  *legs(): IterableIterator<Leg> {
    for (const call of this.calls.values()) for (const leg of call.legs) if (!leg.isEnded) yield leg;
  }

  /** Runs `fn` once when the call that takes the INVITE with this SIP Call-ID ends. */
  onceCallEnded(sipCallId: string, fn: () => void): void {
    this.pendingEnd.set(sipCallId, fn);
  }

  /** Drops a hook that no call took; true when there was one. */
  forgetCallEnded(sipCallId: string): boolean {
    return this.pendingEnd.delete(sipCallId);
  }

  /**
   * A new call. `id` continues an earlier call that has ended under the same CallID (a queue
   * callback); a live call with that id is an error.
   */
  createCall(caller: Party, callee: string, id?: string): Call {
    if (id !== undefined && this.calls.has(id)) throw new Error(`call ${id} is still live`);
    const call = new Call(caller, callee, this.ctx.clock.now(), id);
    this.calls.set(call.id, call);
    return call;
  }

  /** Takes an INVITE into `call` as a leg (not answered yet); null when it was refused. */
  async acceptInbound(
    call: Call,
    invite: SipRequest,
    txn: ServerInviteTransaction,
    party: Party,
    role?: LegRole,
  ): Promise<InboundCallLeg | null> {
    const known = role ?? this.deps.roleOf?.(call, party.number);
    const hook = this.pendingEnd.get(invite.callId);
    if (hook) {
      this.pendingEnd.delete(invite.callId);
      const hooks = this.endHooks.get(call) ?? [];
      hooks.push(hook);
      this.endHooks.set(call, hooks);
    }
    const result = await InboundCallLeg.accept(
      this.legDeps,
      this.deps.mediaAddress,
      invite,
      txn,
      party,
      call.id,
    );
    if (!result.ok) {
      if (call.legs.size === 0)
        this.finishCall(call, { by: result.by, status: result.status, reason: result.reason });
      return null;
    }
    this.legRecords.track(result.leg, 'inbound', known, inboundTrunk(call));
    if (call.legs.size === 0) call.setData('sipCallId', invite.callId);
    this.attach(call, result.leg);
    return result.leg;
  }

  /** Calls `number` as a new leg of `call`; the leg ends with a status when it fails. */
  async originate(call: Call, number: string, opts: OriginateOptions = {}): Promise<OutboundCallLeg> {
    const contacts = opts.contacts ?? this.deps.resolve(number);
    const role = opts.role ?? this.deps.roleOf?.(call, number);
    const leg = await OutboundCallLeg.originate(
      this.legDeps,
      this.deps.mediaAddress,
      {
        contacts,
        party: { number },
        caller: opts.caller ?? call.caller,
        ringTimeoutMs: opts.ringTimeoutMs ?? this.deps.ringTimeoutMs,
        ...(opts.headers ? { headers: opts.headers } : {}),
        ...(opts.from ? { from: opts.from } : {}),
        ...(opts.to ? { to: opts.to } : {}),
        ...(opts.credentials ? { credentials: opts.credentials } : {}),
        ...(opts.codecs ? { codecs: opts.codecs } : {}),
      },
      call.id,
      this.ctx.domain,
    );
    this.legRecords.track(leg, 'outbound', role, opts.trunk);
    if (opts.attach !== false) this.attach(call, leg);
    return leg;
  }

  /** Resolves when the leg answers (true) or ends first (false). */
  answered(leg: Leg): Promise<boolean> {
    if (leg.isUp) return Promise.resolve(true);
    if (leg.isEnded) return Promise.resolve(false);
    return new Promise((resolve) => {
      const onAnswer = () => {
        leg.off('ended', onEnd);
        resolve(true);
      };
      const onEnd = () => {
        leg.off('answered', onAnswer);
        resolve(false);
      };
      leg.once('answered', onAnswer);
      leg.once('ended', onEnd);
    });
  }

  /** Calls `fn` for every leg that joins a call from now on; returns the unsubscribe. */
  onLegAttached(fn: (call: Call, leg: Leg) => void): () => void {
    this.legWatchers.add(fn);
    return () => this.legWatchers.delete(fn);
  }

  /** Makes `leg` part of `call` (a new leg, or one a transfer brings from another call). */
  attach(call: Call, leg: Leg): void {
    const previous = leg.callId !== call.id ? this.calls.get(leg.callId) : undefined;
    if (previous) previous.legs.delete(leg);
    leg.callId = call.id;
    call.first ??= leg;
    call.legs.add(leg);
    for (const watch of this.legWatchers) watch(call, leg);
    if (previous) {
      this.legRecords.moved(leg);
      if (previous.live.length === 0)
        this.finishCall(previous, { by: 'system', status: 200, reason: 'transferred' });
      return; // listeners are already in place
    }
    leg.on('answered', () => {
      const c = this.calls.get(leg.callId);
      if (c && c.answeredAt === undefined && leg !== c.first) c.answeredAt = this.ctx.clock.now();
    });
    leg.on('ended', (end) => this.legEnded(leg, end));
    leg.on('hold', (held) => void this.phoneHold(leg, held));
    leg.on('refer', (req, txn) => handleRefer(this, leg, req, txn));
  }

  /** Marks the call answered (an application answering the caller itself, e.g. an IVR). */
  markAnswered(call: Call): void {
    call.answeredAt ??= this.ctx.clock.now();
  }

  // --- bridging ---------------------------------------------------------------------------

  /** The leg bridged with `leg`, if any. */
  partnerOf(leg: Leg): Leg | undefined {
    const b = this.bridges.get(leg);
    if (!b) return undefined;
    return b.a === leg ? b.b : b.a;
  }

  /**
   * Connects two legs' audio (a relay when their codecs match, transcoded otherwise) and,
   * with recording on, records the pair: `a` on the left, `b` on the right.
   */
  async bridge(a: Leg, b: Leg, opts: { record?: boolean } = {}): Promise<void> {
    await this.unbridge(a);
    await this.unbridge(b);
    if (a.isEnded || b.isEnded) return;
    const bridge: Bridge = { a, b, recording: null };
    this.bridges.set(a, bridge);
    this.bridges.set(b, bridge);
    await this.deps.media.connect(a.endpoint.id, b.endpoint.id);
    const call = this.calls.get(a.callId);
    // The callee is whoever talks to the caller's side now (a transfer target, say).
    if (call) call.callee = (b === call.first ? a : b).party.number;
    if (opts.record !== false && this.deps.recording.enabled && call) {
      bridge.recording = this.startRecording(call, a, b);
    }
    this.log.info({ callId: a.callId, a: a.party.number, b: b.party.number }, 'legs bridged');
  }

  /** Starts recording the bridge `leg` is in, if recording is on and it is not recorded yet. */
  async recordBridge(leg: Leg): Promise<void> {
    const bridge = this.bridges.get(leg);
    const call = this.calls.get(leg.callId);
    if (!bridge || !call || bridge.recording || !this.deps.recording.enabled) return;
    bridge.recording = this.startRecording(call, bridge.a, bridge.b);
    await bridge.recording;
  }

  /** Separates a leg from its bridge partner (both stay up, in silence). */
  async unbridge(leg: Leg): Promise<void> {
    const bridge = this.bridges.get(leg);
    if (!bridge) return;
    this.bridges.delete(bridge.a);
    this.bridges.delete(bridge.b);
    void this.finishRecording(bridge);
    const live = bridge.a.isEnded ? bridge.b : bridge.a;
    if (!live.isEnded) await this.deps.media.disconnect(live.endpoint.id).catch(() => undefined);
  }

  // --- hold -------------------------------------------------------------------------------

  /** Puts a party on hold: it hears music, and nobody hears it. */
  async hold(leg: Leg): Promise<void> {
    if (leg.isEnded) return;
    this.held.add(leg);
    await leg.setMuted(true);
    await this.startMusic(leg);
  }

  async retrieve(leg: Leg): Promise<void> {
    if (leg.isEnded) return;
    this.held.delete(leg);
    // A partner whose phone still holds keeps the music going.
    if (!this.partnerOf(leg)?.heldByPhone) await this.stopMusic(leg);
    await leg.setMuted(false);
  }

  private async startMusic(leg: Leg): Promise<void> {
    if (this.onHoldMusic.has(leg)) return;
    this.onHoldMusic.add(leg);
    const items = await this.deps.musicOnHold();
    if (this.onHoldMusic.has(leg)) leg.startPlay(items, { loop: true });
  }

  private async stopMusic(leg: Leg): Promise<void> {
    if (!this.onHoldMusic.delete(leg)) return;
    await leg.stopPlay();
  }

  /** A phone put the call on hold itself: its partner hears music until it comes back. */
  private async phoneHold(leg: Leg, held: boolean): Promise<void> {
    const partner = this.partnerOf(leg);
    if (!partner) return;
    if (held) await this.startMusic(partner);
    else if (!this.held.has(partner)) await this.stopMusic(partner);
  }

  /** Plays to a leg; music on hold for it stops first. */
  async play(leg: Leg, items: readonly PlayItem[], opts: { loop?: boolean; interruptOnDtmf?: boolean } = {}) {
    this.onHoldMusic.delete(leg);
    return leg.play(items, opts);
  }

  // --- recording --------------------------------------------------------------------------

  /** Records `left` (and `right`, in stereo); resolves with the recording id, or null if it could not start. */
  startRecording(call: Call, left: Leg, right: Leg | null): Promise<string | null> {
    return this.recordings.start(call, left, right);
  }

  pauseRecording(recId: string, paused: boolean): Promise<void> {
    return this.recordings.pause(recId, paused);
  }

  /** Closes the file and writes its row; null when it could not be finished. */
  stopRecording(recId: string): Promise<{ id: number; file: RecordingResult } | null> {
    return this.recordings.stop(recId);
  }

  /** The recording of the bridge `leg` is in, if one runs. */
  recordingOf(leg: Leg): Promise<string | null> | null {
    return this.bridges.get(leg)?.recording ?? null;
  }

  private async finishRecording(bridge: Bridge): Promise<void> {
    const recId = await bridge.recording;
    bridge.recording = null;
    if (recId) await this.stopRecording(recId);
  }

  // --- ending -----------------------------------------------------------------------------

  /** Keeps `leg` up when its partner goes (while a transfer moves it). */
  protect(leg: Leg, on: boolean): void {
    if (on) this.keep.add(leg);
    else this.keep.delete(leg);
  }

  /** Hangs up every leg of the call; a call that never had a leg (every try failed) ends with `status`. */
  hangupCall(call: Call, status = 480, reason?: string): void {
    for (const leg of call.live) leg.hangup(status, reason);
    if (call.legs.size === 0) this.finishCall(call, { by: 'system', status, ...(reason ? { reason } : {}) });
  }

  private legEnded(leg: Leg, end: LegEnd): void {
    const call = this.calls.get(leg.callId);
    this.onHoldMusic.delete(leg);
    this.held.delete(leg);
    const partner = this.partnerOf(leg);
    if (partner) void this.unbridge(leg);
    // Before answer the caller's leg says how the call ended; after it, a leg that was
    // talking to someone or was the last one left. A transferor leaving or a transfer
    // target that was busy does not end the call, and must not decide its CDR.
    const decides =
      call?.answeredAt === undefined ? leg === call?.first : partner !== undefined || call.live.length === 0;
    if (call && call.firstEnd === undefined && decides) {
      const by = end.by === 'remote' ? (leg === call.first ? 'caller' : 'callee') : 'system';
      call.firstEnd = { by, status: end.status, ...(end.reason ? { reason: end.reason } : {}) };
    }
    if (partner && !partner.isEnded && !this.keep.has(partner)) {
      // A partner not yet answered (early media) hears why: busy, no answer …
      partner.hangup(partner.isUp ? 200 : end.status >= 300 ? end.status : 480);
    }
    if (call && call.live.length === 0) this.finishCall(call, end);
  }

  private finishCall(call: Call, last: LegEnd): void {
    if (call.ended) return;
    call.ended = true;
    this.calls.delete(call.id);
    const end = call.firstEnd ?? {
      by: last.by === 'remote' ? 'caller' : 'system',
      status: last.status,
      ...(last.reason ? { reason: last.reason } : {}),
    };
    const disposition =
      call.answeredAt !== undefined ? 'answered' : dispositionOf(end.status === 200 ? 487 : end.status);
    void (async () => {
      // A first leg that a transfer moved into another call keeps its media: that call owns it now.
      const first = call.first?.callId === call.id ? call.first : undefined;
      const quality = first ? toCallQuality(await first.closeMedia()) : undefined;
      await this.deps.cdrs
        .insert(cdrOf(call, end, disposition, this.ctx.clock.now(), quality))
        .catch((err: unknown) => this.log.error({ err, callId: call.id }, 'CDR could not be written'));
    })();
    this.log.info({ callId: call.id, disposition, by: end.by, status: end.status }, 'call ended');
    for (const hook of this.endHooks.get(call) ?? []) hook();
    this.endHooks.delete(call);
    this.deps.onCallEnded?.(call);
  }
}
