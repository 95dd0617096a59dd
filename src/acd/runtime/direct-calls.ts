/**
 * Calls an agent is on that the ACD did not give them: dialling out from the desk phone or
 * the desktop, a colleague calling the extension, a consultation. While an agent has one,
 * the ACD shows them `outbound` (外呼/忙) and offers them nothing — without this a queue call
 * would ring a busy phone, fail, and make the agent not ready. When the last such call ends
 * the agent is idle again, without wrap-up.
 *
 * Call control reports every leg that joins a call; a leg is an agent's when its party is
 * the agent's number. Legs of the ACD's own calls and of persistent connections are not
 * counted (the ACD knows about those).
 */
import type { Call } from '../../call/control/call.js';
import type { Leg } from '../../call/control/leg.js';

export interface DirectCallsPort {
  /** Every leg that joins a call from now on; returns the unsubscribe. */
  onLegAttached(fn: (call: Call, leg: Leg) => void): () => void;
  /** The agent this leg's party is, when it is a logged-in agent. */
  agentOf(leg: Leg): string | undefined;
  /** Whether the ACD itself put this leg there (a queue call, a persistent connection). */
  isAcdLeg(call: Call, leg: Leg, agent: string): boolean;
  /** The agent's first direct call began (true) or its last one ended (false). */
  busy(agent: string, on: boolean): void;
}

export class DirectCalls {
  /** Agent → its live direct legs. */
  private readonly legs = new Map<string, Set<Leg>>();
  private readonly stop: () => void;

  constructor(private readonly port: DirectCallsPort) {
    this.stop = port.onLegAttached((call, leg) => this.attached(call, leg));
  }

  private attached(call: Call, leg: Leg): void {
    if (leg.isEnded) return;
    const agent = this.port.agentOf(leg);
    if (agent === undefined || this.port.isAcdLeg(call, leg, agent)) return;
    const set = this.legs.get(agent) ?? new Set<Leg>();
    if (set.has(leg)) return;
    set.add(leg);
    this.legs.set(agent, set);
    leg.once('ended', () => this.ended(agent, leg));
    if (set.size === 1) this.port.busy(agent, true);
  }

  private ended(agent: string, leg: Leg): void {
    const set = this.legs.get(agent);
    if (set === undefined || !set.delete(leg)) return;
    if (set.size > 0) return;
    this.legs.delete(agent);
    this.port.busy(agent, false);
  }

  /** Whether the agent is on a call the ACD did not give them. */
  isBusy(agent: string): boolean {
    return this.legs.has(agent);
  }

  close(): void {
    this.stop();
    this.legs.clear();
  }
}
