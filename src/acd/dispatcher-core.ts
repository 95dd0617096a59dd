/**
 * The dispatcher's state and internal moves (see dispatcher.ts for the public, event-driven
 * API) and dispatcher-timers.ts for the deadlines. Split only to keep files small; nothing
 * outside these three files uses this class.
 */
import type { Logger } from '../platform/log.js';
import { isAvailable, stateCode, transition, type AgentEffect, type AgentEvent } from './agent-state.js';
import { Deadlines } from './deadlines.js';
import { AcdError } from './errors.js';
import type { AgentRecord, LiveCall } from './live.js';
import { checkPriority } from './priority.js';
import { QueueRuntime } from './queue-runtime.js';
import { bestAgents, type StrategyMemory } from './strategies/index.js';
import { before, type BestCall } from './waiting.js';
import type { Decision, OfferRejectReason, OverflowTarget, QueueConfig } from './types.js';
import { SYSTEM_REASONS } from './types.js';
import type { QueueOutcome } from './stats.js';

/** Agent events an adapter may report; the ones the dispatcher causes itself are excluded. */
export type AgentCommand = Exclude<
  AgentEvent,
  { type: 'login' | 'reserve' | 'answer' | 'ronaTimeout' | 'offerCancelled' | 'wrapUpTimeout' }
>;

export interface DispatcherOptions {
  readonly queues: readonly QueueConfig[];
  /** Uniform in [0, 1): used by the random and weighted-random strategies. */
  readonly rng: () => number;
  /** Length of the statistics' recent window (default 15 minutes). */
  readonly statsWindowMs?: number;
  readonly logger?: Logger;
}

export class DispatcherCore {
  protected readonly queues = new Map<string, QueueRuntime>();
  protected readonly agents = new Map<string, AgentRecord>();
  protected readonly calls = new Map<string, LiveCall>();
  /** Agent id → calls held for that agent by last-agent routing, oldest first. */
  protected readonly waiters = new Map<string, Set<LiveCall>>();
  protected readonly deadlines = new Deadlines();
  protected readonly rng: () => number;
  protected readonly statsWindowMs: number | undefined;
  protected readonly logger: Logger | undefined;
  protected seatSeq = 0;
  protected offerSeq = 0;
  protected readonly memory: StrategyMemory = {
    lastPosition: (queue) => this.queues.get(queue)?.lastPosition,
  };

  constructor(opts: DispatcherOptions) {
    this.rng = opts.rng;
    this.statsWindowMs = opts.statsWindowMs;
    this.logger = opts.logger;
    for (const q of opts.queues) this.setQueue(q);
  }

  // ── internals: agents ────────────────────────────────────────────────────────────────

  protected agentRec(agentId: string): AgentRecord {
    const a = this.agents.get(agentId);
    if (a === undefined) throw new AcdError('ACD_UNKNOWN_AGENT', `no agent "${agentId}"`, { agentId });
    return a;
  }

  protected callRec(callId: string): LiveCall {
    const c = this.calls.get(callId);
    if (c === undefined) throw new AcdError('ACD_UNKNOWN_CALL', `no call "${callId}" in the ACD`, { callId });
    return c;
  }

  protected runtime(queue: string): QueueRuntime {
    const q = this.queues.get(queue);
    if (q === undefined) throw new AcdError('ACD_UNKNOWN_QUEUE', `no queue "${queue}"`, { queue });
    return q;
  }

  /** The only place an agent's state is assigned: keeps the ready-agent indexes and time-in-state. */
  protected move(agent: AgentRecord, event: AgentEvent, now: number): readonly AgentEffect[] {
    const { next, effects } = transition(agent.state, event);
    const code = stateCode(agent.state);
    const spent = agent.counters.timeInStateMs;
    spent.set(code, (spent.get(code) ?? 0) + (now - Math.max(agent.stateSince, agent.counters.since)));
    const was = isAvailable(agent.state);
    agent.state = next;
    agent.stateSince = now;
    const is = isAvailable(next);
    if (was !== is) {
      for (const q of agent.queues.keys()) {
        const set = this.runtime(q).readyIdle;
        if (is) set.add(agent);
        else set.delete(agent);
      }
      if (is) agent.availableSince = now;
    }
    this.logger?.debug({ agentId: agent.id, event: event.type, state: stateCode(next) }, 'acd agent state');
    return effects;
  }

