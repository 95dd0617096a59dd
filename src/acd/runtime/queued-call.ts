/**
 * One caller in the ACD as the runtime sees it: the call and the caller's leg, where it
 * waits, the agents being rung, and — once an agent answered — the agent's leg. Also what
 * the waiting caller hears: the queue's greeting once, then music on hold, interrupted by
 * announcements; everything stops when an agent answers or the caller leaves.
 */
import type { Call } from '../../call/control/call.js';
import type { Leg } from '../../call/control/leg.js';
import type { PlayItem } from '../../media/index.js';
import type { QueueCallInit } from '../types.js';
import type { AcdEvent } from './types.js';

/** `callingBack`: an agent answered a callback and the caller is being dialled. */
export type QueuedPhase = 'waiting' | 'callingBack' | 'connected' | 'gone';

/** A caller who asked to be called back (回呼) and left: where to call, and how often we tried. */
export interface CallbackRequest {
  readonly number: string;
  readonly requestedAt: number;
  attempts: number;
}

/** An agent being rung for this call; `leg` is set once the INVITE is out (or a persistent leg beeps). */
export interface RingSlot {
  readonly agent: string;
  readonly queue: string;
  readonly since: number;
  leg: Leg | undefined;
  /** Stops alerting the agent's device (agent-device.ts). */
  stop?: () => void;
}

export interface QueuedCall {
  /** The call; a callback continues under the same CallID as a new Call object. */
  call: Call;
  /** The caller's leg (for a callback: the leg that dialled them back, once it answered). */
  leg: Leg;
  /** The queue the call is counted in now (the first joined, then overflow targets). */
  queue: string;
  /** Every queue it was placed in (the dispatcher may hold it in several). */
  readonly queues: Set<string>;
  readonly enteredAt: number;
  origPosition: number;
  phase: QueuedPhase;
  readonly ringing: Map<string, RingSlot>;
  agent: string | undefined;
  agentLeg: Leg | undefined;
  answeredAt: number | undefined;
  /** A greeting or announcement is playing (music resumes after it). */
  speaking: boolean;
  /** Set once the caller asked to be called back; they are no longer on the line. */
  callback: CallbackRequest | undefined;
  /** How the call entered the dispatcher (a callback tried again enters the same way). */
  arrival: QueueCallInit | undefined;
}

export function newQueuedCall(call: Call, leg: Leg, queues: readonly string[], now: number): QueuedCall {
  return {
    call,
    leg,
    queue: queues[0]!,
    queues: new Set(queues),
    enteredAt: now,
    origPosition: 1,
    phase: 'waiting',
    ringing: new Map(),
    agent: undefined,
    agentLeg: undefined,
    answeredAt: undefined,
    speaking: false,
    callback: undefined,
    arrival: undefined,
  };
}

/**
 * `callQueued`: the call waits in `queue` at `position` (1 = next), with the priority it
 * entered with; a supervisor's seat lists it and may pick it up, move it or reprioritise it.
 */
export function queuedEvent(qc: QueuedCall, queue: string, position: number, at: number): AcdEvent {
  const d = qc.call.data;
  return {
    event: 'callQueued',
    at,
    callId: qc.call.id,
    queue,
    caller: qc.call.caller,
    ...(typeof d['did'] === 'string' ? { called: d['did'] } : {}),
    position,
    priority: qc.arrival?.priority ?? 0,
    data: { ...d },
  };
}

const waiting = (qc: QueuedCall) => qc.phase === 'waiting' && qc.callback === undefined && !qc.leg.isEnded;

/** Starts (or restarts) the queue's music for a waiting caller who is not hearing a prompt. */
export async function playMusic(qc: QueuedCall, music: () => Promise<readonly PlayItem[]>): Promise<void> {
  if (!waiting(qc) || qc.speaking) return;
  const items = await music();
  if (!waiting(qc) || qc.speaking || items.length === 0) return;
  qc.leg.startPlay(items, { loop: true });
}

/**
 * Plays prompts to a waiting caller, interrupting the music, then resumes it. Prompts that
 * arrive while another plays are dropped (the next announcement comes soon enough).
 */
export async function speak(
  qc: QueuedCall,
  items: () => Promise<readonly PlayItem[]>,
  music: () => Promise<readonly PlayItem[]>,
): Promise<void> {
  if (!waiting(qc) || qc.speaking) return;
  qc.speaking = true;
  try {
    const said = await items();
    if (!waiting(qc) || said.length === 0) return;
    await qc.leg.stopPlay();
    if (waiting(qc)) await qc.leg.play(said);
  } finally {
    qc.speaking = false;
  }
  await playMusic(qc, music);
}
