/**
 * Validation on save: a flow is published only when it has no errors. Each problem names
 * the node and the field (`nodes.menu.options.1: …`) and carries a stable code.
 *
 * Choices: an unreachable node is a warning, not an error (drafts keep spare nodes, and
 * it never harms a call); an unknown variable in a template is an error (it would read as
 * the empty string, which is never what was meant).
 */
import type { z } from 'zod';
import { sayValue } from '../media/prompts/say.js';
import { formatProblems } from '../platform/config/problems.js';
import { exitsOf, reachable } from './graph.js';
import { kindOf } from './nodes/registry.js';
import type { TemplateField } from './nodes/kind.js';
import { isSystemPrompt, type FlowTexts } from './prompts.js';
import {
  flowHeaderSchema,
  NODE_SCHEMAS,
  NODE_TYPES,
  type Flow,
  type FlowNode,
  type NodeType,
} from './schema.js';
import { templateProblem, templateVariables } from './template.js';
import { BUILTIN_VARIABLES, isBuiltin } from './variables.js';
import { checkNodeRules } from './validate-rules.js';

export type FlowIssueCode =
  | 'IVR_SCHEMA'
  | 'IVR_NODE_TYPE_UNKNOWN'
  | 'IVR_EXIT_UNKNOWN_NODE'
  | 'IVR_EXIT_MISSING'
  | 'IVR_NODE_UNREACHABLE'
  | 'IVR_VARIABLE_UNKNOWN'
  | 'IVR_VARIABLE_READONLY'
  | 'IVR_TEMPLATE_INVALID'
  | 'IVR_FLOW_UNKNOWN'
  | 'IVR_SCHEDULE_UNKNOWN'
  | 'IVR_HANGUP_MEDIA'
  | 'IVR_PROMPT_INVALID'
  | 'IVR_PATTERN_INVALID';

export interface FlowIssue {
  readonly code: FlowIssueCode;
  readonly severity: 'error' | 'warning';
  /** The node concerned, or null for the flow's own fields. */
  readonly node: string | null;
  /** The field inside the node (or the flow): `options.1`, `prompts[0].tts`, `start`. */
  readonly field: string;
  readonly message: string;
}

export interface ValidateOptions {
  /** Flow ids a goto may name; without it, gotos are not checked. */
  readonly knownFlows?: (id: string) => boolean;
  /** Schedule names a schedule node may name; without it, names are not checked. */
  readonly knownSchedules?: (name: string) => boolean;
}

export type ValidationResult =
  | { readonly ok: true; readonly flow: Flow; readonly warnings: readonly FlowIssue[] }
  | { readonly ok: false; readonly errors: readonly FlowIssue[]; readonly warnings: readonly FlowIssue[] };

/** `nodes.menu.options.1: exit "1" points to …`: the issue as one line. */
export function formatIssue(issue: FlowIssue): string {
  const parts = [issue.node === null ? '' : `nodes.${issue.node}`, issue.field].filter((p) => p !== '');
  return `${parts.length === 0 ? '(flow)' : parts.join('.')}: ${issue.message}`;
}

/** Issues pushed by the checks; `error` and `warn` fill in the severity. */
export class IssueList {
  readonly items: FlowIssue[] = [];
  error(code: FlowIssueCode, node: string | null, field: string, message: string): void {
    this.items.push({ code, severity: 'error', node, field, message });
  }
  warn(code: FlowIssueCode, node: string | null, field: string, message: string): void {
    this.items.push({ code, severity: 'warning', node, field, message });
  }
}

function zodIssues(
  list: IssueList,
  node: string | null,
  issues: readonly z.core.$ZodIssue[],
  schema: z.core.$ZodType,
): void {
  for (const line of formatProblems(issues, schema)) {
    const cut = line.indexOf(': ');
    const field = line.slice(0, cut);
    list.error('IVR_SCHEMA', node, field === '(top level)' ? '' : field, line.slice(cut + 2));
  }
}

