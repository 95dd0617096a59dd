/** The simulator's report as text for a person: the path, what was played, the end, the variables. */
import type { Destination } from '../routing/types.js';
import type { SimEvent } from './simulate-channel.js';
import type { SimulationReport } from './simulate.js';
import { clockVariables } from './time.js';
import type { IvrEnd } from './types.js';

export function describeDestination(d: Destination): string {
  switch (d.type) {
    case 'queue': {
      const extras = [
        d.priority === undefined ? '' : `priority ${d.priority}`,
        d.skills === undefined
          ? ''
          : `skills ${Object.entries(d.skills)
              .map(([k, v]) => `${k}≥${v}`)
              .join(', ')}`,
      ].filter((s) => s !== '');
      return `queue ${d.queue}${extras.length > 0 ? ` (${extras.join('; ')})` : ''}`;
    }
    case 'extension':
      return `extension ${d.number}`;
    case 'external':
      return `external number ${d.number}${d.trunkGroup ? ` via ${d.trunkGroup}` : ''}`;
    case 'voicemail':
      return `voicemail ${d.mailbox}`;
    case 'ringGroup':
      return `ring group ${d.group}`;
    case 'ivr':
      return `IVR flow ${d.flow}`;
    case 'announcement':
      return 'announcement';
    case 'hangup':
      return 'hang-up';
  }
}

function describeEvent(e: SimEvent): string {
  switch (e.kind) {
    case 'play':
      return `plays: ${e.texts.join(' ')}`;
    case 'input':
      return e.reason === 'timeout'
        ? 'input: (none, timeout)'
        : `input: ${JSON.stringify(e.input)} → digits ${JSON.stringify(e.digits)} (${e.reason})`;
    case 'callerHangup':
      return 'caller hangs up (no more --dtmf inputs)';
    case 'record':
      return `records up to ${e.maxSeconds} s into ${e.path}`;
    case 'transfer':
      return `transfer to ${describeDestination(e.destination)}: ${e.outcome.ok ? 'accepted' : e.outcome.reason}`;
    case 'hangup':
      return `hangs up (cause ${e.cause})`;
    case 'note':
      return `note: ${e.text}`;
  }
}

export function describeEnd(end: IvrEnd): string {
  switch (end.kind) {
    case 'transferred':
      return `transferred to ${describeDestination(end.destination)}`;
    case 'hangup':
      return end.reason === 'node'
        ? `hung up by the flow (cause ${end.cause})`
        : `hung up by the engine: ${{ error: 'a failure with no error exit or onError', maxSteps: 'loop guard (too many steps)', noExit: 'an exit the flow leaves open' }[end.reason]}`;
    case 'callerHangup':
      return `the caller hung up at ${end.flowId}/${end.nodeId}`;
  }
}

export function formatSimulation(report: SimulationReport): string {
  const { result } = report;
  const start = clockVariables(report.at, report.timeZone).DATETIME;
  const when = `${start.slice(0, 4)}-${start.slice(4, 6)}-${start.slice(6, 8)} ${start.slice(8, 10)}:${start.slice(10, 12)}:${start.slice(12, 14)}`;
  const lines = [
    `Call ${result.callId} from ${result.data['ANI'] || '(none)'} to ${result.data['DNIS'] || '(none)'} at ${when} (${report.timeZone})`,
    '',
    'Path:',
  ];
  report.steps.forEach(({ step, events }, i) => {
    const exit = step.exit === null ? '(end)' : `→ ${step.exit}`;
    const digits = step.digits === null ? '' : `  [keys ${step.digits}]`;
    lines.push(
      `${String(i + 1).padStart(3)}. ${step.flowId}/v${step.flowVersion} ${step.nodeId} (${step.nodeType}) ${exit}${digits}`,
    );
    for (const e of events) lines.push(`       ${describeEvent(e)}`);
  });
  for (const e of report.after) lines.push(`       ${describeEvent(e)}`);
  lines.push('', `End: ${describeEnd(result.end)}`);
  for (const f of result.failures) lines.push(`Failure at ${f.flowId}/${f.nodeId}: ${f.code} ${f.message}`);
  if (report.unusedInputs.length > 0)
    lines.push(`Unused inputs: ${report.unusedInputs.map((s) => JSON.stringify(s)).join(', ')}`);
  lines.push(
    '',
    result.end.kind === 'transferred' ? 'Associated data (handed to the destination):' : 'Variables:',
  );
  for (const [k, v] of Object.entries(result.data)) lines.push(`  ${k} = ${JSON.stringify(v)}`);
  return lines.join('\n');
}
