/**
 * Persistent connections (常摘机) at run time: the agent's phone or mobile is called once (at
 * login, or it dialled the connect code itself) and the leg stays up between calls. An offer
 * beeps on it, the answer (desktop or automatic) hands the leg to the call, and the caller
 * leaving returns it to silence or music. The decisions are device-session.ts's; this file
 * only carries out their effects on the leg, with call control's clock for auto-answer.
 */
import { EventEmitter } from 'node:events';
import type { Leg, PlayEnd } from '../../call/control/leg.js';
import type { TimerHandle } from '../../platform/clock.js';
import type { Logger } from '../../platform/log.js';
import { SYSTEM_REASONS } from '../types.js';
import type { AgentDevice, DeviceAlert, DeviceDeps } from './agent-device.js';
import { canStep, NEW_SESSION, stepSession, type Session, type SessionEvent } from './device-session.js';

/** The beep that tells the agent a call is being put through (one call-waiting burst). */
const BEEP = { tone: 'callWaiting', durationMs: 400 } as const;

interface Connection {
  readonly agent: string;
  readonly device: AgentDevice;
  session: Session;
  /** The open leg, once the device answered. */
  leg: Leg | undefined;
  /** Stops the dialling while connecting. */
  readonly dialling: AbortController;
  /** Ready the agent once the connection is up. */
  readyWhenUp: boolean;
  offer: { readonly callId: string; readonly resolve: (leg: Leg | undefined) => void } | undefined;
  /** The queued call offered to or talking on the open leg. */
  callId: string | undefined;
  autoAnswer: TimerHandle | undefined;
  beep: Promise<PlayEnd> | undefined;
  /** The caller bridged in while talking. */
  caller: Leg | undefined;
}

export interface PersistentEvents {
  /** The connection is up; `ready`: the agent asked to be ready once it is. */
  connected: [agent: string, ready: boolean];
  /** The device could not be reached or went away: the agent goes not ready with `reason`. */
  lost: [agent: string, reason: string];
}

export class PersistentDevices extends EventEmitter<PersistentEvents> {
  private readonly byAgent = new Map<string, Connection>();
  private readonly byLeg = new Map<Leg, Connection>();
  private stopped = false;

  constructor(
    private readonly deps: DeviceDeps,
    private readonly logger: Logger,
  ) {
    super();
  }

  /** Whether the agent has a connection that is up or being made. */
  has(agent: string): boolean {
    return this.byAgent.has(agent);
  }

  /** Whether the agent's connection is up (answered, not closed). */
  isUp(agent: string): boolean {
    return this.byAgent.get(agent)?.leg !== undefined;
  }

  /** Whether `leg` is an open persistent leg (it outlives the calls bridged into it). */
  isOpenLeg(leg: Leg): boolean {
    return this.byLeg.has(leg);
  }

  /** Calls the agent's device and keeps the call up; `ready` once it answered. */
  open(agent: string, device: AgentDevice, ready: boolean): void {
    const existing = this.byAgent.get(agent);
    if (existing !== undefined) {
      existing.readyWhenUp ||= ready;
      return;
    }
    const conn = this.newConnection(agent, device, ready);
    void this.dial(conn).catch((err: unknown) => {
      this.logger.error({ err, agentId: agent }, 'persistent connection could not be dialled');
      this.step(conn, 'dropped');
    });
  }

  /** Makes a call the agent placed itself (the connect code) its connection, up at once. */
  adopt(agent: string, device: AgentDevice, leg: Leg): void {
    this.close(agent);
    this.up(this.newConnection(agent, device, false), leg);
  }

  /** An offer to the agent: a beep on the open leg; undefined when there is no idle connection. */
  offer(agent: string, callId: string): DeviceAlert | undefined {
    const conn = this.byAgent.get(agent);
    if (conn === undefined || conn.leg === undefined || !canStep(conn.session, 'offer')) return undefined;
    const leg = conn.leg;
    const answered = new Promise<Leg | undefined>((resolve) => (conn.offer = { callId, resolve }));
    conn.callId = callId;
    this.step(conn, 'offer');
    return {
      leg,
      answered,
      cancel: () => {
        if (conn.callId === callId) this.release(leg, 200);
      },
    };
  }