function parseNode(list: IssueList, id: string, raw: unknown): FlowNode | undefined {
  const type = raw !== null && typeof raw === 'object' ? (raw as { type?: unknown }).type : undefined;
  if (typeof type !== 'string' || !(NODE_TYPES as string[]).includes(type)) {
    const shown = type === undefined ? 'missing' : JSON.stringify(type);
    list.error(
      'IVR_NODE_TYPE_UNKNOWN',
      id,
      'type',
      `unknown node type ${shown}; expected one of ${NODE_TYPES.join(', ')}`,
    );
    return undefined;
  }
  const schema = NODE_SCHEMAS[type as NodeType];
  const parsed = schema.safeParse(raw);
  if (!parsed.success) {
    zodIssues(list, id, parsed.error.issues, schema);
    return undefined;
  }
  return parsed.data as FlowNode;
}

/** Validates a flow document. Never throws. */
export function validateFlow(doc: unknown, opts: ValidateOptions = {}): ValidationResult {
  const list = new IssueList();
  const header = flowHeaderSchema.safeParse(doc);
  if (!header.success) zodIssues(list, null, header.error.issues, flowHeaderSchema);
  const rawNodes =
    doc !== null && typeof doc === 'object' && typeof (doc as { nodes?: unknown }).nodes === 'object'
      ? ((doc as { nodes: Record<string, unknown> }).nodes ?? {})
      : {};
  const nodes = new Map<string, FlowNode>();
  for (const [id, raw] of Object.entries(rawNodes)) {
    const node = parseNode(list, id, raw);
    if (node !== undefined) nodes.set(id, node);
  }
  const ids = new Set(Object.keys(rawNodes));
  const flowVars = header.success ? header.data.variables : {};
  checkRoots(list, doc, ids);
  checkExits(list, nodes, ids);
  const texts = header.success ? header.data.texts : {};
  checkVariables(list, nodes, flowVars, texts);
  for (const [id, node] of nodes) checkNodeRules(list, id, node, opts);
  checkPrompts(list, nodes, texts);
  if (header.success) checkReach(list, nodes, header.data);
  const errors = list.items.filter((i) => i.severity === 'error');
  const warnings = list.items.filter((i) => i.severity === 'warning');
  if (errors.length > 0 || !header.success) return { ok: false, errors, warnings };
  return { ok: true, flow: deepFreeze({ ...header.data, nodes: Object.fromEntries(nodes) }), warnings };
}

function checkRoots(list: IssueList, doc: unknown, ids: ReadonlySet<string>): void {
  if (doc === null || typeof doc !== 'object') return;
  for (const field of ['start', 'onHangup', 'onError'] as const) {
    const target = (doc as Record<string, unknown>)[field];
    if (typeof target === 'string' && !ids.has(target)) {
      list.error(
        'IVR_EXIT_UNKNOWN_NODE',
        null,
        field,
        `names node ${JSON.stringify(target)}, which does not exist`,
      );
    }
  }
}

function checkExits(list: IssueList, nodes: ReadonlyMap<string, FlowNode>, ids: ReadonlySet<string>): void {
  for (const [id, node] of nodes) {
    for (const exit of exitsOf(node)) {
      if (exit.target !== undefined && !ids.has(exit.target)) {
        list.error(
          'IVR_EXIT_UNKNOWN_NODE',
          id,
          exit.field,
          `exit "${exit.name}" points to node ${JSON.stringify(exit.target)}, which does not exist`,
        );
      }
    }
    const exits = kindOf(node).exits(node);
    for (const name of kindOf(node).requiredExits(node)) {
      if (exits[name] === undefined)
        list.error('IVR_EXIT_MISSING', id, name, `a ${node.type} node needs the exit "${name}"`);
    }
    if (node.type === 'menu' && Object.keys(node.options).length === 0) {
      list.error('IVR_EXIT_MISSING', id, 'options', 'a menu needs at least one option');
    }
  }
}

