/**
 * The state of the ACD at run time and the moves every part shares: one Dispatcher fed
 * the configuration in force, one timer armed for the dispatcher's next deadline, the queue
 * log, and the listeners. Split from call-flow.ts and service.ts only to keep files small.
 */
import type { CallControl } from '../../call/control/control.js';
import type { Speech } from '../../call/control/speech.js';
import type { PlayItem } from '../../media/index.js';
import type { TimerHandle } from '../../platform/clock.js';
import type { Logger } from '../../platform/log.js';
import type { QueueLogSink } from '../../report/queue-log.js';
import type { PromptSpec } from '../../routing/types.js';
import type { Config } from '../../platform/config/index.js';
import { Dispatcher } from '../dispatcher.js';
import type { Decision } from '../types.js';
import { findLastAgent, RecentAgents, type LastAgentHint, type LastAgentLookup } from './last-agent.js';
import type { QueuedCall } from './queued-call.js';
import { QueueLogWriter } from './queue-log-writer.js';
import { agentStatusOf } from './status.js';
import type {
  AcdAgentStatus,
  AcdAudience,
  AcdEvent,
  AcdListener,
  ContactsOf,
  DialNumber,
  RouteAnswered,
} from './types.js';

export interface AcdServiceDeps {
  readonly control: CallControl;
  readonly speech: Speech;
  /** The `acd` section in force (read on every operation, so a reload applies). */
  readonly config: () => Config['acd'];
  /** Music-on-hold class → files (undefined: the default class). */
  readonly musicOnHold: (className: string | undefined) => Promise<readonly PlayItem[]>;
  /** Configured prompts (greetings) → what the media engine plays. */
  readonly prompts: (specs: readonly PromptSpec[]) => Promise<readonly PlayItem[]>;
  /** Where the queue log goes: the database and, when configured, the file. */
  readonly queueLog: readonly QueueLogSink[];
  /** Carries a call out of the ACD to a destination (overflow, timeout, exit key). */
  readonly route: RouteAnswered;
  /** Reachable contacts of an agent's extension. */
  readonly contactsOf: ContactsOf;
  /** Dials a caller back (queue callback); without it only extensions are called back. */
  readonly dial?: DialNumber;
  readonly logger: Logger;
  /** Uniform in [0, 1) for the random strategies; Math.random by default. */
  readonly rng?: () => number;
  /** Who last served a caller (the CDRs), for queues with `lastAgent`; memory only without it. */
  readonly lastAgent?: LastAgentLookup;
  /** Bound on that lookup in ms (LAST_AGENT_LOOKUP_MS by default). */
  readonly lastAgentTimeoutMs?: number;
}

export class AcdRuntimeCore {
  protected readonly dispatcher: Dispatcher;
  protected readonly log: QueueLogWriter;
  protected readonly logger: Logger;
  /** Calls in the ACD or talking to an agent, by call id. */
  protected readonly calls = new Map<string, QueuedCall>();
  /** Agent → the call it is being offered or is talking on. */
  protected readonly agentCall = new Map<string, QueuedCall>();
  /** Agent → when it logged in (for AGENTLOGOFF). */
  protected readonly loggedInAt = new Map<string, number>();
  /** Caller number → the agent it last talked to (last-agent routing). */
  protected readonly recentAgents = new RecentAgents();
  private readonly listeners = new Set<AcdListener>();
  private seen: Config['acd'];
  private timer: TimerHandle | undefined;
  private armedAt: number | undefined;
  private dayTimer: TimerHandle | undefined;

  constructor(protected readonly deps: AcdServiceDeps) {
    this.logger = deps.logger.child({ module: 'acd' });
    this.seen = deps.config();
    this.dispatcher = new Dispatcher({
      queues: this.seen.queues,
      rng: deps.rng ?? Math.random,
      logger: this.logger,
    });
    this.log = new QueueLogWriter(deps.queueLog, this.logger);
    this.newDayAtMidnight();
  }

  /** "Today" in the statistics starts at the server's local midnight. */
  private newDayAtMidnight(): void {
    const now = this.now();
    this.dayTimer = this.deps.control.ctx.clock.setTimer(msToMidnight(now), () => {
      this.dispatcher.resetDay(this.now());
      this.logger.info('a new statistics day begins');
      this.newDayAtMidnight();
    });
  }

  protected now(): number {
    return this.deps.control.ctx.clock.now();
  }

