/**
 * The agents' side of a queued call: ringing their phones (RONA when they ring out, failed
 * when busy or unreachable), bridging the first to answer with the caller, and completing
 * the call when either hangs up (COMPLETE*, then the agent's wrap-up). Split from
 * call-flow.ts only to keep files small.
 */
import type { Leg } from '../../call/control/leg.js';
import { queueLog } from '../../report/queue-log.js';
import type { OfferRejectReason } from '../types.js';
import { AgentDevices, type DeviceAlert } from './agent-device.js';
import { holdChange, type HoldSource } from './agent-hold.js';
import { AcdRuntimeCore } from './core.js';
import type { QueuedCall, RingSlot } from './queued-call.js';

/** Ringing an agent's phone lasts longer than the queue's ring timeout, so the ACD decides RONA. */
const RING_GRACE_MS = 30_000;

export class AcdAgentLegs extends AcdRuntimeCore {
  /** Phones, mobiles through trunks and persistent connections (agent-device.ts). */
  protected readonly devices = new AgentDevices(this.deps, this.logger);
  /** Legs the ACD connected to a queue call: it sends their callAnswered and callEnded itself. */
  protected readonly connectedLegs = new WeakSet<Leg>();
  /** Connected agent → who holds its caller (agent-hold.ts), and how to stop following its phone. */
  private readonly holds = new Map<string, { held: ReadonlySet<HoldSource>; detach: () => void }>();

  // ── ringing agents ─────────────────────────────────────────────────────────────────────

  protected async ring(qc: QueuedCall, agent: string, queue: string): Promise<void> {
    await Promise.resolve(); // after the decisions of this event are all applied
    if (qc.phase !== 'waiting') return;
    const now = this.now();
    const slot: RingSlot = { agent, queue, since: now, leg: undefined };
    qc.ringing.set(agent, slot);
    this.agentCall.set(agent, qc);
    const current = () => qc.ringing.get(agent) === slot && qc.phase === 'waiting';
    const ringTimeoutMs = this.dispatcher.queueConfig(queue).ringTimeoutSeconds * 1000 + RING_GRACE_MS;
    let alert: DeviceAlert | undefined;
    try {
      // A callback's agent leg joins the (new) call only once it answers (callback.ts).
      const attach = qc.callback === undefined;
      alert = await this.devices.alert(qc.call, agent, { ringTimeoutMs, attach });
    } catch (err) {
      this.logger.error({ err, callId: qc.call.id, agent }, 'agent device could not be rung');
    }
    if (alert === undefined) return this.offerFailed(qc, slot, 'failed');
    if (!current()) return alert.cancel();
    slot.leg = alert.leg;
    slot.stop = alert.cancel;
    this.offered(qc, agent, queue);
    const out = await alert.answered;
    if (!current()) return alert.cancel();
    if (out === undefined) return this.offerFailed(qc, slot, 'failed');
    qc.ringing.delete(agent);
    if (qc.callback !== undefined) return this.callBack(qc, agent, out, slot);
    this.connect(qc, agent, out, slot);
  }

  /** An agent answered a callback: dial the caller (callback.ts). */
  protected callBack(_qc: QueuedCall, _agent: string, out: Leg, _slot: RingSlot): void {
    out.hangup(500);
  }

  private offered(qc: QueuedCall, agent: string, queue: string): void {
    const now = this.now();
    const d = qc.call.data;
    const region = {
      ...(typeof d['province'] === 'string' ? { province: d['province'] } : {}),
      ...(typeof d['city'] === 'string' ? { city: d['city'] } : {}),
      ...(typeof d['carrier'] === 'string' ? { carrier: d['carrier'] } : {}),
    };
    this.emit(
      {
        event: 'callOffered',
        at: now,
        callId: qc.call.id,
        agent,
        caller: qc.call.caller,
        ...(typeof d['did'] === 'string' ? { called: d['did'] } : {}),
        ...(Object.keys(region).length > 0 ? { region } : {}),
        queue,
        waitMs: now - qc.enteredAt,
        direction: 'inbound',
        data: { ...d },
      },
      { agents: [agent], queues: [queue] },
    );
    this.emitAgent(agent);
  }

