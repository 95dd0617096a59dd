/**
 * Where calls go (I/O over the pure routing decisions): a call reaching a DID — from a trunk,
 * or an extension dialling one — is screened (lists, region rules), routed by number and
 * schedule, and carried to its destination; an IVR flow runs on it; numbers outside go
 * through the outbound routes and the trunks. The configuration is read per call, so a
 * reload applies to new calls.
 */
import type { Call } from '../call/control/call.js';
import type { CallControl } from '../call/control/control.js';
import { InboundCallLeg } from '../call/control/inbound.js';
import type { Leg } from '../call/control/leg.js';
import type { Speech } from '../call/control/speech.js';
import type { Party } from '../call/control/types.js';
import { routeCall, type FeatureDeps } from '../call/features/index.js';
import type { DialExternal, ExternalDialResult } from '../call/features/ringer.js';
import { callChannel } from '../ivr/adapters/call-channel.js';
import { FlowCatalog, IvrEngine, loadIvrFlows, routingScheduleState, type StepLog } from '../ivr/index.js';
import type { AssociatedData, TransferOutcome } from '../ivr/types.js';
import type { TransferDestination } from '../ivr/schema-values.js';
import type { Config } from '../platform/config/index.js';
import type { Logger } from '../platform/log.js';
import {
  chinaHolidayCalendar,
  createNumberFacts,
  localTimeAt,
  routeInbound,
  routeOutbound,
  screenCaller,
  type CallerVerdict,
  type Destination,
  type HolidayCalendar,
  type NumberFacts,
  type NumberFactsService,
  type OutboundResult,
  type PermissionClass,
} from '../routing/index.js';
import { dialViaTrunks, type TrunkManager } from '../routing/trunks/index.js';
import type { SipRequest } from '../sip/message/types.js';
import type { ServerInviteTransaction } from '../sip/transaction/index.js';
import type { EnqueueOptions } from '../acd/runtime/types.js';
import { announce, transferAnswered } from './destinations.js';

/** The ACD as the router sees it: somewhere to put a call for a queue. */
export interface QueueEntry {
  enqueue(call: Call, leg: Leg, opts: EnqueueOptions): Promise<void>;
}

export interface CallRouterOptions {
  readonly current: () => Config;
  readonly control: CallControl;
  readonly speech: Speech;
  readonly features: () => FeatureDeps;
  readonly trunks: TrunkManager;
  readonly stepLog?: StepLog;
  /** Relative flow files and prompt files are taken from here (the configuration's folder). */
  readonly configDir: string;
  readonly logger: Logger;
  /** Number facts; a shared in-memory service by default. */
  readonly facts?: NumberFactsService;
  /**
   * The time routing decisions are made at (schedules, holidays, the IVR's DATE and TIME);
   * the call-control clock by default. Tests set it to a holiday or a night.
   */
  readonly now?: () => number;
  /** The ACD, once it exists; without it calls for a queue are refused. */
  readonly acd?: () => QueueEntry | undefined;
}

/** Most associated-data entries an IVR hands to the CDR, and the longest value kept. */
const MAX_DATA_KEYS = 64;
const MAX_DATA_VALUE = 256;

export class CallRouter {
  readonly catalog = new FlowCatalog();
  private readonly engine: IvrEngine;
  private readonly facts: NumberFactsService;
  private calendar: HolidayCalendar;
  private seen: Config;

  constructor(private readonly o: CallRouterOptions) {
    this.facts = o.facts ?? createNumberFacts({ log: o.logger });
    this.seen = o.current();
    this.calendar = chinaHolidayCalendar(this.seen.holidays);
    this.checkCalendar(this.seen);
    this.loadFlows(this.seen);
    this.engine = new IvrEngine({
      flows: this.catalog,
      ...(o.stepLog ? { stepLog: o.stepLog } : {}),
      scheduleState: (name, instant) => {
        const cfg = this.config();
        return routingScheduleState(cfg.schedules, this.calendar, cfg.timeZone)(name, instant);
      },
      http: (url, init) => fetch(url, init),
      logger: o.logger,
      timers: o.control.ctx.clock,
      maxSteps: this.seen.ivr.maxSteps,
      timeZone: this.seen.timeZone,
    });
  }

