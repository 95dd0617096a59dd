/**
 * The dispatcher's deadlines (RONA, overflow by time, max wait, last-agent waits, wrap-up,
 * announcements) and the position and wait estimate that announcements use. Split from
 * dispatcher-core.ts only to keep files small.
 */
import { DispatcherCore } from './dispatcher-core.js';
import type { Deadline } from './deadlines.js';
import { AcdError } from './errors.js';
import type { LiveCall } from './live.js';
import type { Decision } from './types.js';

export class DispatcherTimers extends DispatcherCore {
  // ── internals: deadlines ─────────────────────────────────────────────────────────────

  protected fire(d: Deadline, now: number, out: Decision[]): void {
    if (d.kind === 'wrapUp') {
      const agent = this.agents.get(d.agentId);
      if (agent === undefined || agent.wrapUpId !== d.wrapUpId || agent.state.activity !== 'wrapUp') return;
      this.applyEffects(agent, this.move(agent, { type: 'wrapUpTimeout' }, now), now, out);
      out.push({ kind: 'agentState', agentId: agent.id, state: agent.state });
      return;
    }
    const call = this.calls.get(d.callId);
    if (call === undefined) return;
    if (d.kind === 'rona') {
      if (call.offer?.id !== d.offerId) return;
      for (const id of [...call.offer.agentIds]) this.rejectAgent(call, this.agentRec(id), 'rona', now, out);
      return this.returnCall(call, now, out);
    }
    if (d.kind === 'lastAgent') {
      if (call.waitingFor !== d.agentId) return;
      this.waiters.get(d.agentId)?.delete(call);
      return this.releaseHeld(call, now, out);
    }
    this.fireSeatDeadline(call, d, now, out);
  }

  protected fireSeatDeadline(
    call: LiveCall,
    d: Deadline & { kind: 'overflow' | 'maxWait' | 'announce' },
    now: number,
    out: Decision[],
  ): void {
    const seat = [...call.seats.values()].find((s) => s.seq === d.seatSeq);
    if (seat === undefined || call.callback) return;
    const rt = this.runtime(seat.queue);
    if (d.kind === 'announce') {
      if (call.status === 'waiting') out.push(this.announcement(call, seat.queue, now));
      this.deadlines.add({ ...d, at: now + rt.config.announce.everySeconds * 1000 });
      return;
    }
    if (call.status === 'offering') {
      call.deferred.push(d);
      return;
    }
    if (d.kind === 'overflow') {
      const rule = rt.config.overflow[d.rule];
      if (rule === undefined) return;
      this.overflow(call, seat.queue, rule.to, 'waited', now, out, new Set([seat.queue]));
      if (this.calls.has(call.id)) this.placeCall(call, now, out);
      return;
    }
    // A destination outside the ACD takes the call out of every queue; a queue is joined;
    // a callback keeps the call where it is.
    const to = rt.config.onMaxWait;
    if (to?.type === 'callback') {
      call.callback = true;
      out.push({ kind: 'timeout', callId: call.id, queue: seat.queue, to, stillWaiting: true });
      return;
    }
    const leaves = to !== undefined && to.type !== 'queue';
    this.leaveQueue(call, seat.queue, { kind: 'timedOut' }, now);
    out.push({
      kind: 'timeout',
      callId: call.id,
      queue: seat.queue,
      to,
      stillWaiting: !leaves && call.seats.size > 0,
    });
    if (to?.type === 'queue' && this.queues.has(to.queue) && !call.seats.has(to.queue)) {
      this.join(call, to.queue, now, out, new Set([seat.queue]));
    }
    if (leaves || call.seats.size === 0) this.removeCall(call, () => ({ kind: 'removed' }), now, out);
    else this.placeCall(call, now, out);
  }

  protected announcement(call: LiveCall, queue: string, now: number): Decision {
    return {
      kind: 'announce',
      callId: call.id,
      queue,
      position: this.position(call.id, queue, now),
      estimatedWaitSeconds: this.estimatedWait(call.id, queue, now),
    };
  }

  // ── queries ──────────────────────────────────────────────────────────────────────────

  /** 1-based position of the call in the queue (1 = next). */
  position(callId: string, queue: string, now: number): number {
    const rt = this.runtime(queue);
    const seat = this.callRec(callId).seats.get(queue);
    if (seat === undefined)
      throw new AcdError('ACD_UNKNOWN_CALL', `call "${callId}" is not in queue "${queue}"`, {
        callId,
        queue,
      });
    return rt.line.position(seat, now, rt.config.aging);
  }

  /** Estimated wait in seconds (ewt.ts), or undefined when no agent is staffed. */
  estimatedWait(callId: string, queue: string, now: number): number | undefined {
    return this.runtime(queue).estimateWait(this.position(callId, queue, now), now);
  }
}