  /** Stops ringing an agent (answered elsewhere, caller gone, RONA). */
  protected stopRinging(qc: QueuedCall, agent: string): RingSlot | undefined {
    const slot = qc.ringing.get(agent);
    if (slot === undefined) return undefined;
    qc.ringing.delete(agent);
    if (this.agentCall.get(agent) === qc) this.agentCall.delete(agent);
    slot.stop?.();
    return slot;
  }

  /** The agent's phone was busy, failed or unreachable: DEVICE_FAILED, the call goes back. */
  private offerFailed(qc: QueuedCall, slot: RingSlot, reason: OfferRejectReason): void {
    if (qc.ringing.get(slot.agent) !== slot) return;
    this.stopRinging(qc, slot.agent);
    this.log.write(
      queueLog.ringNoAnswer({
        time: this.now(),
        callId: qc.call.id,
        queue: slot.queue,
        agent: slot.agent,
        ringMs: this.now() - slot.since,
      }),
    );
    try {
      this.run((now) => this.dispatcher.offerRejected(qc.call.id, slot.agent, reason, now));
    } catch (err) {
      this.logger.warn({ err, callId: qc.call.id, agent: slot.agent }, 'offer was no longer current');
    }
  }

  /** A system change of an agent's state: RONA ends the ringing; wrap-up over means ready again. */
  protected agentStateChanged(agent: string): void {
    const qc = this.agentCall.get(agent);
    const state = this.dispatcher.agent(agent).state;
    if (qc !== undefined && state.activity !== 'reserved' && qc.agent !== agent) {
      const slot = this.stopRinging(qc, agent);
      if (slot !== undefined) {
        const now = this.now();
        this.log.write(
          queueLog.ringNoAnswer({
            time: now,
            callId: qc.call.id,
            queue: slot.queue,
            agent,
            ringMs: now - slot.since,
          }),
        );
      }
    }
    if (state.presence.kind === 'notReady' && state.activity === 'idle' && qc !== undefined) {
      for (const queue of this.dispatcher.agent(agent).queues.keys())
        this.log.write(queueLog.pause({ time: this.now(), queue, agent, reason: state.presence.reason }));
    }
    this.emitAgent(agent);
  }

  // ── connected ──────────────────────────────────────────────────────────────────────────

  protected connect(qc: QueuedCall, agent: string, out: Leg, slot: RingSlot): void {
    if (this.accept(qc, agent, out, slot)) this.talk(qc, agent, out, slot);
  }

  /** The agent took the call: the dispatcher hears it and the agent is on it. False when too late. */
  protected accept(qc: QueuedCall, agent: string, out: Leg, slot: RingSlot): boolean {
    try {
      this.run((at) => this.dispatcher.offerAccepted(qc.call.id, agent, at));
    } catch (err) {
      this.logger.warn({ err, callId: qc.call.id, agent }, 'answer came after the offer ended');
      this.devices.release(out, 200);
      return false;
    }
    qc.phase = 'connected';
    qc.agent = agent;
    qc.agentLeg = out;
    this.connectedLegs.add(out);
    qc.queue = slot.queue;
    this.agentCall.set(agent, qc);
    qc.call.setData('queue', slot.queue);
    qc.call.setData('agent', agent);
    this.emitAgent(agent);
    return true;
  }

  /** Caller and agent talk: CONNECT, the bridge, and COMPLETE* when either hangs up. */
  protected talk(qc: QueuedCall, agent: string, out: Leg, slot: RingSlot): void {
    const now = this.now();
    qc.answeredAt = now;
    const waitMs = now - qc.enteredAt;
    qc.call.setData('queueWaitSeconds', Math.round(waitMs / 1000));
    qc.call.setData('queueResult', 'answered');
    this.recentAgents.remember(qc.call.caller.number, agent, now); // last-agent routing
    this.log.write(
      queueLog.connect({
        time: now,
        callId: qc.call.id,
        queue: slot.queue,
        agent,
        holdMs: waitMs,
        bridgedCallId: out.id,
        ringMs: now - slot.since,
      }),
    );
    // A leg we hung up ourselves ended because the other party left first. A persistent
    // leg outlives the call: its caller leaving (or being hung up) completes it.
    if (!this.devices.isPersistent(out))
      out.once('ended', (end) => this.complete(qc, end.by === 'remote' ? 'agent' : 'caller'));
    this.followHold(qc, agent, out);
    void (async () => {
      await qc.leg.stopPlay();
      await this.devices.beforeBridge(slot.queue, qc.leg, agent, out);
      await this.deps.control.bridge(qc.leg, out);
      // Told once the two talk, so a desktop may hold, consult or transfer at once.
      if (qc.phase === 'connected' && qc.agent === agent)
        this.emit(
          { event: 'callAnswered', at: this.now(), callId: qc.call.id, agent, queue: slot.queue },
          { agents: [agent], queues: [slot.queue] },
        );
    })().catch((err: unknown) => {
      this.logger.error({ err, callId: qc.call.id, agent }, 'caller and agent could not be bridged');
      this.devices.release(out, 500);
    });
  }

