/**
 * The dispatcher: event-driven and pure in the sense of principle 3 — it holds queue, agent
 * and call state in indexed structures, is told what happened (with the time), and answers
 * with decisions for its adapter. It reads no clock, starts no timer and draws no random
 * number of its own: `now` comes with every event, `tick(now)` fires due deadlines, the
 * random source is injected.
 *
 * Choosing an agent for a new call scans the queue's ready agents (ranking, strategies/);
 * choosing a call for a freed agent asks each of the agent's queues for its best call
 * (waiting.ts). Neither scans the waiting calls.
 */
import { isAvailable, LOGGED_OUT, type AgentEvent } from './agent-state.js';
import type { AgentCommand, DispatcherOptions } from './dispatcher-core.js';
import { DispatcherTimers } from './dispatcher-timers.js';
import { AcdError } from './errors.js';
import { zeroAgentCounters, type LiveCall } from './live.js';
import { checkPriority } from './priority.js';
import { checkSkills, type MembershipInit } from './queue-runtime.js';
import { agentSnapshot, queueSnapshot, type AgentSnapshot, type QueueSnapshot } from './snapshot.js';
import type { QueueOutcome } from './stats.js';
import type {
  Agent,
  AgentSkills,
  CallLeftReason,
  Decision,
  OfferRejectReason,
  QueueCallInit,
  QueueConfig,
} from './types.js';

export type { AgentCommand, DispatcherOptions, MembershipInit };

export class Dispatcher extends DispatcherTimers {
  // ── configuration ────────────────────────────────────────────────────────────────────

  addAgent(
    agent: { readonly id: string; readonly name: string; readonly skills: AgentSkills },
    now: number,
  ): void {
    if (this.agents.has(agent.id))
      throw new AcdError('ACD_DUPLICATE', `agent "${agent.id}" already exists`, { agentId: agent.id });
    this.agents.set(agent.id, {
      id: agent.id,
      name: agent.name,
      skills: checkSkills(agent.skills, `agent "${agent.id}" skills`),
      state: LOGGED_OUT,
      queues: new Map(),
      availableSince: now,
      lastCallEndedAt: undefined,
      callsTaken: 0,
      talkTimeMs: 0,
      stateSince: now,
      acdCall: undefined,
      wrapUpId: 0,
      counters: zeroAgentCounters(now),
    });
  }

  /** Changes an agent's skills; applies to the next decision. */
  setSkills(agentId: string, skills: AgentSkills): void {
    this.agentRec(agentId).skills = checkSkills(skills, `agent "${agentId}" skills`);
  }

  // ── agent events ─────────────────────────────────────────────────────────────────────

  /** Signs an agent in to the chosen queues (上班), not ready unless `ready`. */
  login(agentId: string, memberships: readonly MembershipInit[], now: number, ready = false): Decision[] {
    const agent = this.agentRec(agentId);
    const out: Decision[] = [];
    for (const m of memberships) this.runtime(m.queue); // unknown queue: refuse before any change
    if (agent.state.presence.kind === 'loggedOut') {
      // fewestCalls and leastTalkTime count from the login (the daily figures go on).
      agent.callsTaken = 0;
      agent.talkTimeMs = 0;
    }
    const effects = this.move(agent, { type: 'login', ready }, now);
    for (const m of memberships) this.runtime(m.queue).addMember(agent, m);
    if (isAvailable(agent.state)) for (const q of agent.queues.keys()) this.runtime(q).readyIdle.add(agent);
    this.applyEffects(agent, effects, now, out);
    return out;
  }

  /** Something the agent (or a supervisor, or the phone) did. */
  agentChanged(agentId: string, event: AgentCommand, now: number): Decision[] {
    const agent = this.agentRec(agentId);
    const out: Decision[] = [];
    let ev: AgentEvent = event;
    if (event.type === 'hangup' || event.type === 'outboundEnd') ev = this.withWrapUp(agent, event, now);
    const wasReserved = agent.state.activity === 'reserved';
    const effects = this.move(agent, ev, now);
    if (agent.state.presence.kind === 'loggedOut') this.leaveAllQueues(agent, now, out);
    if (wasReserved && agent.state.activity !== 'reserved') this.dropFromOffer(agent, now, out);
    this.applyEffects(agent, effects, now, out);
    return out;
  }

  /** Looks for a waiting call for a ready, idle agent. */
  agentAvailable(agentId: string, now: number): Decision[] {
    const out: Decision[] = [];
    this.dispatchAgent(this.agentRec(agentId), now, out);
    return out;
  }

  // ── call events ──────────────────────────────────────────────────────────────────────

  callArrived(init: QueueCallInit, now: number): Decision[] {
    if (this.calls.has(init.id))
      throw new AcdError('ACD_DUPLICATE', `call "${init.id}" is already queued`, { callId: init.id });
    checkPriority(init.priority, `call "${init.id}" priority`);
    if (init.skills !== undefined) checkSkills(init.skills, `call "${init.id}" skills`);
    for (const q of init.queues) this.runtime(q);
    const call: LiveCall = {
      id: init.id,
      init,
      skills: init.skills,
      override: undefined,
      status: 'waiting',
      seats: new Map(),
      offer: undefined,
      waitingFor: undefined,
      deferred: [],
      callback: init.callback === true,
    };
    this.calls.set(call.id, call);
    const out: Decision[] = [];
    for (const q of init.queues) {
      if (!this.calls.has(call.id)) return out; // an overflow sent it out of the ACD
      this.join(call, q, now, out, new Set());
    }
    if (call.seats.size === 0) {
      this.calls.delete(call.id);
      return out;
    }
    if (!this.holdForLastAgent(call, now, out)) this.placeCall(call, now, out);
    return out;
  }

