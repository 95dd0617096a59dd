/**
 * `hotline ivr simulate FLOW …`: runs a flow without audio and prints the path, what was
 * played and the variables (docs/ivr.md). FLOW is a flow id from the configuration's
 * `ivr.flows` or the path of a flow file. Only the `ivr`, `timeZone`, `holidays` and
 * `schedules` sections of the configuration are read, so a file with sections this
 * version does not know still serves.
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { dirname } from 'node:path';
import { parseArgs } from 'node:util';
import { parse as parseYaml } from 'yaml';
import {
  FlowCatalog,
  formatSimulation,
  IvrError,
  loadIvrFlows,
  parseLocalTime,
  readFlowFile,
  routingScheduleState,
  simulate,
  DEFAULT_TIME_ZONE,
  type CustomerRecord,
  type HttpStub,
  type ScheduleStatePort,
  type TransferOutcome,
} from '../ivr/index.js';
import { formatProblems } from '../platform/config/problems.js';
import { ivrSchema } from '../platform/config/ivr-schema.js';
import { routingConfigSchema } from '../platform/config/routing-schema.js';
import { chinaHolidayCalendar } from '../routing/holidays.js';
import type { CliIo } from './io.js';

export const IVR_USAGE = `Usage: hotline ivr simulate FLOW [options]

Runs an IVR flow without audio and prints the path taken, what would be played and the
variables. FLOW is a flow id from the configuration's ivr.flows, or a flow file (.json/.yaml).

Options:
  --ani NUMBER            caller number (default 13800138000)
  --dnis NUMBER           called number (default empty)
  --dtmf "1,2,123#"       one input per menu/collect/survey prompt; "" is a timeout;
                          when the inputs run out the caller hangs up
  --at 2026-10-01T09:00   when the call happens, in the flow's time zone (default now)
  -c, --config FILE       configuration with ivr.flows and schedules
  --http-stub FILE        JSON: URL (or "METHOD URL") → { status, body, timeout }
  --customers FILE        JSON: caller number → customer fields, for lookup nodes
  --schedule-state STATE  open, closed or holiday for every schedule node
  --transfer LIST         outcomes of successive transfers: ok, busy, noAnswer, failed
  --json                  print the report as JSON`;

function options(argv: readonly string[]) {
  return parseArgs({
    args: [...argv],
    allowPositionals: true,
    strict: true,
    options: {
      ani: { type: 'string', default: '13800138000' },
      dnis: { type: 'string', default: '' },
      dtmf: { type: 'string', default: '' },
      at: { type: 'string' },
      config: { type: 'string', short: 'c' },
      'http-stub': { type: 'string' },
      customers: { type: 'string' },
      'schedule-state': { type: 'string' },
      transfer: { type: 'string' },
      json: { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h' },
    },
  });
}

type Options = ReturnType<typeof options>['values'];

/** A failure to report with exit code 1 (bad input files) or 2 (wrong usage). */
class CliFailure extends Error {
  constructor(
    readonly lines: readonly string[],
    readonly exitCode: 1 | 2,
  ) {
    super(lines.join('\n'));
  }
}

function readJson(path: string, what: string): Record<string, unknown> {
  let value: unknown;
  try {
    value = JSON.parse(readFileSync(path, 'utf8'));
  } catch (err) {
    throw new CliFailure([`${what} ${path}: ${(err as Error).message}`], 1);
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw new CliFailure([`${what} ${path}: expected a JSON object`], 1);
  }
  return value as Record<string, unknown>;
}