  protected applyEffects(
    agent: AgentRecord,
    effects: readonly AgentEffect[],
    now: number,
    out: Decision[],
  ): void {
    // Before any new offer: the previous call's handling ends when the agent is idle again.
    if (agent.state.activity === 'idle' && agent.acdCall !== undefined) this.endHandling(agent, now);
    for (const e of effects) {
      if (e.kind === 'startWrapUpTimer') {
        agent.wrapUpId++;
        this.deadlines.add({
          kind: 'wrapUp',
          at: now + e.seconds * 1000,
          agentId: agent.id,
          wrapUpId: agent.wrapUpId,
        });
      } else if (e.kind === 'available') {
        this.dispatchAgent(agent, now, out);
      }
    }
  }

  /** Hangup and outboundEnd get the wrap-up time of the queue the ACD call came from. */
  protected withWrapUp(
    agent: AgentRecord,
    event: AgentCommand & { type: 'hangup' | 'outboundEnd' },
    now: number,
  ): AgentEvent {
    if (event.wrapUpSeconds !== undefined || agent.acdCall === undefined) return event;
    if (agent.state.activity === 'talking' || agent.state.activity === 'held') {
      agent.talkTimeMs += now - agent.acdCall.answeredAt;
      agent.counters.talkMs += now - Math.max(agent.acdCall.answeredAt, agent.counters.since);
      agent.lastCallEndedAt = now;
    }
    const queue = this.queues.get(agent.acdCall.queue);
    return { ...event, wrapUpSeconds: queue?.config.wrapUpSeconds ?? 0 };
  }

  /** Handle time (talk + hold + wrap-up) ends when the agent is idle again. */
  protected endHandling(agent: AgentRecord, now: number): void {
    const call = agent.acdCall!;
    agent.acdCall = undefined;
    const handleMs = now - call.answeredAt;
    agent.counters.handled++;
    agent.counters.handleMs += handleMs;
    this.queues.get(call.queue)?.stats.record(now, { kind: 'handled', handleMs });
  }

  protected leaveAllQueues(agent: AgentRecord, now: number, out: Decision[]): void {
    for (const q of [...agent.queues.keys()]) this.runtime(q).removeMember(agent);
    const held = this.waiters.get(agent.id);
    if (held === undefined) return;
    this.waiters.delete(agent.id);
    for (const call of held) this.releaseHeld(call, now, out);
  }

  protected dispatchAgent(agent: AgentRecord, now: number, out: Decision[]): void {
    if (!isAvailable(agent.state)) return;
    const held = this.waiters.get(agent.id);
    if (held !== undefined) {
      for (const call of held) {
        held.delete(call);
        if (held.size === 0) this.waiters.delete(agent.id);
        call.waitingFor = undefined;
        const queue = [...call.seats.keys()].find((q) => agent.queues.has(q));
        if (queue !== undefined) return this.offer(call, queue, [agent.id], true, now, out);
        this.releaseHeld(call, now, out);
      }
    }
    let best: (BestCall & { queue: string }) | undefined;
    for (const q of agent.queues.keys()) {
      const rt = this.runtime(q);
      const c = rt.line.best(agent.skills, now, rt.config.aging);
      if (c !== undefined && (best === undefined || before(c, best))) best = { ...c, queue: q };
    }
    if (best !== undefined) {
      const call = this.callRec(best.entry.seat.call.id);
      this.offer(call, best.queue, [agent.id], false, now, out);
    }
  }

  protected rejectAgent(
    call: LiveCall,
    agent: AgentRecord,
    reason: OfferRejectReason,
    now: number,
    out: Decision[],
  ): void {
    call.offer?.agentIds.delete(agent.id);
    agent.counters.rona++;
    const code = reason === 'rona' ? SYSTEM_REASONS.rona : SYSTEM_REASONS.deviceFailed;
    this.move(agent, { type: 'ronaTimeout', reason: code }, now);
    out.push({ kind: 'agentState', agentId: agent.id, state: agent.state });
  }

  protected cancelAgentOffer(agent: AgentRecord, now: number, out: Decision[]): void {
    if (agent.state.activity !== 'reserved') return;
    this.applyEffects(agent, this.move(agent, { type: 'offerCancelled' }, now), now, out);
  }

