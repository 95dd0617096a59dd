/**
 * The agent state machine (STYLE principles 3 and 4): presence, chosen by the agent, and
 * activity, driven by calls, are two state spaces. Each event moves one of them (ronaTimeout
 * moves both) through its own table; a guard table says which state of the *other* space
 * the event needs. `transition` is the only code that computes an agent's next state.
 *
 *   presence:  loggedOut --login--> notReady(reason) <--notReady/ready--> ready
 *              ready|notReady --logout (when idle or in wrap-up)--> loggedOut
 *              supervisors: forceReady, forceNotReady, forceLogout (any activity)
 *
 *   activity:  idle --reserve--> reserved --answer--> talking <--hold/retrieve--> held
 *                                   |  ronaTimeout/offerCancelled/hangup -> idle
 *              talking|held --hangup--> wrapUp --wrapUpDone/wrapUpTimeout--> idle
 *              idle|wrapUp --outboundStart--> outbound --outboundEnd--> wrapUp
 *   A hangup with no wrap-up time, or by a logged-out agent, goes straight to idle.
 */
import { AcdError } from './errors.js';
import { SYSTEM_REASONS, type Activity, type AgentState, type Presence, type PresenceKind } from './types.js';

export type AgentEvent =
  | { readonly type: 'login'; readonly ready?: boolean }
  | { readonly type: 'logout' }
  | { readonly type: 'ready' }
  | { readonly type: 'notReady'; readonly reason: string }
  | { readonly type: 'forceLogout' }
  | { readonly type: 'forceReady' }
  | { readonly type: 'forceNotReady'; readonly reason?: string }
  | { readonly type: 'reserve'; readonly callId: string }
  | { readonly type: 'answer' }
  | { readonly type: 'hold' }
  | { readonly type: 'retrieve' }
  | { readonly type: 'hangup'; readonly wrapUpSeconds?: number | 'manual' }
  | { readonly type: 'offerCancelled' }
  | { readonly type: 'ronaTimeout'; readonly reason?: string }
  | { readonly type: 'wrapUpDone' }
  | { readonly type: 'wrapUpTimeout' }
  | { readonly type: 'outboundStart' }
  | { readonly type: 'outboundEnd'; readonly wrapUpSeconds?: number | 'manual' };

export type AgentEventType = AgentEvent['type'];

export type AgentEffect =
  /** The agent became ready and idle: look for a call for them. */
  | { readonly kind: 'available' }
  /** The agent is no longer ready and idle. */
  | { readonly kind: 'unavailable' }
  /** Wrap-up started with a timer; send wrapUpTimeout after `seconds`. */
  | { readonly kind: 'startWrapUpTimer'; readonly seconds: number }
  /** The agent was ringing and must stop (forced logout while reserved). */
  | { readonly kind: 'cancelOffer' };

export interface AgentTransition {
  readonly next: AgentState;
  readonly effects: readonly AgentEffect[];
}

type PresenceEventType =
  'login' | 'logout' | 'ready' | 'notReady' | 'forceLogout' | 'forceReady' | 'forceNotReady';
type ActivityEventType = Exclude<AgentEventType, PresenceEventType>;

/** Presence moves: state → event → next presence kind. */
export const PRESENCE_TABLE: Readonly<
  Record<PresenceKind, Partial<Readonly<Record<PresenceEventType, PresenceKind>>>>
> = {
  loggedOut: { login: 'notReady' },
  ready: { notReady: 'notReady', logout: 'loggedOut', forceNotReady: 'notReady', forceLogout: 'loggedOut' },
  notReady: {
    ready: 'ready',
    notReady: 'notReady',
    logout: 'loggedOut',
    forceReady: 'ready',
    forceNotReady: 'notReady',
    forceLogout: 'loggedOut',
  },
};

/** Activity moves: state → event → next activity. */
export const ACTIVITY_TABLE: Readonly<
  Record<Activity, Partial<Readonly<Record<ActivityEventType, Activity>>>>
> = {
  idle: { reserve: 'reserved', outboundStart: 'outbound' },
  reserved: { answer: 'talking', ronaTimeout: 'idle', offerCancelled: 'idle', hangup: 'idle' },
  talking: { hold: 'held', hangup: 'wrapUp' },
  held: { retrieve: 'talking', hangup: 'wrapUp' },
  wrapUp: { wrapUpDone: 'idle', wrapUpTimeout: 'idle', outboundStart: 'outbound' },
  outbound: { outboundEnd: 'wrapUp' },
};