  /** The desktop answered `callId` for the agent; false when no such offer is waiting. */
  answer(agent: string, callId: string): boolean {
    const conn = this.byAgent.get(agent);
    if (conn === undefined || conn.offer?.callId !== callId || conn.session.state !== 'offered') return false;
    this.step(conn, 'answer');
    return true;
  }

  /** The agent whose open leg is bridged to `caller` next: the call ends for it when the caller leaves. */
  joined(leg: Leg, caller: Leg): void {
    const conn = this.byLeg.get(leg);
    if (conn === undefined || conn.session.state !== 'talking') return;
    conn.caller = caller;
    if (caller.isEnded) return this.step(conn, 'callEnded');
    caller.once('ended', () => {
      if (conn.caller === caller && conn.session.state === 'talking') this.step(conn, 'callEnded');
    });
  }

  /**
   * The open leg leaves its call (too late, cancelled, or the bridge failed): an offer is
   * withdrawn, a caller already joined is released with `status`.
   */
  release(leg: Leg, status: number): void {
    const conn = this.byLeg.get(leg);
    if (conn === undefined) return;
    if (conn.session.state === 'offered') return this.step(conn, 'withdraw');
    if (conn.session.state !== 'talking') return;
    if (conn.caller !== undefined && !conn.caller.isEnded) return conn.caller.hangup(status);
    this.step(conn, 'callEnded');
  }

  /** The open leg leaves the call it talks on, whose caller stays (a transfer): idle again. */
  leave(leg: Leg): void {
    const conn = this.byLeg.get(leg);
    if (conn?.session.state !== 'talking') return;
    conn.caller = undefined;
    this.step(conn, 'callEnded');
  }

  /** Logout: the connection ends (after the call in progress, if any). */
  close(agent: string): void {
    const conn = this.byAgent.get(agent);
    if (conn !== undefined && canStep(conn.session, 'close')) this.step(conn, 'close');
  }

  /** Shutdown: every connection is hung up, no timer is left, and nothing more happens. */
  shutdown(): void {
    this.stopped = true;
    for (const conn of [...this.byAgent.values()]) {
      this.forget(conn);
      conn.autoAnswer?.cancel();
      conn.dialling.abort();
      if (conn.leg !== undefined && !conn.leg.isEnded) conn.leg.hangup(200);
    }
  }

  private newConnection(agent: string, device: AgentDevice, ready: boolean): Connection {
    const conn: Connection = {
      agent,
      device,
      session: NEW_SESSION,
      leg: undefined,
      dialling: new AbortController(),
      readyWhenUp: ready,
      offer: undefined,
      callId: undefined,
      autoAnswer: undefined,
      beep: undefined,
      caller: undefined,
    };
    this.byAgent.set(agent, conn);
    return conn;
  }

  private async dial(conn: Connection): Promise<void> {
    await Promise.resolve(); // after the login or ready that asked for it
    const { control, dial } = this.deps;
    const { agent, device } = conn;
    const contacts = device.type === 'phone' ? this.deps.contactsOf(device.number ?? agent) : [];
    if (device.type === 'external' ? dial === undefined : contacts.length === 0) {
      this.logger.warn({ agentId: agent, device }, 'no way to reach the agent’s device');
      return this.step(conn, 'dropped');
    }
    const call = control.createCall({ number: agent, name: 'ACD' }, agent);
    call.setData('agent', agent);
    call.setData('acdDevice', 'persistent');
    const ringTimeoutMs = control.deps.ringTimeoutMs;
    const signal = conn.dialling.signal;
    let leg: Leg | undefined;
    if (device.type === 'external' && dial !== undefined) {
      leg = (
        await dial(call, device.number ?? agent, {
          caller: call.caller,
          ringTimeoutMs,
          signal,
          role: 'agent',
        })
      ).leg;
    } else {
      const out = await control.originate(call, agent, {
        contacts,
        ringTimeoutMs,
        caller: call.caller,
        role: 'agent',
      });
      signal.addEventListener('abort', () => out.hangup(487), { once: true });
      leg = (await control.answered(out)) ? out : undefined;
    }
    if (leg === undefined || signal.aborted || conn.session.state !== 'connecting') {
      if (leg !== undefined && !leg.isEnded) leg.hangup(200);
      if (conn.session.state === 'connecting') this.step(conn, 'dropped');
      return;
    }
    control.markAnswered(call);
    this.up(conn, leg);
  }

