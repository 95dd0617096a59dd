/**
 * Releasing an agent's leg, whatever its device. A phone's or a mobile's leg is hung up; a
 * persistent connection (常摘机) is never hung up by a call request: it leaves the call
 * (unbridged, out of a conference) and goes back to idle for the next call, through the ACD
 * that owns it. Its protection against its partner leaving is the ACD's too, so the requests
 * that protect legs for a while never lift it.
 */
import type { Leg } from '../../call/control/leg.js';
import type { BackendContext } from './calls.js';
import type { Release } from './registry.js';

/** Whether `leg` is an agent's persistent connection: it outlives every call bridged into it. */
export function isConnection(ctx: BackendContext, leg: Leg): boolean {
  return ctx.deps.agents?.isConnection?.(leg) === true;
}

/** Lifts a protection a call request put on `leg`, unless the leg is a persistent connection. */
export function unprotect(ctx: BackendContext, leg: Leg): void {
  if (!isConnection(ctx, leg)) ctx.deps.control.protect(leg, false);
}

/**
 * The agent's leg leaves its call: hung up with `status` (remembering who released it, for
 * `callEnded`), or, for a persistent connection, taken out of the call and left up. True
 * when the leg stays up: the party it talked to is then still there.
 */
export function releaseAgentLeg(ctx: BackendContext, leg: Leg, by?: Release, status = 200): boolean {
  const seat = ctx.registry.conferences.get(leg);
  if (isConnection(ctx, leg)) {
    ctx.registry.conferences.delete(leg);
    if (seat !== undefined) void seat.room.remove(leg);
    ctx.deps.agents?.releaseConnection?.(leg);
    seat?.left();
    return true;
  }
  if (by !== undefined) ctx.registry.release(leg, by);
  leg.hangup(status);
  return false;
}
