/**
 * Queue callback (回呼): a waiting caller presses the queue's callback key, or an overflow or
 * max-wait rule sends them to `{type: callback}`; they hear a confirmation and hang up, but
 * keep their place in the dispatcher. When an agent is offered the call and answers, the
 * caller is dialled back under the same CallID (a new Call object: the first one ended with
 * its own CDR row); once they answer, caller and agent talk as on any queue call. A callback
 * nobody picks up is tried again after `retrySeconds`, `attempts` times in all, then given
 * up (ABANDON in the queue log).
 *
 *   waiting ─key/rule─▶ waiting (callback) ─agent answers─▶ callingBack ─caller answers─▶ connected
 *                            ▲                                   │ no answer, busy, agent hung up
 *                            └────── after retrySeconds ─────────┘ (or given up)
 */
import type { Call } from '../../call/control/call.js';
import type { CallControl } from '../../call/control/control.js';
import type { Leg } from '../../call/control/leg.js';
import type { Contact } from '../../call/control/types.js';
import type { TimerHandle } from '../../platform/clock.js';
import { queueLog } from '../../report/queue-log.js';
import { AcdCallFlow } from './call-flow.js';
import type { QueuedCall, RingSlot } from './queued-call.js';
import type { DialNumber, DialResult } from './types.js';

const DEFAULTS = { attempts: 3, retrySeconds: 300, ringSeconds: 30 } as const;
/** A number we can dial back: digits, maybe a leading +. */
const CALLABLE = /^\+?[0-9]{2,32}$/;

export class AcdCallbacks extends AcdCallFlow {
  private readonly retries = new Set<TimerHandle>();

