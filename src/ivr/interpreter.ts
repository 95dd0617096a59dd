/**
 * The IVR interpreter: runs one call through a flow on an IvrChannel.
 *
 *   start ──► node ──exit──► node ──► … ──► transfer | hangup
 *               │ fail                      ▲
 *               ▼                           │
 *        node's error exit ─► flow's onError ─► polite hang-up
 *   caller hangs up at any point ──► the flow's onHangup chain (no media) ──► end
 *
 * Each node visit writes one step. A run never throws and never touches another call's
 * state: failures inside a node (a port rejecting, a bad value, an exception) are turned
 * into that call's error path. The loop guard ends a call that visits more than
 * `maxSteps` nodes (default 1000) with a polite hang-up.
 */
import type { Clock } from '../platform/clock.js';
import { systemClock } from '../platform/clock.js';
import { silentLogger, type Logger } from '../platform/log.js';
import { type IvrError } from './errors.js';
import type { NodePorts } from './nodes/kind.js';
import { DEFAULT_MAX_STEPS, MAX_HANGUP_STEPS } from './limits.js';
import { CallRun } from './run.js';
import { DEFAULT_TIME_ZONE } from './time.js';
import type {
  CallInfo,
  FlowSource,
  FlowVersion,
  HttpFetch,
  IvrChannel,
  IvrResult,
  LookupCustomer,
  ScheduleStatePort,
  StepLog,
} from './types.js';

export { DEFAULT_MAX_STEPS, MAX_HANGUP_STEPS };

export interface IvrEngineOptions {
  /** Where a goto finds the published version of another flow. */
  readonly flows?: FlowSource;
  readonly stepLog?: StepLog;
  readonly scheduleState?: ScheduleStatePort;
  /** fetch-like client for http nodes; never the global one unless passed. */
  readonly http?: HttpFetch;
  readonly lookupCustomer?: LookupCustomer;
  readonly logger?: Logger;
  /** Timers for HTTP timeouts. */
  readonly timers?: Pick<Clock, 'setTimer'>;
  readonly maxSteps?: number;
  /** Time zone of DATE/TIME/DATETIME for flows that do not name one. */
  readonly timeZone?: string;
}

export interface EngineSettings {
  readonly flows: FlowSource | undefined;
  readonly stepLog: StepLog | undefined;
  readonly ports: NodePorts;
  readonly logger: Logger;
  readonly maxSteps: number;
  readonly timeZone: string;
}

export class IvrEngine {
  private readonly settings: EngineSettings;

  constructor(opts: IvrEngineOptions = {}) {
    this.settings = {
      flows: opts.flows,
      stepLog: opts.stepLog,
      ports: {
        timers: opts.timers ?? systemClock,
        ...(opts.scheduleState ? { scheduleState: opts.scheduleState } : {}),
        ...(opts.http ? { http: opts.http } : {}),
        ...(opts.lookupCustomer ? { lookupCustomer: opts.lookupCustomer } : {}),
      },
      logger: opts.logger ?? silentLogger(),
      maxSteps: opts.maxSteps ?? DEFAULT_MAX_STEPS,
      timeZone: opts.timeZone ?? DEFAULT_TIME_ZONE,
    };
  }

  /** Runs a call through `flow` (the version it keeps, whatever is published meanwhile). Never throws. */
  async run(flow: FlowVersion, channel: IvrChannel, call: CallInfo): Promise<IvrResult> {
    const run = new CallRun(this.settings, flow, channel, call);
    try {
      return await run.execute();
    } catch (err) {
      // Only a fault in the engine itself lands here; the call still ends politely.
      return run.crashed(err as IvrError | Error);
    }
  }
}
