/**
 * The queue event log in the shape Asterisk's app_queue writes (queue_log), so existing
 * queue-report tools can read Hotline's: one entry per event of a queued call or of a
 * queue member, with up to five event-specific data fields.
 *
 * Units follow Asterisk: hold, wait, talk and ring times in whole seconds, except
 * RINGNOANSWER, whose ring time is in milliseconds. The builders below take milliseconds
 * and convert, so callers never have to remember which is which.
 */

export const QUEUE_LOG_EVENTS = [
  'ENTERQUEUE',
  'CONNECT',
  'COMPLETECALLER',
  'COMPLETEAGENT',
  'ABANDON',
  'EXITWITHTIMEOUT',
  'EXITWITHKEY',
  'EXITEMPTY',
  'RINGNOANSWER',
  'TRANSFER',
  'ADDMEMBER',
  'REMOVEMEMBER',
  'AGENTLOGIN',
  'AGENTLOGOFF',
  'PAUSE',
  'UNPAUSE',
] as const;

export type QueueLogEventName = (typeof QUEUE_LOG_EVENTS)[number];

/** What Asterisk writes where a call, queue or agent does not apply. */
export const QUEUE_LOG_NONE = 'NONE';
export const MAX_QUEUE_LOG_DATA = 5;

export interface QueueLogEntry {
  /** ms since the epoch (the file keeps whole seconds, the table keeps milliseconds). */
  readonly time: number;
  /** The queued call's id, or NONE for member events. */
  readonly callId: string;
  /** The queue, or NONE. */
  readonly queue: string;
  /** The agent (queue member), or NONE. */
  readonly agent: string;
  readonly event: QueueLogEventName;
  /** data1 … data5, in the order of the event's documented fields. */
  readonly data: readonly string[];
}

export type StoredQueueLogEntry = QueueLogEntry & { readonly id: number };

export interface QueueLogFilter {
  readonly queue?: string;
  readonly agent?: string;
  /** Entries at or after this time (ms). */
  readonly from?: number;
  /** Entries before this time (ms). */
  readonly to?: number;
  /** Most entries returned, oldest first; default 1,000, at most 10,000. */
  readonly limit?: number;
}

/** Where queue log entries go: the database (store.queueLog) and, optionally, a file. */
export interface QueueLogSink {
  /** Resolves once the entry is durable. */
  append(entry: QueueLogEntry): Promise<void>;
}

export interface QueueLogStore extends QueueLogSink {
  /** Oldest first (by time, then id). */
  list(filter?: QueueLogFilter): Promise<StoredQueueLogEntry[]>;
}

const sec = (ms: number): string => String(Math.max(0, Math.round(ms / 1000)));
const int = (n: number): string => String(Math.max(0, Math.trunc(n)));

interface CallBase {
  readonly time: number;
  readonly callId: string;
  readonly queue: string;
}
interface AgentCallBase extends CallBase {
  readonly agent: string;
}
interface MemberBase {
  readonly time: number;
  readonly queue: string;
  readonly agent: string;
}
/** Positions count from 1 (the head of the queue). */
interface Leaving extends CallBase {
  readonly position: number;
  readonly origPosition: number;
  readonly waitMs: number;
}

function entry(
  base: { time: number; callId?: string; queue?: string; agent?: string },
  event: QueueLogEventName,
  data: readonly string[],
): QueueLogEntry {
  return {
    time: base.time,
    callId: base.callId ?? QUEUE_LOG_NONE,
    queue: base.queue ?? QUEUE_LOG_NONE,
    agent: base.agent ?? QUEUE_LOG_NONE,
    event,
    data,
  };
}

