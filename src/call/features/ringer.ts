/**
 * Rings a caller's call through stages of targets (I/O adapter over call control). Each
 * stage rings its targets together for its duration; a target in consecutive stages keeps
 * ringing, targets left out are cancelled. The first target to answer wins and every other
 * INVITE is cancelled; a pickup from another phone takes the call the same way.
 *
 *   stage n ──(answer)──────────────► answered (the others get CANCEL)
 *           ──(pickup)──────────────► picked   (every ringing phone gets CANCEL)
 *           ──(caller hangs up)─────► caller-gone
 *           ──(time up / all failed)► stage n+1 … ► exhausted (busy? status)
 *
 * Ringing extensions are listed in the RingingRegistry for pickup while they ring. The
 * caller hears its own phone's ring-back (180), or the callee's early media when exactly one
 * phone sends it, or Hotline's ring-back tone once that early media has gone.
 */
import type { Logger } from '../../platform/log.js';
import type { SipRequest } from '../../sip/message/types.js';
import type { ServerInviteTransaction } from '../../sip/transaction/index.js';
import type { Call } from '../control/call.js';
import type { CallControl } from '../control/control.js';
import type { InboundCallLeg } from '../control/inbound.js';
import type { Leg } from '../control/leg.js';
import type { Contact, DialOptions, LegEnd, Party } from '../control/types.js';
import type { PickupResult, RingingRegistry } from './pickup.js';
import type { RingResult, RingStage, RingTarget } from './types.js';

/** Outcome of dialling a number outside (through a trunk). */
export type ExternalDialResult =
  | { readonly ok: true; readonly leg: Leg }
  | { readonly ok: false; readonly status: number; readonly reason: string };

/**
 * Dials a number outside Hotline as a new leg of `call` (the trunk module implements it). It
 * resolves once the far end answered (a leg that is up) or failed; `signal` aborts ringing.
 */
export type DialExternal = (call: Call, number: string, opts: DialOptions) => Promise<ExternalDialResult>;

export interface RingerDeps {
  readonly control: CallControl;
  readonly registry: RingingRegistry;
  readonly contactsOf: (extension: string) => readonly Contact[];
  readonly dialExternal?: DialExternal;
}

export type RingOutcome =
  | { readonly kind: 'answered'; readonly leg: Leg; readonly target: RingTarget }
  | { readonly kind: 'picked'; readonly leg: InboundCallLeg }
  | { readonly kind: 'caller-gone' }
  | { readonly kind: 'exhausted'; readonly result: RingResult };

interface Ringing {
  readonly target: RingTarget;
  readonly key: string;
  leg?: Leg;
  abort?: AbortController;
  ended: boolean;
  /** Failure status when the target refused by itself; undefined when we cancelled it. */
  status?: number;
  unlist?: () => void;
}

/** How long an originated leg may ring on its own: the stage timers decide before that. */
const RING_SLACK_MS = 5000;

export class Ringer {
  private readonly ringing = new Map<string, Ringing>();
  private outcome: RingOutcome | undefined;
  private claimed = false;
  private wanted = new Set<string>();
  private earlyLeg: Leg | undefined;
  private ringback = false;
  private wakers: Array<() => void> = [];
  private own: string | undefined;

  constructor(
    private readonly deps: RingerDeps,
    private readonly call: Call,
    private readonly caller: InboundCallLeg,
    private readonly log: Logger,
  ) {}

