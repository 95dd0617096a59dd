/**
 * Lexical building blocks shared by the URI, name-addr and header parsers
 * (RFC 3261 §25.1 basic rules): character classes, quoted strings, comma lists and
 * generic `;name=value` parameters. Everything here is a linear scan — no regular
 * expression that could backtrack on hostile input.
 */
import type { Params } from './types.js';

/** A parse that either yields a value or says, in a short phrase, why it could not. */
export type Parsed<T> =
  { readonly ok: true; readonly value: T } | { readonly ok: false; readonly reason: string };

export function ok<T>(value: T): Parsed<T> {
  return { ok: true, value };
}

export function fail<T>(reason: string): Parsed<T> {
  return { ok: false, reason };
}

const ALNUM = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';

/** A lookup table over ASCII: `table[code] === 1` when the character is in the class. */
export function charClass(chars: string): Uint8Array {
  const table = new Uint8Array(128);
  for (let i = 0; i < chars.length; i++) table[chars.charCodeAt(i)] = 1;
  return table;
}

/** RFC 3261 §25.1: token = 1*(alphanum / "-" / "." / "!" / "%" / "*" / "_" / "+" / "`" / "'" / "~") */
export const TOKEN = charClass(ALNUM + "-.!%*_+`'~");
/** RFC 3261 §25.1: unreserved = alphanum / mark */
export const UNRESERVED = ALNUM + "-_.!~*'()";

/** True when every character of `s` (non-empty) is in `table`. */
export function allIn(s: string, table: Uint8Array): boolean {
  if (s.length === 0) return false;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 128 || table[c] !== 1) return false;
  }
  return true;
}

export function isToken(s: string): boolean {
  return allIn(s, TOKEN);
}

export function isWhitespace(code: number): boolean {
  return code === 0x20 || code === 0x09;
}

/**
 * Index of the closing `"` of the quoted string whose opening quote is at `open`,
 * honouring quoted-pair backslash escapes (RFC 3261 §25.1); -1 when unterminated.
 */
export function findQuoteEnd(s: string, open: number): number {
  for (let i = open + 1; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c === 0x5c) i++;
    else if (c === 0x22) return i;
  }
  return -1;
}

/** The content of a quoted string with quoted-pairs resolved; a value without quotes is returned as is. */
export function unquote(value: string): string {
  if (value.length < 2 || value.charCodeAt(0) !== 0x22 || value.charCodeAt(value.length - 1) !== 0x22) {
    return value;
  }
  const inner = value.slice(1, -1);
  if (!inner.includes('\\')) return inner;
  const parts: string[] = [];
  let from = 0;
  for (let i = 0; i < inner.length; i++) {
    if (inner.charCodeAt(i) === 0x5c) {
      parts.push(inner.slice(from, i));
      from = i + 1;
      i++;
    }
  }
  parts.push(inner.slice(from));
  return parts.join('');
}

/** Writes `text` as a quoted-string, escaping `"` and `\` (RFC 3261 §25.1 quoted-pair). */
export function quote(text: string): string {
  if (!text.includes('"') && !text.includes('\\')) return `"${text}"`;
  return `"${text.replace(/["\\]/g, '\\$&')}"`;
}

/**
 * Splits a header value at commas that are outside quoted strings and `<…>`
 * (RFC 3261 §7.3.1: multiple values of a list header may share one line). Entries are
 * trimmed; empty entries are kept so callers can reject `a,,b`. Returns undefined when a
 * quote or angle bracket is left open.
 */
export function splitList(value: string): string[] | undefined {
  if (!value.includes(',')) return [value.trim()];
  const out: string[] = [];
  let from = 0;
  let angle = false;
  for (let i = 0; i < value.length; i++) {
    const c = value.charCodeAt(i);
    if (c === 0x22) {
      const end = findQuoteEnd(value, i);
      if (end < 0) return undefined;
      i = end;
    } else if (c === 0x3c) {
      angle = true;
    } else if (c === 0x3e) {
      angle = false;
    } else if (c === 0x2c && !angle) {
      out.push(value.slice(from, i).trim());
      from = i + 1;
    }
  }
  if (angle) return undefined;
  out.push(value.slice(from).trim());
  return out;
}

function skipWhitespace(s: string, i: number): number {
  while (i < s.length && isWhitespace(s.charCodeAt(i))) i++;
  return i;
}

/** End of an unquoted gen-value: stops at `;`, `,`, whitespace or a quote. */
function valueEnd(s: string, i: number): number {
  while (i < s.length) {
    const c = s.charCodeAt(i);
    if (c === 0x3b || c === 0x2c || c === 0x22 || isWhitespace(c)) break;
    i++;
  }
  return i;
}

/**
 * Parses header parameters `*( SEMI generic-param )` (RFC 3261 §25.1, SEMI and EQUAL allow
 * surrounding whitespace). `text` must be empty or start with `;` (after whitespace).
 * Names are lower-cased; a quoted value keeps its quotes so it is written back unchanged
 * (read it with `unquote`). A repeated name is malformed. Returns undefined when malformed.
 */
export function parseParams(text: string): Params | undefined {
  const out: Record<string, string | null> = {};
  let i = skipWhitespace(text, 0);
  while (i < text.length) {
    if (text.charCodeAt(i) !== 0x3b) return undefined;
    i = skipWhitespace(text, i + 1);
    let end = i;
    while (end < text.length && TOKEN[text.charCodeAt(end)] === 1) end++;
    if (end === i) return undefined;
    const name = text.slice(i, end).toLowerCase();
    // A `__proto__` key would reach the prototype setter of a plain object.
    if (name === '__proto__' || Object.hasOwn(out, name)) return undefined;
    i = skipWhitespace(text, end);
    let value: string | null = null;
    if (text.charCodeAt(i) === 0x3d) {
      i = skipWhitespace(text, i + 1);
      if (text.charCodeAt(i) === 0x22) {
        end = findQuoteEnd(text, i);
        if (end < 0) return undefined;
        end++;
      } else {
        end = valueEnd(text, i);
        if (end === i) return undefined;
      }
      value = text.slice(i, end);
      i = skipWhitespace(text, end);
    }
    out[name] = value;
  }
  return out;
}

/** Writes parameters back as `;name=value;flag`. Values are written as stored. */
export function formatParams(params: Params): string {
  let out = '';
  for (const name in params) {
    const value = params[name];
    out += value === null || value === undefined ? `;${name}` : `;${name}=${value}`;
  }
  return out;
}