/** What an event needs of the other state space. */
const PRESENCE_GUARD: Partial<Readonly<Record<ActivityEventType, readonly PresenceKind[]>>> = {
  // Only a ready agent is offered calls; a logged-out agent makes no ACD outbound calls.
  reserve: ['ready'],
  outboundStart: ['ready', 'notReady'],
};
const ACTIVITY_GUARD: Partial<Readonly<Record<PresenceEventType, readonly Activity[]>>> = {
  // An agent logs out between calls; a supervisor's forceLogout works at any time.
  logout: ['idle', 'wrapUp'],
};

const PRESENCE_EVENTS: ReadonlySet<string> = new Set<PresenceEventType>([
  'login',
  'logout',
  'ready',
  'notReady',
  'forceLogout',
  'forceReady',
  'forceNotReady',
]);

function illegal(state: AgentState, event: AgentEvent): AcdError {
  const code = stateCode(state);
  return new AcdError(
    'ACD_ILLEGAL_AGENT_TRANSITION',
    `agent state machine: event "${event.type}" is illegal in state "${code}"`,
    { state: code, event: event.type },
  );
}

/** "ready/idle", "notReady(LUNCH)/wrapUp" … for errors and logs. */
export function stateCode(state: AgentState): string {
  const p = state.presence;
  return `${p.kind === 'notReady' ? `notReady(${p.reason})` : p.kind}/${state.activity}`;
}

export function isAvailable(state: AgentState): boolean {
  return state.presence.kind === 'ready' && state.activity === 'idle';
}

export const LOGGED_OUT: AgentState = { presence: { kind: 'loggedOut' }, activity: 'idle' };

function nextPresence(kind: PresenceKind, event: AgentEvent): Presence {
  if (kind === 'loggedOut') return { kind };
  if (kind === 'ready') return { kind };
  if (event.type === 'login') return { kind, reason: SYSTEM_REASONS.login };
  if (event.type === 'notReady') return { kind, reason: event.reason };
  if (event.type === 'forceNotReady') return { kind, reason: event.reason ?? SYSTEM_REASONS.supervisor };
  throw new Error(`unreachable: presence ${kind} from ${event.type}`);
}

function movePresence(state: AgentState, event: AgentEvent & { type: PresenceEventType }): AgentState {
  const kind = PRESENCE_TABLE[state.presence.kind][event.type];
  const guard = ACTIVITY_GUARD[event.type];
  if (kind === undefined || (guard !== undefined && !guard.includes(state.activity)))
    throw illegal(state, event);
  const target: PresenceKind = event.type === 'login' && event.ready === true ? 'ready' : kind;
  const presence = nextPresence(target, event);
  // Leaving the ACD ends ringing and wrap-up; a call in progress goes on (the agent is out
  // of the ACD, not off the phone).
  const leaves =
    presence.kind === 'loggedOut' && (state.activity === 'reserved' || state.activity === 'wrapUp');
  return { presence, activity: leaves ? 'idle' : state.activity };
}

function moveActivity(state: AgentState, event: AgentEvent & { type: ActivityEventType }): AgentState {
  let activity = ACTIVITY_TABLE[state.activity][event.type];
  const guard = PRESENCE_GUARD[event.type];
  if (activity === undefined || (guard !== undefined && !guard.includes(state.presence.kind))) {
    throw illegal(state, event);
  }
  if (activity === 'wrapUp') {
    const wrap = event.type === 'hangup' || event.type === 'outboundEnd' ? event.wrapUpSeconds : undefined;
    if (wrap === undefined || wrap === 0 || state.presence.kind === 'loggedOut') activity = 'idle';
  }
  if (event.type === 'ronaTimeout' && state.presence.kind !== 'loggedOut') {
    return { presence: { kind: 'notReady', reason: event.reason ?? SYSTEM_REASONS.rona }, activity };
  }
  return { presence: state.presence, activity };
}

/** The one function that moves an agent. Throws ACD_ILLEGAL_AGENT_TRANSITION naming state and event. */
export function transition(state: AgentState, event: AgentEvent): AgentTransition {
  const next = PRESENCE_EVENTS.has(event.type)
    ? movePresence(state, event as AgentEvent & { type: PresenceEventType })
    : moveActivity(state, event as AgentEvent & { type: ActivityEventType });
  const effects: AgentEffect[] = [];
  const was = isAvailable(state);
  const now = isAvailable(next);
  if (state.activity === 'reserved' && next.activity === 'idle' && event.type === 'forceLogout') {
    effects.push({ kind: 'cancelOffer' });
  }
  if (next.activity === 'wrapUp' && state.activity !== 'wrapUp') {
    const wrap = event.type === 'hangup' || event.type === 'outboundEnd' ? event.wrapUpSeconds : undefined;
    if (typeof wrap === 'number') effects.push({ kind: 'startWrapUpTimer', seconds: wrap });
  }
  if (!was && now) effects.push({ kind: 'available' });
  if (was && !now) effects.push({ kind: 'unavailable' });
  return { next, effects };
}
