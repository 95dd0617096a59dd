/**
 * A conference bridge with mix-minus and the supervisor roles of control.ts:
 *
 *   full     hears every other full member, plus whisperers aimed at it; heard by all
 *   listen   hears every full member; heard by nobody           (监听, monitor)
 *   whisper  hears every full member; heard only by whisperTo   (密语, coaching)
 *
 * Each tick the full members' frames are summed once into an Int32 accumulator; every
 * member's frame is then the sum less its own contribution, plus its whisperers,
 * saturated to 16 bits — N + N passes, not N × (N − 1). Pure: members expose the frame
 * they contributed (`heard`, already silent when muted) and receive theirs in `out`.
 */
import type { JoinOptions } from '../relay/control.js';
import type { EndpointId } from '../relay/types.js';
import { FRAME } from './types.js';

/** A member's audio: what its party said this tick (zeros when muted or silent). */
export interface MixInput {
  readonly id: EndpointId;
  readonly heard: Int16Array;
}

export interface MixerMember {
  readonly input: MixInput;
  readonly role: JoinOptions['role'];
  readonly whisperTo: EndpointId | null;
  /** What the member hears this tick. */
  readonly out: Int16Array;
  /** Members whose whispers this member hears (kept current on join and leave). */
  whisperers: MixerMember[];
}

export class Mixer {
  private readonly members = new Map<EndpointId, MixerMember>();
  private list: MixerMember[] = [];
  private readonly acc = new Int32Array(FRAME);

  constructor(readonly id: string) {}

  get size(): number {
    return this.members.size;
  }

  has(id: EndpointId): boolean {
    return this.members.has(id);
  }

  member(id: EndpointId): MixerMember | undefined {
    return this.members.get(id);
  }

  ids(): EndpointId[] {
    return [...this.members.keys()];
  }

  /** Adds or re-joins (a new role replaces the old one). */
  join(input: MixInput, options: JoinOptions): MixerMember {
    const member: MixerMember = {
      input,
      role: options.role,
      whisperTo: options.role === 'whisper' ? (options.whisperTo ?? null) : null,
      out: this.members.get(input.id)?.out ?? new Int16Array(FRAME),
      whisperers: [],
    };
    this.members.set(input.id, member);
    this.relink();
    return member;
  }

  leave(id: EndpointId): boolean {
    const had = this.members.delete(id);
    if (had) this.relink();
    return had;
  }

  private relink(): void {
    this.list = [...this.members.values()];
    for (const m of this.list) {
      m.whisperers = this.list.filter((w) => w.role === 'whisper' && w.whisperTo === m.input.id && w !== m);
    }
  }

  /** Computes every member's `out` from every member's `heard`. */
  mix(): void {
    const acc = this.acc;
    acc.fill(0);
    const list = this.list;
    for (let k = 0; k < list.length; k++) {
      const m = list[k]!;
      if (m.role !== 'full') continue;
      const h = m.input.heard;
      for (let i = 0; i < FRAME; i++) acc[i] = acc[i]! + h[i]!;
    }
    for (let k = 0; k < list.length; k++) {
      const m = list[k]!;
      const out = m.out;
      const own = m.role === 'full' ? m.input.heard : null;
      const whisperers = m.whisperers;
      for (let i = 0; i < FRAME; i++) {
        let v = acc[i]!;
        if (own !== null) v -= own[i]!;
        for (let w = 0; w < whisperers.length; w++) v += whisperers[w]!.input.heard[i]!;
        out[i] = v > 32767 ? 32767 : v < -32768 ? -32768 : v;
      }
    }
  }
}
