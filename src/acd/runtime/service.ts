/**
 * The ACD service: queues carrying real calls (call-flow.ts) plus the agent and queue
 * operations that desk-phone codes, the CTI backend and supervisors use. Agent ids are
 * extension numbers; an agent's device is its extension's registered phones.
 */
import type { Call } from '../../call/control/call.js';
import type { Leg } from '../../call/control/leg.js';
import { queueLog } from '../../report/queue-log.js';
import type { AgentCommand, MembershipInit } from '../dispatcher.js';
import { AcdError } from '../errors.js';
import { SYSTEM_REASONS } from '../types.js';
import type { LoginDevice } from './agent-device.js';
import { AcdAgentCalls } from './agent-calls.js';
import { DirectCalls } from './direct-calls.js';
import type { AcdServiceDeps } from './core.js';
import type { AgentFeatureCodes } from './feature-codes.js';
import { agentStatsOf, queueStatsOf } from './status.js';
import type {
  AcdAgentStats,
  AcdAgentStatus,
  AcdQueueStats,
  AgentService,
  MoveTarget,
  QueueService,
} from './types.js';

export class AcdService extends AcdAgentCalls implements AgentService, QueueService {
  constructor(deps: AcdServiceDeps) {
    super(deps);
    this.devices.persistent.on('connected', (agent, ready) => {
      if (ready) this.deviceMove(agent, { type: 'ready' });
    });
    this.devices.persistent.on('lost', (agent, reason) =>
      this.deviceMove(agent, { type: 'notReady', reason }),
    );
    this.direct = new DirectCalls({
      onLegAttached: (fn) => this.deps.control.onLegAttached(fn),
      agentOf: (leg) => (this.loggedInAt.has(leg.party.number) ? leg.party.number : undefined),
      isAcdLeg: (call, leg, agent) =>
        this.agentCall.get(agent)?.call.id === call.id ||
        call.data['acdDevice'] !== undefined ||
        call.data['acdFeature'] !== undefined ||
        this.devices.isPersistent(leg),
      busy: (agent, on) => this.directBusy(agent, on),
    });
  }

  private readonly direct: DirectCalls;

  /** A call the ACD did not give: the agent is `outbound` until its last one ends (direct-calls.ts). */
  private directBusy(agent: string, on: boolean): void {
    const { state } = this.dispatcher.agent(agent);
    const free = state.activity === 'idle' || state.activity === 'wrapUp';
    if (on && state.presence.kind !== 'loggedOut' && free)
      this.run((now) => this.dispatcher.agentChanged(agent, { type: 'outboundStart' }, now));
    else if (!on && state.activity === 'outbound')
      this.run((now) => this.dispatcher.agentChanged(agent, { type: 'outboundEnd', wrapUpSeconds: 0 }, now));
    else return;
    this.logger.info({ agentId: agent, busy: on }, 'agent on a call of its own');
    this.emitAgent(agent);
  }

  // ── agents ─────────────────────────────────────────────────────────────────────────────

  login(
    agent: string,
    queues?: readonly string[],
    opts: { readonly ready?: boolean; readonly device?: LoginDevice } = {},
  ): AcdAgentStatus {
    const cfg = this.config();
    const configured = cfg.agents.find((a) => a.agent === agent);
    const now = this.now();
    try {
      this.dispatcher.agent(agent);
    } catch {
      this.dispatcher.addAgent({ id: agent, name: agent, skills: configured?.skills ?? {} }, now);
    }
    if (configured !== undefined) this.dispatcher.setSkills(agent, configured.skills);
    const memberships: MembershipInit[] =
      queues === undefined
        ? (configured?.queues ?? []).map((m) => ({ ...m }))
        : queues.map((q) => configured?.queues.find((m) => m.queue === q) ?? { queue: q });
    if (memberships.length === 0)
      throw new AcdError(
        'ACD_INVALID',
        `agent "${agent}" has no queues to log in to (acd.agents or the request)`,
        {
          agentId: agent,
        },
      );
    // A persistent connection (常摘机) is dialled first: the agent is ready once it is up.
    const ready = opts.ready === true && !this.devices.connectsFirst(agent, opts.device);
    this.run((at) => this.dispatcher.login(agent, memberships, at, ready));
    this.loggedInAt.set(agent, now);
    this.devices.loggedIn(agent, opts.device, opts.ready === true);
    for (const m of memberships) {
      this.log.write(queueLog.agentLogin({ time: now, queue: m.queue, agent, device: agent }));
      this.log.write(queueLog.addMember({ time: now, queue: m.queue, agent, paused: !ready }));
    }
    this.logger.info({ agentId: agent, queues: memberships.map((m) => m.queue), ready }, 'agent logged in');
    this.emitAgent(agent);
    return this.statusOf(agent);
  }

