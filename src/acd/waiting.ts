/**
 * The waiting calls of one queue, indexed so that "the best call for this agent" costs
 * O(buckets · log n) instead of a scan: calls are grouped into buckets by (skill
 * requirements, base priority); inside a bucket every call ages by the same formula, so the
 * oldest has the highest effective priority and a heap by entry time finds it. Calls sent
 * back after a ring-no-answer wait in a short front list, ahead of everybody (ACD-8).
 * Removal is lazy: an entry is marked inactive and skipped when it reaches a heap's top.
 */
import { hasSkills } from './eligibility.js';
import { Heap } from './heap.js';
import { agedPriority } from './priority.js';
import type { AgentSkills, AgingFormula, SkillRequirements } from './types.js';

/** What the line needs to know of a call. */
export interface SeatCall {
  readonly id: string;
  readonly skills: SkillRequirements | undefined;
  /** The supervisor's fixed priority, if any. */
  readonly override: number | undefined;
}

/** A call's place in one queue. */
export interface Seat {
  readonly call: SeatCall;
  readonly queue: string;
  /** Unique per join, so that timers of an earlier stay in the queue are recognised as stale. */
  readonly seq: number;
  readonly enteredAt: number;
  /** Base priority in this queue (VIP applied). */
  readonly base: number;
  /** Present while the call is in the line's index (not while offered or waiting for its last agent). */
  entry: Entry | undefined;
}

export interface Entry {
  readonly seat: Seat;
  readonly front: boolean;
  active: boolean;
}

interface Bucket {
  readonly skills: SkillRequirements | undefined;
  readonly priority: number;
  /** A supervisor's fixed priority: does not age. */
  readonly fixed: boolean;
  readonly heap: Heap<Entry>;
}

export interface BestCall {
  readonly entry: Entry;
  /** Effective priority now; Infinity for calls at the front. */
  readonly priority: number;
}

/** Is `a` to be served before `b`? Higher priority first, then the longer wait. */
export function before(a: BestCall, b: BestCall): boolean {
  if (a.priority !== b.priority) return a.priority > b.priority;
  const ea = a.entry.seat.enteredAt;
  const eb = b.entry.seat.enteredAt;
  return ea !== eb ? ea < eb : a.entry.seat.seq < b.entry.seat.seq;
}

export function skillsKey(skills: SkillRequirements | undefined): string {
  if (skills === undefined) return '';
  return Object.keys(skills)
    .sort()
    .map((k) => `${k}:${String(skills[k])}`)
    .join(',');
}

const byEntry = (a: Entry, b: Entry): boolean =>
  a.seat.enteredAt !== b.seat.enteredAt ? a.seat.enteredAt < b.seat.enteredAt : a.seat.seq < b.seat.seq;

export class QueueLine {
  /** Every call in the queue (waiting, offered, or waiting for its last agent), oldest first. */
  readonly seats = new Map<string, Seat>();
  private front: Entry[] = [];
  private readonly buckets = new Map<string, Bucket>();

  get size(): number {
    return this.seats.size;
  }

  oldestEnteredAt(): number | undefined {
    for (const seat of this.seats.values()) return seat.enteredAt;
    return undefined;
  }

  join(seat: Seat): void {
    this.seats.set(seat.call.id, seat);
  }

  leave(callId: string): Seat | undefined {
    const seat = this.seats.get(callId);
    if (seat === undefined) return undefined;
    this.unindex(seat);
    this.seats.delete(callId);
    return seat;
  }

  /** Puts the seat into the index: by priority bucket, or at the very front. */
  index(seat: Seat, front: boolean): void {
    this.unindex(seat);
    const entry: Entry = { seat, front, active: true };
    seat.entry = entry;
    if (front) {
      this.front.push(entry);
      return;
    }
    const fixed = seat.call.override !== undefined;
    const priority = seat.call.override ?? seat.base;
    const key = `${fixed ? 'f' : 'b'}${String(priority)}|${skillsKey(seat.call.skills)}`;
    let bucket = this.buckets.get(key);
    if (bucket === undefined) {
      bucket = { skills: seat.call.skills, priority, fixed, heap: new Heap(byEntry) };
      this.buckets.set(key, bucket);
    }
    bucket.heap.push(entry);
  }

  /** Takes the seat out of the index (it stays in the queue). */
  unindex(seat: Seat): void {
    if (seat.entry !== undefined) seat.entry.active = false;
    seat.entry = undefined;
  }

  /** The call an agent with these skills should take next from this queue, if any. */
  best(skills: AgentSkills, now: number, aging: AgingFormula): BestCall | undefined {
    let best: BestCall | undefined;
    if (this.front.length > 0) {
      this.front = this.front.filter((e) => e.active);
      for (const entry of this.front) {
        const c = { entry, priority: Infinity };
        if (hasSkills(skills, entry.seat.call.skills) && (best === undefined || before(c, best))) best = c;
      }
      if (best !== undefined) return best;
    }
    for (const [key, bucket] of this.buckets) {
      const head = this.head(key, bucket);
      if (head === undefined || !hasSkills(skills, bucket.skills)) continue;
      const priority = bucket.fixed
        ? bucket.priority
        : agedPriority(bucket.priority, now - head.seat.enteredAt, aging);
      const c = { entry: head, priority };
      if (best === undefined || before(c, best)) best = c;
    }
    return best;
  }

  /** Effective priority of an indexed seat now (Infinity at the front). */
  priorityOf(seat: Seat, now: number, aging: AgingFormula): number {
    if (seat.entry?.front === true) return Infinity;
    return seat.call.override ?? agedPriority(seat.base, now - seat.enteredAt, aging);
  }

  /** 1-based place among the indexed calls. O(n): meant for announcements, not for dispatch. */
  position(seat: Seat, now: number, aging: AgingFormula): number {
    const me = {
      entry: seat.entry ?? { seat, front: false, active: true },
      priority: this.priorityOf(seat, now, aging),
    };
    let ahead = 0;
    for (const other of this.seats.values()) {
      if (other === seat || other.entry === undefined) continue;
      if (before({ entry: other.entry, priority: this.priorityOf(other, now, aging) }, me)) ahead++;
    }
    return ahead + 1;
  }

  private head(key: string, bucket: Bucket): Entry | undefined {
    let top = bucket.heap.peek();
    while (top !== undefined && !top.active) {
      bucket.heap.pop();
      top = bucket.heap.peek();
    }
    if (top === undefined) this.buckets.delete(key);
    return top;
  }
}
