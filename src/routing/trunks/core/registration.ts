import { makeTransition, type TransitionTable } from '../../../platform/machine.js';

/*
 * Registration of Hotline with a trunk's registrar (RFC 3261 §10.2), as data plus one step
 * function. The adapter (registrar-client.ts) turns responses and timers into events and
 * carries out the effects; nothing here sends or waits.
 *
 *   unregistered ──start──▶ registering ──ok──▶ registered ──refreshDue──▶ refreshing
 *                              │   ▲               ▲                          │
 *                    challenge │   │ retryDue      └────────ok────────────────┤
 *                              ▼   │                                          │ challenge
 *                          challenged ──ok──▶ registered ◀──ok── challenged ◀─┘
 *                              │
 *   registering / challenged / refreshing ──forbidden / reject / unreachable──▶ failed
 *   challenged ──challenge (credentials refused)──▶ failed
 *   failed ──retryDue──▶ registering
 *   any ──stop──▶ unregistering ──(any answer)──▶ unregistered   (failed/unregistered: at once)
 *
 * `challenged` means a REGISTER with credentials is in flight: a second, non-stale challenge
 * there means the credentials were refused. A stale one (RFC 7616 §3.3) is answered again.
 */
export type RegistrationPhase =
  'unregistered' | 'registering' | 'challenged' | 'registered' | 'refreshing' | 'failed' | 'unregistering';

export type RegistrationEventType =
  | 'start'
  | 'ok'
  | 'challenge'
  | 'staleChallenge'
  | 'tooBrief'
  | 'forbidden'
  | 'reject'
  | 'unreachable'
  | 'refreshDue'
  | 'retryDue'
  | 'stop';

export type RegistrationEvent =
  | { readonly type: 'start' | 'refreshDue' | 'retryDue' | 'stop' | 'challenge' | 'staleChallenge' }
  /** A 2xx; `granted` is the expiry the registrar gave our Contact, in seconds. */
  | { readonly type: 'ok'; readonly granted: number }
  /** 423 Interval Too Brief with its Min-Expires (RFC 3261 §10.2.8). */
  | { readonly type: 'tooBrief'; readonly minExpires: number }
  /** 403, or credentials refused; `reason` says which. */
  | { readonly type: 'forbidden'; readonly reason?: string }
  /** Any other final failure; `retryAfter` (seconds) when the registrar said when to come back. */
  | { readonly type: 'reject'; readonly status: number; readonly retryAfter?: number }
  /** No answer (timeout), a transport error, or the host did not resolve. */
  | { readonly type: 'unreachable' };

const table: TransitionTable<RegistrationPhase, RegistrationEventType> = {
  unregistered: { start: 'registering', stop: 'unregistered' },
  registering: {
    ok: 'registered',
    challenge: 'challenged',
    staleChallenge: 'challenged',
    tooBrief: 'registering',
    forbidden: 'failed',
    reject: 'failed',
    unreachable: 'failed',
    stop: 'unregistering',
  },
  challenged: {
    ok: 'registered',
    challenge: 'failed',
    staleChallenge: 'challenged',
    tooBrief: 'challenged',
    forbidden: 'failed',
    reject: 'failed',
    unreachable: 'failed',
    stop: 'unregistering',
  },
  registered: { refreshDue: 'refreshing', stop: 'unregistering' },
  refreshing: {
    ok: 'registered',
    challenge: 'challenged',
    staleChallenge: 'challenged',
    tooBrief: 'refreshing',
    forbidden: 'failed',
    reject: 'failed',
    unreachable: 'failed',
    stop: 'unregistering',
  },
  failed: { retryDue: 'registering', stop: 'unregistered' },
  unregistering: {
    ok: 'unregistered',
    challenge: 'unregistering',
    staleChallenge: 'unregistering',
    tooBrief: 'unregistered',
    forbidden: 'unregistered',
    reject: 'unregistered',
    unreachable: 'unregistered',
    stop: 'unregistering',
  },
};

export const registrationTransition = makeTransition('trunk registration', table);

/** Timing rules; the defaults are what docs/trunks.md promises. */
export interface RegistrationPolicy {
  /** Expires Hotline asks for, seconds (`register.expires`). */
  readonly expires: number;
  /** Refresh after this share of the granted time. */
  readonly refreshRatio: number;
  /** First retry delay after a failure, ms; doubled per consecutive failure … */
  readonly retryBaseMs: number;
  /** … up to this. */
  readonly retryMaxMs: number;
  /** Consecutive refusals (403, or credentials refused) after which Hotline gives up … */
  readonly forbiddenLimit: number;
  /** … and tries again only this much later, ms. */
  readonly forbiddenRetryMs: number;
  /** Jitter: each delay is scaled by a factor drawn from [1 - jitter, 1 + jitter). */
  readonly jitter: number;
}

