/**
 * A persistent connection (常摘机) to an agent's device, as data and one transition function
 * (pure; persistent-device.ts carries the effects out on the leg).
 *
 *   connecting ──up──▶ idle ──offer──▶ offered ──answer──▶ talking ──callEnded──▶ idle
 *       │               ▲                 │                   │
 *       │               └────withdraw─────┘                   │ close: stays talking
 *       │                                                     │ (closing), closed at callEnded
 *       └──── dropped (any live state) / close ─────────────▶ closed
 *
 * The agent's leg stays up the whole time: an offer beeps on it instead of ringing, the
 * answer (from the desktop, or automatic after a delay) bridges the caller into it, and the
 * caller leaving returns it to what it hears between calls.
 */
import { AcdError } from '../errors.js';

export type SessionState = 'connecting' | 'idle' | 'offered' | 'talking' | 'closed';

export interface Session {
  readonly state: SessionState;
  /** The agent logged out during a call: the connection ends with the call. */
  readonly closing: boolean;
}

export type SessionEvent =
  /** The device answered the call that opens the connection. */
  | 'up'
  /** A queued call is offered to the agent. */
  | 'offer'
  /** The agent answered (desktop) or the auto-answer delay passed. */
  | 'answer'
  /** The offer ended before an answer (RONA, answered elsewhere, the caller left). */
  | 'withdraw'
  /** The caller of the call in progress is gone. */
  | 'callEnded'
  /** The device hung up or could not be reached. */
  | 'dropped'
  /** The agent logged out. */
  | 'close';

export type SessionEffect =
  /** Tell the ACD the connection is up (the agent may go ready). */
  | 'connected'
  /** Play what the agent hears between calls (silence or music). */
  | 'idleAudio'
  /** Beep on the open leg (call waiting), instead of ringing. */
  | 'alert'
  | 'armAutoAnswer'
  | 'disarmAutoAnswer'
  /** Hand the open leg to the offered call (it is bridged next). */
  | 'takeCall'
  /** The offered call gets no leg (the device went away). */
  | 'missCall'
  | 'hangUpDevice'
  /** The connection never came up: the agent is not ready (DEVICE_FAILED). */
  | 'failed'
  /** The connection went away after it was up: the agent is not ready (DEVICE_DISCONNECTED). */
  | 'lost';

export interface SessionStep {
  readonly next: Session;
  readonly effects: readonly SessionEffect[];
}

type Rule = (s: Session) => SessionStep;

const to =
  (state: SessionState, ...effects: SessionEffect[]): Rule =>
  (s) => ({ next: { ...s, state }, effects });

const TABLE: Readonly<Record<SessionState, Partial<Record<SessionEvent, Rule>>>> = {
  connecting: {
    up: to('idle', 'idleAudio', 'connected'),
    dropped: to('closed', 'failed'),
    close: to('closed', 'hangUpDevice'),
  },
  idle: {
    offer: to('offered', 'alert', 'armAutoAnswer'),
    dropped: to('closed', 'lost'),
    close: to('closed', 'hangUpDevice'),
  },
  offered: {
    answer: to('talking', 'disarmAutoAnswer', 'takeCall'),
    withdraw: to('idle', 'disarmAutoAnswer', 'idleAudio'),
    dropped: to('closed', 'disarmAutoAnswer', 'missCall', 'lost'),
    close: to('closed', 'disarmAutoAnswer', 'missCall', 'hangUpDevice'),
  },
  talking: {
    callEnded: (s) => (s.closing ? to('closed', 'hangUpDevice')(s) : to('idle', 'idleAudio')(s)),
    dropped: to('closed', 'lost'),
    close: (s) => ({ next: { ...s, closing: true }, effects: [] }),
  },
  closed: {},
};

export const NEW_SESSION: Session = { state: 'connecting', closing: false };

/** Whether `event` is legal in the session's state. */
export function canStep(s: Session, event: SessionEvent): boolean {
  return TABLE[s.state][event] !== undefined;
}

/** The one place a session changes; an illegal pair throws ACD_ILLEGAL_DEVICE_TRANSITION. */
export function stepSession(s: Session, event: SessionEvent): SessionStep {
  const rule = TABLE[s.state][event];
  if (rule === undefined)
    throw new AcdError(
      'ACD_ILLEGAL_DEVICE_TRANSITION',
      `event "${event}" is illegal for a persistent connection in state "${s.state}"`,
      { state: s.state, event },
    );
  return rule(s);
}