  logout(agent: string): AcdAgentStatus {
    return this.memberChange(agent, { type: 'logout' });
  }

  ready(agent: string): AcdAgentStatus {
    // Without its persistent connection the agent's device is dialled; ready once it answers.
    if (this.loggedInAt.has(agent) && this.devices.readyLater(agent)) return this.statusOf(agent);
    return this.memberChange(agent, { type: 'ready' });
  }

  notReady(agent: string, reason: string): AcdAgentStatus {
    return this.memberChange(agent, { type: 'notReady', reason });
  }

  wrapUpDone(agent: string): AcdAgentStatus {
    return this.memberChange(agent, { type: 'wrapUpDone' });
  }

  force(agent: string, what: 'logout' | 'ready' | 'notReady', reason?: string): AcdAgentStatus {
    const event: AgentCommand =
      what === 'logout'
        ? { type: 'forceLogout' }
        : what === 'ready'
          ? { type: 'forceReady' }
          : { type: 'forceNotReady', reason: reason ?? SYSTEM_REASONS.supervisor };
    return this.memberChange(agent, event);
  }

  agentStatus(agents: readonly string[]): AcdAgentStatus[] {
    const out: AcdAgentStatus[] = [];
    for (const a of agents) {
      try {
        out.push(this.statusOf(a));
      } catch {
        // an agent the ACD has never seen is left out
      }
    }
    return out;
  }

  /** An agent event with its queue log rows (PAUSE, UNPAUSE, REMOVEMEMBER, AGENTLOGOFF). */
  private memberChange(agent: string, event: AgentCommand): AcdAgentStatus {
    this.config();
    const before = this.dispatcher.agent(agent);
    const queues = [...before.queues.keys()];
    const was = before.state.presence;
    this.run((now) => this.dispatcher.agentChanged(agent, event, now));
    const after = this.dispatcher.agent(agent).state.presence;
    const now = this.now();
    for (const queue of queues) {
      if (after.kind === 'loggedOut') {
        this.log.write(queueLog.removeMember({ time: now, queue, agent }));
        this.log.write(
          queueLog.agentLogoff({
            time: now,
            queue,
            agent,
            device: agent,
            loggedInMs: now - (this.loggedInAt.get(agent) ?? now),
          }),
        );
      } else if (after.kind === 'notReady' && (was.kind !== 'notReady' || was.reason !== after.reason)) {
        this.log.write(queueLog.pause({ time: now, queue, agent, reason: after.reason }));
      } else if (after.kind === 'ready' && was.kind !== 'ready') {
        this.log.write(queueLog.unpause({ time: now, queue, agent }));
      }
    }
    if (after.kind === 'loggedOut') {
      this.loggedInAt.delete(agent);
      this.devices.loggedOut(agent);
    }
    this.logger.info({ agentId: agent, event: event.type }, 'agent state changed');
    this.emitAgent(agent);
    return this.statusOf(agent);
  }

  // ── persistent connections (agent-device.ts) ───────────────────────────────────────────

  /**
   * The agent dialled the connect code: this call stays up as its persistent connection, and
   * the agent is logged in (to its configured queues) or made ready.
   */
  connectDevice(agent: string, leg: Leg): AcdAgentStatus {
    this.devices.adopt(agent, leg);
    try {
      return this.loggedInAt.has(agent) ? this.ready(agent) : this.login(agent, undefined, { ready: true });
    } catch (err) {
      this.devices.loggedOut(agent);
      throw err;
    }
  }

  override async stop(): Promise<void> {
    this.direct.close();
    this.devices.persistent.shutdown();
    await super.stop();
  }

