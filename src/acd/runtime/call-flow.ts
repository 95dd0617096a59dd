/**
 * Real calls through the dispatcher's decisions: a caller enters (answered, greeted, music),
 * offers ring agents' phones (RONA when they ring out, failed when busy or unreachable),
 * the first agent to answer is bridged to the caller, the caller or the agent hanging up
 * completes the call and starts the agent's wrap-up. Overflow, timeouts and the exit key
 * send the caller out of the ACD through the router.
 *
 *   enter ─▶ waiting ──offer──▶ ringing agent(s) ──answer──▶ connected ──hangup──▶ gone
 *              │  ▲                  │ RONA / busy                     (COMPLETE*, wrap-up)
 *              │  └──────────────────┘
 *              └─ hangup (ABANDON) / overflow / timeout / exit key ─▶ gone
 */
import type { Call } from '../../call/control/call.js';
import { InboundCallLeg } from '../../call/control/inbound.js';
import type { Leg } from '../../call/control/leg.js';
import { queueLog } from '../../report/queue-log.js';
import type { Config } from '../../platform/config/index.js';
import type { DtmfKey } from '../../media/prompts/types.js';
import { AcdError } from '../errors.js';
import { announcedMinutes } from '../ewt.js';
import type { Decision, OverflowTarget } from '../types.js';
import { AcdAgentLegs } from './agent-legs.js';
import { newQueuedCall, playMusic, queuedEvent, speak, type QueuedCall } from './queued-call.js';
import { lastAgentWindowHours } from './last-agent.js';
import type { EnqueueOptions } from './types.js';

export class AcdCallFlow extends AcdAgentLegs {
  // ── a caller enters ────────────────────────────────────────────────────────────────────

  /**
   * Puts a call in the ACD: the caller is answered (if not yet), hears the queue's greeting
   * and then music, and waits for an agent. Resolves once the call is queued (or, when no
   * queue would take it, sent on or hung up).
   */
  async enqueue(call: Call, leg: Leg, opts: EnqueueOptions): Promise<void> {
    const first = opts.queues[0];
    if (first === undefined) throw new AcdError('ACD_INVALID', `call "${call.id}" names no queue`);
    const configs = opts.queues.map((q) => this.dispatcher.queueConfig(q)); // unknown queue: throw before answering
    this.handedOnToQueue(call, opts.queues);
    const hours = lastAgentWindowHours(configs);
    const lastAgent = hours === undefined ? undefined : await this.lastAgentOf(call.caller.number, hours);
    if (hours !== undefined && leg.isEnded) return; // the caller left during the lookup
    if (leg instanceof InboundCallLeg) leg.answer();
    this.deps.control.markAnswered(call);
    const now = this.now();
    const qc = newQueuedCall(call, leg, opts.queues, now);
    qc.origPosition = this.dispatcher.queueSnapshot(first, now).waiting + 1;
    this.calls.set(call.id, qc);
    call.setData('queue', first);
    const positions = new Map<string, number>();
    for (const q of opts.queues) {
      const position = q === first ? qc.origPosition : this.dispatcher.queueSnapshot(q, now).waiting + 1;
      positions.set(q, position);
      this.log.write(
        queueLog.enterQueue({ time: now, callId: call.id, queue: q, callerId: call.caller.number, position }),
      );
    }
    leg.once('ended', () => {
      if (qc.leg === leg) this.callerEnded(qc);
    });
    leg.on('dtmf', (digit) => this.key(qc, digit));
    const greeting = this.settings(first)?.greeting;
    const priority = opts.priority ?? numberOf(call.data['priority']) ?? 0;
    const vip = opts.vip ?? isTrue(call.data['vip']);
    if (vip) call.setData('vip', true); // the screen pop shows it
    const arrival = {
      id: call.id,
      callerNumber: call.caller.number,
      priority: Math.max(0, Math.min(100, priority)),
      ...(vip ? { vip } : {}),
      ...(lastAgent !== undefined ? { lastAgent } : {}),
      ...(opts.skills !== undefined ? { skills: opts.skills } : {}),
      queues: opts.queues,
      data: stringData({ ...call.data, ...opts.data }),
    };
    qc.arrival = arrival;
    this.run((at) => this.dispatcher.callArrived(arrival, at));
    if (qc.phase === 'waiting' && !this.inAcd(qc)) {
      this.log.write(queueLog.exitEmpty(this.leaving(qc, first)));
      this.leave(qc, undefined, 'full');
    }
    for (const [q, position] of positions)
      if (qc.phase === 'waiting' && qc.queues.has(q))
        this.emit(queuedEvent(qc, q, position, now), { queues: [q] });
    if (greeting !== undefined)
      void speak(
        qc,
        () => this.deps.prompts(greeting),
        () => this.music(qc),
      );
    else void playMusic(qc, () => this.music(qc));
  }

