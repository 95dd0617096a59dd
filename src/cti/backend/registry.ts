/**
 * Which agents are on which calls: an agent's leg is a live leg whose party number is the
 * agent's extension, or the leg the ACD offered or connected a queue call on (a mobile's
 * leg, whose party is the mobile number; a persistent connection's leg, which lives in a
 * call of its own). Call control owns the legs; this registry only remembers what call
 * control does not know — who released a leg and why, the consultations, conferences and
 * supervision sessions the CTI started, the legs it holds, and the supervisors' own legs
 * (which must not count as agents on the call).
 */
import type { Call } from '../../call/control/call.js';
import type { Conference } from '../../call/control/conference.js';
import type { CallControl } from '../../call/control/control.js';
import type { Leg } from '../../call/control/leg.js';
import type { SupervisionSession } from './supervision.js';
import type { AgentPort } from './types.js';

/** What the registry asks the ACD: the agents of a queue call and their legs, whatever the device. */
export type AcdLegs = Pick<AgentPort, 'callAgents' | 'agentLeg' | 'reportsLeg'>;

/** A conference the CTI made, as one of its members sees it. */
export interface ConferenceSeat {
  readonly room: Conference;
  /** Checks who is left once a member went (the last one is released). */
  readonly left: () => void;
}

/** Who ended an agent's leg, when the CTI did it (callEnded's `by`). */
export type Release = 'agent' | 'supervisor' | 'system';

/** A consultation started by `consult`, under its own call id. */
export interface ConsultRecord {
  readonly agentName: string;
  /** The agent's leg and the party held meanwhile, in the call `callId`. */
  readonly agent: Leg;
  readonly held: Leg;
  readonly callId: string;
  /** The consult call: the target's leg lives there until a transfer or conference. */
  readonly consultCall: Call;
  readonly abort: AbortController;
  /** The consulted party once it answered. */
  target?: Leg;
}

export class AgentRegistry {
  private readonly releases = new WeakMap<Leg, Release>();
  private readonly supervisorLegs = new WeakSet<Leg>();
  /** Parties put on hold by `hold`, until `retrieve`. */
  readonly held = new Set<Leg>();
  readonly consults = new Map<string, ConsultRecord>();
  /** Supervision sessions by the monitored call's id. */
  readonly sessions = new Map<string, SupervisionSession>();
  /** Members of the conferences the CTI made, until the conference closes. */
  readonly conferences = new WeakMap<Leg, ConferenceSeat>();

  constructor(
    private readonly control: CallControl,
    private readonly isAgent: (number: string) => boolean,
    private readonly acd: AcdLegs = {},
  ) {}

  /** The live leg the ACD offered or connected call `callId` on for `agent`, if any. */
  private acdLeg(callId: string, agent: string): Leg | undefined {
    const leg = this.acd.agentLeg?.(callId, agent);
    return leg?.isEnded === false ? leg : undefined;
  }

  /** Whether the ACD sends this leg's callAnswered and callEnded itself. */
  acdReports(leg: Leg): boolean {
    return this.acd.reportsLeg?.(leg) === true;
  }

  /** Whether the ACD is offering its call on this leg now (a ringing phone). */
  acdOffers(leg: Leg): boolean {
    return this.acd.agentLeg?.(leg.callId, leg.party.number) === leg;
  }

  /** The agent whose leg `leg` is in the call: the ACD's word for a mobile or a connection, else its party. */
  agentOfLeg(callId: string, leg: Leg): string {
    for (const agent of this.acd.callAgents?.(callId) ?? [])
      if (this.acdLeg(callId, agent) === leg) return agent;
    return leg.party.number;
  }

  /** Whether `leg` is an agent's (not a supervisor's own device joining a call). */
  isAgentLeg(leg: Leg): boolean {
    return !this.supervisorLegs.has(leg) && this.isAgent(leg.party.number);
  }

  isSupervisorLeg(leg: Leg): boolean {
    return this.supervisorLegs.has(leg);
  }

  markSupervisor(leg: Leg, on = true): void {
    if (on) this.supervisorLegs.add(leg);
    else this.supervisorLegs.delete(leg);
  }

  /** The consultation the agent's leg is in, if any. */
  consultOf(leg: Leg): ConsultRecord | undefined {
    for (const c of this.consults.values()) if (c.agent === leg || c.held === leg) return c;
    return undefined;
  }

  release(leg: Leg, by: Release): void {
    if (!this.releases.has(leg)) this.releases.set(leg, by);
  }

  releasedBy(leg: Leg): Release | undefined {
    return this.releases.get(leg);
  }

  /**
   * The live legs of `agent` in the call, the ACD's first (the consult call resolves to the
   * agent's leg).
   */
  agentLegs(callId: string, agent: string): Leg[] {
    const consult = this.consults.get(callId);
    if (consult) return consult.agentName === agent && !consult.agent.isEnded ? [consult.agent] : [];
    const call = this.control.get(callId);
    if (!call) return [];
    const legs = call.live.filter((l) => l.party.number === agent && this.isAgentLeg(l));
    const acd = this.acdLeg(callId, agent);
    return acd === undefined || legs.includes(acd) ? legs : [acd, ...legs];
  }

  /** The agents party to a call, or undefined when there is no such call. */
  callAgents(callId: string): string[] | undefined {
    const consult = this.consults.get(callId);
    if (consult) return [consult.agentName];
    const call = this.control.get(callId);
    if (!call) return undefined;
    const agents = new Set<string>();
    for (const leg of call.live) if (this.isAgentLeg(leg)) agents.add(leg.party.number);
    for (const agent of this.acd.callAgents?.(callId) ?? [])
      if (this.acdLeg(callId, agent)) agents.add(agent);
    return [...agents];
  }
}