  /** A ringing agent stopped ringing on their own account (forced logout): the call goes back. */
  protected dropFromOffer(agent: AgentRecord, now: number, out: Decision[]): void {
    for (const call of this.calls.values()) {
      if (call.offer?.agentIds.has(agent.id) !== true) continue;
      call.offer.agentIds.delete(agent.id);
      out.push({ kind: 'cancelOffer', callId: call.id, agentIds: [agent.id] });
      if (call.offer.agentIds.size === 0) this.returnCall(call, now, out);
      return;
    }
  }

  // ── internals: calls ─────────────────────────────────────────────────────────────────

  /** Joins one queue, applying its length and service-level rules first. */
  protected join(call: LiveCall, queue: string, now: number, out: Decision[], visited: Set<string>): void {
    const rt = this.runtime(queue);
    visited.add(queue);
    const rule = call.callback ? undefined : rt.arrivalOverflow(now);
    if (rule?.to.type === 'callback') {
      // The call keeps a seat here and will be called back.
      out.push({ kind: 'overflow', callId: call.id, queue, to: rule.to, rule: rule.kind });
      call.callback = true;
    } else if (rule !== undefined) {
      return this.overflow(call, queue, rule.to, rule.kind, now, out, visited);
    } else if (!call.callback && rt.config.maxLength > 0 && rt.line.size >= rt.config.maxLength) {
      out.push({ kind: 'rejected', callId: call.id, queue, reason: 'full' });
      return;
    }
    const seat = rt.seat(call, now, ++this.seatSeq);
    call.seats.set(queue, seat);
    rt.stats.record(now, { kind: 'offered' });
    for (const d of rt.deadlinesFor(call.id, seat)) this.deadlines.add(d);
  }

  /** Sends a call elsewhere: into another queue (it leaves this one), or out of the ACD. */
  protected overflow(
    call: LiveCall,
    from: string,
    to: OverflowTarget,
    rule: 'waited' | 'length' | 'serviceLevel',
    now: number,
    out: Decision[],
    visited: Set<string>,
  ): void {
    out.push({ kind: 'overflow', callId: call.id, queue: from, to, rule });
    if (to.type === 'callback' && call.seats.has(from)) {
      call.callback = true; // keeps its seat and place
      return;
    }
    if (call.seats.has(from)) this.leaveQueue(call, from, { kind: 'overflowed' }, now);
    if (
      to.type === 'queue' &&
      this.queues.has(to.queue) &&
      !visited.has(to.queue) &&
      !call.seats.has(to.queue)
    ) {
      if (to.priority !== undefined) call.override = checkPriority(to.priority, 'overflow priority');
      this.join(call, to.queue, now, out, visited);
      if (call.seats.size === 0) this.calls.delete(call.id);
      return;
    }
    if (to.type !== 'queue' || call.seats.size === 0)
      this.removeCall(call, () => ({ kind: 'removed' }), now, out);
  }

  /** Last-agent routing (ACD-3): offer at once, or hold the call for the agent a while. */
  protected holdForLastAgent(call: LiveCall, now: number, out: Decision[]): boolean {
    const hint = call.init.lastAgent;
    if (hint === undefined) return false;
    const agent = this.agents.get(hint.agentId);
    if (agent === undefined || agent.state.presence.kind === 'loggedOut') return false;
    for (const [q, seat] of call.seats) {
      const rule = this.runtime(q).config.lastAgent;
      if (rule === undefined || now - hint.at > rule.hours * 3_600_000 || !agent.queues.has(q)) continue;
      if (isAvailable(agent.state)) {
        this.offer(call, q, [agent.id], true, now, out);
        return true;
      }
      if (rule.waitSeconds <= 0) return false;
      for (const s of call.seats.values()) this.runtime(s.queue).line.unindex(s);
      call.waitingFor = agent.id;
      const set = this.waiters.get(agent.id) ?? new Set();
      set.add(call);
      this.waiters.set(agent.id, set);
      this.deadlines.add({
        kind: 'lastAgent',
        at: seat.enteredAt + rule.waitSeconds * 1000,
        callId: call.id,
        agentId: agent.id,
      });
      return true;
    }
    return false;
  }