  /** The agent answered: the call leaves every queue it waited in. */
  offerAccepted(callId: string, agentId: string, now: number): Decision[] {
    const { call, agent, offer } = this.offerOf(callId, agentId);
    const out: Decision[] = [];
    this.move(agent, { type: 'answer' }, now);
    agent.callsTaken++;
    agent.counters.answered++;
    agent.acdCall = { queue: offer.queue, answeredAt: now };
    offer.agentIds.delete(agentId);
    const others = [...offer.agentIds];
    call.offer = undefined;
    for (const [q, seat] of call.seats) {
      const outcome: QueueOutcome =
        q === offer.queue
          ? { kind: 'answered', waitMs: now - seat.enteredAt }
          : { kind: 'answeredElsewhere' };
      this.leaveQueue(call, q, outcome, now);
    }
    this.calls.delete(callId);
    if (others.length > 0) {
      out.push({ kind: 'cancelOffer', callId, agentIds: others });
      for (const id of others) this.cancelAgentOffer(this.agentRec(id), now, out);
    }
    return out;
  }

  /**
   * The offer failed for this agent: ring-no-answer or an unreachable device. The agent is
   * made not ready (RONA / DEVICE_FAILED); once no agent is ringing any more, the call goes
   * back to the head of each of its queues and is offered again.
   */
  offerRejected(callId: string, agentId: string, reason: OfferRejectReason, now: number): Decision[] {
    const { call, agent, offer } = this.offerOf(callId, agentId);
    const out: Decision[] = [];
    this.rejectAgent(call, agent, reason, now, out);
    if (offer.agentIds.size === 0) this.returnCall(call, now, out);
    return out;
  }

  /** The caller hung up ('abandoned') or the call was taken out (IVR exit key, supervisor, transfer). */
  callLeft(callId: string, reason: CallLeftReason, now: number): Decision[] {
    const call = this.callRec(callId);
    const out: Decision[] = [];
    this.removeCall(
      call,
      (seat) =>
        reason === 'abandoned' ? { kind: 'abandoned', waitMs: now - seat.enteredAt } : { kind: 'removed' },
      now,
      out,
    );
    return out;
  }

  /**
   * The caller asked to be called back (queue callback key): the call keeps its seats and
   * its place, and no overflow, max-wait or announcement applies to it from now on.
   */
  toCallback(callId: string): void {
    this.callRec(callId).callback = true;
  }

  /** A supervisor sets a fixed priority (or `undefined` to return to base + aging). */
  setPriority(callId: string, priority: number | undefined, now: number): Decision[] {
    const call = this.callRec(callId);
    if (priority !== undefined) checkPriority(priority, `call "${callId}" priority`);
    call.override = priority;
    for (const [q, seat] of call.seats) {
      if (seat.entry !== undefined && !seat.entry.front) this.runtime(q).line.index(seat, false);
    }
    const out: Decision[] = [];
    if (call.status === 'waiting' && call.waitingFor === undefined) this.placeCall(call, now, out);
    return out;
  }

  // ── time ─────────────────────────────────────────────────────────────────────────────

  /** When the adapter should call tick next (ms), or undefined when nothing is pending. */
  nextDeadline(): number | undefined {
    return this.deadlines.next();
  }

  /** Fires every deadline due at `now`: RONA, overflow, max wait, last-agent waits, wrap-up, announcements. */
  tick(now: number): Decision[] {
    const out: Decision[] = [];
    for (let d = this.deadlines.popDue(now); d !== undefined; d = this.deadlines.popDue(now))
      this.fire(d, now, out);
    return out;
  }

  // ── queries ──────────────────────────────────────────────────────────────────────────

  agent(agentId: string): Agent {
    return this.agentRec(agentId);
  }

  queueConfig(queue: string): QueueConfig {
    return this.runtime(queue).config;
  }

  queueSnapshot(queue: string, now: number): QueueSnapshot {
    return queueSnapshot(this.runtime(queue), now);
  }

  agentSnapshot(agentId: string, now: number): AgentSnapshot {
    return agentSnapshot(this.agentRec(agentId), now);
  }

  /** Starts a new statistics day in every queue and for every agent (the adapter calls this at local midnight). */
  resetDay(now: number): void {
    for (const q of this.queues.values()) q.stats.resetToday();
    for (const a of this.agents.values()) a.counters = zeroAgentCounters(now);
  }

  /** Every agent the dispatcher knows (logged in now or earlier today). */
  agentIds(): string[] {
    return [...this.agents.keys()];
  }

  /** Counts of what the dispatcher holds (for health checks and benchmarks). */
  size(): { readonly calls: number; readonly agents: number; readonly queues: number } {
    return { calls: this.calls.size, agents: this.agents.size, queues: this.queues.size };
  }
}