  /** The configuration in force; queues added or changed by a reload are applied first. */
  protected config(): Config['acd'] {
    const cfg = this.deps.config();
    if (cfg !== this.seen) {
      this.seen = cfg;
      for (const q of cfg.queues) this.dispatcher.setQueue(q);
      this.logger.info({ queues: cfg.queues.map((q) => q.name) }, 'acd queues reloaded');
    }
    return cfg;
  }

  /** Who last served this caller within `hours`: memory first, then the bounded lookup. */
  protected lastAgentOf(callerNumber: string, hours: number): Promise<LastAgentHint | undefined> {
    const deps = {
      recent: this.recentAgents,
      lookup: this.deps.lastAgent,
      clock: this.deps.control.ctx.clock,
      logger: this.logger,
      ...(this.deps.lastAgentTimeoutMs !== undefined ? { timeoutMs: this.deps.lastAgentTimeoutMs } : {}),
    };
    return findLastAgent(deps, callerNumber, hours, this.now());
  }

  /** Runs one dispatcher event, carries out its decisions and re-arms the timer. */
  protected run(event: (now: number) => Decision[]): void {
    this.config();
    const decisions = event(this.now());
    this.applyAll(decisions);
    this.arm();
  }

  protected applyAll(decisions: readonly Decision[]): void {
    for (const d of decisions) {
      try {
        this.apply(d);
      } catch (err) {
        this.logger.error({ err, decision: d }, 'acd decision could not be carried out');
      }
    }
  }

  /** Overridden by the call flow. */
  protected apply(_decision: Decision): void {}

  /** One timer for the dispatcher's next deadline (RONA, overflow, wrap-up, announcements). */
  protected arm(): void {
    const next = this.dispatcher.nextDeadline();
    if (next === this.armedAt) return;
    this.timer?.cancel();
    this.timer = undefined;
    this.armedAt = next;
    if (next === undefined) return;
    this.timer = this.deps.control.ctx.clock.setTimer(Math.max(0, next - this.now()), () => {
      this.timer = undefined;
      this.armedAt = undefined;
      try {
        this.run((now) => this.dispatcher.tick(now));
      } catch (err) {
        this.logger.error({ err }, 'acd deadlines could not be processed');
        this.arm();
      }
    });
  }

  /** Stops the timer (at shutdown) and waits for queue log entries in flight. */
  async stop(): Promise<void> {
    this.dayTimer?.cancel();
    this.timer?.cancel();
    this.timer = undefined;
    this.armedAt = Number.NaN;
    await this.log.flush();
  }

  subscribe(listener: AcdListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  protected emit(event: AcdEvent, audience: AcdAudience): void {
    for (const l of this.listeners) {
      try {
        l(event, audience);
      } catch (err) {
        this.logger.error({ err, event: event.event }, 'an acd listener failed');
      }
    }
  }

  protected statusOf(agent: string): AcdAgentStatus {
    const now = this.now();
    const qc = this.agentCall.get(agent);
    const call = qc ? { callId: qc.call.id, ringing: qc.ringing.get(agent)?.leg !== undefined } : undefined;
    return agentStatusOf(this.dispatcher.agentSnapshot(agent, now), now, call);
  }

  /** The agent's part of a queue call is over: `callEnded`, and the agent goes to wrap-up. */
  protected agentCallEnded(
    qc: QueuedCall,
    agent: string,
    by: 'caller' | 'agent' | 'supervisor' | 'system',
    cause: string,
    talkMs: number,
  ): void {
    this.emit(
      { event: 'callEnded', at: this.now(), callId: qc.call.id, agent, queue: qc.queue, by, cause, talkMs },
      { agents: [agent], queues: [qc.queue] },
    );
    try {
      this.run((at) => this.dispatcher.agentChanged(agent, { type: 'hangup' }, at));
    } catch (err) {
      this.logger.warn({ err, agent }, 'agent hangup not accepted');
    }
    this.emitAgent(agent);
  }

  protected emitAgent(agent: string): void {
    const status = this.statusOf(agent);
    this.emit(
      { event: 'agentStateChanged', at: this.now(), status },
      { agents: [agent], queues: status.queues },
    );
  }
}

/** Milliseconds from `now` to the next local midnight (a 23- or 25-hour day included). */
export function msToMidnight(now: number): number {
  const next = new Date(now);
  next.setHours(24, 0, 0, 0);
  return next.getTime() - now;
}
