import { MediaError } from '../errors.js';
import { checkJoin } from './checks.js';
import type { JoinOptions, MixerId } from './control.js';
import type { Entry, Placement } from './placement.js';
import type { EndpointId } from './types.js';
import type { WorkerChannel } from './worker-channel.js';

/** A mixer lives in the worker of its first member, until its last member leaves. */
interface MixerEntry {
  channel: WorkerChannel | null;
  readonly members: Set<EndpointId>;
}

/**
 * The main thread's side of the mixers: ids, members, and which worker mixes. A member
 * joining from another worker moves there (refused with MEDIA_BUSY while it records).
 */
export class MixerBook {
  private readonly mixers = new Map<MixerId, MixerEntry>();
  private seq = 0;

  constructor(private readonly placement: Placement) {}

  /** A new, empty mixer; it settles in the worker of its first member. */
  create(): Promise<MixerId> {
    this.placement.assertOpen();
    const id = `mix-${++this.seq}`;
    this.mixers.set(id, { channel: null, members: new Set() });
    return Promise.resolve(id);
  }

  /** Joins (or changes role); leaves a bridge or another mixer first. */
  async join(mixerId: MixerId, id: EndpointId, options: JoinOptions): Promise<void> {
    const o = checkJoin(id, options);
    const m = this.mixer(mixerId);
    const e = await this.placement.ready(id);
    if (o.whisperTo !== undefined && this.placement.get(o.whisperTo) === undefined) {
      throw new MediaError('MEDIA_UNKNOWN_ENDPOINT', `no media endpoint ${o.whisperTo} to whisper to`);
    }
    if (e.mixer !== null && e.mixer !== mixerId) await this.leave(e.mixer, id);
    m.channel ??= e.channel;
    try {
      if (e.channel !== m.channel) await this.placement.move(e, m.channel);
      await m.channel.request('join', { id, mixer: mixerId, options: o });
    } catch (err) {
      if (m.members.size === 0) m.channel = null;
      throw err;
    }
    e.mixer = mixerId;
    m.members.add(id);
  }

  /** Leaves the mixer (the endpoint goes idle). Not a member: nothing to do. */
  async leave(mixerId: MixerId, id: EndpointId): Promise<void> {
    const m = this.mixer(mixerId);
    if (!m.members.delete(id)) return;
    const e = this.placement.get(id);
    if (e) e.mixer = null;
    const channel = m.channel;
    if (m.members.size === 0) m.channel = null;
    if (channel && !channel.failed) await channel.request('leave', { id, mixer: mixerId });
  }

  /** Everyone leaves; later joins reject with MEDIA_UNKNOWN_MIXER. Idempotent. */
  async close(mixerId: MixerId): Promise<void> {
    const m = this.mixers.get(mixerId);
    if (!m) return;
    this.mixers.delete(mixerId);
    for (const id of m.members) {
      const e = this.placement.get(id);
      if (e) e.mixer = null;
    }
    if (m.channel && !m.channel.failed) await m.channel.request('closeMixer', { mixer: mixerId });
  }

  /** Leaves whatever mixer the endpoint is in (before connect, echo, disconnect). */
  async leaveAny(e: Entry): Promise<void> {
    if (e.mixer !== null && this.mixers.has(e.mixer)) await this.leave(e.mixer, e.id);
    e.mixer = null;
  }

  /** The endpoint closed (its worker removes it from the mixer itself). */
  forget(e: Entry): void {
    if (e.mixer === null) return;
    const m = this.mixers.get(e.mixer);
    if (m?.members.delete(e.id) && m.members.size === 0) m.channel = null;
    e.mixer = null;
  }

  private mixer(id: MixerId): MixerEntry {
    this.placement.assertOpen();
    const m = this.mixers.get(id);
    if (!m) throw new MediaError('MEDIA_UNKNOWN_MIXER', `no mixer ${id}`);
    return m;
  }
}
