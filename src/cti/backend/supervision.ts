/**
 * A supervisor on an agent's call (监听 / 密语 / 强插): the agent and the other party leave
 * their two-party bridge for a mixer, and the supervisor's device joins it as `listen`
 * (hears both, heard by none), `whisper` (heard by the agent only) or `full` (barge).
 *
 *   start ──(supervisor answers)──► mixed ──(supervisor hangs up)──► bridged again
 *                                        └──(agent or party hangs up)──► all released
 *
 * A second request of the same supervisor on the call changes the role in place.
 */
import type { Call } from '../../call/control/call.js';
import { Conference } from '../../call/control/conference.js';
import type { Leg } from '../../call/control/leg.js';
import type { JoinOptions } from '../../media/index.js';
import { CtiError } from '../errors.js';
import { releaseAgentLeg } from './agent-leg.js';
import type { BackendContext } from './calls.js';

export type SupervisionRole = JoinOptions['role'];

const BUSY_RETRIES = 20;
const BUSY_DELAY_MS = 50;

/**
 * Adds a leg to the room. A leg that was just unbridged may still be finishing its
 * recording, and the media engine refuses to move a recording endpoint (MEDIA_BUSY): retry.
 */
async function addToRoom(room: Conference, leg: Leg, options: JoinOptions): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    try {
      await room.add(leg, options);
      return;
    } catch (err) {
      const busy = (err as { code?: unknown }).code === 'MEDIA_BUSY';
      if (!busy || attempt >= BUSY_RETRIES) throw err;
      await new Promise((resolve) => setTimeout(resolve, BUSY_DELAY_MS));
    }
  }
}

export class SupervisionSession {
  private done = false;
  private readonly onPartyEnded = (): void => void this.partyLeft();
  private readonly onSupervisorEnded = (): void => void this.supervisorLeft();

  private constructor(
    private readonly ctx: BackendContext,
    readonly call: Call,
    readonly supervisor: string,
    readonly supervisorLeg: Leg,
    readonly agentLeg: Leg,
    readonly party: Leg,
    private readonly room: Conference,
    public role: SupervisionRole,
  ) {}

  /** Rings the supervisor's device; once it answers, mixes the three. */
  static async start(
    ctx: BackendContext,
    call: Call,
    agentLeg: Leg,
    party: Leg,
    supervisor: string,
    role: SupervisionRole,
  ): Promise<SupervisionSession> {
    const { control } = ctx.deps;
    const contacts = control.deps.resolve(supervisor);
    if (contacts.length === 0)
      throw new CtiError('INVALID_STATE', `supervisor device ${supervisor} is not registered`);
    const leg = await control.originate(call, supervisor, {
      contacts,
      caller: { number: agentLeg.party.number, name: `${role} ${agentLeg.party.number}` },
      attach: false,
      role: 'supervisor',
    });
    // Marked before it joins the call, so that it never counts as an agent on it.
    ctx.registry.markSupervisor(leg);
    control.attach(call, leg);
    if (!(await control.answered(leg))) {
      throw new CtiError('INVALID_STATE', `supervisor device ${supervisor} did not answer`);
    }
    if (agentLeg.isEnded || party.isEnded) {
      leg.hangup(200);
      throw new CtiError('INVALID_STATE', `call ${call.id} ended while the supervisor's device rang`);
    }
    const room = await Conference.open(control);
    const session = new SupervisionSession(ctx, call, supervisor, leg, agentLeg, party, room, role);
    for (const l of [party, agentLeg]) l.once('ended', session.onPartyEnded);
    leg.once('ended', session.onSupervisorEnded);
    try {
      await addToRoom(room, party, { role: 'full' });
      await addToRoom(room, agentLeg, { role: 'full' });
      await addToRoom(room, leg, session.joinOptions(role));
    } catch (err) {
      leg.hangup(200);
      throw err;
    }
    ctx.log.info(
      { callId: call.id, supervisor, agent: agentLeg.party.number, role },
      'supervisor joined the call',
    );
    return session;
  }

  private joinOptions(role: SupervisionRole): JoinOptions {
    return role === 'whisper' ? { role, whisperTo: this.agentLeg.endpoint.id } : { role };
  }

  get isDone(): boolean {
    return this.done;
  }

  /** Monitor → whisper → barge and back, without ringing the supervisor again. */
  async setRole(role: SupervisionRole): Promise<void> {
    if (this.done) throw new CtiError('INVALID_STATE', `supervision of call ${this.call.id} has ended`);
    await addToRoom(this.room, this.supervisorLeg, this.joinOptions(role));
    this.role = role;
    this.ctx.log.info({ callId: this.call.id, supervisor: this.supervisor, role }, 'supervisor role changed');
  }

  /** Ends the session leaving the supervisor's leg up and unmixed (intercept takes it over). */
  async detach(): Promise<void> {
    if (this.finish()) await this.room.close();
  }

  private finish(): boolean {
    if (this.done) return false;
    this.done = true;
    this.agentLeg.off('ended', this.onPartyEnded);
    this.party.off('ended', this.onPartyEnded);
    this.supervisorLeg.off('ended', this.onSupervisorEnded);
    if (this.ctx.registry.sessions.get(this.call.id) === this)
      this.ctx.registry.sessions.delete(this.call.id);
    return true;
  }

  /** The agent or the other party hung up: without a bridge nobody else would end the rest. */
  private async partyLeft(): Promise<void> {
    if (!this.finish()) return;
    const gone = this.agentLeg.isEnded ? this.agentLeg : this.party;
    const end = gone.ended;
    if (end?.by === 'remote') {
      this.call.firstEnd ??= { by: gone === this.call.first ? 'caller' : 'callee', status: end.status };
    }
    // A persistent connection stays up, idle for the next call.
    if (!this.agentLeg.isEnded) releaseAgentLeg(this.ctx, this.agentLeg);
    for (const leg of [this.party, this.supervisorLeg]) leg.hangup(200);
    await this.room.close();
  }

  /** The supervisor left: the agent and the party talk in a plain bridge again. */
  private async supervisorLeft(): Promise<void> {
    if (!this.finish()) return;
    await this.room.close();
    if (this.agentLeg.isEnded || this.party.isEnded) return;
    const [a, b] =
      this.call.first === this.agentLeg ? [this.agentLeg, this.party] : [this.party, this.agentLeg];
    await this.ctx.deps.control.bridge(a, b);
    this.ctx.log.info(
      { callId: this.call.id, supervisor: this.supervisor },
      'supervisor left; call bridged again',
    );
  }
}