  /** The caller leaves the line: a confirmation, then they are let go; the place is kept. */
  protected override requestCallback(qc: QueuedCall, why: 'key' | 'overflow' | 'timeout'): void {
    if (qc.phase !== 'waiting' || qc.callback !== undefined) return;
    const number = qc.call.caller.number;
    if (!CALLABLE.test(number)) {
      // Nobody to call back (anonymous, a SIP name): the key does nothing; a rule lets the caller go.
      this.logger.info({ callId: qc.call.id, caller: number, why }, 'no number to call back');
      if (why === 'key') return;
      this.run((now) => this.dispatcher.callLeft(qc.call.id, 'removed', now));
      return this.leave(qc, undefined, why);
    }
    if (why === 'key') this.dispatcher.toCallback(qc.call.id); // a rule already flagged it
    qc.callback = { number, requestedAt: this.now(), attempts: 0 };
    qc.call.setData('queueResult', 'callback');
    qc.call.setData('callbackNumber', number);
    this.logger.info({ callId: qc.call.id, queue: qc.queue, why }, 'the caller will be called back');
    const spoken = number.replace(/[^0-9*#]/g, '').slice(0, 32);
    void (async () => {
      await qc.leg.stopPlay();
      if (qc.leg.isEnded || qc.phase !== 'waiting') return;
      const items =
        spoken === ''
          ? await this.deps.speech.prompt('goodbye')
          : await this.deps.speech.prompt('callback-confirm', { keys: spoken });
      await qc.leg.play(items);
      if (qc.phase === 'waiting') qc.leg.hangup(200);
    })().catch((err: unknown) => {
      this.logger.error({ err, callId: qc.call.id }, 'callback confirmation failed');
      qc.leg.hangup(200);
    });
  }

  /** An agent answered a callback: the caller is dialled while the agent hears ring-back. */
  protected override callBack(qc: QueuedCall, agent: string, out: Leg, slot: RingSlot): void {
    const request = qc.callback!;
    if (!qc.leg.isEnded) {
      // Still on the line (hearing the confirmation): they talk now, no callback needed.
      qc.callback = undefined;
      if (!qc.call.legs.has(out) && !this.devices.isPersistent(out)) this.deps.control.attach(qc.call, out);
      return this.connect(qc, agent, out, slot);
    }
    if (!this.accept(qc, agent, out, slot)) return;
    qc.phase = 'callingBack';
    request.attempts++;
    const before = qc.call;
    // The callback's CDR reads: the number the caller sees → the caller.
    const call = this.deps.control.createCall(
      { number: this.callerIdFor(qc, agent) },
      request.number,
      before.id,
    );
    for (const [key, value] of Object.entries(before.data)) call.setData(key, value);
    call.setData('callback', true);
    call.setData('callbackAttempt', request.attempts);
    qc.call = call;
    // A persistent connection stays a call of its own; a mobile agent's leg may already be in one.
    if (!this.devices.isPersistent(out)) this.deps.control.attach(call, out);
    const abort = new AbortController();
    out.once('ended', () => {
      if (qc.phase !== 'callingBack') return; // once connected, talk() completes the call
      abort.abort();
      this.callbackFailed(qc, agent, 'agentHungUp');
    });
    void this.dialBack(qc, agent, out, slot, abort.signal).catch((err: unknown) => {
      this.logger.error({ err, callId: qc.call.id, agent }, 'callback failed');
      this.callbackFailed(qc, agent, 'error');
    });
  }

  private async dialBack(
    qc: QueuedCall,
    agent: string,
    out: Leg,
    slot: RingSlot,
    signal: AbortSignal,
  ): Promise<void> {
    const settings = this.settings(slot.queue)?.callback;
    out.startPlay([{ tone: 'ringback' }], { loop: true });
    const result: DialResult = await (this.deps.dial ?? this.dialExtension)(qc.call, qc.callback!.number, {
      caller: qc.call.caller,
      ringTimeoutMs: (settings?.ringSeconds ?? DEFAULTS.ringSeconds) * 1000,
      signal,
    });
    if (qc.phase !== 'callingBack') {
      result.leg?.hangup(200);
      return;
    }
    if (result.leg === undefined) return this.callbackFailed(qc, agent, `noAnswer:${result.status}`);
    const leg = result.leg;
    qc.leg = leg;
    qc.phase = 'connected';
    qc.call.setData('callbackResult', 'answered');
    leg.once('ended', () => {
      if (qc.leg === leg) this.callerEnded(qc);
    });
    this.logger.info({ callId: qc.call.id, agent, attempt: qc.callback!.attempts }, 'caller called back');
    this.talk(qc, agent, out, slot);
  }

  /** Nobody (or no agent) on the line: the agent goes to wrap-up, the callback waits to be tried again. */
  private callbackFailed(qc: QueuedCall, agent: string, why: string): void {
    if (qc.phase !== 'callingBack') return;
    const request = qc.callback!;
    const settings = this.settings(qc.queue)?.callback;
    const again = request.attempts < (settings?.attempts ?? DEFAULTS.attempts);
    qc.phase = 'gone';
    this.calls.delete(qc.call.id);
    if (this.agentCall.get(agent) === qc) this.agentCall.delete(agent);
    qc.call.setData('callbackResult', again ? `retry:${why}` : `failed:${why}`);
    if (qc.agentLeg !== undefined && !qc.agentLeg.isEnded) {
      if (this.devices.isPersistent(qc.agentLeg)) void qc.agentLeg.stopPlay(); // the ring-back
      this.devices.release(qc.agentLeg, 200);
    }
    const now = this.now();
    this.logger.info(
      { callId: qc.call.id, agent, why, attempt: request.attempts, again },
      'callback not answered',
    );
    this.agentCallEnded(qc, agent, why === 'agentHungUp' ? 'agent' : 'system', 'callbackFailed', 0);
    if (!again) {
      this.log.write(
        queueLog.abandon({
          time: now,
          callId: qc.call.id,
          queue: qc.queue,
          position: 1,
          origPosition: qc.origPosition,
          waitMs: now - qc.enteredAt,
        }),
      );
      return;
    }
    const timer = this.deps.control.ctx.clock.setTimer(
      (settings?.retrySeconds ?? DEFAULTS.retrySeconds) * 1000,
      () => {
        this.retries.delete(timer);
        this.retry(qc);
      },
    );
    this.retries.add(timer);
  }

  /** The callback waits in its queues again for the next agent. */
  private retry(qc: QueuedCall): void {
    if (qc.arrival === undefined) return;
    qc.phase = 'waiting';
    qc.ringing.clear();
    qc.agent = undefined;
    qc.agentLeg = undefined;
    qc.answeredAt = undefined;
    this.calls.set(qc.call.id, qc);
    try {
      this.run((at) =>
        this.dispatcher.callArrived({ ...qc.arrival!, queues: [...qc.queues], callback: true }, at),
      );
    } catch (err) {
      this.calls.delete(qc.call.id);
      qc.phase = 'gone';
      this.logger.error({ err, callId: qc.call.id }, 'callback could not wait again');
    }
  }

  /** The number a called-back caller sees: the queue's `callerId`, else the number they called. */
  private callerIdFor(qc: QueuedCall, agent: string): string {
    const did = qc.call.data['did'];
    return this.settings(qc.queue)?.callback?.callerId ?? (typeof did === 'string' ? did : agent);
  }

  private readonly dialExtension: DialNumber = (call, number, opts) =>
    dialContacts(this.deps.control, call, number, this.deps.contactsOf(number), opts);

  override async stop(): Promise<void> {
    for (const t of this.retries) t.cancel();
    this.retries.clear();
    await super.stop();
  }
}

/** Rings `contacts` as a new leg of `call`; resolves with the leg once it answered, or the failure status. */
export async function dialContacts(
  control: CallControl,
  call: Call,
  number: string,
  contacts: readonly Contact[],
  opts: Parameters<DialNumber>[2],
): Promise<DialResult> {
  if (contacts.length === 0 || opts.signal.aborted) return { status: opts.signal.aborted ? 487 : 480 };
  const leg = await control.originate(call, number, {
    contacts,
    caller: opts.caller,
    ringTimeoutMs: opts.ringTimeoutMs,
    ...(opts.role !== undefined ? { role: opts.role } : {}),
  });
  const cancel = () => leg.hangup(487);
  opts.signal.addEventListener('abort', cancel);
  const up = await control.answered(leg);
  opts.signal.removeEventListener('abort', cancel);
  return up ? { leg } : { status: leg.ended?.status ?? 480 };
}