  /** Loads the region tables before calls arrive (they take half a second to decode). */
  async preload(): Promise<void> {
    await this.facts.preload();
  }

  /**
   * Takes a reloaded configuration: flows are validated and published as new versions (calls
   * in progress keep theirs); the holiday calendar is rebuilt. Throws when a flow is invalid,
   * leaving the published flows as they were.
   */
  reload(config: Config): void {
    this.loadFlows(config);
    this.calendar = chinaHolidayCalendar(config.holidays);
    this.seen = config;
    this.checkCalendar(config);
  }

  /**
   * Schedules that follow China's holidays need each year's dates (announced by the State
   * Council late in the year before): warn when this year, or from November next year, is
   * missing from both the built-in data and the configuration.
   */
  private checkCalendar(config: Config): void {
    const usesChina = Object.values(config.schedules).some((s) => s.holidays === 'china');
    if (!usesChina) return;
    const [year = 0, month = 0] = localTimeAt(this.now(), config.timeZone).date.split('-').map(Number);
    const years = [year, ...(month >= 11 ? [year + 1] : [])];
    const missing = years.filter((y) => !this.calendar.covers(y));
    if (missing.length > 0)
      this.o.logger.warn(
        { years: missing },
        `no China holiday data for ${missing.join(', ')}: enter the year under "holidays" (docs/routing.md), or schedules treat its holidays as ordinary days`,
      );
  }

  private config(): Config {
    const cfg = this.o.current();
    if (cfg !== this.seen) {
      this.seen = cfg;
      this.calendar = chinaHolidayCalendar(cfg.holidays);
    }
    return cfg;
  }

  private loadFlows(config: Config): void {
    const report = loadIvrFlows(config.ivr, this.catalog, { baseDir: this.o.configDir, source: 'ivr.flows' });
    for (const w of report.warnings) this.o.logger.warn({ warning: w }, 'IVR flow warning');
    const changed = report.flows.filter((f) => f.changed).map((f) => `${f.version.id} v${f.version.version}`);
    if (changed.length > 0 || report.unpublished.length > 0)
      this.o.logger.info({ published: changed, unpublished: report.unpublished }, 'IVR flows loaded');
  }

  /** Whether an extension dialling `number` reaches the inbound table (exact numbers only). */
  isInternalDid(number: string): boolean {
    return this.config().inbound.numbers.some((n) => n.number === number);
  }

  /** A new call for a DID: screened, routed by number and schedule, and carried there. */
  async inbound(invite: SipRequest, txn: ServerInviteTransaction, party: Party, did: string, trunk?: string) {
    const cfg = this.config();
    const facts = await this.facts.lookup(party.number).catch((err: unknown) => {
      this.o.logger.warn({ err, caller: party.number }, 'number facts lookup failed');
      return undefined;
    });
    const verdict = screenCaller(party.number, facts, cfg.lists);
    const decision = routeInbound(
      did,
      verdict,
      cfg.schedules,
      this.calendar,
      this.now(),
      cfg.inbound,
      cfg.timeZone,
    );
    const data = callData(did, trunk, facts, verdict);
    this.o.logger.info(
      { did, caller: party.number, reason: decision.reason, destination: decision.destination, ...data },
      'inbound call routed',
    );
    await routeCall(this.o.features(), invite, txn, party, decision.destination, { dialled: did, data });
  }

  /** For the features: the destinations they do not carry themselves (IVR, queue, announcement). */
  readonly routeDestination = async (call: Call, caller: InboundCallLeg, to: Destination): Promise<void> => {
    switch (to.type) {
      case 'ivr':
        return this.runIvr(call, caller, to.flow);
      case 'announcement':
        return announce(this.o.control, this.o.speech, call, caller, to.prompts, this.promptsDir());
      case 'queue':
        return this.enqueue(call, caller, to);
      default:
        this.o.logger.error({ callId: call.id, to }, 'destination not routable here');
        caller.reject(500, 'unroutable destination');
    }
  };

