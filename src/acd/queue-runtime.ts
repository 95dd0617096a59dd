/** One queue's live state inside the dispatcher: configuration, waiting line, agents, statistics. */
import type { Deadline } from './deadlines.js';
import { AcdError } from './errors.js';
import { estimateWaitSeconds, handleSecondsFor } from './ewt.js';
import type { AgentRecord, LiveCall } from './live.js';
import { basePriority } from './priority.js';
import { QueueStats } from './stats.js';
import type { AgentSkills, OverflowTarget, QueueConfig } from './types.js';
import { QueueLine, type Seat } from './waiting.js';

/** Joining a queue at login: tier 1 and the end of the queue's order unless told otherwise. */
export interface MembershipInit {
  readonly queue: string;
  readonly tier?: number;
  readonly position?: number;
  readonly weight?: number;
}

export function checkSkills(skills: AgentSkills, what: string): AgentSkills {
  for (const [name, level] of Object.entries(skills)) {
    if (!Number.isInteger(level) || level < 1 || level > 10) {
      throw new AcdError(
        'ACD_INVALID',
        `${what}: skill "${name}" must be a whole number from 1 to 10, got ${String(level)}`,
        {
          what,
          skill: name,
          level,
        },
      );
    }
  }
  return skills;
}

export class QueueRuntime {
  readonly line = new QueueLine();
  readonly stats: QueueStats;
  /** Members who are ready and idle: the candidates for a new call. */
  readonly readyIdle = new Set<AgentRecord>();
  readonly members = new Set<AgentRecord>();
  /** Position of the agent offered the previous call (round-robin memory). */
  lastPosition: number | undefined;
  private nextPosition = 1;

  constructor(
    public config: QueueConfig,
    statsWindowMs: number | undefined,
  ) {
    this.stats = new QueueStats({ serviceLevelSeconds: config.serviceLevelSeconds, windowMs: statsWindowMs });
  }

  reconfigure(config: QueueConfig): void {
    this.config = config;
    this.stats.serviceLevelSeconds = config.serviceLevelSeconds;
  }

  addMember(agent: AgentRecord, m: MembershipInit): void {
    const position = m.position ?? this.nextPosition;
    this.nextPosition = Math.max(this.nextPosition, position) + 1;
    agent.queues.set(this.config.name, {
      queue: this.config.name,
      tier: m.tier ?? 1,
      position,
      weight: m.weight ?? 1,
    });
    this.members.add(agent);
  }

  removeMember(agent: AgentRecord): void {
    agent.queues.delete(this.config.name);
    this.members.delete(agent);
    this.readyIdle.delete(agent);
  }

  seat(call: LiveCall, now: number, seq: number): Seat {
    const base = basePriority(call.init.priority, call.init.vip === true, this.config.vipPriority);
    const seat: Seat = { call, queue: this.config.name, seq, enteredAt: now, base, entry: undefined };
    this.line.join(seat);
    return seat;
  }

  /** Timers of a call that just joined: overflow by waiting time, max wait, announcements. */
  deadlinesFor(callId: string, seat: Seat): Deadline[] {
    const c = this.config;
    const out: Deadline[] = [];
    c.overflow.forEach((rule, i) => {
      if ('waitedSeconds' in rule.when) {
        out.push({
          kind: 'overflow',
          at: seat.enteredAt + rule.when.waitedSeconds * 1000,
          callId,
          seatSeq: seat.seq,
          rule: i,
        });
      }
    });
    if (c.maxWaitSeconds > 0)
      out.push({ kind: 'maxWait', at: seat.enteredAt + c.maxWaitSeconds * 1000, callId, seatSeq: seat.seq });
    if (c.announce.everySeconds > 0 && (c.announce.position || c.announce.estimatedWait)) {
      out.push({
        kind: 'announce',
        at: seat.enteredAt + c.announce.everySeconds * 1000,
        callId,
        seatSeq: seat.seq,
      });
    }
    return out;
  }

  /** The first rule that sends a new call elsewhere before it joins: queue length or service level. */
  arrivalOverflow(
    now: number,
  ): { readonly to: OverflowTarget; readonly kind: 'length' | 'serviceLevel' } | undefined {
    for (const rule of this.config.overflow) {
      const w = rule.when;
      if ('lengthAtLeast' in w && this.line.size >= w.lengthAtLeast) return { to: rule.to, kind: 'length' };
      if ('serviceLevelBelow' in w) {
        const f = this.stats.recentFigures(now);
        const finished = f.answered + f.abandoned - f.abandonedWithinSl + f.overflowed + f.timedOut;
        if (finished >= w.minCalls && f.serviceLevel !== undefined && f.serviceLevel < w.serviceLevelBelow) {
          return { to: rule.to, kind: 'serviceLevel' };
        }
      }
    }
    return undefined;
  }

  /** Ready members (talking or not) serve the line; idle ones take the first callers at once. */
  estimateWait(position: number, now: number): number | undefined {
    let staffed = 0;
    for (const a of this.members) if (a.state.presence.kind === 'ready') staffed++;
    const handleSeconds = handleSecondsFor(
      this.stats.recentFigures(now),
      this.stats.todayFigures(),
      this.config.defaultHandleSeconds,
    );
    return estimateWaitSeconds({
      position,
      staffedAgents: staffed,
      idleAgents: this.readyIdle.size,
      handleSeconds,
    });
  }
}
