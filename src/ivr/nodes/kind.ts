/**
 * What every node kind declares (STYLE principle 18): whether it talks to the caller, its
 * exits, the variables it writes and the templates it reads (for validation), and how it
 * runs. The interpreter loop (interpreter.ts) knows nodes only through this shape.
 */
import type { Clock } from '../../platform/clock.js';
import type { Logger } from '../../platform/log.js';
import type { PromptSpec } from '../../routing/types.js';
import type { IvrError } from '../errors.js';
import type { FlowNode } from '../schema.js';
import type {
  AssociatedData,
  FlowVersion,
  HttpFetch,
  IvrChannel,
  IvrEnd,
  LookupCustomer,
  ResolvedPrompt,
  ScheduleStatePort,
} from '../types.js';
import type { CallVariables } from '../variables.js';

/** The hooks a node may need besides the channel. */
export interface NodePorts {
  readonly scheduleState?: ScheduleStatePort;
  readonly http?: HttpFetch;
  readonly lookupCustomer?: LookupCustomer;
  readonly timers: Pick<Clock, 'setTimer'>;
}

export interface NodeContext {
  readonly callId: string;
  readonly flow: FlowVersion;
  readonly nodeId: string;
  readonly channel: IvrChannel;
  readonly vars: CallVariables;
  /** Aborted when the node should give up: the caller hung up (never aborted in onHangup). */
  readonly signal: AbortSignal;
  readonly ports: NodePorts;
  readonly logger: Logger;
  /** Resolves prompts in the call's current language. Throws IvrError IVR_PROMPT_FAILED. */
  prompts(specs: readonly PromptSpec[]): ResolvedPrompt[];
  render(text: string): string;
}

/** What a node did. `digits` goes to the step log. */
export type NodeOutcome =
  | { readonly exit: string; readonly digits?: string | null }
  | { readonly fail: IvrError; readonly digits?: string | null }
  /** The flow ends here; `data` replaces the associated data (a transfer's extras). */
  | { readonly end: IvrEnd; readonly data?: AssociatedData }
  | { readonly goto: string };

/** A template somewhere in a node, with the field it sits in (`prompts[0].tts`). */
export interface TemplateField {
  readonly field: string;
  readonly text: string;
}

export interface NodeKind<N extends FlowNode> {
  /** Talks to the caller, so it cannot run after the caller hung up. */
  readonly media: boolean;
  /** Exit name → the node it leads to (undefined when the flow leaves it open). */
  exits(node: N): Readonly<Record<string, string | undefined>>;
  /** Exits a valid flow must fill (IVR_EXIT_MISSING otherwise). */
  requiredExits(node: N): readonly string[];
  /** An open exit falls back to this one: a schedule's `holiday` to `closed`. */
  readonly fallback?: Readonly<Record<string, string>>;
  /** Variables the node writes. */
  writes(node: N): readonly string[];
  /** Templates the node reads. */
  templates(node: N): readonly TemplateField[];
  run(node: N, ctx: NodeContext): Promise<NodeOutcome>;
}

/** The template fields of a list of prompts, under `field`. */
export function promptTemplates(prompts: readonly PromptSpec[] | undefined, field: string): TemplateField[] {
  const out: TemplateField[] = [];
  (prompts ?? []).forEach((p, i) => {
    if ('file' in p) out.push({ field: `${field}[${i}].file`, text: p.file });
    else if ('tts' in p) out.push({ field: `${field}[${i}].tts`, text: p.tts });
    else if ('say' in p) out.push({ field: `${field}[${i}].value`, text: p.value });
  });
  return out;
}