  /** Rings the stages; `own` is the extension whose busy answer makes the result busy. */
  async run(
    stages: readonly RingStage[],
    opts: { readonly own?: string; readonly stopOnBusy: boolean },
  ): Promise<RingOutcome> {
    this.own = opts.own;
    const onCallerEnd = () => this.settle({ kind: 'caller-gone' });
    this.caller.once('ended', onCallerEnd);
    if (this.caller.isEnded) this.settle({ kind: 'caller-gone' });
    const clock = this.deps.control.ctx.clock;
    let remaining = stages.reduce((sum, s) => sum + s.durationMs, 0);
    for (const stage of stages) {
      if (this.outcome) break;
      this.enter(stage, remaining);
      remaining -= stage.durationMs;
      let timeUp = false;
      const timer = clock.setTimer(stage.durationMs, () => {
        timeUp = true;
        this.wake();
      });
      // A pickup being set up holds the ringing where it is until it succeeds or fails.
      const going = () => !timeUp && this.stageLive(stage) && !(opts.stopOnBusy && this.ownBusy());
      while (!this.outcome && (this.claimed || going())) await this.changed();
      timer.cancel();
      if (opts.stopOnBusy && this.ownBusy()) break;
    }
    this.caller.off('ended', onCallerEnd);
    const outcome = this.outcome ?? { kind: 'exhausted', result: this.result() };
    this.outcome = outcome;
    await this.stopRinging(outcome);
    return outcome;
  }

  private enter(stage: RingStage, remainingMs: number): void {
    this.wanted = new Set(stage.targets.map(keyOf));
    for (const r of this.ringing.values()) if (!this.wanted.has(r.key)) this.cancel(r);
    for (const target of stage.targets) {
      const key = keyOf(target);
      if (this.ringing.has(key)) continue;
      const r: Ringing = { target, key, ended: false };
      this.ringing.set(key, r);
      if (target.kind === 'extension') void this.startExtension(r, remainingMs + RING_SLACK_MS);
      else void this.startExternal(r, remainingMs + RING_SLACK_MS);
    }
  }

  private stageLive(stage: RingStage): boolean {
    return stage.targets.some((t) => this.ringing.get(keyOf(t))?.ended === false);
  }

  private ownBusy(): boolean {
    const status = this.findOwn()?.status;
    return status === 486 || status === 600;
  }

  private result(): RingResult {
    return { busy: this.ownBusy(), status: this.findOwn()?.status ?? 480 };
  }

  private findOwn(): Ringing | undefined {
    if (this.own === undefined) return undefined;
    for (const r of this.ringing.values()) if (r.target.number === this.own) return r;
    return undefined;
  }

  private async startExtension(r: Ringing, ringTimeoutMs: number): Promise<void> {
    const contacts = this.deps.contactsOf(r.target.number);
    if (contacts.length === 0) return this.ended(r, 480);
    let leg: Leg;
    try {
      leg = await this.deps.control.originate(this.call, r.target.number, {
        contacts,
        ringTimeoutMs,
        caller: this.call.caller,
      });
    } catch (err) {
      this.log.error({ err, target: r.target.number }, 'no media to ring the extension');
      return this.ended(r, 503);
    }
    r.leg = leg;
    if (this.outcome || !this.wanted.has(r.key)) {
      r.ended = true;
      leg.hangup(487);
      return this.wake();
    }
    leg.on('ringing', () => this.onRinging(r));
    leg.on('early', () => this.onEarly(r, leg));
    leg.once('answered', () => this.onAnswered(r, leg));
    leg.once('ended', (end) => this.onEnded(r, leg, end));
  }

  private async startExternal(r: Ringing, ringTimeoutMs: number): Promise<void> {
    const dial = this.deps.dialExternal;
    if (!dial) {
      this.log.warn(
        { number: r.target.number },
        'cannot ring a number outside: no trunk is wired in (dialExternal), so this target fails',
      );
      return this.ended(r, 480);
    }
    r.abort = new AbortController();
    this.caller.ring();
    let res: ExternalDialResult;
    try {
      res = await dial(this.call, r.target.number, {
        caller: this.call.caller,
        ringTimeoutMs,
        signal: r.abort.signal,
      });
    } catch (err) {
      this.log.error({ err, number: r.target.number }, 'dialling out failed');
      return this.ended(r, 503);
    }
    if (!res.ok) {
      this.log.info(
        { number: r.target.number, status: res.status, why: res.reason },
        'number outside failed',
      );
      return this.ended(r, r.abort.signal.aborted ? undefined : res.status);
    }
    r.leg = res.leg;
    res.leg.once('ended', (end) => this.onEnded(r, res.leg, end));
    if (await this.deps.control.answered(res.leg)) this.onAnswered(r, res.leg);
  }

