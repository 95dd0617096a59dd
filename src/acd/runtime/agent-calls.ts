/**
 * What the CTI backend asks of the ACD about an agent's queue call, whatever the agent's
 * device: which leg the ACD offered or connected the call on (a ringing phone, the mobile
 * through a trunk once it answered, the open leg of a persistent connection, which lives in
 * a call of its own), and how the agent's part of the call ends when the desktop ends it
 * (COMPLETEAGENT, a force release, TRANSFER). Split from service.ts only to keep files small.
 */
import type { Leg } from '../../call/control/leg.js';
import { AcdCallbacks } from './callback.js';

export class AcdAgentCalls extends AcdCallbacks {
  /** The desktop answers a call offered on the agent's persistent connection; false when none waits. */
  answerOffer(callId: string, agent: string): boolean {
    return this.devices.persistent.answer(agent, callId);
  }

  /**
   * The agent's leg the ACD offered call `callId` on (while it rings) or connected it with;
   * undefined when there is none (not the agent's queue call, a mobile still ringing, ended).
   */
  agentLeg(callId: string, agent: string): Leg | undefined {
    const qc = this.agentCall.get(agent);
    if (qc?.call.id !== callId) return undefined;
    const leg = qc.agent === agent ? qc.agentLeg : qc.ringing.get(agent)?.leg;
    return leg?.isEnded === false ? leg : undefined;
  }

  /**
   * Whether the ACD sends the call events of this leg itself (`callAnswered` once bridged,
   * `callEnded` when the agent's part ends): a leg it connected to a queue call, or a
   * persistent connection, which is in no queue call.
   */
  reportsLeg(leg: Leg): boolean {
    return this.connectedLegs.has(leg) || this.devices.isPersistent(leg);
  }

  /**
   * The agent's desktop (`agent`) or a supervisor's force release (`supervisor`) ends the
   * agent's connected queue call: COMPLETEAGENT rather than the COMPLETECALLER a leg ended by
   * Hotline would suggest, `callEnded` with that `by`, and the agent's wrap-up. Only the
   * record: the caller of this releases the leg next. False when the agent is not talking on
   * that queue call.
   */
  agentReleased(callId: string, agent: string, by: 'agent' | 'supervisor'): boolean {
    const qc = this.agentCall.get(agent);
    if (qc?.call.id !== callId || qc.phase !== 'connected' || qc.agent !== agent) return false;
    this.complete(qc, by);
    return true;
  }

  /**
   * The agent handed its connected queue call on (a CTI transfer) to `to`, or a supervisor
   * took it over (intercept, `by` supervisor): TRANSFER in the queue log instead of COMPLETE*,
   * and the agent's part ends (wrap-up). False, and nothing written, when the agent is not
   * talking on that queue call.
   */
  agentTransferred(callId: string, agent: string, to: string, by: 'agent' | 'supervisor' = 'agent'): boolean {
    const qc = this.agentCall.get(agent);
    if (qc?.call.id !== callId || qc.phase !== 'connected' || qc.agent !== agent) return false;
    this.complete(qc, by, to);
    return true;
  }

  /** Whether `leg` is a persistent connection (it outlives the calls bridged into it). */
  isConnection(leg: Leg): boolean {
    return this.devices.isPersistent(leg);
  }

  /**
   * A persistent connection leaves the call it talks on, the other party staying (a transfer,
   * an intercept, a conference the agent leaves): unbridged, and idle for the next call. False
   * for any other leg (which the caller of this hangs up itself).
   */
  releaseConnection(leg: Leg): boolean {
    return this.devices.leave(leg);
  }
}
