import type { JoinOptions, MixerId } from '../../media/index.js';
import type { CallControl } from './control.js';
import type { Leg } from './leg.js';

/**
 * A conference: legs mixed by one engine mixer. `full` members talk and listen; `listen`
 * (supervisor monitor) hears everyone and is heard by none; `whisper` is heard only by the
 * member it coaches. Ends (closing the mixer) when no full member is left.
 */
export class Conference {
  private readonly members = new Map<Leg, JoinOptions>();
  private closed = false;
  private readonly onEnded = new Map<Leg, () => void>();

  private constructor(
    private readonly control: CallControl,
    readonly mixer: MixerId,
    /** Called once when the conference closes. */
    private readonly onClose?: () => void,
  ) {}

  static async open(control: CallControl, onClose?: () => void): Promise<Conference> {
    const mixer = await control.deps.media.createMixer();
    return new Conference(control, mixer, onClose);
  }

  get size(): number {
    return this.members.size;
  }

  get isClosed(): boolean {
    return this.closed;
  }

  has(leg: Leg): boolean {
    return this.members.has(leg);
  }

  /** Adds a leg (leaving whatever bridge it was in). */
  async add(leg: Leg, options: JoinOptions = { role: 'full' }): Promise<void> {
    if (this.closed || leg.isEnded) return;
    await this.control.unbridge(leg);
    await this.control.retrieve(leg);
    this.members.set(leg, options);
    const ended = () => void this.remove(leg);
    this.onEnded.set(leg, ended);
    leg.once('ended', ended);
    await this.control.deps.media.join(this.mixer, leg.endpoint.id, options);
    this.control.log.info(
      { mixer: this.mixer, party: leg.party.number, role: options.role },
      'joined conference',
    );
  }

  async remove(leg: Leg): Promise<void> {
    if (!this.members.delete(leg)) return;
    const ended = this.onEnded.get(leg);
    this.onEnded.delete(leg);
    if (ended) leg.off('ended', ended);
    if (!leg.isEnded) await this.control.deps.media.leave(this.mixer, leg.endpoint.id).catch(() => undefined);
    const talkers = [...this.members.values()].filter((m) => m.role === 'full').length;
    if (talkers === 0) await this.close();
  }

  /** Closes the mixer; members still in it stay up, in silence. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    for (const [leg, ended] of this.onEnded) leg.off('ended', ended);
    this.onEnded.clear();
    this.members.clear();
    await this.control.deps.media.closeMixer(this.mixer).catch(() => undefined);
    this.onClose?.();
  }
}