  /** A persistent connection came up (ready) or went away (not ready), while the agent is logged in. */
  private deviceMove(agent: string, event: AgentCommand): void {
    if (!this.loggedInAt.has(agent)) return;
    try {
      this.memberChange(agent, event);
    } catch (err) {
      this.logger.warn({ err, agentId: agent, event: event.type }, 'device change not applied');
    }
  }

  /** The agents' desk-phone codes in force. */
  featureCodes(): AgentFeatureCodes {
    return this.config().featureCodes;
  }

  /** The not-ready reason a desk phone's not-ready code gives: the first configured one. */
  defaultReason(): string {
    return this.config().reasonCodes[0] ?? 'BREAK';
  }

  // ── queues ─────────────────────────────────────────────────────────────────────────────

  queueStats(queues: readonly string[]): AcdQueueStats[] {
    this.config();
    const now = this.now();
    const out: AcdQueueStats[] = [];
    for (const q of queues) {
      try {
        out.push(queueStatsOf(this.dispatcher.queueSnapshot(q, now)));
      } catch {
        // unknown queues are left out
      }
    }
    return out;
  }

  stats(
    queues?: readonly string[],
    agents?: readonly string[],
  ): { queues: AcdQueueStats[]; agents: AcdAgentStats[] } {
    const cfg = this.config();
    const now = this.now();
    const out: AcdAgentStats[] = [];
    for (const agent of agents ?? this.dispatcher.agentIds()) {
      try {
        out.push(agentStatsOf(this.dispatcher.agentSnapshot(agent, now), this.statusOf(agent)));
      } catch {
        // an agent the ACD has never seen is left out
      }
    }
    return { queues: this.queueStats(queues ?? cfg.queues.map((q) => q.name)), agents: out };
  }

  setCallPriority(callId: string, priority: number | undefined): void {
    this.run((now) => this.dispatcher.setPriority(callId, priority, now));
  }

  async moveCall(callId: string, to: MoveTarget): Promise<void> {
    const qc = this.waitingCall(callId);
    this.run((now) => this.dispatcher.callLeft(callId, 'removed', now));
    if (to.type === 'agent') return this.leave(qc, { type: 'extension', number: to.agent }, 'moved');
    qc.phase = 'gone';
    this.calls.delete(callId);
    // The watchers of the queue left see the call go, as for a move to an agent.
    this.emit(
      {
        event: 'callEnded',
        at: this.now(),
        callId,
        queue: qc.queue,
        by: 'system',
        cause: 'moved',
        talkMs: 0,
      },
      { queues: [qc.queue] },
    );
    await this.enqueue(qc.call, qc.leg, {
      queues: [to.queue],
      ...(to.priority !== undefined ? { priority: to.priority } : {}),
    });
  }

  async pickup(callId: string, by?: string): Promise<{ readonly call: Call; readonly leg: Leg }> {
    const qc = this.waitingCall(callId);
    const now = this.now();
    this.run((at) => this.dispatcher.callLeft(callId, 'removed', at));
    qc.phase = 'gone';
    this.calls.delete(callId);
    qc.call.setData('queueResult', 'pickedUp');
    qc.call.setData('queueWaitSeconds', Math.round((now - qc.enteredAt) / 1000));
    this.log.write(
      queueLog.connect({
        time: now,
        callId,
        queue: qc.queue,
        agent: by ?? 'NONE',
        holdMs: now - qc.enteredAt,
        bridgedCallId: '',
        ringMs: 0,
      }),
    );
    this.emit(
      { event: 'callEnded', at: now, callId, queue: qc.queue, by: 'system', cause: 'pickedUp', talkMs: 0 },
      { queues: [qc.queue] },
    );
    await qc.leg.stopPlay();
    return { call: qc.call, leg: qc.leg };
  }

  callAgents(callId: string): readonly string[] | undefined {
    const qc = this.calls.get(callId);
    if (qc === undefined) return undefined;
    return qc.agent !== undefined ? [qc.agent] : [...qc.ringing.keys()];
  }

  private waitingCall(callId: string) {
    const qc = this.calls.get(callId);
    if (qc === undefined || qc.phase !== 'waiting')
      throw new AcdError('ACD_UNKNOWN_CALL', `call "${callId}" is not waiting in a queue`, { callId });
    return qc;
  }
}
