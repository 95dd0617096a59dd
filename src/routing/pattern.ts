/**
 * Dial patterns in the Asterisk style. A pattern starts with `_`:
 *
 *   X  any digit 0-9        Z  1-9        N  2-9
 *   [1-5,7] [135]  one character of the set (ranges with -, commas ignored)
 *   .  one or more of any characters (only last)
 *   !  zero or more of any characters (only last)
 *   anything else among 0-9 * # +  itself
 *
 * Text without `_` is a literal number. A plain prefix (`9`) matches any number that starts
 * with it and has at least one more character. Pure and dependency-free, so the
 * configuration can check patterns without loading the rest of routing.
 */

/** One position of a pattern: the characters it accepts, sorted. */
export type PatternElement = string;

export interface CompiledPattern {
  readonly source: string;
  /** literal: the whole number; pattern: `_…`; prefix: a plain prefix. */
  readonly kind: 'literal' | 'pattern' | 'prefix';
  /** The fixed-length head, one entry per character position. */
  readonly elements: readonly PatternElement[];
  /** What may follow the head: nothing, one or more (`.`), zero or more (`!`). */
  readonly tail: 'none' | 'one-or-more' | 'zero-or-more';
}

export type PatternErrorCode =
  | 'PATTERN_EMPTY'
  | 'PATTERN_BAD_CHARACTER'
  | 'PATTERN_UNCLOSED_SET'
  | 'PATTERN_EMPTY_SET'
  | 'PATTERN_BAD_RANGE'
  | 'PATTERN_WILDCARD_NOT_LAST';

export type PatternResult =
  | { readonly ok: true; readonly pattern: CompiledPattern }
  | {
      readonly ok: false;
      readonly code: PatternErrorCode;
      /** 1-based column in the text where the problem is. */
      readonly column: number;
      readonly message: string;
    };

const DIAL_CHARS = '0123456789*#+';
const DIGITS = '0123456789';
const CLASSES: Readonly<Record<string, string>> = { X: DIGITS, Z: DIGITS.slice(1), N: DIGITS.slice(2) };

function fail(code: PatternErrorCode, column: number, text: string, what: string): PatternResult {
  return { ok: false, code, column, message: `pattern "${text}" at column ${column}: ${what}` };
}

function isDialChar(ch: string): boolean {
  return ch.length === 1 && DIAL_CHARS.includes(ch);
}

/** Compiles `_…` (a pattern), or a literal number. */
export function compilePattern(text: string): PatternResult {
  if (text === '' || text === '_') return fail('PATTERN_EMPTY', 1, text, 'is empty');
  if (!text.startsWith('_')) return compileLiteral(text, 'literal');
  const elements: string[] = [];
  let i = 1;
  while (i < text.length) {
    const ch = text.charAt(i);
    const column = i + 1;
    if (ch === '.' || ch === '!') {
      if (i !== text.length - 1) {
        return fail('PATTERN_WILDCARD_NOT_LAST', column, text, `"${ch}" must be the last character`);
      }
      const tail = ch === '.' ? 'one-or-more' : 'zero-or-more';
      return { ok: true, pattern: { source: text, kind: 'pattern', elements, tail } };
    }
    if (ch === '[') {
      const set = readSet(text, i);
      if (!set.ok) return set.error;
      elements.push(set.chars);
      i = set.next;
      continue;
    }
    const cls = CLASSES[ch.toUpperCase()];
    if (cls !== undefined) elements.push(cls);
    else if (isDialChar(ch)) elements.push(ch);
    else
      return fail(
        'PATTERN_BAD_CHARACTER',
        column,
        text,
        `"${ch}" is not X, Z, N, a set, . ! or one of 0-9 * # +`,
      );
    i++;
  }
  return { ok: true, pattern: { source: text, kind: 'pattern', elements, tail: 'none' } };
}

type SetResult = { ok: true; chars: string; next: number } | { ok: false; error: PatternResult };

