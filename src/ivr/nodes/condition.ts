import { compareValues } from '../evaluate.js';
import { IvrError } from '../errors.js';
import type { NodeOf } from '../schema.js';
import type { CompareOp } from '../schema-values.js';
import type { NodeContext, NodeKind, TemplateField } from './kind.js';

type ConditionNode = NodeOf<'condition'>;

interface Test {
  readonly left?: string;
  readonly op?: CompareOp;
  readonly right?: string | readonly string[];
  readonly compare: 'auto' | 'text';
}

function test(t: Test, ctx: NodeContext): boolean {
  if (t.left === undefined || t.op === undefined || t.right === undefined) {
    throw new IvrError('IVR_EVAL_FAILED', 'condition needs left, op and right');
  }
  const right = typeof t.right === 'string' ? ctx.render(t.right) : t.right.map((r) => ctx.render(r));
  return compareValues(t.op, ctx.render(t.left), right, t.compare);
}

function sideTemplates(t: Test, prefix: string): TemplateField[] {
  const out: TemplateField[] = [];
  if (t.left !== undefined) out.push({ field: `${prefix}left`, text: t.left });
  if (typeof t.right === 'string') out.push({ field: `${prefix}right`, text: t.right });
  else t.right?.forEach((r, i) => out.push({ field: `${prefix}right[${i}]`, text: r }));
  return out;
}

/** Exit names of the list form: `cases[0]`, `cases[1]` … and `default`. */
export const caseExit = (i: number) => `cases[${i}]`;

/**
 * One comparison (→ true / false) or a list of cases tried in order (→ the first that
 * holds, else default), like the seeds' VAR COMPARE.
 */
export const conditionKind: NodeKind<ConditionNode> = {
  media: false,
  exits: (n) => {
    if (n.cases === undefined) return { true: n.true, false: n.false, error: n.error };
    const out: Record<string, string | undefined> = {};
    n.cases.forEach((c, i) => (out[caseExit(i)] = c.next));
    return { ...out, default: n.default, error: n.error };
  },
  requiredExits: (n) => (n.cases === undefined ? ['true', 'false'] : ['default']),
  writes: () => [],
  templates: (n) =>
    n.cases === undefined
      ? sideTemplates(n, '')
      : n.cases.flatMap((c, i) => sideTemplates(c, `cases[${i}].`)),
  async run(n, ctx) {
    if (n.cases === undefined) return { exit: test(n, ctx) ? 'true' : 'false' };
    const hit = n.cases.findIndex((c) => test(c, ctx));
    return { exit: hit < 0 ? 'default' : caseExit(hit) };
  },
};
