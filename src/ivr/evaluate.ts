/**
 * The little language of `set` and `condition`: expressions (concat, substring, add) and
 * comparisons. Pure functions over strings; a variable's value is always text.
 *
 * Numbers: a value is a number when it is an optional minus, digits, and optionally a
 * point and more digits ("42", "-3.5", "007"). `add` treats the empty string as 0, so an
 * unset counter starts at 0. Comparisons in `auto` mode compare as numbers when both
 * sides are numbers ("007" eq "7", "10" gt "9") and as text otherwise (by UTF-16 code
 * units: "10" lt "9" as text); `compare: text` forces text.
 */
import { IvrError } from './errors.js';
import type { CompareOp, SetExpr } from './schema-values.js';
import { renderTemplate } from './template.js';

export type Lookup = (name: string) => string | undefined;

const NUMBER = /^-?\d+(?:\.\d+)?$/;

export function isNumeric(value: string): boolean {
  return NUMBER.test(value.trim());
}

function decimals(value: string): number {
  const point = value.indexOf('.');
  return point < 0 ? 0 : value.length - point - 1;
}

/** The value of a `set` expression. Throws IvrError IVR_EVAL_FAILED (`add` of a non-number). */
export function evaluateExpr(expr: SetExpr, lookup: Lookup): string {
  if (typeof expr === 'string') return renderTemplate(expr, lookup);
  if ('concat' in expr) return expr.concat.map((e) => evaluateExpr(e, lookup)).join('');
  if ('substring' in expr) {
    const { of, start, length } = expr.substring;
    const chars = Array.from(evaluateExpr(of, lookup));
    return chars.slice(start, length === undefined ? undefined : start + length).join('');
  }
  let sum = 0;
  let places = 0;
  for (const e of expr.add) {
    const text = evaluateExpr(e, lookup).trim();
    if (text === '') continue;
    if (!isNumeric(text)) {
      throw new IvrError('IVR_EVAL_FAILED', `add: ${JSON.stringify(text)} is not a number`, { value: text });
    }
    sum += Number(text);
    places = Math.max(places, decimals(text));
  }
  return places === 0 ? String(Math.round(sum)) : sum.toFixed(places);
}

function ordered(left: string, right: string, text: boolean): number {
  if (!text && isNumeric(left) && isNumeric(right)) return Math.sign(Number(left) - Number(right));
  return left < right ? -1 : left > right ? 1 : 0;
}

function regex(source: string): RegExp {
  try {
    return new RegExp(source, 'u');
  } catch (err) {
    throw new IvrError(
      'IVR_EVAL_FAILED',
      `matches: invalid regular expression ${JSON.stringify(source)} (${(err as Error).message})`,
      {
        pattern: source,
      },
    );
  }
}

/**
 * Compares two rendered values. `right` is a list only for `in`. `matches` searches the
 * left value for the regular expression (anchor it with ^ and $ to match all of it).
 */
export function compareValues(
  op: CompareOp,
  left: string,
  right: string | readonly string[],
  mode: 'auto' | 'text',
): boolean {
  const text = mode === 'text';
  if (op === 'in') {
    const list = typeof right === 'string' ? [right] : right;
    return list.some((r) => ordered(left, r, text) === 0);
  }
  if (typeof right !== 'string') {
    throw new IvrError('IVR_EVAL_FAILED', `${op}: the right side must be one value, not a list`);
  }
  switch (op) {
    case 'eq':
      return ordered(left, right, text) === 0;
    case 'ne':
      return ordered(left, right, text) !== 0;
    case 'lt':
      return ordered(left, right, text) < 0;
    case 'le':
      return ordered(left, right, text) <= 0;
    case 'gt':
      return ordered(left, right, text) > 0;
    case 'ge':
      return ordered(left, right, text) >= 0;
    case 'startsWith':
      return left.startsWith(right);
    case 'contains':
      return left.includes(right);
    case 'matches':
      return regex(right).test(left);
  }
}