  private up(conn: Connection, leg: Leg): void {
    conn.leg = leg;
    this.byLeg.set(leg, conn);
    // The open leg outlives every caller bridged into it.
    this.deps.control.protect(leg, true);
    leg.once('ended', () => {
      if (canStep(conn.session, 'dropped')) this.step(conn, 'dropped');
    });
    this.logger.info({ agentId: conn.agent, callId: leg.callId }, 'persistent connection up');
    this.step(conn, 'up');
  }

  // ── effects ────────────────────────────────────────────────────────────────────────────

  private step(conn: Connection, event: SessionEvent): void {
    if (this.stopped) return;
    let effects;
    try {
      ({ next: conn.session, effects } = stepSession(conn.session, event));
    } catch (err) {
      this.logger.error({ err, agentId: conn.agent }, 'persistent connection event refused');
      return;
    }
    if (conn.session.state === 'closed') this.forget(conn);
    for (const effect of effects) {
      try {
        this.apply(conn, effect);
      } catch (err) {
        this.logger.error({ err, agentId: conn.agent, effect }, 'persistent connection effect failed');
      }
    }
  }

  private apply(conn: Connection, effect: ReturnType<typeof stepSession>['effects'][number]): void {
    const leg = conn.leg;
    switch (effect) {
      case 'connected':
        return void this.emit('connected', conn.agent, conn.readyWhenUp);
      case 'idleAudio':
        conn.caller = undefined;
        conn.callId = undefined;
        return void this.idleAudio(conn);
      case 'alert':
        if (leg === undefined) return;
        conn.beep = leg.stopPlay().then(() => leg.play([BEEP]));
        return;
      case 'armAutoAnswer': {
        const ms = conn.device.persistent?.autoAnswerMs;
        const callId = conn.offer?.callId;
        if (ms === undefined || callId === undefined) return;
        conn.autoAnswer = this.deps.control.ctx.clock.setTimer(ms, () => this.answer(conn.agent, callId));
        return;
      }
      case 'disarmAutoAnswer':
        conn.autoAnswer?.cancel();
        conn.autoAnswer = undefined;
        return;
      case 'takeCall': {
        const offer = conn.offer;
        conn.offer = undefined;
        // The beep is heard whole before the caller is put through.
        void (conn.beep ?? Promise.resolve()).then(() => offer?.resolve(leg));
        return;
      }
      case 'missCall':
        conn.offer?.resolve(undefined);
        conn.offer = undefined;
        return;
      case 'hangUpDevice':
        conn.dialling.abort();
        if (leg !== undefined && !leg.isEnded) leg.hangup(200);
        return;
      case 'failed':
        return void this.emit('lost', conn.agent, SYSTEM_REASONS.deviceFailed);
      case 'lost':
        this.logger.info({ agentId: conn.agent }, 'persistent connection lost');
        return void this.emit('lost', conn.agent, SYSTEM_REASONS.deviceDisconnected);
    }
  }

  private async idleAudio(conn: Connection): Promise<void> {
    const leg = conn.leg;
    if (leg === undefined || leg.isEnded) return;
    await leg.stopPlay();
    if (conn.device.persistent?.idle !== 'music') return;
    const items = await this.deps.musicOnHold(undefined);
    if (conn.session.state === 'idle' && conn.leg === leg && items.length > 0)
      leg.startPlay(items, { loop: true });
  }

  private forget(conn: Connection): void {
    if (this.byAgent.get(conn.agent) === conn) this.byAgent.delete(conn.agent);
    if (conn.leg === undefined) return;
    this.byLeg.delete(conn.leg);
    this.deps.control.protect(conn.leg, false);
  }
}
