/**
 * The dispatcher's timers as data: a heap of due times that `tick(now)` drains. The
 * dispatcher starts no timer itself; its adapter calls tick at `nextDeadline()`. Stale
 * deadlines (the call left, the agent moved on) are recognised by their ids and dropped.
 */
import { Heap } from './heap.js';

export type Deadline =
  | { readonly kind: 'rona'; readonly at: number; readonly callId: string; readonly offerId: number }
  | {
      readonly kind: 'overflow';
      readonly at: number;
      readonly callId: string;
      readonly seatSeq: number;
      readonly rule: number;
    }
  | { readonly kind: 'maxWait'; readonly at: number; readonly callId: string; readonly seatSeq: number }
  | { readonly kind: 'announce'; readonly at: number; readonly callId: string; readonly seatSeq: number }
  | { readonly kind: 'lastAgent'; readonly at: number; readonly callId: string; readonly agentId: string }
  | { readonly kind: 'wrapUp'; readonly at: number; readonly agentId: string; readonly wrapUpId: number };

export class Deadlines {
  private seq = 0;
  private readonly heap = new Heap<{ d: Deadline; seq: number }>((a, b) =>
    a.d.at !== b.d.at ? a.d.at < b.d.at : a.seq < b.seq,
  );

  add(d: Deadline): void {
    this.heap.push({ d, seq: this.seq++ });
  }

  next(): number | undefined {
    return this.heap.peek()?.d.at;
  }

  /** The earliest deadline due at `now`, removed, or undefined. */
  popDue(now: number): Deadline | undefined {
    const top = this.heap.peek();
    if (top === undefined || top.d.at > now) return undefined;
    this.heap.pop();
    return top.d;
  }
}
