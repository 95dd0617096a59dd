/**
 * The auth-param syntax shared by the four authentication headers (RFC 7235 §2.1,
 * RFC 3261 §25.1 `challenge` / `credentials`):
 *
 *   Digest realm="a\"b", nonce="…", algorithm=MD5, qop="auth,auth-int"
 *
 * A scheme token, then comma-separated `name=value` pairs where value is a token or a
 * quoted string with backslash escapes. Names are case-insensitive and returned in
 * lower case. One value holds one challenge: several challenges belong in several
 * header fields, which is how SIP servers and phones send them.
 */
import type { ParseResult } from './types.js';
import { AuthError } from './errors.js';

/** Longest header value we look at; the SIP parser's line limit is larger, digest values never are. */
export const MAX_AUTH_HEADER_LENGTH = 4096;
const MAX_PARAMS = 32;

export interface AuthParams {
  /** The scheme as written, e.g. `Digest`. */
  readonly scheme: string;
  /** Lower-case name → unescaped value. */
  readonly params: ReadonlyMap<string, string>;
}

const TOKEN_CHAR = /[!#$%&'*+\-.^_`|~0-9A-Za-z]/;
const WS = /[ \t\r\n]/;

function fail(reason: string): { ok: false; reason: string } {
  return { ok: false, reason };
}

class Cursor {
  pos = 0;
  constructor(readonly text: string) {}

  get done(): boolean {
    return this.pos >= this.text.length;
  }

  peek(): string {
    return this.text.charAt(this.pos);
  }

  skipWs(): void {
    while (!this.done && WS.test(this.peek())) this.pos++;
  }

  token(): string {
    const start = this.pos;
    while (!this.done && TOKEN_CHAR.test(this.peek())) this.pos++;
    return this.text.slice(start, this.pos);
  }

  /** A bare value: lenient, so that e.g. an unquoted base64 nonce still parses. */
  bareValue(): string {
    const start = this.pos;
    while (!this.done && !/[ \t\r\n,"\\]/.test(this.peek()) && this.peek() >= '!') this.pos++;
    return this.text.slice(start, this.pos);
  }

  /** A quoted-string starting at `"`; returns undefined when unterminated or holding control characters. */
  quoted(): string | undefined {
    this.pos++; // opening quote
    let out = '';
    while (!this.done) {
      let c = this.peek();
      this.pos++;
      if (c === '"') return out;
      if (c === '\\') {
        if (this.done) return undefined;
        c = this.peek();
        this.pos++;
      }
      if (c < ' ' && c !== '\t') return undefined;
      if (c === '\x7f') return undefined;
      out += c;
    }
    return undefined;
  }
}

function parseParam(cur: Cursor, params: Map<string, string>): string | undefined {
  const name = cur.token().toLowerCase();
  if (name === '') return `unexpected character at ${cur.pos}`;
  cur.skipWs();
  if (cur.peek() !== '=') return `parameter "${name}" has no value`;
  cur.pos++;
  cur.skipWs();
  const isQuoted = cur.peek() === '"';
  const value = isQuoted ? cur.quoted() : cur.bareValue();
  if (value === undefined) return `parameter "${name}" has a bad quoted string`;
  if (!isQuoted && value === '') return `parameter "${name}" is empty`;
  if (params.has(name)) return `parameter "${name}" appears twice`;
  if (params.size >= MAX_PARAMS) return 'too many parameters';
  params.set(name, value);
  return undefined;
}

/** Parses `Scheme name=value, name="value", …`. */
export function parseAuthParams(headerValue: string): ParseResult<AuthParams> {
  if (headerValue.length > MAX_AUTH_HEADER_LENGTH) return fail('header value too long');
  const cur = new Cursor(headerValue);
  cur.skipWs();
  const scheme = cur.token();
  if (scheme === '') return fail('missing auth scheme');
  if (!cur.done && !WS.test(cur.peek())) return fail('bad auth scheme');
  const params = new Map<string, string>();
  let expectParam = true;
  for (;;) {
    cur.skipWs();
    if (cur.done) break;
    if (cur.peek() === ',') {
      // RFC 7230 §7: empty list elements are allowed and ignored.
      cur.pos++;
      expectParam = true;
      continue;
    }
    if (!expectParam) return fail(`expected "," at ${cur.pos}`);
    const err = parseParam(cur, params);
    if (err !== undefined) return fail(err);
    expectParam = false;
  }
  return { ok: true, value: { scheme, params } };
}

/** True for CTLs other than HTAB (RFC 7230 §3.2.6 qdtext). */
function hasControlCharacter(value: string): boolean {
  for (let i = 0; i < value.length; i++) {
    const c = value.charCodeAt(i);
    if ((c < 0x20 && c !== 0x09) || c === 0x7f) return true;
  }
  return false;
}

/** Writes a quoted-string, escaping `\` and `"`; refuses control characters (header injection). */
export function quote(value: string): string {
  if (hasControlCharacter(value)) {
    throw new AuthError('AUTH_INVALID_INPUT', 'control character in an auth-param value');
  }
  return `"${value.replace(/(["\\])/g, '\\$1')}"`;
}

/** Checks a value that is written unquoted (algorithm, qop, nc, stale). */
export function bare(value: string): string {
  if (!/^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/.test(value)) {
    throw new AuthError('AUTH_INVALID_INPUT', `"${value}" is not a token`);
  }
  return value;
}