  private onRinging(r: Ringing): void {
    if (this.outcome) return;
    this.caller.ring();
    this.list(r);
  }

  /** Early media is passed on only while one phone alone is ringing. */
  private onEarly(r: Ringing, leg: Leg): void {
    if (this.outcome) return;
    this.list(r);
    const live = [...this.ringing.values()].filter((x) => !x.ended);
    if (live.length !== 1 || this.earlyLeg) return;
    this.earlyLeg = leg;
    this.caller.earlyMedia();
    void (async () => {
      if (this.ringback) {
        this.ringback = false;
        await this.caller.stopPlay();
      }
      await this.deps.control.bridge(this.caller, leg, { record: false });
    })();
  }

  private list(r: Ringing): void {
    if (r.unlist || r.target.kind !== 'extension' || this.claimed) return;
    r.unlist = this.deps.registry.add({
      extension: r.target.number,
      callId: this.call.id,
      caller: this.call.caller.number,
      since: this.deps.control.ctx.clock.now(),
      take: (invite, txn, picker) => this.take(invite, txn, picker),
    });
  }

  private onAnswered(r: Ringing, leg: Leg): void {
    if (this.outcome || this.claimed) {
      leg.hangup(200); // someone else took the call first
      return;
    }
    this.settle({ kind: 'answered', leg, target: r.target });
  }

  private onEnded(r: Ringing, leg: Leg, end: LegEnd): void {
    this.ended(r, end.by === 'local' ? undefined : end.status);
    if (leg !== this.earlyLeg) return;
    this.earlyLeg = undefined;
    // The caller heard this phone's early media: it hears our ring-back while others ring.
    if (!this.outcome && !this.caller.isEnded && this.caller.state === 'early') {
      this.ringback = true;
      void this.deps.control.play(this.caller, [{ tone: 'ringback' }], { loop: true });
    }
  }

  private ended(r: Ringing, status: number | undefined): void {
    r.ended = true;
    if (status !== undefined) r.status = status;
    r.unlist?.();
    this.wake();
  }

  private cancel(r: Ringing): void {
    r.unlist?.();
    if (r.ended) return;
    r.ended = true;
    r.abort?.abort();
    if (r.leg && !r.leg.isUp) r.leg.hangup(487);
  }

  /** A pickup: the picker's INVITE joins this call in place of the ringing phones. */
  private async take(invite: SipRequest, txn: ServerInviteTransaction, picker: Party): Promise<PickupResult> {
    if (this.outcome || this.claimed) return 'gone';
    this.claimed = true;
    const leg = await this.deps.control.acceptInbound(this.call, invite, txn, picker);
    if (!leg) {
      this.claimed = false;
      this.wake();
      return 'refused';
    }
    if (this.outcome) {
      leg.reject(480, 'call gone');
      return 'refused';
    }
    this.log.info({ picker: picker.number }, 'call picked up');
    this.settle({ kind: 'picked', leg });
    return 'picked';
  }

  private settle(outcome: RingOutcome): void {
    if (this.outcome) return;
    this.outcome = outcome;
    this.wake();
  }

  /** Cancels every phone still ringing (all but the winner) and stops the ring-back tone. */
  private async stopRinging(outcome: RingOutcome): Promise<void> {
    const winner = outcome.kind === 'answered' ? outcome.leg : undefined;
    for (const r of this.ringing.values()) {
      r.unlist?.();
      if (r.leg !== winner || winner === undefined) this.cancel(r);
    }
    if (this.ringback) {
      this.ringback = false;
      await this.caller.stopPlay();
    }
  }

  private changed(): Promise<void> {
    return new Promise((resolve) => this.wakers.push(resolve));
  }

  private wake(): void {
    const wakers = this.wakers;
    this.wakers = [];
    for (const w of wakers) w();
  }
}

function keyOf(t: RingTarget): string {
  return `${t.kind}:${t.number}`;
}