/** Reads `[…]` starting at `open`; commas only separate, `a-b` is a range of digits. */
function readSet(text: string, open: number): SetResult {
  const close = text.indexOf(']', open + 1);
  if (close === -1) {
    return { ok: false, error: fail('PATTERN_UNCLOSED_SET', open + 1, text, '"[" is never closed by "]"') };
  }
  const chars = new Set<string>();
  for (let i = open + 1; i < close; i++) {
    const ch = text.charAt(i);
    const column = i + 1;
    if (ch === ',') continue;
    if (ch === '[')
      return { ok: false, error: fail('PATTERN_BAD_CHARACTER', column, text, 'sets cannot be nested') };
    if (ch === '-') {
      return {
        ok: false,
        error: fail('PATTERN_BAD_RANGE', column, text, 'a range needs a digit on each side of "-"'),
      };
    }
    if (!isDialChar(ch)) {
      return {
        ok: false,
        error: fail('PATTERN_BAD_CHARACTER', column, text, `"${ch}" cannot appear in a set`),
      };
    }
    if (text.charAt(i + 1) === '-' && i + 2 < close) {
      const end = text.charAt(i + 2);
      if (!DIGITS.includes(ch) || !DIGITS.includes(end) || end < ch) {
        const what = `range "${ch}-${end}" must go from a digit up to a digit`;
        return { ok: false, error: fail('PATTERN_BAD_RANGE', column, text, what) };
      }
      for (let d = Number(ch); d <= Number(end); d++) chars.add(String(d));
      i += 2;
      continue;
    }
    if (text.charAt(i + 1) === '-') {
      return {
        ok: false,
        error: fail('PATTERN_BAD_RANGE', column, text, 'a range needs a digit on each side of "-"'),
      };
    }
    chars.add(ch);
  }
  if (chars.size === 0)
    return { ok: false, error: fail('PATTERN_EMPTY_SET', open + 1, text, 'the set "[]" is empty') };
  return { ok: true, chars: [...chars].sort(byDialOrder).join(''), next: close + 1 };
}

function byDialOrder(a: string, b: string): number {
  return DIAL_CHARS.indexOf(a) - DIAL_CHARS.indexOf(b);
}

function compileLiteral(text: string, kind: 'literal' | 'prefix'): PatternResult {
  for (let i = 0; i < text.length; i++) {
    const ch = text.charAt(i);
    if (!isDialChar(ch)) {
      const what = `"${ch}" is not one of 0-9 * # + (start the text with _ for a pattern)`;
      return fail('PATTERN_BAD_CHARACTER', i + 1, text, what);
    }
  }
  const tail = kind === 'prefix' ? 'one-or-more' : 'none';
  return { ok: true, pattern: { source: text, kind, elements: [...text], tail } };
}

/** A plain prefix: matches numbers that start with it and go on for at least one character. */
export function compilePrefix(prefix: string): PatternResult {
  if (prefix === '') return fail('PATTERN_EMPTY', 1, prefix, 'is empty');
  return compileLiteral(prefix, 'prefix');
}

/** Whether `number` matches the whole pattern. */
export function matches(pattern: CompiledPattern, number: string): boolean {
  const head = pattern.elements.length;
  if (number.length < head) return false;
  for (let i = 0; i < head; i++) {
    if (!(pattern.elements[i] ?? '').includes(number.charAt(i))) return false;
  }
  const rest = number.length - head;
  if (pattern.tail === 'none') return rest === 0;
  if (pattern.tail === 'one-or-more' && rest === 0) return false;
  for (let i = head; i < number.length; i++) if (!isDialChar(number.charAt(i))) return false;
  return true;
}

/** How many characters a position accepts; the wildcards rank after every set. */
function breadth(pattern: CompiledPattern, i: number): number {
  const el = pattern.elements[i];
  if (el !== undefined) return el.length;
  if (pattern.tail === 'one-or-more') return 1000;
  if (pattern.tail === 'zero-or-more') return 1001;
  return 0; // the pattern has ended: it ranks before anything longer
}

/**
 * Orders patterns from most to least specific, as Asterisk sorts a context: a literal
 * number first, then position by position the pattern whose character there accepts fewer
 * characters (X=10 after N=8 after a literal), with `.` and `!` last. Ties go to the lower
 * character, so the order is total over distinct patterns. Negative: `a` is more specific.
 */
export function compareSpecificity(a: CompiledPattern, b: CompiledPattern): number {
  const literalA = a.kind === 'literal' ? 0 : 1;
  const literalB = b.kind === 'literal' ? 0 : 1;
  if (literalA !== literalB) return literalA - literalB;
  const length = Math.max(a.elements.length, b.elements.length) + 1;
  for (let i = 0; i < length; i++) {
    const diff = breadth(a, i) - breadth(b, i);
    if (diff !== 0) return diff;
    const ea = a.elements[i] ?? '';
    const eb = b.elements[i] ?? '';
    if (ea !== eb) return byDialOrder(ea.charAt(0), eb.charAt(0)) || (ea < eb ? -1 : 1);
  }
  return 0;
}

/** The most specific of `candidates` that matches `number`, with its index; stable on ties. */
export function bestMatch<T>(
  number: string,
  candidates: readonly T[],
  patternOf: (candidate: T) => readonly CompiledPattern[],
): { readonly item: T; readonly index: number; readonly pattern: CompiledPattern } | undefined {
  let best: { item: T; index: number; pattern: CompiledPattern } | undefined;
  candidates.forEach((item, index) => {
    for (const pattern of patternOf(item)) {
      if (!matches(pattern, number)) continue;
      if (best === undefined || compareSpecificity(pattern, best.pattern) < 0)
        best = { item, index, pattern };
    }
  });
  return best;
}