/** The `--dtmf` list: "1,2,,3#" → ["1", "2", "", "3#"]; no option or "" → no inputs. */
export function parseDtmf(text: string): string[] {
  if (text.trim() === '') return [];
  const inputs = text.split(',').map((s) => s.trim());
  const bad = inputs.find((s) => !/^[0-9*#A-D]*$/.test(s));
  if (bad !== undefined)
    throw new CliFailure([`--dtmf: ${JSON.stringify(bad)} is not a string of keys 0-9 * # A-D`], 2);
  return inputs;
}

function parseTransfers(text: string | undefined): TransferOutcome[] {
  if (text === undefined) return [];
  return text.split(',').map((s) => {
    const word = s.trim();
    if (word === 'ok') return { ok: true };
    if (word === 'busy' || word === 'noAnswer' || word === 'failed') return { ok: false, reason: word };
    throw new CliFailure([`--transfer: ${JSON.stringify(word)} is not ok, busy, noAnswer or failed`], 2);
  });
}

interface SimConfig {
  readonly catalog: FlowCatalog;
  readonly maxSteps: number | undefined;
  readonly timeZone: string;
  readonly scheduleState: ScheduleStatePort | undefined;
  readonly warnings: readonly string[];
}

function loadConfig(path: string | undefined): SimConfig {
  if (path === undefined)
    return {
      catalog: new FlowCatalog(),
      maxSteps: undefined,
      timeZone: DEFAULT_TIME_ZONE,
      scheduleState: undefined,
      warnings: [],
    };
  let doc: Record<string, unknown>;
  try {
    doc = (parseYaml(readFileSync(path, 'utf8')) ?? {}) as Record<string, unknown>;
  } catch (err) {
    throw new CliFailure([`INVALID: ${path}`, `  ${(err as Error).message.split('\n')[0]}`], 1);
  }
  const ivr = ivrSchema.safeParse(doc['ivr'] ?? {});
  const routingInput = Object.fromEntries(
    ['timeZone', 'holidays', 'schedules'].filter((k) => k in doc).map((k) => [k, doc[k]]),
  );
  const routing = routingConfigSchema.safeParse(routingInput);
  const problems = [
    ...(ivr.success ? [] : formatProblems(ivr.error.issues).map((p) => `ivr.${p}`)),
    ...(routing.success ? [] : formatProblems(routing.error.issues)),
  ];
  if (!ivr.success || !routing.success)
    throw new CliFailure([`INVALID: ${path}`, ...problems.map((p) => `  ${p}`)], 1);
  const schedules = routing.data.schedules;
  const catalog = new FlowCatalog({ knownSchedules: (name) => Object.hasOwn(schedules, name) });
  const report = loadIvrFlows(ivr.data, catalog, { baseDir: dirname(path), source: path });
  const calendar = chinaHolidayCalendar(routing.data.holidays);
  return {
    catalog,
    maxSteps: ivr.data.maxSteps,
    timeZone: routing.data.timeZone,
    scheduleState: routingScheduleState(schedules, calendar, routing.data.timeZone),
    warnings: report.warnings,
  };
}

async function run(flowArg: string, o: Options, io: CliIo): Promise<number> {
  const dtmf = parseDtmf(o.dtmf ?? '');
  const transferOutcomes = parseTransfers(o.transfer);
  const forced = o['schedule-state'];
  if (forced !== undefined && !['open', 'closed', 'holiday'].includes(forced)) {
    throw new CliFailure([`--schedule-state: expected open, closed or holiday`], 2);
  }
  const config = loadConfig(o.config);
  const isFile = /\.(json|ya?ml)$/i.test(flowArg) || (existsSync(flowArg) && statSync(flowArg).isFile());
  const flow = isFile
    ? config.catalog.publish(readFlowFile(flowArg), flowArg).version
    : config.catalog.current(flowArg);
  if (flow === undefined) {
    const known = config.catalog.ids();
    const hint =
      o.config === undefined
        ? 'give --config FILE, or the path of a flow file'
        : `known flows: ${known.join(', ') || 'none'}`;
    throw new CliFailure([`no flow ${JSON.stringify(flowArg)} (${hint})`], 1);
  }
  const timeZone = flow.flow.timeZone ?? config.timeZone;
  const at = o.at === undefined ? Date.now() : parseLocalTime(o.at, timeZone);
  if (at === null)
    throw new CliFailure([`--at: ${JSON.stringify(o.at)} is not a time such as 2026-10-01T09:00`], 2);
  const scheduleState: ScheduleStatePort | undefined =
    forced !== undefined ? () => forced as 'open' | 'closed' | 'holiday' : config.scheduleState;
  const report = await simulate({
    flow,
    flows: config.catalog,
    ani: o.ani ?? '',
    dnis: o.dnis ?? '',
    dtmf,
    at,
    timeZone,
    transferOutcomes,
    ...(config.maxSteps !== undefined ? { maxSteps: config.maxSteps } : {}),
    ...(scheduleState ? { scheduleState } : {}),
    ...(o['http-stub']
      ? { httpStubs: readJson(o['http-stub'], 'HTTP stub file') as Record<string, HttpStub> }
      : {}),
    ...(o.customers
      ? { customers: readJson(o.customers, 'customer file') as Record<string, CustomerRecord> }
      : {}),
  });
  if (o.json === true) {
    io.out(JSON.stringify(report, null, 2));
    return 0;
  }
  io.out(`Flow ${flow.id} version ${flow.version}${flow.flow.name ? ` (${flow.flow.name})` : ''}`);
  for (const w of config.warnings) io.out(`warning: ${w}`);
  io.out(formatSimulation(report));
  return 0;
}

/** `hotline ivr …`; resolves with the exit code. */
export async function ivrCommand(argv: readonly string[], io: CliIo): Promise<number> {
  let parsed: ReturnType<typeof options>;
  try {
    parsed = options(argv);
  } catch (err) {
    io.err(`hotline ivr: ${(err as Error).message}\n\n${IVR_USAGE}`);
    return 2;
  }
  const [sub, flowArg, ...extra] = parsed.positionals;
  if (parsed.values.help === true) {
    io.out(IVR_USAGE);
    return 0;
  }
  if (sub !== 'simulate' || flowArg === undefined || extra.length > 0) {
    io.err(
      sub !== 'simulate'
        ? `hotline ivr: unknown subcommand ${JSON.stringify(sub ?? '')}\n\n${IVR_USAGE}`
        : IVR_USAGE,
    );
    return 2;
  }
  try {
    return await run(flowArg, parsed.values, io);
  } catch (err) {
    if (err instanceof CliFailure) {
      io.err(err.lines.join('\n'));
      return err.exitCode;
    }
    if (err instanceof IvrError) {
      const problems = err.details?.['problems'];
      io.err(
        Array.isArray(problems)
          ? [err.message.split('\n')[0], ...problems.map((p) => `  ${String(p)}`)].join('\n')
          : err.message,
      );
      return 1;
    }
    throw err;
  }
}
