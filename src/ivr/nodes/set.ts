import { evaluateExpr } from '../evaluate.js';
import type { NodeOf } from '../schema.js';
import type { SetExpr } from '../schema-values.js';
import type { NodeKind, TemplateField } from './kind.js';

function exprTemplates(expr: SetExpr, field: string, out: TemplateField[]): void {
  if (typeof expr === 'string') out.push({ field, text: expr });
  else if ('concat' in expr) expr.concat.forEach((e, i) => exprTemplates(e, `${field}.concat[${i}]`, out));
  else if ('add' in expr) expr.add.forEach((e, i) => exprTemplates(e, `${field}.add[${i}]`, out));
  else exprTemplates(expr.substring.of, `${field}.substring.of`, out);
}

/** Assigns variables in the order written; a later assignment sees the earlier ones. */
export const setKind: NodeKind<NodeOf<'set'>> = {
  media: false,
  exits: (n) => ({ next: n.next, error: n.error }),
  requiredExits: () => ['next'],
  writes: (n) => Object.keys(n.assign),
  templates: (n) => {
    const out: TemplateField[] = [];
    for (const [name, expr] of Object.entries(n.assign)) exprTemplates(expr, `assign.${name}`, out);
    return out;
  },
  async run(n, ctx) {
    for (const [name, expr] of Object.entries(n.assign))
      ctx.vars.set(name, evaluateExpr(expr, ctx.vars.lookup));
    return { exit: 'next' };
  },
};
