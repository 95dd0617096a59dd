/**
 * The flow simulator (仿真测试): runs a flow through the real interpreter on a
 * SimulatedChannel, with scripted key presses, stubbed HTTP answers, a customer table and a
 * schedule port, and reports the path taken, what was played, and the variables.
 * Nothing leaves the process: no audio, no network.
 */
import { silentLogger, type Logger } from '../platform/log.js';
import { IvrEngine } from './interpreter.js';
import { SimulatedChannel, type SimEvent } from './simulate-channel.js';
import { MemoryStepLog } from './step-log.js';
import { DEFAULT_TIME_ZONE } from './time.js';
import type {
  CustomerRecord,
  FlowSource,
  FlowVersion,
  HttpFetch,
  IvrResult,
  IvrStep,
  LookupCustomer,
  ScheduleStatePort,
  TransferOutcome,
} from './types.js';

/** A canned answer for one URL (`"https://…"` or `"POST https://…"`). */
export interface HttpStub {
  readonly status?: number;
  /** JSON value, or a string sent as it is (to simulate a body that is not JSON). */
  readonly body?: unknown;
  /** Simulates no answer in time. */
  readonly timeout?: boolean;
}

export interface SimulateOptions {
  readonly flow: FlowVersion;
  /** Other flows, for gotos. */
  readonly flows?: FlowSource;
  readonly ani: string;
  readonly dnis: string;
  readonly callId?: string;
  /** One entry per input node attempt; "" is a timeout. */
  readonly dtmf: readonly string[];
  /** Epoch ms the call starts at. */
  readonly at: number;
  readonly timeZone?: string;
  /** Without it, every schedule is open (and the report says so). */
  readonly scheduleState?: ScheduleStatePort;
  readonly httpStubs?: Readonly<Record<string, HttpStub>>;
  /** ANI → customer fields; a number not in the table is not found. */
  readonly customers?: Readonly<Record<string, CustomerRecord>>;
  /** Replaces `customers` with a lookup of its own (to see a failing one). */
  readonly lookupCustomer?: LookupCustomer;
  /** Replaces `httpStubs` with a client of its own (to see the requests). */
  readonly http?: HttpFetch;
  /** Outcomes of successive transfers (the last repeats); default: every transfer succeeds. */
  readonly transferOutcomes?: readonly TransferOutcome[];
  /** Every record node fails, to try its error exit. */
  readonly recordFails?: boolean;
  readonly maxSteps?: number;
  readonly logger?: Logger;
}

/** One node visit with what happened during it. */
export interface SimStep {
  readonly step: IvrStep;
  readonly events: readonly SimEvent[];
}

export interface SimulationReport {
  readonly result: IvrResult;
  readonly steps: readonly SimStep[];
  /** What happened after the last node (the goodbye of a polite hang-up). */
  readonly after: readonly SimEvent[];
  readonly unusedInputs: readonly string[];
  readonly at: number;
  readonly timeZone: string;
}

function stubFetch(stubs: Readonly<Record<string, HttpStub>>, channel: SimulatedChannel): HttpFetch {
  return async (url, init) => {
    const stub = stubs[`${init.method} ${url}`] ?? stubs[url];
    if (stub === undefined) {
      channel.note(
        `no HTTP stub for ${init.method} ${url}: the simulator makes no network requests, so the node fails`,
      );
      throw new Error('no stub for this URL (simulator)');
    }
    if (stub.timeout === true) {
      channel.note(`HTTP stub for ${url} times out`);
      throw new Error('timed out (stub)');
    }
    const text = typeof stub.body === 'string' ? stub.body : JSON.stringify(stub.body ?? {});
    return { status: stub.status ?? 200, text: async () => text };
  };
}

export async function simulate(opts: SimulateOptions): Promise<SimulationReport> {
  const channel = new SimulatedChannel(opts.at, opts.dtmf, {
    ...(opts.transferOutcomes ? { transferOutcomes: opts.transferOutcomes } : {}),
    ...(opts.recordFails ? { recordFails: true } : {}),
  });
  const steps: SimStep[] = [];
  const log = new MemoryStepLog();
  const stepLog = {
    write(step: IvrStep) {
      log.write(step);
      steps.push({ step, events: channel.take() });
    },
  };
  const scheduleState: ScheduleStatePort =
    opts.scheduleState ??
    ((name) => {
      channel.note(`schedule ${JSON.stringify(name)}: no schedules given, taken as open`);
      return 'open';
    });
  const customers = opts.customers ?? {};
  const engine = new IvrEngine({
    stepLog,
    scheduleState,
    http: opts.http ?? stubFetch(opts.httpStubs ?? {}, channel),
    lookupCustomer:
      opts.lookupCustomer ?? (async (ani) => (Object.hasOwn(customers, ani) ? customers[ani]! : null)),
    logger: opts.logger ?? silentLogger(),
    // HTTP stubs answer at once, so no real timer ever fires; this one never does.
    timers: { setTimer: () => ({ cancel: () => undefined }) },
    ...(opts.flows ? { flows: opts.flows } : {}),
    ...(opts.maxSteps !== undefined ? { maxSteps: opts.maxSteps } : {}),
    ...(opts.timeZone !== undefined ? { timeZone: opts.timeZone } : {}),
  });
  const result = await engine.run(opts.flow, channel, {
    callId: opts.callId ?? 'sim-1',
    ani: opts.ani,
    dnis: opts.dnis,
  });
  return {
    result,
    steps,
    after: channel.take(),
    unusedInputs: channel.unusedInputs,
    at: opts.at,
    timeZone: opts.flow.flow.timeZone ?? opts.timeZone ?? DEFAULT_TIME_ZONE,
  };
}