/** Builders of each event with its data fields in Asterisk's order and units. */
export const queueLog = {
  /** url | callerid | position */
  enterQueue: (e: CallBase & { callerId: string; position: number; url?: string }) =>
    entry(e, 'ENTERQUEUE', [e.url ?? '', e.callerId, int(e.position)]),
  /** holdtime (s) | bridged channel's call id | ringtime (s) */
  connect: (e: AgentCallBase & { holdMs: number; bridgedCallId: string; ringMs: number }) =>
    entry(e, 'CONNECT', [sec(e.holdMs), e.bridgedCallId, sec(e.ringMs)]),
  /** holdtime (s) | calltime (s) | origposition */
  completeCaller: (e: AgentCallBase & { holdMs: number; talkMs: number; origPosition: number }) =>
    entry(e, 'COMPLETECALLER', [sec(e.holdMs), sec(e.talkMs), int(e.origPosition)]),
  /** holdtime (s) | calltime (s) | origposition */
  completeAgent: (e: AgentCallBase & { holdMs: number; talkMs: number; origPosition: number }) =>
    entry(e, 'COMPLETEAGENT', [sec(e.holdMs), sec(e.talkMs), int(e.origPosition)]),
  /** position | origposition | waittime (s) */
  abandon: (e: Leaving) => entry(e, 'ABANDON', [int(e.position), int(e.origPosition), sec(e.waitMs)]),
  /** position | origposition | waittime (s) */
  exitWithTimeout: (e: Leaving) =>
    entry(e, 'EXITWITHTIMEOUT', [int(e.position), int(e.origPosition), sec(e.waitMs)]),
  /** key | position | origposition | waittime (s) */
  exitWithKey: (e: Leaving & { key: string }) =>
    entry(e, 'EXITWITHKEY', [e.key, int(e.position), int(e.origPosition), sec(e.waitMs)]),
  /** position | origposition | waittime (s) */
  exitEmpty: (e: Leaving) => entry(e, 'EXITEMPTY', [int(e.position), int(e.origPosition), sec(e.waitMs)]),
  /** ringtime (ms) */
  ringNoAnswer: (e: AgentCallBase & { ringMs: number }) => entry(e, 'RINGNOANSWER', [int(e.ringMs)]),
  /** extension | context | holdtime (s) | calltime (s) | origposition */
  transfer: (
    e: AgentCallBase & {
      extension: string;
      context: string;
      holdMs: number;
      talkMs: number;
      origPosition: number;
    },
  ) => entry(e, 'TRANSFER', [e.extension, e.context, sec(e.holdMs), sec(e.talkMs), int(e.origPosition)]),
  /** The agent joined the queue; data1 is PAUSED when it joined not ready. */
  addMember: (e: MemberBase & { paused?: boolean }) =>
    entry(e, 'ADDMEMBER', [e.paused === true ? 'PAUSED' : '']),
  removeMember: (e: MemberBase) => entry(e, 'REMOVEMEMBER', ['']),
  /** channel (the agent's device) */
  agentLogin: (e: MemberBase & { device: string }) => entry(e, 'AGENTLOGIN', [e.device]),
  /** channel | logintime (s) */
  agentLogoff: (e: MemberBase & { device: string; loggedInMs: number }) =>
    entry(e, 'AGENTLOGOFF', [e.device, sec(e.loggedInMs)]),
  /** reason (the not-ready reason code) */
  pause: (e: MemberBase & { reason?: string }) => entry(e, 'PAUSE', [e.reason ?? '']),
  unpause: (e: MemberBase & { reason?: string }) => entry(e, 'UNPAUSE', [e.reason ?? '']),
} as const;

/** A field may not carry the separator or a line break, or the line would not split back. */
function field(value: string): string {
  return value.replace(/[|\r\n]/g, '_');
}

/**
 * The classic line: `epoch|callid|queue|agent|event|data1|data2|…` with the time in whole
 * seconds and no trailing newline. Empty call id, queue or agent are written as NONE.
 */
export function formatQueueLogLine(e: QueueLogEntry): string {
  const head = [e.callId, e.queue, e.agent].map((v) => (v === '' ? QUEUE_LOG_NONE : field(v)));
  const data = e.data.slice(0, MAX_QUEUE_LOG_DATA).map(field);
  return [String(Math.floor(e.time / 1000)), ...head, e.event, ...data].join('|');
}