  /** Puts the call in a queue; refused (480) or hung up when the ACD cannot take it. */
  private async enqueue(call: Call, leg: Leg, to: QueueDestination): Promise<void> {
    const acd = this.o.acd?.();
    if (!acd) {
      this.o.logger.warn({ callId: call.id, queue: to.queue }, 'no ACD: a call for a queue is refused');
      if (leg instanceof InboundCallLeg) leg.reject(480, 'no queue service');
      return;
    }
    try {
      await acd.enqueue(call, leg, enqueueOptions(to, call));
    } catch (err) {
      this.o.logger.error({ err, callId: call.id, queue: to.queue }, 'the call could not be queued');
      if (leg instanceof InboundCallLeg) leg.reject(480, 'no queue service');
      if (!leg.isEnded) leg.hangup(480);
    }
  }

  /**
   * For the ACD: carries an answered call to a destination (overflow, max wait, the exit
   * key). A destination that fails leaves the caller hung up.
   */
  readonly routeAnswered = async (call: Call, leg: Leg, to: Destination): Promise<void> => {
    if (to.type === 'ivr' && leg instanceof InboundCallLeg) return this.runIvr(call, leg, to.flow);
    if (to.type === 'announcement' && leg instanceof InboundCallLeg)
      return announce(this.o.control, this.o.speech, call, leg, to.prompts, this.promptsDir());
    if (
      to.type === 'queue' ||
      to.type === 'extension' ||
      to.type === 'ringGroup' ||
      to.type === 'voicemail' ||
      to.type === 'external'
    ) {
      const outcome = await this.transfer(call, leg, to, {});
      if (!outcome.ok) {
        this.o.logger.info(
          { callId: call.id, to, reason: outcome.reason },
          'destination after the queue failed',
        );
        leg.hangup(200);
      }
      return;
    }
    leg.hangup(200);
  };

  /** Runs a flow on the caller (answering it first), then leaves the call where the flow put it. */
  async runIvr(call: Call, leg: InboundCallLeg, flowId: string): Promise<void> {
    const flow = this.catalog.current(flowId);
    if (!flow) {
      this.o.logger.error({ callId: call.id, flow: flowId }, 'no such IVR flow is published');
      leg.reject(404, 'no such IVR flow');
      return;
    }
    leg.answer();
    this.o.control.markAnswered(call);
    call.setData('ivrFlow', `${flow.id}@${flow.version}`);
    const channel = callChannel(
      {
        control: this.o.control,
        speech: this.o.speech,
        promptsDir: this.promptsDir(),
        transfer: (c, l, dest, data) => this.transfer(c, l, dest, data),
        now: () => this.now(),
      },
      call,
      leg,
    );
    const result = await this.engine.run(flow, channel, {
      callId: call.id,
      ani: call.caller.number,
      // The number dialled: once bridged (a caller an agent sent here) the callee is the agent.
      dnis: typeof call.data['did'] === 'string' ? call.data['did'] : call.callee,
    });
    keepData(call, result.data);
    if (result.end.kind === 'hangup' && !leg.isEnded) leg.hangup(200);
  }

  private async transfer(
    call: Call,
    leg: Leg,
    dest: TransferDestination,
    data: AssociatedData,
  ): Promise<TransferOutcome> {
    keepData(call, data);
    const acd = this.o.acd?.();
    return transferAnswered(
      {
        control: this.o.control,
        features: this.o.features(),
        dialExternal: this.dialExternal,
        logger: this.o.logger,
        ...(acd
          ? { enqueue: (c: Call, l: Leg, d: QueueDestination) => acd.enqueue(c, l, enqueueOptions(d, c)) }
          : {}),
      },
      call,
      leg,
      dest,
    );
  }

  /** Numbers outside: the outbound routes pick the trunks, which fail over in turn. */
  readonly dialExternal: DialExternal = async (call, number, opts): Promise<ExternalDialResult> => {
    const route = this.outboundRoute(call.caller.number, number);
    if (!route.ok) {
      this.o.logger.info({ callId: call.id, number, code: route.code, reason: route.reason }, 'no way out');
      return { ok: false, status: route.code === 'NOT_PERMITTED' ? 403 : 404, reason: route.reason };
    }
    const order = this.trunkOrder(route.trunks);
    const result = await dialViaTrunks(this.o.control, this.o.trunks, {
      call,
      number: route.dial,
      trunks: order,
      callerId: opts.caller,
      ringTimeoutMs: opts.ringTimeoutMs,
      signal: opts.signal,
      ...(opts.role !== undefined ? { role: opts.role } : {}),
    });
    if (result.attempts.length > 0)
      this.o.logger.info({ callId: call.id, attempts: result.attempts }, 'trunks tried before the last');
    if (!result.ok) return { ok: false, status: result.status, reason: result.reason };
    call.setData('trunk', result.trunk);
    return { ok: true, leg: result.leg };
  };

