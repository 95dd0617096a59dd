/** Pure mappings from the dispatcher's snapshots to the CTI-shaped status and statistics. */
import type { AgentSnapshot, QueueSnapshot } from '../snapshot.js';
import type { AcdAgentStats, AcdAgentStatus, AcdQueueStats } from './types.js';

/** The CTI activity of an agent: `ringing` while its phone rings, `reserved` while about to. */
export function agentStatusOf(
  snap: AgentSnapshot,
  now: number,
  call: { readonly callId: string; readonly ringing: boolean } | undefined,
): AcdAgentStatus {
  const p = snap.state.presence;
  const a = snap.state.activity;
  const activity: AcdAgentStatus['activity'] =
    a === 'idle'
      ? 'idle'
      : a === 'reserved'
        ? call?.ringing === true
          ? 'ringing'
          : 'reserved'
        : a === 'wrapUp' || a === 'held' || a === 'outbound'
          ? a
          : 'onCall';
  return {
    agent: snap.agentId,
    presence: p.kind,
    ...(p.kind === 'notReady' ? { reason: p.reason } : {}),
    activity,
    queues: [...snap.queues],
    ...(call !== undefined && a !== 'idle' && a !== 'wrapUp' ? { callId: call.callId } : {}),
    since: Math.round(now - snap.inStateSeconds * 1000),
  };
}

export function queueStatsOf(s: QueueSnapshot): AcdQueueStats {
  const sl = s.today.serviceLevel;
  return {
    queue: s.queue,
    waiting: s.waiting,
    longestWaitMs: Math.round(s.longestWaitSeconds * 1000),
    agentsLoggedIn: s.agents.loggedIn,
    agentsReady: s.agents.ready,
    agentsOnCall: s.agents.talking + s.agents.held,
    offered: s.today.offered,
    answered: s.today.answered,
    abandoned: s.today.abandoned,
    serviceLevel: sl === undefined ? null : sl / 100,
    agentsNotReady: s.agents.notReady,
    agentsInWrapUp: s.agents.wrapUp,
    asaMs: msOrNull(s.today.asaSeconds),
    ahtMs: msOrNull(s.today.ahtSeconds),
  };
}

/** An agent's status with its figures (offers, answers, RONA, talk, handle time, time per state). */
export function agentStatsOf(snap: AgentSnapshot, status: AcdAgentStatus): AcdAgentStats {
  const timeInStateMs: Record<string, number> = {};
  for (const [code, seconds] of Object.entries(snap.timeInStateSeconds))
    timeInStateMs[code] = Math.round(seconds * 1000);
  return {
    ...status,
    offered: snap.offered,
    answered: snap.answered,
    rona: snap.rona,
    talkMs: Math.round(snap.talkTimeSeconds * 1000),
    ahtMs: msOrNull(snap.ahtSeconds),
    timeInStateMs,
  };
}

function msOrNull(seconds: number | undefined): number | null {
  return seconds === undefined ? null : Math.round(seconds * 1000);
}