  /** The last-agent wait is over: the call joins the normal line. */
  protected releaseHeld(call: LiveCall, now: number, out: Decision[]): void {
    call.waitingFor = undefined;
    if (!this.calls.has(call.id)) return;
    this.placeCall(call, now, out);
  }

  /** Offers a waiting call to the best agent of the first of its queues that has one; else indexes it. */
  protected placeCall(call: LiveCall, now: number, out: Decision[], front = false): void {
    const ctx = { now, rng: this.rng, memory: this.memory };
    for (const [q, seat] of call.seats) {
      const rt = this.runtime(q);
      const agents = bestAgents(rt.config, call, rt.readyIdle, ctx);
      if (agents.length > 0) return this.offer(call, q, agents, false, now, out);
      if (seat.entry === undefined || front) rt.line.index(seat, front);
    }
  }

  protected offer(
    call: LiveCall,
    queue: string,
    agentIds: readonly string[],
    lastAgent: boolean,
    now: number,
    out: Decision[],
  ): void {
    const rt = this.runtime(queue);
    for (const s of call.seats.values()) this.runtime(s.queue).line.unindex(s);
    call.status = 'offering';
    const offer = { id: ++this.offerSeq, queue, agentIds: new Set(agentIds), lastAgent };
    call.offer = offer;
    for (const id of agentIds) {
      const agent = this.agentRec(id);
      this.move(agent, { type: 'reserve', callId: call.id }, now);
      agent.counters.offers++;
    }
    rt.lastPosition = this.agentRec(agentIds[0]!).queues.get(queue)?.position;
    this.deadlines.add({
      kind: 'rona',
      at: now + rt.config.ringTimeoutSeconds * 1000,
      callId: call.id,
      offerId: offer.id,
    });
    out.push({ kind: 'offer', callId: call.id, queue, agentIds: [...agentIds], lastAgent });
  }

  /** Back at the head of the line in every queue, then offered again if someone is free. */
  protected returnCall(call: LiveCall, now: number, out: Decision[]): void {
    call.offer = undefined;
    call.status = 'waiting';
    for (const d of call.deferred) this.deadlines.add({ ...d, at: now });
    call.deferred = [];
    this.placeCall(call, now, out, true);
  }

  protected leaveQueue(call: LiveCall, queue: string, outcome: QueueOutcome, now: number): void {
    const rt = this.runtime(queue);
    rt.line.leave(call.id);
    call.seats.delete(queue);
    rt.stats.record(now, outcome);
  }

  /** Takes a call out of the ACD: every queue, any offer, any last-agent hold. */
  protected removeCall(
    call: LiveCall,
    outcome: (seat: { enteredAt: number }) => QueueOutcome,
    now: number,
    out: Decision[],
  ): void {
    for (const [q, seat] of [...call.seats]) this.leaveQueue(call, q, outcome(seat), now);
    this.calls.delete(call.id);
    if (call.waitingFor !== undefined) this.waiters.get(call.waitingFor)?.delete(call);
    const offer = call.offer;
    call.offer = undefined;
    if (offer !== undefined && offer.agentIds.size > 0) {
      out.push({ kind: 'cancelOffer', callId: call.id, agentIds: [...offer.agentIds] });
      for (const id of offer.agentIds) this.cancelAgentOffer(this.agentRec(id), now, out);
    }
  }

  protected offerOf(
    callId: string,
    agentId: string,
  ): { call: LiveCall; agent: AgentRecord; offer: NonNullable<LiveCall['offer']> } {
    const call = this.callRec(callId);
    const offer = call.offer;
    if (offer === undefined || !offer.agentIds.has(agentId)) {
      throw new AcdError('ACD_NO_SUCH_OFFER', `call "${callId}" is not being offered to agent "${agentId}"`, {
        callId,
        agentId,
      });
    }
    return { call, agent: this.agentRec(agentId), offer };
  }

  // ── configuration ─────────────────────────────────────────────────────────────────

  /** Adds a queue or changes one live: strategy and rules apply to the next decision. */
  setQueue(config: QueueConfig): void {
    const existing = this.queues.get(config.name);
    if (existing !== undefined) existing.reconfigure(config);
    else this.queues.set(config.name, new QueueRuntime(config, this.statsWindowMs));
  }
}