  /**
   * A route's trunk order: each name is a trunk or a trunk group (whose strategy orders its
   * members); trunks that are down or full are left out, and none is tried twice.
   */
  private trunkOrder(names: readonly string[]): string[] {
    const out: string[] = [];
    for (const name of names) {
      let picked: readonly string[];
      try {
        picked = this.o.trunks.select(name).trunks;
      } catch (err) {
        this.o.logger.error({ err, trunk: name }, 'an outbound route names an unknown trunk');
        continue;
      }
      for (const t of picked) if (!out.includes(t)) out.push(t);
    }
    return out;
  }

  /** Checks an extension's number against the outbound routes before the call is set up. */
  outboundVerdict(
    caller: string,
    number: string,
  ): { ok: true } | { ok: false; status: number; reason: string } {
    const route = this.outboundRoute(caller, number);
    if (route.ok) return { ok: true };
    return { ok: false, status: route.code === 'NOT_PERMITTED' ? 403 : 404, reason: route.reason };
  }

  /** The outbound route for `number` with the permission class of `caller` (`national` for callers outside). */
  private outboundRoute(caller: string, number: string): OutboundResult {
    const cfg = this.config();
    const callerClass: PermissionClass =
      cfg.extensions.find((e) => e.number === caller)?.permission ?? 'national';
    return routeOutbound(number, callerClass, cfg.outbound.routes, {
      ...(cfg.outbound.areaCode !== undefined ? { areaCode: cfg.outbound.areaCode } : {}),
      emergencyNumbers: cfg.outbound.emergencyNumbers,
      isExtension: (n) => cfg.extensions.some((e) => e.number === n),
    });
  }

  private now(): number {
    return this.o.now ? this.o.now() : this.o.control.ctx.clock.now();
  }

  private promptsDir(): string {
    return this.o.configDir;
  }
}

type QueueDestination = Extract<Destination, { type: 'queue' }>;

/** A queue destination as the ACD takes it; a caller on the VIP list (call data `vip`) is a VIP call. */
export function enqueueOptions(to: QueueDestination, call: Pick<Call, 'data'>): EnqueueOptions {
  return {
    queues: [...new Set([to.queue, ...(to.queues ?? [])])],
    ...(to.priority !== undefined ? { priority: to.priority } : {}),
    ...(to.skills !== undefined ? { skills: to.skills } : {}),
    ...(call.data['vip'] === true ? { vip: true } : {}),
  };
}

/**
 * The associated data an inbound call starts with: the DID, the trunk, the caller's region,
 * and from the screening verdict its priority and `vip` (the screen pop and the ACD read it).
 */
export function callData(
  did: string,
  trunk: string | undefined,
  facts: NumberFacts | undefined,
  verdict: CallerVerdict,
): Record<string, string | number | boolean> {
  const data: Record<string, string | number | boolean> = { did };
  if (trunk !== undefined) data['trunk'] = trunk;
  if (facts?.province) data['province'] = facts.province;
  if (facts?.city) data['city'] = facts.city;
  if (facts?.carrier) data['carrier'] = facts.carrier;
  if (verdict.action === 'allow' && verdict.priority !== undefined) data['priority'] = verdict.priority;
  if ((verdict.action === 'allow' || verdict.action === 'route') && verdict.vip === true) data['vip'] = true;
  return data;
}

/** The IVR's variables become the call's associated data (bounded: the CDR keeps them). */
function keepData(call: Call, data: AssociatedData): void {
  let n = 0;
  for (const [key, value] of Object.entries(data)) {
    if (++n > MAX_DATA_KEYS) break;
    call.setData(key, value.length > MAX_DATA_VALUE ? value.slice(0, MAX_DATA_VALUE) : value);
  }
}
