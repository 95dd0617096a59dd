/** The shape of a flow as a graph: each node's exits, and which nodes can be reached. */
import { caseExit } from './nodes/condition.js';
import { kindOf } from './nodes/registry.js';
import type { FlowNode } from './schema.js';

export interface Exit {
  /** The exit's name, as the step log records it: `next`, `1`, `timeout`, `cases[0]`. */
  readonly name: string;
  /** Where it is written in the node: `next`, `options.1`, `cases[0].next`. */
  readonly field: string;
  readonly target: string | undefined;
}

export function exitsOf(node: FlowNode): Exit[] {
  const exits = kindOf(node).exits(node);
  return Object.entries(exits).map(([name, target]) => ({ name, field: exitField(node, name), target }));
}

function exitField(node: FlowNode, name: string): string {
  if (node.type === 'menu' && Object.hasOwn(node.options, name)) return `options.${name}`;
  if (node.type === 'condition' && node.cases !== undefined) {
    const i = node.cases.findIndex((_, k) => caseExit(k) === name);
    if (i >= 0) return `cases[${i}].next`;
  }
  return name;
}

/** Nodes reachable from `roots` by any exit (error exits included). */
export function reachable(
  nodes: ReadonlyMap<string, FlowNode>,
  roots: readonly (string | undefined)[],
): Set<string> {
  const seen = new Set<string>();
  const stack = roots.filter((r): r is string => r !== undefined && nodes.has(r));
  while (stack.length > 0) {
    const id = stack.pop()!;
    if (seen.has(id)) continue;
    seen.add(id);
    for (const exit of exitsOf(nodes.get(id)!)) {
      if (exit.target !== undefined && nodes.has(exit.target) && !seen.has(exit.target))
        stack.push(exit.target);
    }
  }
  return seen;
}