  /**
   * A call an agent is talking on enters a queue (the agent transfers it there): the agent's
   * part ends first (TRANSFER, wrap-up), and the data of that part moves aside so the next
   * agent's screen pop does not show it as its own.
   */
  private handedOnToQueue(call: Call, queues: readonly string[]): void {
    const before = this.calls.get(call.id);
    if (before?.phase === 'connected' && before.agent !== undefined)
      this.complete(before, 'agent', queues.join(','));
    const agent = call.data['agent'];
    if (agent === undefined) return;
    call.setData('previousAgent', agent);
    for (const key of ['agent', 'queueResult', 'queueWaitSeconds']) delete call.data[key];
  }

  protected music(qc: QueuedCall) {
    return this.deps.musicOnHold(this.settings(qc.queue)?.musicOnHold);
  }

  /** A queue's configuration with the run-time settings (greeting, music, exit key). */
  protected settings(queue: string): Config['acd']['queues'][number] | undefined {
    return this.config().queues.find((q) => q.name === queue);
  }

  /** Whether the dispatcher still holds the call in one of its queues. */
  protected inAcd(qc: QueuedCall): boolean {
    const now = this.now();
    for (const q of qc.queues) {
      try {
        this.dispatcher.position(qc.call.id, q, now);
        return true;
      } catch {
        // not in this queue (ACD_UNKNOWN_CALL): try the next
      }
    }
    return false;
  }

  private positionIn(qc: QueuedCall): number {
    try {
      return this.dispatcher.position(qc.call.id, qc.queue, this.now());
    } catch {
      return 1; // being offered: at the head
    }
  }

  // ── decisions ──────────────────────────────────────────────────────────────────────────

  protected override apply(d: Decision): void {
    if (d.kind === 'agentState') return this.agentStateChanged(d.agentId);
    const qc = this.calls.get(d.callId);
    if (qc === undefined) return;
    switch (d.kind) {
      case 'offer':
        for (const agent of d.agentIds) void this.ring(qc, agent, d.queue);
        return;
      case 'cancelOffer':
        for (const agent of d.agentIds) this.stopRinging(qc, agent);
        return;
      case 'announce':
        void speak(
          qc,
          () => this.announcement(d.queue, d.position, d.estimatedWaitSeconds),
          () => this.music(qc),
        );
        return;
      case 'overflow':
        if (d.to.type === 'callback') return this.requestCallback(qc, 'overflow');
        return this.overflowed(qc, d.queue, d.to, d.rule);
      case 'timeout':
        if (d.to?.type === 'callback') return this.requestCallback(qc, 'timeout');
        this.log.write(queueLog.exitWithTimeout(this.leaving(qc, d.queue)));
        return this.timedOut(qc, d.queue, d.to);
      case 'rejected':
        qc.queues.delete(d.queue);
        return;
    }
  }

  private async announcement(queue: string, position: number, ewt: number | undefined) {
    const say = this.settings(queue)?.announce;
    const items =
      say?.position === false ? [] : [...(await this.deps.speech.prompt('queue-position', { position }))];
    if (ewt !== undefined && say?.estimatedWait !== false)
      items.push(...(await this.deps.speech.prompt('estimated-wait', { minutes: announcedMinutes(ewt) })));
    const key = this.settings(queue)?.callback?.key as DtmfKey | undefined;
    if (key !== undefined) items.push(...(await this.deps.speech.prompt('callback-offer', { key })));
    return items;
  }

  /** The caller leaves the line and will be called back (callback.ts). */
  protected requestCallback(_qc: QueuedCall, _why: 'key' | 'overflow' | 'timeout'): void {}

  private leaving(qc: QueuedCall, queue: string) {
    const now = this.now();
    return {
      time: now,
      callId: qc.call.id,
      queue,
      position: this.positionIn(qc),
      origPosition: qc.origPosition,
      waitMs: now - qc.enteredAt,
    };
  }

  private overflowed(
    qc: QueuedCall,
    from: string,
    to: OverflowTarget,
    rule: 'waited' | 'length' | 'serviceLevel',
  ): void {
    const e = this.leaving(qc, from);
    this.log.write(rule === 'waited' ? queueLog.exitWithTimeout(e) : queueLog.exitEmpty(e));
    qc.queues.delete(from);
    if (to.type === 'queue') {
      qc.queues.add(to.queue);
      if (this.inAcd(qc)) return this.moved(qc, to);
    }
    this.leave(qc, to.type === 'queue' ? undefined : to, 'overflow');
  }

  /** Max wait in `queue`: into the target queue, on in the call's other queues, or out. */
  private timedOut(qc: QueuedCall, queue: string, to: OverflowTarget | undefined): void {
    qc.queues.delete(queue);
    if (to?.type === 'queue') qc.queues.add(to.queue);
    if (!this.inAcd(qc)) return this.leave(qc, to?.type === 'queue' ? undefined : to, 'timeout');
    if (to?.type === 'queue') return this.moved(qc, to);
    if (qc.queue === queue) qc.queue = [...qc.queues][0] ?? queue;
  }