function checkVariables(
  list: IssueList,
  nodes: ReadonlyMap<string, FlowNode>,
  declared: Readonly<Record<string, string>>,
  texts: FlowTexts,
): void {
  for (const name of Object.keys(declared)) {
    if (isBuiltin(name))
      list.error(
        'IVR_VARIABLE_READONLY',
        null,
        `variables.${name}`,
        `${name} is a built-in variable and cannot be declared`,
      );
  }
  const known = new Set<string>([...BUILTIN_VARIABLES, ...Object.keys(declared)]);
  for (const [id, node] of nodes) {
    for (const name of kindOf(node).writes(node)) {
      if (isBuiltin(name)) {
        list.error(
          'IVR_VARIABLE_READONLY',
          id,
          writeField(node, name),
          `${name} is a built-in variable and cannot be written`,
        );
      }
      known.add(name);
    }
  }
  const fields: [string | null, TemplateField][] = [];
  for (const [id, node] of nodes) for (const t of kindOf(node).templates(node)) fields.push([id, t]);
  for (const [name, byLang] of Object.entries(texts)) {
    for (const [lang, text] of Object.entries(byLang))
      if (text !== undefined) fields.push([null, { field: `texts.${name}.${lang}`, text }]);
  }
  for (const [id, t] of fields) {
    const problem = templateProblem(t.text);
    if (problem !== null) {
      list.error('IVR_TEMPLATE_INVALID', id, t.field, problem.message);
      continue;
    }
    for (const name of templateVariables(t.text)) {
      if (!known.has(name)) {
        list.error(
          'IVR_VARIABLE_UNKNOWN',
          id,
          t.field,
          `uses \${${name}}, which is neither built in, declared in variables, nor written by any node`,
        );
      }
    }
  }
}

function writeField(node: FlowNode, name: string): string {
  switch (node.type) {
    case 'set':
      return `assign.${name}`;
    case 'http':
      return node.statusInto === name ? 'statusInto' : `result.${name}`;
    case 'lookup':
      return `fields.${name}`;
    default:
      return 'into';
  }
}

const PROMPT_FIELDS = ['prompts', 'invalidPrompts', 'timeoutPrompts', 'thanks'] as const;

function checkPrompts(list: IssueList, nodes: ReadonlyMap<string, FlowNode>, texts: FlowTexts): void {
  for (const [id, node] of nodes) {
    for (const field of PROMPT_FIELDS) {
      const prompts = (node as Partial<Record<(typeof PROMPT_FIELDS)[number], unknown>>)[field];
      if (!Array.isArray(prompts)) continue;
      prompts.forEach((p: Record<string, unknown>, i) => {
        const name = p['prompt'];
        if (typeof name === 'string' && !Object.hasOwn(texts, name) && !isSystemPrompt(name)) {
          list.error(
            'IVR_PROMPT_INVALID',
            id,
            `${field}[${i}].prompt`,
            `no text ${JSON.stringify(name)} in the flow's texts and no system prompt of that name`,
          );
        }
        const value = p['value'];
        if (typeof p['say'] === 'string' && typeof value === 'string' && !value.includes('${')) {
          try {
            sayValue(p['say'] as 'number', value, 'zh-CN');
          } catch (err) {
            list.error('IVR_PROMPT_INVALID', id, `${field}[${i}].value`, (err as Error).message);
          }
        }
      });
    }
  }
}

function checkReach(
  list: IssueList,
  nodes: ReadonlyMap<string, FlowNode>,
  header: { start: string; onHangup?: string; onError?: string },
): void {
  const live = reachable(nodes, [header.start, header.onError, header.onHangup]);
  for (const id of nodes.keys()) {
    if (!live.has(id)) list.warn('IVR_NODE_UNREACHABLE', id, '', 'no exit leads to this node');
  }
  if (header.onHangup === undefined) return;
  for (const id of reachable(nodes, [header.onHangup])) {
    const node = nodes.get(id)!;
    if (kindOf(node).media || node.type === 'goto') {
      list.error(
        'IVR_HANGUP_MEDIA',
        id,
        'type',
        `a ${node.type} node is reached from onHangup, after the caller has gone; only set, condition, http, lookup, schedule, language and hangup nodes may run there`,
      );
    }
  }
}

function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const child of Object.values(value)) deepFreeze(child);
  }
  return value;
}
