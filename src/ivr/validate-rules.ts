/** Checks of one node's parameters that zod cannot express alone: ranges, regexes, names. */
import type { FlowNode } from './schema.js';
import type { IssueList, ValidateOptions } from './validate.js';

function regexProblem(source: string): string | null {
  try {
    new RegExp(source, 'u');
    return null;
  } catch (err) {
    return `is not a valid regular expression (${(err as Error).message})`;
  }
}

interface Comparison {
  readonly left?: unknown;
  readonly op?: string;
  readonly right?: string | readonly string[];
}

function checkComparison(list: IssueList, id: string, c: Comparison, prefix: string): void {
  for (const field of ['left', 'op', 'right'] as const) {
    if (c[field] === undefined)
      list.error('IVR_SCHEMA', id, `${prefix}${field}`, 'missing (a comparison needs left, op and right)');
  }
  if (Array.isArray(c.right) && c.op !== 'in') {
    list.error('IVR_SCHEMA', id, `${prefix}right`, `a list is only for the op "in", not "${c.op}"`);
  }
  if (c.op === 'matches' && typeof c.right === 'string' && !c.right.includes('${')) {
    const problem = regexProblem(c.right);
    if (problem !== null) list.error('IVR_PATTERN_INVALID', id, `${prefix}right`, problem);
  }
}

export function checkNodeRules(list: IssueList, id: string, node: FlowNode, opts: ValidateOptions): void {
  switch (node.type) {
    case 'collect': {
      if (node.min > node.max) list.error('IVR_SCHEMA', id, 'min', `must not exceed max (${node.max})`);
      const problem = node.pattern === undefined ? null : regexProblem(node.pattern);
      if (problem !== null) list.error('IVR_PATTERN_INVALID', id, 'pattern', problem);
      return;
    }
    case 'condition': {
      const single = node.left !== undefined || node.op !== undefined || node.right !== undefined;
      if (node.cases !== undefined) {
        if (single) list.error('IVR_SCHEMA', id, 'cases', 'write either left/op/right or cases, not both');
        node.cases.forEach((c, i) => checkComparison(list, id, c, `cases[${i}].`));
        if (node.true !== undefined || node.false !== undefined) {
          list.error(
            'IVR_SCHEMA',
            id,
            node.true !== undefined ? 'true' : 'false',
            'the cases form leaves by its cases and default, not true/false',
          );
        }
      } else {
        checkComparison(list, id, node, '');
        if (node.default !== undefined)
          list.error('IVR_SCHEMA', id, 'default', 'default belongs to the cases form');
      }
      return;
    }
    case 'goto':
      if (opts.knownFlows !== undefined && !opts.knownFlows(node.flow)) {
        list.error(
          'IVR_FLOW_UNKNOWN',
          id,
          'flow',
          `no flow ${JSON.stringify(node.flow)} is published or being published`,
        );
      }
      return;
    case 'schedule':
      if (opts.knownSchedules !== undefined && !opts.knownSchedules(node.schedule)) {
        list.error(
          'IVR_SCHEDULE_UNKNOWN',
          id,
          'schedule',
          `no schedule ${JSON.stringify(node.schedule)} is configured`,
        );
      }
      return;
    default:
      return;
  }
}