  /** The call now waits in another queue (overflow or max-wait target). */
  private moved(qc: QueuedCall, to: OverflowTarget | undefined): void {
    if (to?.type !== 'queue') return;
    const now = this.now();
    qc.queue = to.queue;
    qc.queues.add(to.queue);
    qc.origPosition = this.positionIn(qc);
    qc.call.setData('queue', to.queue);
    this.emit(queuedEvent(qc, to.queue, qc.origPosition, now), { queues: [to.queue] });
    this.log.write(
      queueLog.enterQueue({
        time: now,
        callId: qc.call.id,
        queue: to.queue,
        callerId: qc.call.caller.number,
        position: qc.origPosition,
      }),
    );
  }

  /**
   * The call is out of the ACD (the dispatcher already let it go): the music stops and it
   * goes to `to`, or hears goodbye and is hung up when there is nowhere to go.
   */
  protected leave(qc: QueuedCall, to: OverflowTarget | undefined, cause: string): void {
    if (qc.phase !== 'waiting') return;
    qc.phase = 'gone';
    this.forget(qc);
    const now = this.now();
    qc.call.setData('queueResult', cause);
    qc.call.setData('queueWaitSeconds', Math.round((now - qc.enteredAt) / 1000));
    this.emit(
      { event: 'callEnded', at: now, callId: qc.call.id, queue: qc.queue, by: 'system', cause, talkMs: 0 },
      { queues: [qc.queue] },
    );
    void (async () => {
      await qc.leg.stopPlay();
      if (qc.leg.isEnded) return;
      if (to !== undefined && to.type !== 'callback' && to.type !== 'queue')
        return this.deps.route(qc.call, qc.leg, to);
      await qc.leg.play(await this.deps.speech.prompt('goodbye'));
      qc.leg.hangup(200);
    })().catch((err: unknown) => {
      this.logger.error({ err, callId: qc.call.id, to }, 'the call could not be sent on from the queue');
      qc.leg.hangup(480);
    });
  }

  private forget(qc: QueuedCall): void {
    this.calls.delete(qc.call.id);
    for (const [agent, c] of this.agentCall) if (c === qc && qc.agent !== agent) this.agentCall.delete(agent);
  }

  // ── the caller ─────────────────────────────────────────────────────────────────────────

  protected callerEnded(qc: QueuedCall): void {
    if (qc.phase === 'connected')
      return this.complete(qc, qc.leg.ended?.by === 'remote' ? 'caller' : 'agent');
    if (qc.phase !== 'waiting' || qc.callback !== undefined) return;
    const e = this.leaving(qc, qc.queue);
    qc.phase = 'gone';
    qc.call.setData('queueResult', 'abandoned');
    qc.call.setData('queueWaitSeconds', Math.round(e.waitMs / 1000));
    this.log.write(queueLog.abandon(e));
    if (this.inAcd(qc) || qc.ringing.size > 0) {
      try {
        this.run((now) => this.dispatcher.callLeft(qc.call.id, 'abandoned', now));
      } catch (err) {
        this.logger.warn({ err, callId: qc.call.id }, 'abandoned call was no longer in the ACD');
      }
    }
    for (const agent of [...qc.ringing.keys()]) this.stopRinging(qc, agent);
    this.forget(qc);
    this.emit(
      {
        event: 'callEnded',
        at: e.time,
        callId: qc.call.id,
        queue: qc.queue,
        by: 'caller',
        cause: 'abandoned',
        talkMs: 0,
      },
      { queues: [qc.queue] },
    );
  }

  private key(qc: QueuedCall, digit: string): void {
    if (qc.phase !== 'waiting' || qc.callback !== undefined) return;
    if (this.settings(qc.queue)?.callback?.key === digit) {
      return this.requestCallback(qc, 'key');
    }
    const exit = this.settings(qc.queue)?.exit;
    if (exit === undefined || exit.key !== digit) return;
    this.log.write(queueLog.exitWithKey({ ...this.leaving(qc, qc.queue), key: digit }));
    this.run((now) => this.dispatcher.callLeft(qc.call.id, 'removed', now));
    this.leave(qc, exit.to, 'exitKey');
  }
}

function numberOf(v: unknown): number | undefined {
  if (typeof v === 'number') return v;
  if (typeof v === 'string' && /^[0-9]{1,3}$/.test(v)) return Number(v);
  return undefined;
}

function isTrue(v: unknown): boolean {
  return v === true || v === 'true';
}

function stringData(data: Readonly<Record<string, string | number | boolean>>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(data)) out[k] = String(v);
  return out;
}