export const DEFAULT_REGISTRATION_POLICY: RegistrationPolicy = {
  expires: 300,
  refreshRatio: 0.85,
  retryBaseMs: 30_000,
  retryMaxMs: 600_000,
  forbiddenLimit: 3,
  forbiddenRetryMs: 3_600_000,
  jitter: 0.2,
};

export interface RegistrationState {
  readonly phase: RegistrationPhase;
  /** Expires asked for in the next REGISTER (raised by a 423). */
  readonly expires: number;
  /** Consecutive failures, for the backoff. */
  readonly failures: number;
  /** Consecutive refusals (403 or credentials refused). */
  readonly refusals: number;
  /** Challenges answered in `unregistering`, so that a refusing registrar cannot loop us. */
  readonly unregisterChallenges: number;
  /** Until when the registrar holds our binding (ms since the epoch); 0 when it does not. */
  readonly registeredUntil: number;
  /** When the next refresh or retry is due (ms since the epoch); 0 when none is. */
  readonly nextAttemptAt: number;
  /** Why the last attempt failed, for the admin API and logs. */
  readonly lastFailure?: string;
}

/** What the adapter must do after a step, in order. */
export type RegistrationEffect =
  /** Send a REGISTER asking for `expires` (0 = remove our binding); answer the last challenge when `authorize`. */
  | { readonly kind: 'send'; readonly expires: number; readonly authorize: boolean }
  | { readonly kind: 'timer'; readonly event: 'refreshDue' | 'retryDue'; readonly ms: number }
  | { readonly kind: 'clearTimer' };

export interface StepContext {
  readonly now: number;
  /** A number in [0, 1), for jitter. */
  readonly rng: () => number;
  readonly policy: RegistrationPolicy;
}

export interface StepResult {
  readonly state: RegistrationState;
  readonly effects: readonly RegistrationEffect[];
}

export function initialRegistration(policy: RegistrationPolicy): RegistrationState {
  return {
    phase: 'unregistered',
    expires: policy.expires,
    failures: 0,
    refusals: 0,
    unregisterChallenges: 0,
    registeredUntil: 0,
    nextAttemptAt: 0,
  };
}

/** When the binding counts as held: Hotline may expect calls to its Contact. */
export function isRegistered(state: RegistrationState, now: number): boolean {
  return state.registeredUntil > now && state.phase !== 'unregistering' && state.phase !== 'unregistered';
}

/** The delay before retry number `failures` (1 = first), jittered. */
export function retryDelayMs(
  failures: number,
  refusals: number,
  ctx: Pick<StepContext, 'rng' | 'policy'>,
  retryAfterSeconds?: number,
): number {
  const p = ctx.policy;
  let base: number;
  if (refusals >= p.forbiddenLimit) base = p.forbiddenRetryMs;
  else if (retryAfterSeconds !== undefined && retryAfterSeconds > 0)
    base = Math.min(retryAfterSeconds * 1000, p.retryMaxMs);
  else base = Math.min(p.retryBaseMs * 2 ** Math.max(0, failures - 1), p.retryMaxMs);
  const factor = 1 - p.jitter + 2 * p.jitter * ctx.rng();
  return Math.max(1000, Math.round(base * factor));
}

/** Refresh before the binding runs out: a share of the granted time, at least 1 s before it ends. */
export function refreshDelayMs(granted: number, policy: RegistrationPolicy): number {
  const ms = Math.floor(granted * policy.refreshRatio * 1000);
  return Math.max(500, Math.min(ms, granted * 1000 - 1000));
}

/**
 * Reads an event in the light of the state before the table sees it: a second non-stale
 * challenge to our credentials is a refusal, a 423 that does not raise the interval is a
 * plain failure, and a registrar that keeps challenging our un-REGISTER is left alone.
 */
function normalize(state: RegistrationState, event: RegistrationEvent): RegistrationEvent {
  const challenge = event.type === 'challenge' || event.type === 'staleChallenge';
  if (state.phase === 'unregistering' && challenge && state.unregisterChallenges >= 1) {
    return { type: 'reject', status: 401 };
  }
  if (state.phase === 'challenged' && event.type === 'challenge') {
    return { type: 'forbidden', reason: 'credentials refused (challenged again)' };
  }
  // RFC 3261 §10.2.8: retry with at least Min-Expires; one that does not raise it is a failure.
  if (event.type === 'tooBrief' && !(event.minExpires > state.expires))
    return { type: 'reject', status: 423 };
  return event;
}