  /**
   * The caller or the agent hung up (COMPLETE*; a supervisor's force release counts as the
   * agent's side), or the agent handed the call on to `transferTo` (TRANSFER: an extension, a
   * queue, an IVR flow, or the supervisor who intercepted it); the agent goes to wrap-up.
   */
  protected complete(qc: QueuedCall, by: 'caller' | 'agent' | 'supervisor', transferTo?: string): void {
    if (qc.phase !== 'connected' || qc.agent === undefined) return;
    qc.phase = 'gone';
    const agent = qc.agent;
    const now = this.now();
    const e = {
      time: now,
      callId: qc.call.id,
      queue: qc.queue,
      agent,
      holdMs: (qc.answeredAt ?? now) - qc.enteredAt,
      talkMs: now - (qc.answeredAt ?? now),
      origPosition: qc.origPosition,
    };
    this.log.write(
      transferTo !== undefined
        ? queueLog.transfer({ ...e, extension: transferTo, context: 'hotline' })
        : by === 'caller'
          ? queueLog.completeCaller(e)
          : queueLog.completeAgent(e),
    );
    // A transfer into a queue has already put the call back in under the same id.
    if (this.calls.get(qc.call.id) === qc) this.calls.delete(qc.call.id);
    if (this.agentCall.get(agent) === qc) this.agentCall.delete(agent);
    this.holds.get(agent)?.detach();
    this.holds.delete(agent);
    const cause = transferTo !== undefined ? 'transferred' : by === 'supervisor' ? 'forceReleased' : 'normal';
    this.agentCallEnded(qc, agent, by, cause, e.talkMs);
  }

  // ── hold ───────────────────────────────────────────────────────────────────────────────

  /** The agent's phone putting the caller on hold (or back) moves the agent to held (or talking). */
  private followHold(qc: QueuedCall, agent: string, out: Leg): void {
    this.holds.get(agent)?.detach();
    const onHold = (held: boolean) => this.agentHold(qc, agent, 'phone', held);
    out.on('hold', onHold);
    this.holds.set(agent, { held: new Set(), detach: () => out.off('hold', onHold) });
  }

  /** `source` held (`on`) or retrieved the agent's caller; false when the agent is not talking on `qc`. */
  protected agentHold(qc: QueuedCall, agent: string, source: HoldSource, on: boolean): boolean {
    const hold = this.holds.get(agent);
    if (hold === undefined || qc.phase !== 'connected' || qc.agent !== agent) return false;
    const change = holdChange(hold.held, source, on);
    hold.held = change.held;
    const type = change.event;
    if (type === undefined) return true;
    try {
      this.run((now) => this.dispatcher.agentChanged(agent, { type }, now));
    } catch (err) {
      this.logger.warn({ err, callId: qc.call.id, agentId: agent, event: type }, 'agent hold not applied');
      return true;
    }
    this.logger.info({ callId: qc.call.id, agentId: agent, source, event: type }, 'agent hold changed');
    this.emitAgent(agent);
    return true;
  }

  /**
   * The agent's desktop held (`held`) or retrieved its queue call `callId` (the CTI `hold` and
   * `retrieve`): the agent is held, then talking again. False when it is not the agent's queue call.
   */
  agentHeld(callId: string, agent: string, held: boolean): boolean {
    const qc = this.agentCall.get(agent);
    if (qc?.call.id !== callId) return false;
    return this.agentHold(qc, agent, 'desktop', held);
  }
}
