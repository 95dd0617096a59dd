/**
 * Ringing a target for the CTI: an extension through call control, a number outside
 * through the router's outbound routes (`dialExternal`). Resolves once it answered or failed.
 */
import type { Call } from '../../call/control/call.js';
import type { Leg } from '../../call/control/leg.js';
import type { Party } from '../../call/control/types.js';
import { CtiError } from '../errors.js';
import type { CtiTarget } from '../protocol.js';
import type { BackendContext } from './calls.js';

export type DialOutcome = { readonly leg: Leg } | { readonly leg?: undefined; readonly status: number };

/** The number a consult or blind transfer target reaches; a queue is not a number. */
export function targetNumber(target: CtiTarget): string | undefined {
  if (target.type === 'agent') return target.agent;
  if (target.type === 'number') return target.number;
  return undefined;
}

/** Refuses early what cannot be dialled at all (a number outside with no outbound routing). */
export function checkDialable(ctx: BackendContext, number: string, field: string): void {
  if (!ctx.deps.isExtension(number) && ctx.deps.dialExternal === undefined) {
    throw new CtiError(
      'UNAVAILABLE',
      `${field}: ${number} is not an extension and no outbound routing is configured`,
      {
        field,
      },
    );
  }
}

export async function dialTarget(
  ctx: BackendContext,
  call: Call,
  number: string,
  caller: Party,
  signal: AbortSignal,
): Promise<DialOutcome> {
  const { control } = ctx.deps;
  const ringTimeoutMs = ctx.deps.ringTimeoutMs ?? control.deps.ringTimeoutMs;
  if (signal.aborted) return { status: 487 };
  if (!ctx.deps.isExtension(number)) {
    const r = await ctx.deps.dialExternal!(call, number, { caller, ringTimeoutMs, signal });
    return r.ok ? { leg: r.leg } : { status: r.status };
  }
  const leg = await control.originate(call, number, { caller, ringTimeoutMs });
  const cancel = () => leg.hangup(487);
  signal.addEventListener('abort', cancel);
  const answered = await control.answered(leg);
  signal.removeEventListener('abort', cancel);
  return answered ? { leg } : { status: leg.ended?.status ?? 480 };
}