/** Applies one event: the next state and what to do. Throws (ILLEGAL_TRANSITION) on an illegal pair. */
export function stepRegistration(
  state: RegistrationState,
  event: RegistrationEvent,
  ctx: StepContext,
): StepResult {
  const e = normalize(state, event);
  const phase = registrationTransition(state.phase, e.type);
  const next = { ...state, phase };
  if (state.phase === 'unregistering') return whileUnregistering(state, next, e);
  switch (e.type) {
    case 'start':
    case 'retryDue':
      return {
        state: { ...next, expires: ctx.policy.expires, nextAttemptAt: 0 },
        effects: [{ kind: 'clearTimer' }, { kind: 'send', expires: ctx.policy.expires, authorize: false }],
      };
    case 'refreshDue':
      // Answer the last challenge again (next nonce count) to save a round trip.
      return {
        state: { ...next, nextAttemptAt: 0 },
        effects: [{ kind: 'send', expires: state.expires, authorize: true }],
      };
    case 'ok':
      return onOk(next, e.granted, ctx);
    case 'challenge':
    case 'staleChallenge':
      return { state: next, effects: [{ kind: 'send', expires: state.expires, authorize: true }] };
    case 'tooBrief':
      return {
        state: { ...next, expires: e.minExpires },
        effects: [{ kind: 'send', expires: e.minExpires, authorize: state.phase !== 'registering' }],
      };
    case 'forbidden':
    case 'reject':
    case 'unreachable':
      return onFailure(state, next, e, ctx);
    case 'stop':
      return onStop(next);
  }
}

/** Once un-REGISTERing, every answer ends it; a first challenge is answered. */
function whileUnregistering(
  state: RegistrationState,
  next: RegistrationState,
  e: RegistrationEvent,
): StepResult {
  if (next.phase === 'unregistering') {
    if (e.type === 'challenge' || e.type === 'staleChallenge') {
      return {
        state: { ...next, unregisterChallenges: state.unregisterChallenges + 1 },
        effects: [{ kind: 'send', expires: 0, authorize: true }],
      };
    }
    return { state: next, effects: [] };
  }
  return { state: { ...next, registeredUntil: 0, nextAttemptAt: 0 }, effects: [{ kind: 'clearTimer' }] };
}

function onOk(next: RegistrationState, granted: number, ctx: StepContext): StepResult {
  const ms = refreshDelayMs(granted, ctx.policy);
  return {
    state: {
      ...next,
      failures: 0,
      refusals: 0,
      registeredUntil: ctx.now + granted * 1000,
      nextAttemptAt: ctx.now + ms,
      lastFailure: undefined,
    },
    effects: [{ kind: 'timer', event: 'refreshDue', ms }],
  };
}

function onFailure(
  state: RegistrationState,
  next: RegistrationState,
  e: Extract<RegistrationEvent, { type: 'forbidden' | 'reject' | 'unreachable' }>,
  ctx: StepContext,
): StepResult {
  const failures = state.failures + 1;
  const refusals = e.type === 'forbidden' ? state.refusals + 1 : 0;
  const retryAfter = e.type === 'reject' ? e.retryAfter : undefined;
  const ms = retryDelayMs(failures, refusals, ctx, retryAfter);
  const lastFailure =
    e.type === 'forbidden'
      ? (e.reason ?? '403 Forbidden')
      : e.type === 'reject'
        ? `${e.status}`
        : 'no answer';
  return {
    // A failed refresh leaves the old binding (registeredUntil) until it runs out.
    state: { ...next, failures, refusals, nextAttemptAt: ctx.now + ms, lastFailure },
    effects: [{ kind: 'timer', event: 'retryDue', ms }],
  };
}

function onStop(next: RegistrationState): StepResult {
  if (next.phase === 'unregistered') {
    return { state: { ...next, registeredUntil: 0, nextAttemptAt: 0 }, effects: [{ kind: 'clearTimer' }] };
  }
  return {
    state: { ...next, nextAttemptAt: 0, unregisterChallenges: 0 },
    effects: [{ kind: 'clearTimer' }, { kind: 'send', expires: 0, authorize: true }],
  };
}
