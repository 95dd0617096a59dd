/**
 * Call events for agent desktops, from call control's leg events: an agent's leg that is
 * up while another party of its call is up is `callAnswered`; an agent's leg that ends is
 * `callEnded`; a phone's own hold is `callHeld` / `callRetrieved`. Requests that act on
 * calls (hold, transfer, conference) announce themselves through `emit`.
 *
 * A leg the ACD rings or connected to a queue call is the ACD's to report: it sends
 * `callAnswered` (with the queue) once caller and agent are bridged and `callEnded` (with
 * the queue, and why: transferred, forceReleased …) when the agent's part ends, so the legs'
 * own would be a second pair. A ringing leg the ACD never connected (rung out, answered too
 * late, the caller gone) still gets its `callEnded` here.
 */
import type { Leg } from '../../call/control/leg.js';
import type { LegEnd } from '../../call/control/types.js';
import type { CallControl } from '../../call/control/control.js';
import type { Clock } from '../../platform/clock.js';
import { CTI_PROTOCOL_VERSION, type CtiEvent } from '../protocol.js';
import type { CtiEmit } from '../types.js';
import type { AgentRegistry, Release } from './registry.js';

type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;
/** An event about a call, without the envelope and the agent (added by `emit`). */
export type CallEventBody = DistributiveOmit<Extract<CtiEvent, { callId: string }>, 'v' | 'at' | 'agent'>;

/** callEnded's `cause` from how the leg ended. */
export function endCause(end: LegEnd, connected: boolean, release: Release | undefined): string {
  if (release === 'supervisor') return 'forceReleased';
  if (connected) return 'normal';
  if (end.status === 486 || end.status === 600) return 'busy';
  if (end.status === 408 || end.status === 480 || end.status === 487) return 'noAnswer';
  return end.status < 300 ? 'normal' : 'failed';
}

/** callEnded's `by`: what the CTI did, else who sent the BYE. */
export function endedBy(
  end: LegEnd,
  release: Release | undefined,
): 'caller' | 'agent' | 'supervisor' | 'system' {
  if (release !== undefined) return release;
  if (end.by === 'remote') return 'agent';
  // Call control hangs up the agent's leg when its partner went away (status 200).
  return end.status === 200 ? 'caller' : 'system';
}

export class CallEvents {
  private sink: CtiEmit | undefined;
  private readonly connectedAt = new WeakMap<Leg, number>();
  private readonly followed = new WeakSet<Leg>();
  private readonly unsubscribe: () => void;

  constructor(
    private readonly control: CallControl,
    private readonly registry: AgentRegistry,
    private readonly clock: Pick<Clock, 'now'>,
    sink?: CtiEmit,
  ) {
    this.sink = sink;
    this.unsubscribe = control.onLegAttached((_call, leg) => this.follow(leg));
    for (const leg of control.legs()) this.follow(leg);
  }

  setSink(sink: CtiEmit): void {
    this.sink = sink;
  }

  close(): void {
    this.unsubscribe();
  }

  /** Sends one event about a call to one agent's audience. */
  emit(agent: string, body: CallEventBody): void {
    const event = { v: CTI_PROTOCOL_VERSION, at: this.clock.now(), agent, ...body } as CtiEvent;
    this.sink?.(event, { agents: [agent] });
  }

  /** When the agent's leg became connected to another party (for talkMs). */
  isConnected(leg: Leg): boolean {
    return this.connectedAt.has(leg);
  }

  private follow(leg: Leg): void {
    if (this.followed.has(leg)) return;
    this.followed.add(leg);
    leg.on('answered', () => this.checkAnswered(leg.callId));
    leg.on('hold', (held) => {
      if (!this.registry.isAgentLeg(leg)) return;
      this.emit(leg.party.number, { event: held ? 'callHeld' : 'callRetrieved', callId: leg.callId });
    });
    leg.on('ended', (end) => this.ended(leg, end));
    if (leg.isUp) this.checkAnswered(leg.callId);
  }

  /** Announces every agent's leg of the call that is up and has someone else up with it. */
  checkAnswered(callId: string): void {
    const call = this.control.get(callId);
    if (!call) return;
    const up = call.live.filter((l) => l.isUp);
    for (const leg of up) {
      if (this.connectedAt.has(leg) || !this.registry.isAgentLeg(leg)) continue;
      if (this.registry.acdOffers(leg) || this.registry.acdReports(leg)) continue;
      if (!up.some((other) => other !== leg && !this.registry.isSupervisorLeg(other))) continue;
      // Click-to-dial bridges the agent to the target a moment after the target answers:
      // announced once bridged (calls.ts calls this again), so requests sent on it find a partner.
      if (call.data['clickToDial'] !== undefined && this.control.partnerOf(leg) === undefined) continue;
      this.connectedAt.set(leg, this.clock.now());
      this.emit(leg.party.number, { event: 'callAnswered', callId });
    }
  }

  private ended(leg: Leg, end: LegEnd): void {
    if (!this.registry.isAgentLeg(leg) || this.registry.acdReports(leg)) return;
    const release = this.registry.releasedBy(leg);
    const since = this.connectedAt.get(leg);
    this.emit(leg.party.number, {
      event: 'callEnded',
      callId: leg.callId,
      by: endedBy(end, release),
      cause: endCause(end, since !== undefined, release),
      talkMs: since === undefined ? 0 : Math.max(0, this.clock.now() - since),
    });
  }
}
